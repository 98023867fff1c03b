#include "localrunner.h"

#include "localrun.h"
#include "pipelinedefinition.h"
#include "pipelineservice.h"

#include "core/tsanhandoff.h"

#include <QDir>
#include <QHash>
#include <QThread>

#include <semaphore>

namespace Outpost::Server {

struct LocalRunner::Private
{
    PipelineService &pipelines;
    QString workspaceRoot;
    int killGraceMs = 3000;
    QThread thread;
    QObject *worker = nullptr;      // lives in `thread`
    QHash<qint64, LocalRun *> runs; // touched only in `thread`
    bool stopped = false;
    std::binary_semaphore running {0}; // released on the thread once it runs

    Private(PipelineService &service, QString root, int grace)
        : pipelines(service)
        , workspaceRoot(std::move(root))
        , killGraceMs(grace)
    { }

    // In the runner's thread: starts a run, which removes itself from `runs` when it ends.
    void start(LocalRun::Setup setup)
    {
        const qint64 id = setup.runId;
        auto *run =
            new LocalRun(pipelines, std::move(setup), killGraceMs, worker, [this](LocalRun *done) {
                runs.remove(done->runId());
                delete done;
            });
        runs.insert(id, run);
        run->start();
    }
};

LocalRunner::LocalRunner(PipelineService &pipelines, QString workspaceRoot, int killGraceMs)
    : d(std::make_unique<Private>(pipelines, std::move(workspaceRoot), killGraceMs))
{
    d->thread.setObjectName(QStringLiteral("local-runner"));
    d->worker = new QObject;
    d->worker->moveToThread(&d->thread);
    QObject::connect(&d->thread, &QThread::finished, d->worker, &QObject::deleteLater);
    // Returns once the thread runs (its event dispatcher exists): trigger() posts to it from
    // the HTTP threads. A standard semaphore, so that ThreadSanitizer sees the hand-over.
    Private *p = d.get();
    QObject::connect(
        &d->thread, &QThread::started, &d->thread, [p] { p->running.release(); },
        Qt::DirectConnection);
    d->thread.start();
    d->running.acquire();
}

LocalRunner::~LocalRunner()
{
    shutdown();
}

Result<Run> LocalRunner::trigger(qint64 pipelineId)
{
    auto pipeline = d->pipelines.get(pipelineId);
    if (!pipeline)
        return fail(pipeline.error());
    if (pipeline->source != u"local") {
        return fail(Error::validation(QStringLiteral("source"),
            QStringLiteral("pipeline %1 is not a local pipeline").arg(pipelineId)));
    }
    auto definition = PipelineDefinition::parse(pipeline->definition);
    if (!definition)
        return fail(definition.error());
    QStringList names;
    for (const StageDefinition &stage : std::as_const(definition->stages))
        names.append(stage.name);
    const QString workspace = QDir(d->workspaceRoot).filePath(QString::number(pipelineId));
    if (!QDir().mkpath(workspace))
        return fail(Error::unavailable(QStringLiteral("cannot create the run's workspace")));
    auto run = d->pipelines.startLocalRun(pipelineId, names);
    if (!run)
        return fail(run.error());
    LocalRun::Setup setup;
    setup.runId = run->id;
    setup.pipelineId = pipelineId;
    setup.runNumber = run->runNumber;
    setup.definition = *definition;
    setup.workspace = workspace;
    Private *p = d.get();
    const bool posted = QMetaObject::invokeMethod(d->worker, TsanHandOff::handOver([p, setup] {
        if (!p->stopped)
            p->start(setup);
    }));
    if (!posted)
        return fail(Error::unavailable(QStringLiteral("the local runner has stopped")));
    return run;
}

Result<Run> LocalRunner::cancel(qint64 runId)
{
    auto run = d->pipelines.run(runId);
    if (!run)
        return fail(run.error());
    if (run->status == u"completed")
        return fail(Error::conflict(QStringLiteral("run %1 has completed already").arg(runId)));
    Private *p = d.get();
    bool known = false;
    QMetaObject::invokeMethod(d->worker, TsanHandOff::handOver([p, runId, &known] {
        LocalRun *active = p->runs.value(runId);
        if (!active)
            return;
        known = true;
        active->cancel();
    }),
        Qt::BlockingQueuedConnection);
    TsanHandOff::acquire(); // Qt's semaphore, which TSan cannot see, ordered that call before this
    if (!known) {
        // Not running here (left by another process, or never started): just end it.
        RunUpdate change;
        change.status = QStringLiteral("completed");
        change.conclusion = QStringLiteral("cancelled");
        for (const Stage &stage : std::as_const(run->stages)) {
            if (stage.status != u"completed") {
                change.stages.append(LocalRun::stageUpdate(
                    stage.name, QStringLiteral("completed"), QStringLiteral("cancelled")));
            }
        }
        return d->pipelines.applyLocal(runId, change);
    }
    return d->pipelines.run(runId);
}

void LocalRunner::shutdown()
{
    if (!d->thread.isRunning())
        return;
    Private *p = d.get();
    QMetaObject::invokeMethod(d->worker, TsanHandOff::handOver([p] {
        p->stopped = true;
        const QList<LocalRun *> active = p->runs.values();
        for (LocalRun *run : active)
            run->abandon(); // completes and deletes it
    }),
        Qt::BlockingQueuedConnection);
    d->thread.quit();
    d->thread.wait();
    // The runs' last steps (in that call) happen before what the owner frees next; Qt's
    // semaphore and thread join, which ordered them, are invisible to ThreadSanitizer.
    TsanHandOff::acquire();
}

} // namespace Outpost::Server
