#pragma once

#include "models/page.h"
#include "models/pipeline.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// /v1/pipelines and /v1/runs: the pipelines with their last run, run histories, a run with
// its stages and log, reporting runs (any CI), and triggering or cancelling local runs.
class PipelinesResource
{
public:
    explicit PipelinesResource(ApiClient *client)
        : m_client(client)
    { }

    Reply<Page<Pipeline>> list(const PageRequest &page) const;
    Reply<Pipeline> get(qint64 id) const;
    Reply<Pipeline> create(const PipelineCreate &pipeline) const;
    Reply<void> remove(qint64 id) const;
    // Newest first, without stages.
    Reply<Page<Run>> runs(qint64 pipelineId, const PageRequest &page) const;
    // A new run reported for the pipeline.
    Reply<Run> report(qint64 pipelineId, const RunUpdate &run) const;
    // With its stages.
    Reply<Run> run(qint64 id) const;
    // From byte `offset` (UTF-8) on: a running log only grows, so a follower asks for what
    // came after the bytes it has.
    Reply<QString> log(qint64 runId, qint64 offset = 0) const;
    // Local runners only (Forbidden where the server has them off).
    Reply<Run> trigger(qint64 pipelineId) const;
    Reply<Run> cancel(qint64 runId) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
