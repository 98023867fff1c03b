#include "localrunner.h"

#include "pipelinedefinition.h"
#include "pipelineservice.h"

#include <QDir>
#include <QHash>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QStringDecoder>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <optional>
#include <sys/types.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcRunner, "outpost.runner", QtInfoMsg)

namespace Outpost::Server {

namespace {

constexpr qsizetype kMaxStageLog = qsizetype(1024) * 1024; // characters kept per stage
constexpr int kFlushMs = 200;                              // how often output reaches the database

enum class Ending { None, Cancelled, TimedOut, Shutdown };

// One run in progress, owned by the runner's thread.
struct ActiveRun
{
    qint64 runId = 0;
    qint64 pipelineId = 0;
    qint64 runNumber = 0;
    PipelineDefinition definition;
    QString workspace;
    int stageIndex = -1;
    int commandIndex = 0;
    QProcess *process = nullptr;
    QTimer *deadline = nullptr;
    QTimer *killTimer = nullptr;
    QTimer *flushTimer = nullptr;
    QStringDecoder decoder {QStringDecoder::Utf8};
    QString pending;
    qsizetype logged = 0;
    bool truncated = false;
    Ending ending = Ending::None;

    const StageDefinition &stage() const { return definition.stages.at(stageIndex); }
};

// What a command inherits from the server: enough to find programs and a home, never the
// server's own settings and secrets (OUTPOST_*), then the definition's variables.
QProcessEnvironment baseEnvironment()
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const QString &name : {QStringLiteral("PATH"), QStringLiteral("HOME"),
             QStringLiteral("LANG"), QStringLiteral("LC_ALL"), QStringLiteral("TZ"),
             QStringLiteral("TMPDIR"), QStringLiteral("USER"), QStringLiteral("LOGNAME")}) {
        if (system.contains(name))
            env.insert(name, system.value(name));
    }
    if (!env.contains(QStringLiteral("PATH")))
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    return env;
}

// A command line as words, the way a POSIX shell would quote them but with nothing else a
// shell does: 'single' and "double" quotes and backslash escapes group and protect characters;
// no variables, globs, pipes or redirections. nullopt for an unterminated quote.
std::optional<QStringList> splitWords(const QString &command)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (quote == u'\'') {
            if (c == u'\'') {
                quote = QChar();
            } else {
                word += c;
            }
        } else if (quote == u'"') {
            if (c == u'"') {
                quote = QChar();
            } else if (c == u'\\' && i + 1 < command.size()
                && QStringView(u"\"\\$`").contains(command.at(i + 1))) {
                word += command.at(++i);
            } else {
                word += c;
            }
        } else if (c == u'\'' || c == u'"') {
            quote = c;
            inWord = true;
        } else if (c == u'\\' && i + 1 < command.size()) {
            word += command.at(++i);
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words.append(std::exchange(word, QString()));
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (!quote.isNull())
        return std::nullopt;
    if (inWord)
        words.append(word);
    return words;
}

void signalGroup(qint64 pid, int signal)
{
    if (pid > 0)
        ::kill(-pid_t(pid), signal); // the process group setsid() made: pgid == pid
}

} // namespace

struct LocalRunner::Private
{
    PipelineService &pipelines;
    QString workspaceRoot;
    int killGraceMs = 3000;
    QThread thread;
    QObject *worker = nullptr;       // lives in `thread`
    QHash<qint64, ActiveRun *> runs; // touched only in `thread`
    bool stopped = false;

    Private(PipelineService &service, QString root, int grace)
        : pipelines(service)
        , workspaceRoot(std::move(root))
        , killGraceMs(grace)
    { }

    // --- everything below runs in the runner's thread ---

    void log(ActiveRun &run, const QString &text)
    {
        if (run.truncated || run.stageIndex < 0)
            return;
        if (run.logged + text.size() > kMaxStageLog) {
            run.pending += text.left(kMaxStageLog - run.logged);
            run.pending += QStringLiteral("\n[log truncated at 1 MiB]\n");
            run.truncated = true;
            run.logged = kMaxStageLog;
        } else {
            run.pending += text;
            run.logged += text.size();
        }
        if (!run.flushTimer->isActive())
            run.flushTimer->start();
    }

    void flush(ActiveRun &run)
    {
        run.flushTimer->stop();
        if (run.pending.isEmpty() || run.stageIndex < 0)
            return;
        const QString text = std::exchange(run.pending, QString());
        if (auto appended = pipelines.appendLog(run.runId, run.stage().name, text); !appended)
            qCWarning(lcRunner) << "run" << run.runId << "log lost:" << appended.error().detail;
    }

    void update(ActiveRun &run, const RunUpdate &change)
    {
        if (auto applied = pipelines.applyLocal(run.runId, change); !applied)
            qCWarning(lcRunner) << "run" << run.runId << "update failed:" << applied.error().detail;
    }

    StageUpdate stageChange(
        const QString &name, const QString &status, const QString &conclusion = {})
    {
        StageUpdate change;
        change.name = name;
        change.status = status;
        change.conclusion = conclusion;
        return change;
    }

