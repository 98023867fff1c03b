#pragma once

#include "rowformat.h"

#include "models/pipeline.h"

namespace Outpost::Server {

// A run, of `runs r`: read by RunRepository and, joined to each pipeline, by
// PipelineRepository. Internal to server/db.
inline const auto kRunRow = rowFormat<Run>([](auto &c, Run &run) {
    c.column("r.id", run.id);
    c.column("r.pipeline_id", run.pipelineId);
    c.column("r.run_number", run.runNumber);
    c.column("r.external_id", run.externalId);
    c.column("r.status", run.status);
    c.column("r.conclusion", run.conclusion);
    c.column("r.provider_status", run.providerStatus);
    c.column("r.head_sha", run.headSha);
    c.column("r.head_branch", run.headBranch);
    c.column("r.event", run.event);
    c.column("r.actor", run.actor);
    c.column("r.html_url", run.htmlUrl);
    c.column("r.queued_at", run.queuedAt);
    c.column("r.started_at", run.startedAt);
    c.column("r.finished_at", run.finishedAt);
    c.column("r.note", run.note);
    c.column("r.created_at", run.createdAt);
    c.column("r.updated_at", run.updatedAt);
    c.column("r.attempt", run.attempt);
});

} // namespace Outpost::Server
