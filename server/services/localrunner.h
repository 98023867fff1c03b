#pragma once

#include "core/result.h"
#include "models/pipeline.h"

#include <QString>

#include <memory>

namespace Outpost::Server {

class PipelineService;

// Runs local pipelines' definitions on this server, one run at a time per pipeline, in a
// thread of its own (which owns every QProcess and timer it uses). Each run is a LocalRun
// (localrun.h: its stages, commands, timeouts and log); this class starts, cancels and, at
// shutdown, ends them. trigger() and cancel() are safe from any thread.
class LocalRunner
{
public:
    // `workspaceRoot`: where runs work by default (<root>/<pipeline id>).
    LocalRunner(PipelineService &pipelines, QString workspaceRoot, int killGraceMs = 3000);
    ~LocalRunner(); // cancels what runs and waits for it
    LocalRunner(const LocalRunner &) = delete;
    LocalRunner &operator=(const LocalRunner &) = delete;

    // A new run of a local pipeline with a definition, started in the background.
    // Conflict while another run of it is not completed.
    Result<Run> trigger(qint64 pipelineId);
    // Cancels a queued or running run (its process group is killed); Conflict when it has
    // completed already.
    Result<Run> cancel(qint64 runId);
    // Ends every run (cancelled, noting the shutdown) and the runner's thread.
    void shutdown();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Outpost::Server