    void start(ActiveRun *run)
    {
        runs.insert(run->runId, run);
        run->flushTimer = new QTimer(worker);
        run->flushTimer->setSingleShot(true);
        run->flushTimer->setInterval(kFlushMs);
        QObject::connect(run->flushTimer, &QTimer::timeout, worker, [this, run] { flush(*run); });
        run->deadline = new QTimer(worker);
        run->deadline->setSingleShot(true);
        QObject::connect(run->deadline, &QTimer::timeout, worker, [this, run] {
            log(*run,
                QStringLiteral("\n[timed out after %1 s]\n").arg(run->stage().timeoutSeconds));
            stop(*run, Ending::TimedOut);
        });
        run->killTimer = new QTimer(worker);
        run->killTimer->setSingleShot(true);
        run->killTimer->setInterval(killGraceMs);
        QObject::connect(run->killTimer, &QTimer::timeout, worker, [run] {
            if (run->process)
                signalGroup(run->process->processId(), SIGKILL);
        });
        RunUpdate change;
        change.status = QStringLiteral("in_progress");
        update(*run, change);
        nextStage(*run);
    }

    void nextStage(ActiveRun &run)
    {
        flush(run);
        ++run.stageIndex;
        if (run.stageIndex >= run.definition.stages.size()) {
            finish(run, QStringLiteral("success"));
            return;
        }
        run.commandIndex = 0;
        run.logged = 0;
        run.truncated = false;
        run.decoder.resetState();
        RunUpdate change;
        change.stages.append(stageChange(run.stage().name, QStringLiteral("in_progress")));
        update(run, change);
        run.deadline->start(run.stage().timeoutSeconds * 1000);
        startCommand(run);
    }

    // Ends the stage with `conclusion`; the stages after it are skipped.
    void endStage(ActiveRun &run, const QString &conclusion)
    {
        flush(run);
        run.deadline->stop();
        RunUpdate change;
        change.stages.append(
            stageChange(run.stage().name, QStringLiteral("completed"), conclusion));
        if (conclusion != u"success") {
            for (int i = run.stageIndex + 1; i < run.definition.stages.size(); ++i) {
                change.stages.append(stageChange(run.definition.stages.at(i).name,
                    QStringLiteral("completed"), QStringLiteral("skipped")));
            }
        }
        update(run, change);
        if (conclusion == u"success") {
            nextStage(run);
        } else {
            finish(run, conclusion);
        }
    }

    void finish(ActiveRun &run, const QString &conclusion, const QString &note = {})
    {
        RunUpdate change;
        change.status = QStringLiteral("completed");
        change.conclusion = conclusion;
        if (!note.isEmpty())
            change.note = note;
        update(run, change);
        runs.remove(run.runId);
        run.flushTimer->deleteLater();
        run.deadline->deleteLater();
        run.killTimer->deleteLater();
        delete &run;
    }

    QString workingDirectory(const ActiveRun &run) const
    {
        const QString configured = run.stage().workingDirectory;
        if (configured.isEmpty())
            return run.workspace;
        return QDir(run.workspace).absoluteFilePath(configured);
    }

