#include "pipeline.h"

#include "core/timeformat.h"
#include "jsonfields.h"

#include <QJsonDocument>

namespace Outpost {

using namespace JsonFields;

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? toJsonTime(time) : QJsonValue(QJsonValue::Null);
}

QJsonValue durationOf(const QDateTime &started, const QDateTime &finished)
{
    if (!started.isValid() || !finished.isValid())
        return {QJsonValue::Null};
    return qMax<qint64>(0, started.secsTo(finished));
}

constexpr int kMaxText = 2000;
constexpr qsizetype kMaxLog = qsizetype(1024) * 1024;
constexpr qsizetype kMaxStages = 200;

// An optional string member, at most `maxLength` characters; null counts as empty.
void readOptionalText(const QJsonObject &json, const QString &key, std::optional<QString> &out,
    QList<FieldError> &errors, qsizetype maxLength = kMaxText, const QString &prefix = {})
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined())
        return;
    if (value.isNull()) {
        out = QString();
        return;
    }
    if (!value.isString()) {
        errors.append({prefix + key, mustBeString()});
        return;
    }
    if (value.toString().size() > maxLength) {
        errors.append(
            {prefix + key, QStringLiteral("must be at most %1 characters").arg(maxLength)});
        return;
    }
    out = value.toString();
}

void readOneOf(const QJsonObject &json, const QString &key, const QStringList &allowed,
    bool nullable, std::optional<QString> &out, QList<FieldError> &errors,
    const QString &prefix = {})
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined())
        return;
    if (value.isNull() && nullable) {
        out = QString();
        return;
    }
    if (!value.isString() || !allowed.contains(value.toString())) {
        errors.append({prefix + key,
            QStringLiteral("must be one of %1%2")
                .arg(allowed.join(QStringLiteral(", ")),
                    nullable ? QStringLiteral(" or null") : QString())});
        return;
    }
    out = value.toString();
}

void readTime(const QJsonObject &json, const QString &key, std::optional<QDateTime> &out,
    QList<FieldError> &errors, const QString &prefix = {})
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined())
        return;
    if (value.isNull()) {
        out = QDateTime();
        return;
    }
    const QDateTime time = value.isString() ? fromRfc3339(value.toString()) : QDateTime();
    if (!time.isValid()) {
        errors.append({prefix + key, QStringLiteral("must be an RFC 3339 timestamp")});
        return;
    }
    out = time;
}

// A conclusion belongs to a completed status, and a completed status has one.
void checkStatusPair(const std::optional<QString> &status, const std::optional<QString> &conclusion,
    bool requireBoth, QList<FieldError> &errors, const QString &prefix = {})
{
    const bool completed = status && *status == u"completed";
    const bool concluded = conclusion && !conclusion->isEmpty();
    if (concluded && status && !completed) {
        errors.append(
            {prefix + QStringLiteral("conclusion"), QStringLiteral("needs status \"completed\"")});
    } else if (concluded && !status && requireBoth) {
        errors.append({prefix + QStringLiteral("status"),
            QStringLiteral("must be \"completed\" with a conclusion")});
    } else if (completed && !concluded && requireBoth) {
        errors.append({prefix + QStringLiteral("conclusion"),
            QStringLiteral("is required when status is \"completed\"")});
    }
}

} // namespace

namespace PipelineWords {

QStringList sources()
{
    return {QStringLiteral("github"), QStringLiteral("codebuild"), QStringLiteral("api"),
        QStringLiteral("local")};
}

QStringList statuses()
{
    return {QStringLiteral("queued"), QStringLiteral("in_progress"), QStringLiteral("completed")};
}

QStringList conclusions()
{
    return {QStringLiteral("success"), QStringLiteral("failure"), QStringLiteral("cancelled"),
        QStringLiteral("skipped"), QStringLiteral("timed_out"), QStringLiteral("neutral"),
        QStringLiteral("action_required")};
}

int statusRank(const QString &status)
{
    return int(statuses().indexOf(status));
}

} // namespace PipelineWords

QJsonObject Stage::toJson() const
{
    QJsonObject json {{QStringLiteral("id"), id}, {QStringLiteral("name"), name},
        {QStringLiteral("position"), position}, {QStringLiteral("status"), status},
        {QStringLiteral("conclusion"), textOrNull(conclusion)},
        {QStringLiteral("provider_status"), textOrNull(providerStatus)},
        {QStringLiteral("started_at"), timeOrNull(startedAt)},
        {QStringLiteral("finished_at"), timeOrNull(finishedAt)},
        {QStringLiteral("duration_s"), durationOf(startedAt, finishedAt)},
        {QStringLiteral("has_log"), hasLog}};
    if (!steps.isEmpty())
        json.insert(QStringLiteral("steps"), steps);
    return json;
}

