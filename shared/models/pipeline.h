#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Outpost {

// The vocabulary of CI/CD status, shared by every source (GitHub, CodeBuild, API, local).
namespace PipelineWords {
QStringList sources();     // github, codebuild, api, local
QStringList statuses();    // queued, in_progress, completed
QStringList conclusions(); // success, failure, cancelled, skipped, timed_out, neutral, ...
// queued 0 < in_progress 1 < completed 2; -1 for anything else. Later events never move a
// run or stage back to a lower rank (webhooks arrive out of order).
int statusRank(const QString &status);
} // namespace PipelineWords

// {"id","name","status","conclusion","provider_status","started_at","finished_at",
// "duration_s","position","has_log","steps"?}. duration_s is derived, never stored.
struct Stage
{
    qint64 id = 0;
    qint64 runId = 0;
    QString name;
    int position = 0;
    QString externalId;
    QString status = QStringLiteral("queued");
    QString conclusion; // empty: null
    QString providerStatus;
    QDateTime startedAt;
    QDateTime finishedAt;
    bool hasLog = false;
    QJsonArray steps; // GitHub job steps, as reported

    QJsonObject toJson() const;
    // For clients: the members above (runId and externalId are not sent; duration_s is
    // derived). Lenient about members it does not know.
    static Result<Stage> fromJson(const QJsonObject &json);
};

// A run; "stages" only in the full form (GET /v1/runs/{id}), not in summaries.
struct Run
{
    qint64 id = 0;
    qint64 pipelineId = 0;
    qint64 runNumber = 0;
    int attempt = 1; // GitHub's run_attempt: a re-run starts the next one
    QString externalId;
    QString status = QStringLiteral("queued");
    QString conclusion; // empty: null
    QString providerStatus;
    QString headSha;
    QString headBranch;
    QString event;
    QString actor;
    QString htmlUrl;
    QDateTime queuedAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString note;
    QDateTime createdAt;
    QDateTime updatedAt;
    QList<Stage> stages;

    QJsonObject toJson(bool withStages = true) const;
    // For clients; "stages" may be absent (a summary). externalId is not sent.
    static Result<Run> fromJson(const QJsonObject &json);
};

// {"id","name","source","repository","external_id","has_definition","created_at","last_run"}
struct Pipeline
{
    qint64 id = 0;
    QString name;
    QString source;
    QString repository;
    QString externalId;
    QString definition; // local runner definition text (YAML or JSON); empty: none
    QDateTime createdAt;
    std::optional<Run> lastRun;

    QJsonObject toJson() const;
    // For clients. The definition's text is never sent (only "has_definition"), so
    // `definition` stays empty.
    static Result<Pipeline> fromJson(const QJsonObject &json);
};

// POST /v1/pipelines: name 1..200 characters, source "api" (default) or "local",
// repository optional, definition optional text (YAML or JSON) or a JSON object.
struct PipelineCreate
{
    QString name;
    QString source = QStringLiteral("api");
    QString repository;
    QString definition;

    QJsonObject toJson() const; // for clients: repository and definition only when set
    static Result<PipelineCreate> fromJson(const QJsonObject &json);
};

// A change to one stage, from a report or a webhook. Absent members leave the stage as it is;
// an empty conclusion means null.
struct StageUpdate
{
    QString name;
    QString externalId; // matched first when set (GitHub job ids survive renames)
    std::optional<int> position;
    std::optional<QString> status;
    std::optional<QString> conclusion;
    std::optional<QString> providerStatus;
    std::optional<QDateTime> startedAt;
    std::optional<QDateTime> finishedAt;
    std::optional<QString> log;
    std::optional<QJsonArray> steps;

    // One item of the reporting API's "stages" (name and the members that are set; steps and
    // externalId are webhook-only and not written).
    QJsonObject toJson() const;
};

// A change to a run (POST /v1/pipelines/{id}/runs creates with it, PATCH /v1/runs/{id}
// applies it; webhooks map their payloads to it). Stages are matched by name.
struct RunUpdate
{
    std::optional<qint64> runNumber;
    std::optional<int> attempt; // webhooks only
    std::optional<QString> status;
    std::optional<QString> conclusion;
    std::optional<QString> providerStatus;
    std::optional<QString> headSha;
    std::optional<QString> headBranch;
    std::optional<QString> event;
    std::optional<QString> actor;
    std::optional<QString> htmlUrl;
    std::optional<QDateTime> queuedAt;
    std::optional<QDateTime> startedAt;
    std::optional<QDateTime> finishedAt;
    std::optional<QString> note;
    QList<StageUpdate> stages;

    // The reporting API's body: {"run_number"?, "status"?, "conclusion"?, "provider_status"?,
    // "head_sha"?, "head_branch"?, "event"?, "actor"?, "html_url"?, "started_at"?,
    // "finished_at"?, "stages"?: [{"name", "status"?, "conclusion"?, "provider_status"?,
    // "started_at"?, "finished_at"?, "log"?}]}. A conclusion needs status "completed" (in
    // the same body) and vice versa when creating. Unknown fields and bad values are errors.
    static Result<RunUpdate> fromJson(const QJsonObject &json, bool creating);
    // The reporting API's body from the members that are set (for clients); the webhook-only
    // members (attempt, queuedAt, note) are not written.
    QJsonObject toJson() const;
};

} // namespace Outpost
