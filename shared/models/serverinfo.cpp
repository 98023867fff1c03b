#include "serverinfo.h"

#include "core/timeformat.h"
#include "jsonfields.h"

#include <utility>

namespace Outpost {

using namespace JsonFields;

namespace {

const QString kVersion = QStringLiteral("version");
const QString kStartedAt = QStringLiteral("started_at");
const QString kUptime = QStringLiteral("uptime_s");
const QString kDatabase = QStringLiteral("database");
const QString kDriver = QStringLiteral("driver");
const QString kSchemaVersion = QStringLiteral("schema_version");
const QString kFileStore = QStringLiteral("file_store");
const QString kKind = QStringLiteral("kind");
const QString kCounts = QStringLiteral("counts");
const QString kUsers = QStringLiteral("users");
const QString kPosts = QStringLiteral("posts");
const QString kFiles = QStringLiteral("files");
const QString kPipelines = QStringLiteral("pipelines");
const QString kStatus = QStringLiteral("status");

// A required object member; its own errors are named "<key>.<field>".
QJsonObject readObject(const QJsonObject &json, const QString &key, QList<FieldError> &errors)
{
    const QJsonValue value = json.value(key);
    if (!value.isObject()) {
        errors.append(
            {key, value.isUndefined() ? isRequired() : QStringLiteral("must be an object")});
    }
    return value.toObject();
}

} // namespace

QJsonObject ServerInfo::toJson() const
{
    return {{kVersion, version}, {kStartedAt, toJsonTime(startedAt)}, {kUptime, uptimeSeconds},
        {kDatabase, QJsonObject {{kDriver, databaseDriver}, {kSchemaVersion, schemaVersion}}},
        {kFileStore, QJsonObject {{kKind, fileStoreKind}}},
        {kCounts,
            QJsonObject {{kUsers, counts.users}, {kPosts, counts.posts}, {kFiles, counts.files},
                {kPipelines, counts.pipelines}}}};
}

Result<ServerInfo> ServerInfo::fromJson(const QJsonObject &json)
{
    ServerInfo info;
    QList<FieldError> errors;
    readString(json, kVersion, true, info.version, errors);
    readTimeField(json, kStartedAt, true, info.startedAt, errors);
    readIntegerField(json, kUptime, true, info.uptimeSeconds, errors);

    QList<FieldError> nested;
    const QJsonObject database = readObject(json, kDatabase, errors);
    readString(database, kDriver, false, info.databaseDriver, nested);
    readIntegerField(database, kSchemaVersion, false, info.schemaVersion, nested);
    appendNested(kDatabase, std::exchange(nested, {}), errors);

    const QJsonObject store = readObject(json, kFileStore, errors);
    readString(store, kKind, false, info.fileStoreKind, nested);
    appendNested(kFileStore, std::exchange(nested, {}), errors);

    const QJsonObject counts = readObject(json, kCounts, errors);
    readIntegerField(counts, kUsers, false, info.counts.users, nested);
    readIntegerField(counts, kPosts, false, info.counts.posts, nested);
    readIntegerField(counts, kFiles, false, info.counts.files, nested);
    readIntegerField(counts, kPipelines, false, info.counts.pipelines, nested);
    appendNested(kCounts, nested, errors);

    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return info;
}

QJsonObject Health::toJson() const
{
    return {{kStatus, status}};
}

Result<Health> Health::fromJson(const QJsonObject &json)
{
    Health health;
    QList<FieldError> errors;
    readString(json, kStatus, true, health.status, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return health;
}

} // namespace Outpost