QJsonObject Run::toJson(bool withStages) const
{
    QJsonObject json {{QStringLiteral("id"), id}, {QStringLiteral("pipeline_id"), pipelineId},
        {QStringLiteral("run_number"), runNumber}, {QStringLiteral("attempt"), attempt},
        {QStringLiteral("status"), status}, {QStringLiteral("conclusion"), textOrNull(conclusion)},
        {QStringLiteral("provider_status"), textOrNull(providerStatus)},
        {QStringLiteral("head_sha"), textOrNull(headSha)},
        {QStringLiteral("head_branch"), textOrNull(headBranch)},
        {QStringLiteral("event"), textOrNull(event)}, {QStringLiteral("actor"), textOrNull(actor)},
        {QStringLiteral("html_url"), textOrNull(htmlUrl)},
        {QStringLiteral("queued_at"), timeOrNull(queuedAt)},
        {QStringLiteral("started_at"), timeOrNull(startedAt)},
        {QStringLiteral("finished_at"), timeOrNull(finishedAt)},
        {QStringLiteral("duration_s"), durationOf(startedAt, finishedAt)},
        {QStringLiteral("note"), textOrNull(note)},
        {QStringLiteral("created_at"), timeOrNull(createdAt)},
        {QStringLiteral("updated_at"), timeOrNull(updatedAt)}};
    if (withStages) {
        QJsonArray array;
        for (const Stage &stage : stages)
            array.append(stage.toJson());
        json.insert(QStringLiteral("stages"), array);
    }
    return json;
}

QJsonObject Pipeline::toJson() const
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("name"), name},
        {QStringLiteral("source"), source}, {QStringLiteral("repository"), textOrNull(repository)},
        {QStringLiteral("external_id"), textOrNull(externalId)},
        {QStringLiteral("has_definition"), !definition.isEmpty()},
        {QStringLiteral("created_at"), timeOrNull(createdAt)},
        {QStringLiteral("last_run"),
            lastRun ? QJsonValue(lastRun->toJson(false)) : QJsonValue(QJsonValue::Null)}};
}