    void startCommand(ActiveRun &run)
    {
        const StageDefinition &stage = run.stage();
        const QString command = stage.commands.at(run.commandIndex);
        QStringList argv;
        if (stage.shell.isEmpty()) {
            argv = splitWords(command).value_or(QStringList());
        } else {
            argv = {stage.shell, QStringLiteral("-c"), command};
        }
        log(run, QStringLiteral("$ ") + command + u'\n');
        const QString directory = workingDirectory(run);
        if (argv.isEmpty()) {
            log(run, QStringLiteral("[not a command: empty, or a quote is not closed]\n"));
            endStage(run, QStringLiteral("failure"));
            return;
        }
        if (!QDir(directory).exists()) {
            log(run, QStringLiteral("[working directory %1 does not exist]\n").arg(directory));
            endStage(run, QStringLiteral("failure"));
            return;
        }
        QProcessEnvironment env = baseEnvironment();
        env.insert(QStringLiteral("CI"), QStringLiteral("true"));
        env.insert(QStringLiteral("OUTPOST_RUN_ID"), QString::number(run.runId));
        env.insert(QStringLiteral("OUTPOST_RUN_NUMBER"), QString::number(run.runNumber));
        env.insert(QStringLiteral("OUTPOST_PIPELINE_ID"), QString::number(run.pipelineId));
        for (auto it = stage.env.cbegin(); it != stage.env.cend(); ++it)
            env.insert(it.key(), it.value());

        auto *process = new QProcess(worker);
        run.process = process;
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->setInputChannelMode(QProcess::ManagedInputChannel);
        process->setWorkingDirectory(directory);
        process->setProcessEnvironment(env);
        process->setProgram(argv.takeFirst());
        process->setArguments(argv);
        // Its own session and process group, so a timeout or cancel reaches all it starts.
        process->setChildProcessModifier([] { ::setsid(); });
        ActiveRun *active = &run;
        QObject::connect(
            process, &QProcess::readyReadStandardOutput, worker, [this, active, process] {
                log(*active, active->decoder.decode(process->readAllStandardOutput()));
            });
        QObject::connect(process, &QProcess::errorOccurred, worker,
            [this, active, process](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart)
                    return;
                log(*active,
                    QStringLiteral("[cannot start %1: %2]\n")
                        .arg(process->program(), process->errorString()));
                process->deleteLater();
                active->process = nullptr;
                commandEnded(*active, false);
            });
        QObject::connect(process, &QProcess::finished, worker,
            [this, active, process](int exitCode, QProcess::ExitStatus status) {
                const qint64 pid = process->processId();
                log(*active, active->decoder.decode(process->readAllStandardOutput()));
                signalGroup(pid, SIGKILL); // whatever it left running in its group
                const bool success = status == QProcess::NormalExit && exitCode == 0;
                if (!success && active->ending == Ending::None) {
                    log(*active,
                        status == QProcess::NormalExit
                            ? QStringLiteral("[exit code %1]\n").arg(exitCode)
                            : QStringLiteral("[killed by a signal]\n"));
                }
                process->deleteLater();
                active->process = nullptr;
                active->killTimer->stop();
                commandEnded(*active, success);
            });
        process->start();
        process->closeWriteChannel();
    }

    void commandEnded(ActiveRun &run, bool success)
    {
        switch (run.ending) {
        case Ending::Cancelled:
            endStage(run, QStringLiteral("cancelled"));
            return;
        case Ending::TimedOut:
            endStage(run, QStringLiteral("timed_out"));
            return;
        case Ending::Shutdown:
            return; // shutdown() finishes the run itself
        case Ending::None:
            break;
        }
        if (!success) {
            endStage(run, QStringLiteral("failure"));
            return;
        }
        if (++run.commandIndex < run.stage().commands.size()) {
            startCommand(run);
        } else {
            endStage(run, QStringLiteral("success"));
        }
    }

    // Asks the running command's group to stop, then kills it after the grace period.
    void stop(ActiveRun &run, Ending ending)
    {
        if (run.ending != Ending::None)
            return;
        run.ending = ending;
        run.deadline->stop();
        if (run.process) {
            signalGroup(run.process->processId(), SIGTERM);
            run.killTimer->start();
        } else if (ending != Ending::Shutdown) {
            commandEnded(run, false);
        }
    }
};

LocalRunner::LocalRunner(PipelineService &pipelines, QString workspaceRoot, int killGraceMs)
    : d(std::make_unique<Private>(pipelines, std::move(workspaceRoot), killGraceMs))
{
    d->thread.setObjectName(QStringLiteral("local-runner"));
    d->worker = new QObject;
    d->worker->moveToThread(&d->thread);
    QObject::connect(&d->thread, &QThread::finished, d->worker, &QObject::deleteLater);
    d->thread.start();
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
    auto *active = new ActiveRun;
    active->runId = run->id;
    active->pipelineId = pipelineId;
    active->runNumber = run->runNumber;
    active->definition = *definition;
    active->workspace = workspace;
    Private *p = d.get();
    const bool posted = QMetaObject::invokeMethod(d->worker, [p, active] {
        if (p->stopped) {
            delete active;
            return;
        }
        p->start(active);
    });
    if (!posted) {
        delete active;
        return fail(Error::unavailable(QStringLiteral("the local runner has stopped")));
    }
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
    QMetaObject::invokeMethod(
        d->worker,
        [p, runId, &known] {
            ActiveRun *active = p->runs.value(runId);
            if (!active)
                return;
            known = true;
            p->log(*active, QStringLiteral("\n[cancelled]\n"));
            p->stop(*active, Ending::Cancelled);
        },
        Qt::BlockingQueuedConnection);
    if (!known) {
        // Not running here (left by another process, or never started): just end it.
        RunUpdate change;
        change.status = QStringLiteral("completed");
        change.conclusion = QStringLiteral("cancelled");
        for (const Stage &stage : std::as_const(run->stages)) {
            if (stage.status != u"completed") {
                change.stages.append(p->stageChange(
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
    QMetaObject::invokeMethod(
        d->worker,
        [p] {
            p->stopped = true;
            const QList<ActiveRun *> active = p->runs.values();
            for (ActiveRun *run : active) {
                run->ending = Ending::Shutdown;
                if (run->process) {
                    signalGroup(run->process->processId(), SIGKILL);
                    run->process->waitForFinished(p->killGraceMs);
                }
                p->log(*run, QStringLiteral("\n[the server stopped]\n"));
                RunUpdate change;
                for (int i = qMax(0, run->stageIndex); i < run->definition.stages.size(); ++i) {
                    change.stages.append(p->stageChange(run->definition.stages.at(i).name,
                        QStringLiteral("completed"),
                        i == run->stageIndex ? QStringLiteral("cancelled")
                                             : QStringLiteral("skipped")));
                }
                p->flush(*run);
                p->update(*run, change);
                p->finish(*run, QStringLiteral("cancelled"), QStringLiteral("the server stopped"));
            }
        },
        Qt::BlockingQueuedConnection);
    d->thread.quit();
    d->thread.wait();
}

} // namespace Outpost::Server
