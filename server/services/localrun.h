#pragma once

#include "models/pipeline.h"
#include "pipelinedefinition.h"

#include <QString>
#include <QStringDecoder>

#include <functional>

class QObject;
class QProcess;
class QTimer;

namespace Outpost::Server {

class PipelineService;

// One run of a local pipeline in progress, on the runner's thread: the stages in order, each
// stage's commands one after another, each command's output into the stage's log. A stage
// ends with its first failing command, its timeout or a cancel, and the stages after one that
// did not succeed are skipped. A command runs without a shell unless the stage names one, in
// a process group of its own (setsid), so a timeout or a cancel ends everything it started:
// SIGTERM to the group, SIGKILL after the grace period. (On Windows: a Job Object, CTRL_BREAK,
// then TerminateJobObject; see localrun.cpp.) Output reaches the database every 200 ms while
// the command runs, up to 1 MiB per stage.
class LocalRun
{
public:
    struct Setup
    {
        qint64 runId = 0;
        qint64 pipelineId = 0;
        qint64 runNumber = 0;
        PipelineDefinition definition;
        QString workspace; // the working directory unless a stage names another
    };

    // `context` lives in the runner's thread and owns the run's processes and timers.
    // `finished` is called last, once the run has completed, and deletes it.
    LocalRun(PipelineService &pipelines, Setup setup, int killGraceMs, QObject *context,
        std::function<void(LocalRun *)> finished);
    LocalRun(const LocalRun &) = delete;
    LocalRun &operator=(const LocalRun &) = delete;

    qint64 runId() const { return m_setup.runId; }

    // Marks the run in progress and starts its first stage (it may complete at once).
    void start();
    // Stops the running command's group; the stage ends as cancelled.
    void cancel();
    // For a server that stops: kills the command, notes why and completes the run as
    // cancelled, at once.
    void abandon();

    // A stage's new status (and conclusion) by its name.
    static StageUpdate stageUpdate(
        const QString &name, const QString &status, const QString &conclusion = {});

private:
    enum class Ending { None, Cancelled, TimedOut, Shutdown };

    const StageDefinition &stage() const { return m_setup.definition.stages.at(m_stageIndex); }
    void log(const QString &text);
    void flush();
    void update(const RunUpdate &change);
    void nextStage();
    void endStage(const QString &conclusion);
    void finish(const QString &conclusion, const QString &note = {});
    QString workingDirectory() const;
    void startCommand();
    void commandEnded(bool success);
    void stop(Ending ending);

    PipelineService &m_pipelines;
    Setup m_setup;
    int m_killGraceMs;
    QObject *m_context;
    std::function<void(LocalRun *)> m_finished;

    int m_stageIndex = -1;
    int m_commandIndex = 0;
    QProcess *m_process = nullptr;
    QTimer *m_deadline = nullptr;
    QTimer *m_killTimer = nullptr;
    QTimer *m_flushTimer = nullptr;
    QStringDecoder m_decoder {QStringDecoder::Utf8};
    QString m_pending; // output not in the database yet
    qsizetype m_logged = 0;
    bool m_truncated = false;
    Ending m_ending = Ending::None;
};

} // namespace Outpost::Server