Result<PipelineCreate> PipelineCreate::fromJson(const QJsonObject &json)
{
    QList<FieldError> errors;
    rejectUnknownFields(json,
        {QStringLiteral("name"), QStringLiteral("source"), QStringLiteral("repository"),
            QStringLiteral("definition")},
        errors);
    PipelineCreate create;
    if (readString(json, QStringLiteral("name"), true, create.name, errors)) {
        create.name = create.name.trimmed();
        if (create.name.isEmpty() || codePointCount(create.name) > 200)
            errors.append({QStringLiteral("name"), QStringLiteral("must be 1 to 200 characters")});
    }
    std::optional<QString> source;
    readOneOf(json, QStringLiteral("source"), {QStringLiteral("api"), QStringLiteral("local")},
        false, source, errors);
    if (source)
        create.source = *source;
    std::optional<QString> repository;
    readOptionalText(json, QStringLiteral("repository"), repository, errors, 500);
    create.repository = repository.value_or(QString());
    const QJsonValue definition = json.value(QStringLiteral("definition"));
    if (definition.isString()) {
        create.definition = definition.toString();
        if (create.definition.size() > qsizetype(256) * 1024) {
            errors.append(
                {QStringLiteral("definition"), QStringLiteral("must be at most 256 KiB")});
        }
    } else if (definition.isObject()) {
        create.definition =
            QString::fromUtf8(QJsonDocument(definition.toObject()).toJson(QJsonDocument::Compact));
    } else if (!definition.isUndefined() && !definition.isNull()) {
        errors.append({QStringLiteral("definition"),
            QStringLiteral("must be YAML or JSON text, or a JSON object")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return create;
}

Result<RunUpdate> RunUpdate::fromJson(const QJsonObject &json, bool creating)
{
    QList<FieldError> errors;
    rejectUnknownFields(json,
        {QStringLiteral("run_number"), QStringLiteral("status"), QStringLiteral("conclusion"),
            QStringLiteral("provider_status"), QStringLiteral("head_sha"),
            QStringLiteral("head_branch"), QStringLiteral("event"), QStringLiteral("actor"),
            QStringLiteral("html_url"), QStringLiteral("started_at"), QStringLiteral("finished_at"),
            QStringLiteral("stages")},
        errors);
    RunUpdate update;
    const QJsonValue number = json.value(QStringLiteral("run_number"));
    if (!number.isUndefined()) {
        const std::optional<qint64> value = integerValue(number);
        if (!value || *value < 1) {
            errors.append(
                {QStringLiteral("run_number"), QStringLiteral("must be a positive integer")});
        } else {
            update.runNumber = *value;
        }
    }
    readOneOf(
        json, QStringLiteral("status"), PipelineWords::statuses(), false, update.status, errors);
    readOneOf(json, QStringLiteral("conclusion"), PipelineWords::conclusions(), true,
        update.conclusion, errors);
    checkStatusPair(update.status, update.conclusion, creating, errors);
    readOptionalText(json, QStringLiteral("provider_status"), update.providerStatus, errors, 100);
    readOptionalText(json, QStringLiteral("head_sha"), update.headSha, errors, 100);
    readOptionalText(json, QStringLiteral("head_branch"), update.headBranch, errors, 500);
    readOptionalText(json, QStringLiteral("event"), update.event, errors, 100);
    readOptionalText(json, QStringLiteral("actor"), update.actor, errors, 200);
    readOptionalText(json, QStringLiteral("html_url"), update.htmlUrl, errors);
    if (update.htmlUrl && !update.htmlUrl->isEmpty() && !update.htmlUrl->startsWith(u"https://")
        && !update.htmlUrl->startsWith(u"http://"))
        errors.append({QStringLiteral("html_url"), QStringLiteral("must be an http(s) URL")});
    readTime(json, QStringLiteral("started_at"), update.startedAt, errors);
    readTime(json, QStringLiteral("finished_at"), update.finishedAt, errors);

    const QJsonValue stages = json.value(QStringLiteral("stages"));
    if (!stages.isUndefined() && !stages.isArray()) {
        errors.append({QStringLiteral("stages"), QStringLiteral("must be an array")});
    } else if (stages.toArray().size() > kMaxStages) {
        errors.append({QStringLiteral("stages"),
            QStringLiteral("must have at most %1 items").arg(kMaxStages)});
    } else {
        QStringList names;
        const QJsonArray array = stages.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString prefix = QStringLiteral("stages[%1].").arg(i);
            if (!array.at(i).isObject()) {
                errors.append(
                    {QStringLiteral("stages[%1]").arg(i), QStringLiteral("must be an object")});
                continue;
            }
            const QJsonObject item = array.at(i).toObject();
            QList<FieldError> itemErrors;
            rejectUnknownFields(item,
                {QStringLiteral("name"), QStringLiteral("status"), QStringLiteral("conclusion"),
                    QStringLiteral("provider_status"), QStringLiteral("started_at"),
                    QStringLiteral("finished_at"), QStringLiteral("log")},
                itemErrors);
            for (FieldError &error : itemErrors)
                error.field.prepend(prefix);
            errors.append(itemErrors);
            StageUpdate stage;
            const QJsonValue name = item.value(QStringLiteral("name"));
            stage.name = name.toString().trimmed();
            if (!name.isString() || stage.name.isEmpty() || stage.name.size() > 200) {
                errors.append({prefix + QStringLiteral("name"),
                    QStringLiteral("is required: 1 to 200 characters")});
            } else if (names.contains(stage.name)) {
                errors.append({prefix + QStringLiteral("name"), QStringLiteral("is not unique")});
            }
            names.append(stage.name);
            readOneOf(item, QStringLiteral("status"), PipelineWords::statuses(), false,
                stage.status, errors, prefix);
            readOneOf(item, QStringLiteral("conclusion"), PipelineWords::conclusions(), true,
                stage.conclusion, errors, prefix);
            checkStatusPair(stage.status, stage.conclusion, false, errors, prefix);
            readOptionalText(
                item, QStringLiteral("provider_status"), stage.providerStatus, errors, 100, prefix);
            readTime(item, QStringLiteral("started_at"), stage.startedAt, errors, prefix);
            readTime(item, QStringLiteral("finished_at"), stage.finishedAt, errors, prefix);
            readOptionalText(item, QStringLiteral("log"), stage.log, errors, kMaxLog, prefix);
            update.stages.append(stage);
        }
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return update;
}

} // namespace Outpost
