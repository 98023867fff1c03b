#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/pipeline.h"

#include <optional>

namespace Outpost::Server {

class Database;

// Runs and their stages.
class RunRepository
{
public:
    explicit RunRepository(const Database &database);

    // Newest first, without stages.
    Result<Page<Run>> list(qint64 pipelineId, const PageRequest &page) const;
    // With stages (ordered by position, then id) when `withStages`.
    Result<std::optional<Run>> find(qint64 id, bool withStages = true) const;
    // A run of a pipeline of `source` by the provider's run id.
    Result<std::optional<Run>> findByExternal(
        const QString &source, const QString &externalId) const;
    // A run of this pipeline that is not completed, if any.
    Result<std::optional<qint64>> active(qint64 pipelineId) const;
    Result<qint64> nextRunNumber(qint64 pipelineId) const;
    // Whether another run of the pipeline than `exceptRunId` has this number.
    Result<bool> numberTaken(qint64 pipelineId, qint64 number, qint64 exceptRunId) const;
    // Conflict when the run number is taken.
    Result<qint64> insert(const Run &run);
    // Writes every mutable column of `run` (not its stages).
    Status update(const Run &run);
    // Inserts (id 0) or updates a stage; returns its id. Logs are written by appendLog only.
    Result<qint64> saveStage(const Stage &stage);
    Status removeStages(qint64 runId);
    Status appendLog(qint64 stageId, const QString &text);
    // The stage logs of a run, in stage order: (name, log) of stages that have one.
    Result<QList<std::pair<QString, QString>>> logs(qint64 runId) const;
    // Deletes all but the newest `keep` runs of the pipeline; returns the ids deleted.
    Result<QList<qint64>> prune(qint64 pipelineId, int keep);
    // Runs of local pipelines still queued or in progress (left by a crash).
    Result<QList<qint64>> unfinishedLocal() const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
