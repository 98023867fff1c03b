#include "backup.h"

#include "core/timeformat.h"
#include "jsonfields.h"

#include <QJsonArray>

#include <algorithm>
#include <array>

namespace Outpost {

using namespace JsonFields;

namespace {

const QString kName = QStringLiteral("name");
const QString kSize = QStringLiteral("size_bytes");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kDownloadUrl = QStringLiteral("download_url");
const QString kItems = QStringLiteral("items");
const QString kState = QStringLiteral("state");
const QString kStartedAt = QStringLiteral("started_at");
const QString kFinishedAt = QStringLiteral("finished_at");
const QString kStatusUrl = QStringLiteral("status_url");
const QString kDetail = QStringLiteral("detail");

const std::array<QString, 3> kStates {
    QStringLiteral("running"), QStringLiteral("done"), QStringLiteral("failed")};

} // namespace

QJsonObject Backup::toJson() const
{
    return {{kName, name}, {kSize, sizeBytes}, {kCreatedAt, toJsonTime(createdAt)},
        {kDownloadUrl, downloadUrl}};
}

Result<Backup> Backup::fromJson(const QJsonObject &json)
{
    Backup backup;
    QList<FieldError> errors;
    readString(json, kName, true, backup.name, errors);
    readIntegerField(json, kSize, true, backup.sizeBytes, errors);
    readTimeField(json, kCreatedAt, true, backup.createdAt, errors);
    readString(json, kDownloadUrl, false, backup.downloadUrl, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return backup;
}

QJsonObject BackupList::toJson() const
{
    QJsonArray array;
    for (const Backup &backup : items)
        array.append(backup.toJson());
    return {{kItems, array}};
}

Result<BackupList> BackupList::fromJson(const QJsonObject &json)
{
    BackupList list;
    QList<FieldError> errors;
    const QJsonValue items = json.value(kItems);
    if (!items.isArray()) {
        errors.append(
            {kItems, items.isUndefined() ? isRequired() : QStringLiteral("must be an array")});
    }
    const QJsonArray array = items.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString prefix = kItems % QLatin1Char('.') % QString::number(i);
        if (!array.at(i).isObject()) {
            errors.append({prefix, QStringLiteral("must be an object")});
            continue;
        }
        Result<Backup> backup = Backup::fromJson(array.at(i).toObject());
        if (!backup) {
            appendNested(prefix, backup.error().fields, errors);
            continue;
        }
        list.items.append(std::move(*backup));
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return list;
}

QJsonObject BackupJob::toJson() const
{
    QJsonObject json {{kName, name}, {kState, kStates.at(std::size_t(state))},
        {kStartedAt, toJsonTime(startedAt)}, {kStatusUrl, statusUrl}};
    if (finishedAt.isValid())
        json.insert(kFinishedAt, toJsonTime(finishedAt));
    if (state == State::Done) {
        json.insert(kSize, sizeBytes);
        json.insert(kDownloadUrl, downloadUrl);
    }
    if (state == State::Failed)
        json.insert(kDetail, detail);
    return json;
}

Result<BackupJob> BackupJob::fromJson(const QJsonObject &json)
{
    BackupJob job;
    QList<FieldError> errors;
    readString(json, kName, true, job.name, errors);
    QString state;
    if (readString(json, kState, true, state, errors)) {
        const auto found = std::find(kStates.cbegin(), kStates.cend(), state);
        if (found == kStates.cend())
            errors.append({kState, QStringLiteral("must be running, done or failed")});
        else
            job.state = State(found - kStates.cbegin());
    }
    readTimeField(json, kStartedAt, true, job.startedAt, errors);
    readTimeOrNull(json, kFinishedAt, job.finishedAt, errors);
    readIntegerOrNull(json, kSize, job.sizeBytes, errors);
    readString(json, kStatusUrl, true, job.statusUrl, errors);
    readStringOrNull(json, kDownloadUrl, job.downloadUrl, errors);
    readStringOrNull(json, kDetail, job.detail, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return job;
}

} // namespace Outpost
