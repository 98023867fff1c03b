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

Result<Stage> Stage::fromJson(const QJsonObject &json)
{
    Stage stage;
    QList<FieldError> errors;
    readIntegerField(json, QStringLiteral("id"), true, stage.id, errors);
    readString(json, QStringLiteral("name"), true, stage.name, errors);
    qint64 position = 0;
    if (readIntegerField(json, QStringLiteral("position"), false, position, errors))
        stage.position = int(position);
    readString(json, QStringLiteral("status"), true, stage.status, errors);
    readStringOrNull(json, QStringLiteral("conclusion"), stage.conclusion, errors);
    readStringOrNull(json, QStringLiteral("provider_status"), stage.providerStatus, errors);
    readTimeOrNull(json, QStringLiteral("started_at"), stage.startedAt, errors);
    readTimeOrNull(json, QStringLiteral("finished_at"), stage.finishedAt, errors);
    readBoolField(json, QStringLiteral("has_log"), false, stage.hasLog, errors);
    const QJsonValue steps = json.value(QStringLiteral("steps"));
    if (steps.isArray()) {
        stage.steps = steps.toArray();
    } else if (!steps.isUndefined() && !steps.isNull()) {
        errors.append({QStringLiteral("steps"), QStringLiteral("must be an array")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return stage;
}

Result<Run> Run::fromJson(const QJsonObject &json)
{
    Run run;
    QList<FieldError> errors;
    readIntegerField(json, QStringLiteral("id"), true, run.id, errors);
    readIntegerField(json, QStringLiteral("pipeline_id"), true, run.pipelineId, errors);
    readIntegerField(json, QStringLiteral("run_number"), true, run.runNumber, errors);
    qint64 attempt = 1;
    if (readIntegerField(json, QStringLiteral("attempt"), false, attempt, errors))
        run.attempt = int(attempt);
    readString(json, QStringLiteral("status"), true, run.status, errors);
    readStringOrNull(json, QStringLiteral("conclusion"), run.conclusion, errors);
    readStringOrNull(json, QStringLiteral("provider_status"), run.providerStatus, errors);
    readStringOrNull(json, QStringLiteral("head_sha"), run.headSha, errors);
    readStringOrNull(json, QStringLiteral("head_branch"), run.headBranch, errors);
    readStringOrNull(json, QStringLiteral("event"), run.event, errors);
    readStringOrNull(json, QStringLiteral("actor"), run.actor, errors);
    readStringOrNull(json, QStringLiteral("html_url"), run.htmlUrl, errors);
    readTimeOrNull(json, QStringLiteral("queued_at"), run.queuedAt, errors);
    readTimeOrNull(json, QStringLiteral("started_at"), run.startedAt, errors);
    readTimeOrNull(json, QStringLiteral("finished_at"), run.finishedAt, errors);
    readStringOrNull(json, QStringLiteral("note"), run.note, errors);
    readTimeOrNull(json, QStringLiteral("created_at"), run.createdAt, errors);
    readTimeOrNull(json, QStringLiteral("updated_at"), run.updatedAt, errors);
    const QJsonValue stages = json.value(QStringLiteral("stages"));
    if (stages.isArray()) {
        const QJsonArray array = stages.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString prefix = QStringLiteral("stages[%1]").arg(i);
            if (!array.at(i).isObject()) {
                errors.append({prefix, QStringLiteral("must be an object")});
                continue;
            }
            Result<Stage> stage = Stage::fromJson(array.at(i).toObject());
            if (stage) {
                stage->runId = run.id;
                run.stages.append(std::move(*stage));
            } else {
                appendNested(prefix, stage.error().fields, errors);
            }
        }
    } else if (!stages.isUndefined()) {
        errors.append({QStringLiteral("stages"), QStringLiteral("must be an array")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return run;
}

Result<Pipeline> Pipeline::fromJson(const QJsonObject &json)
{
    Pipeline pipeline;
    QList<FieldError> errors;
    readIntegerField(json, QStringLiteral("id"), true, pipeline.id, errors);
    readString(json, QStringLiteral("name"), true, pipeline.name, errors);
    readString(json, QStringLiteral("source"), true, pipeline.source, errors);
    readStringOrNull(json, QStringLiteral("repository"), pipeline.repository, errors);
    readStringOrNull(json, QStringLiteral("external_id"), pipeline.externalId, errors);
    readTimeOrNull(json, QStringLiteral("created_at"), pipeline.createdAt, errors);
    const QJsonValue lastRun = json.value(QStringLiteral("last_run"));
    if (lastRun.isObject()) {
        Result<Run> run = Run::fromJson(lastRun.toObject());
        if (run) {
            pipeline.lastRun = std::move(*run);
        } else {
            appendNested(QStringLiteral("last_run"), run.error().fields, errors);
        }
    } else if (!lastRun.isUndefined() && !lastRun.isNull()) {
        errors.append({QStringLiteral("last_run"), QStringLiteral("must be an object or null")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return pipeline;
}

QJsonObject PipelineCreate::toJson() const
{
    QJsonObject json {{QStringLiteral("name"), name}, {QStringLiteral("source"), source}};
    if (!repository.isEmpty())
        json.insert(QStringLiteral("repository"), repository);
    if (!definition.isEmpty())
        json.insert(QStringLiteral("definition"), definition);
    return json;
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

namespace {

void insertText(QJsonObject &json, const QString &key, const std::optional<QString> &value)
{
    if (value)
        json.insert(key, textOrNull(*value));
}

void insertTime(QJsonObject &json, const QString &key, const std::optional<QDateTime> &value)
{
    if (value)
        json.insert(key, timeOrNull(*value));
}

} // namespace

QJsonObject StageUpdate::toJson() const
{
    QJsonObject json {{QStringLiteral("name"), name}};
    if (status)
        json.insert(QStringLiteral("status"), *status);
    insertText(json, QStringLiteral("conclusion"), conclusion);
    insertText(json, QStringLiteral("provider_status"), providerStatus);
    insertTime(json, QStringLiteral("started_at"), startedAt);
    insertTime(json, QStringLiteral("finished_at"), finishedAt);
    if (log)
        json.insert(QStringLiteral("log"), *log);
    return json;
}

QJsonObject RunUpdate::toJson() const
{
    QJsonObject json;
    if (runNumber)
        json.insert(QStringLiteral("run_number"), *runNumber);
    if (status)
        json.insert(QStringLiteral("status"), *status);
    insertText(json, QStringLiteral("conclusion"), conclusion);
    insertText(json, QStringLiteral("provider_status"), providerStatus);
    insertText(json, QStringLiteral("head_sha"), headSha);
    insertText(json, QStringLiteral("head_branch"), headBranch);
    insertText(json, QStringLiteral("event"), event);
    insertText(json, QStringLiteral("actor"), actor);
    insertText(json, QStringLiteral("html_url"), htmlUrl);
    insertTime(json, QStringLiteral("started_at"), startedAt);
    insertTime(json, QStringLiteral("finished_at"), finishedAt);
    if (!stages.isEmpty()) {
        QJsonArray array;
        for (const StageUpdate &stage : stages)
            array.append(stage.toJson());
        json.insert(QStringLiteral("stages"), array);
    }
    return json;
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
