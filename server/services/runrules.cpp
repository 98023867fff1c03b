#include "runrules.h"

#include "db/runrepository.h"

namespace Outpost::Server::RunRules {

namespace {

template<typename T> void take(T &field, const std::optional<T> &value)
{
    if (value)
        field = *value;
}

// The stored stage an update is about: by external id first, then by name.
Stage *stageFor(QList<Stage> &stages, const StageUpdate &update)
{
    if (!update.externalId.isEmpty()) {
        for (Stage &stage : stages) {
            if (stage.externalId == update.externalId)
                return &stage;
        }
    }
    for (Stage &stage : stages) {
        if (stage.name == update.name)
            return &stage;
    }
    return nullptr;
}

} // namespace

void applyRun(Run &run, const RunUpdate &update, bool guardOrder)
{
    const bool earlier = update.status
        && PipelineWords::statusRank(*update.status) < PipelineWords::statusRank(run.status);
    if (!(guardOrder && earlier)) {
        take(run.status, update.status);
        take(run.conclusion, update.conclusion);
        take(run.providerStatus, update.providerStatus);
        take(run.finishedAt, update.finishedAt);
        if (run.status != u"completed") {
            run.conclusion.clear();
            if (!guardOrder)
                run.finishedAt = QDateTime();
        }
    } else if (!run.finishedAt.isValid() && update.finishedAt) {
        run.finishedAt = *update.finishedAt;
    }
    take(run.runNumber, update.runNumber);
    take(run.headSha, update.headSha);
    take(run.headBranch, update.headBranch);
    take(run.event, update.event);
    take(run.actor, update.actor);
    take(run.htmlUrl, update.htmlUrl);
    take(run.note, update.note);
    if (update.queuedAt && (!guardOrder || !run.queuedAt.isValid()))
        run.queuedAt = *update.queuedAt;
    if (update.startedAt && (!guardOrder || !run.startedAt.isValid()))
        run.startedAt = *update.startedAt;
    // Times the reporter left out follow from the status.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!run.queuedAt.isValid())
        run.queuedAt = run.startedAt.isValid() ? run.startedAt : now;
    if (run.status != u"queued" && !run.startedAt.isValid())
        run.startedAt = now;
    if (run.status == u"completed" && !run.finishedAt.isValid())
        run.finishedAt = now;
}

void applyStage(Stage &stage, const StageUpdate &update, bool guardOrder)
{
    const bool earlier = update.status
        && PipelineWords::statusRank(*update.status) < PipelineWords::statusRank(stage.status);
    if (!(guardOrder && earlier)) {
        take(stage.status, update.status);
        take(stage.conclusion, update.conclusion);
        take(stage.providerStatus, update.providerStatus);
        take(stage.finishedAt, update.finishedAt);
        take(stage.steps, update.steps);
        if (stage.status != u"completed")
            stage.conclusion.clear();
        if (!update.name.isEmpty())
            stage.name = update.name;
    } else {
        if (!stage.finishedAt.isValid() && update.finishedAt)
            stage.finishedAt = *update.finishedAt;
        if (stage.steps.isEmpty() && update.steps)
            stage.steps = *update.steps;
    }
    take(stage.position, update.position);
    if (update.startedAt && (!guardOrder || !stage.startedAt.isValid()))
        stage.startedAt = *update.startedAt;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (stage.status != u"queued" && !stage.startedAt.isValid() && !guardOrder)
        stage.startedAt = now;
    if (stage.status == u"completed" && !stage.finishedAt.isValid() && !guardOrder)
        stage.finishedAt = now;
    if (stage.externalId.isEmpty())
        stage.externalId = update.externalId;
}

Status applyStored(const Database &database, Run &run, const RunUpdate &update, bool guardOrder)
{
    RunRepository runs(database);
    if (guardOrder && update.attempt && *update.attempt != run.attempt) {
        if (*update.attempt < run.attempt)
            return {}; // a late event of an earlier attempt
        // A re-run: the run starts over, with the new attempt's jobs only.
        if (auto removed = runs.removeStages(run.id); !removed)
            return removed;
        run.stages.clear();
        run.attempt = *update.attempt;
        run.status = QStringLiteral("queued");
        run.conclusion.clear();
        run.providerStatus.clear();
        run.startedAt = QDateTime();
        run.finishedAt = QDateTime();
        run.queuedAt = QDateTime();
    }
    applyRun(run, update, guardOrder);
    if (auto saved = runs.update(run); !saved)
        return saved;
    int nextPosition = 0;
    for (const Stage &stage : run.stages)
        nextPosition = qMax(nextPosition, stage.position + 1);
    for (const StageUpdate &change : update.stages) {
        Stage *stored = stageFor(run.stages, change);
        Stage fresh;
        if (!stored) {
            fresh.runId = run.id;
            fresh.name = change.name;
            fresh.position = nextPosition++;
            stored = &fresh;
        }
        applyStage(*stored, change, guardOrder);
        auto id = runs.saveStage(*stored);
        if (!id)
            return fail(id.error());
        stored->id = *id;
        if (change.log && !change.log->isEmpty()) {
            if (auto appended = runs.appendLog(*id, *change.log); !appended)
                return appended;
        }
        if (stored == &fresh)
            run.stages.append(fresh);
    }
    return {};
}

} // namespace Outpost::Server::RunRules
