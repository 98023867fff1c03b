#pragma once

#include "auth/principal.h"
#include "core/result.h"
#include "models/page.h"
#include "models/pipeline.h"

#include <QString>

#include <functional>
#include <optional>

namespace Outpost::Server {

class AuditService;
class Database;
class EventBus;

// A provider's view of one run (a GitHub workflow run or job, a CodeBuild build), mapped by
// the webhook translators to our vocabulary.
struct ExternalUpdate
{
    QString source;             // "github" | "codebuild"
    QString pipelineExternalId; // identifies the pipeline within its source
    QString pipelineName;       // empty: keep the stored one
    QString repository;
    QString runExternalId; // the provider's run id
    RunUpdate run;         // stages matched by external id, then by name
};

struct PipelineSettings
{
    int runRetention = 200; // runs kept per pipeline, newest first
    bool localRunners = false;
};

// Pipelines, runs and stages for the reporting API, the webhooks and the local runner: each
// change in a transaction, then published. Webhook updates never move a run or stage back to
// an earlier status (deliveries arrive out of order); reports through the API are taken as
// they are (RunRules).
class PipelineService
{
public:
    PipelineService(
        const Database &database, EventBus &events, AuditService &audit, PipelineSettings settings);

    const PipelineSettings &settings() const { return m_settings; }

    Result<Page<Pipeline>> list(const PageRequest &page) const;
    Result<Pipeline> get(qint64 id) const;
    // `validateDefinition` checks a local pipeline's definition (the runner's parser).
    Result<Pipeline> create(const PipelineCreate &create, const Principal &principal,
        const std::function<Status(const QString &)> &validateDefinition);
    Status remove(qint64 id, const Principal &principal);

    Result<Page<Run>> runs(qint64 pipelineId, const PageRequest &page) const;
    Result<Run> run(qint64 id) const;
    // The run's stage logs as text, each under a "==> stage" line; NotFound when it has none.
    Result<QString> log(qint64 runId) const;

    // POST /v1/pipelines/{id}/runs: a new run (run_number defaults to the next one).
    Result<Run> report(qint64 pipelineId, const RunUpdate &update);
    // PATCH /v1/runs/{id}.
    Result<Run> patch(qint64 runId, const RunUpdate &update);

    // A webhook's update, applied once per delivery id (empty: no idempotency key). nullopt
    // when the delivery was seen before (nothing changes), else the run's id.
    Result<std::optional<qint64>> applyExternal(
        const ExternalUpdate &update, const QString &deliveryId);

    // For the local runner: a new queued run with these stages.
    Result<Run> startLocalRun(qint64 pipelineId, const QStringList &stageNames);
    // Applies a change to a run (and its stages) and publishes it.
    Result<Run> applyLocal(qint64 runId, const RunUpdate &update);
    Status appendLog(qint64 runId, const QString &stageName, const QString &text);
    // Runs of local pipelines left unfinished by a crash or a kill: failure, with a note.
    Result<int> failInterruptedRuns(const QString &note);

private:
    void publish(const QString &type, qint64 runId) const;
    void prune(qint64 pipelineId);

    const Database &m_database;
    EventBus &m_events;
    AuditService &m_audit;
    PipelineSettings m_settings;
};

} // namespace Outpost::Server
