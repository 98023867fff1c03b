#include "localrun.h"

#include "pipelineservice.h"

#include <QDir>
#include <QLoggingCategory>
#include <QProcess>
#include <QTimer>

#include <optional>
#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <csignal>
#include <sys/types.h>
#include <unistd.h>
#endif

Q_LOGGING_CATEGORY(lcRunner, "outpost.runner", QtInfoMsg)

namespace Outpost::Server {

namespace {

constexpr qsizetype kMaxStageLog = qsizetype(1024) * 1024; // characters kept per stage
constexpr int kFlushMs = 200;                              // how often output reaches the database

// What a command inherits from the server: enough to find programs and a home, never the
// server's own settings and secrets (OUTPOST_*), then the definition's variables.
QProcessEnvironment baseEnvironment()
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
#ifdef Q_OS_WIN
    // Without SystemRoot many Windows programs cannot even start (Winsock, for one).
    for (const QString &name :
        {QStringLiteral("PATH"), QStringLiteral("PATHEXT"), QStringLiteral("SystemRoot"),
            QStringLiteral("SystemDrive"), QStringLiteral("windir"), QStringLiteral("ComSpec"),
            QStringLiteral("TEMP"), QStringLiteral("TMP"), QStringLiteral("USERPROFILE"),
            QStringLiteral("USERNAME"), QStringLiteral("APPDATA"), QStringLiteral("LOCALAPPDATA"),
            QStringLiteral("ProgramData"), QStringLiteral("ProgramFiles"), QStringLiteral("TZ")}) {
        if (system.contains(name))
            env.insert(name, system.value(name));
    }
#else
    for (const QString &name : {QStringLiteral("PATH"), QStringLiteral("HOME"),
             QStringLiteral("LANG"), QStringLiteral("LC_ALL"), QStringLiteral("TZ"),
             QStringLiteral("TMPDIR"), QStringLiteral("USER"), QStringLiteral("LOGNAME")}) {
        if (system.contains(name))
            env.insert(name, system.value(name));
    }
    if (!env.contains(QStringLiteral("PATH")))
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
#endif
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

#ifdef Q_OS_WIN
// Windows has no process groups to signal. Each command runs in a Job Object of its own:
// whatever it starts joins the job, TerminateJobObject() ends them all, and closing the job
// ends what is left (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE). The job is a child of the QProcess,
// so it closes when the process object is deleted, once the command has ended.
QString jobName()
{
    return QStringLiteral("outpost-job");
}

class Job final : public QObject
{
public:
    explicit Job(QProcess *process)
        : QObject(process)
        , m_handle(::CreateJobObjectW(nullptr, nullptr))
    {
        setObjectName(jobName());
        if (!m_handle)
            return;
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits {};
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        if (!::SetInformationJobObject(
                m_handle, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
            ::CloseHandle(m_handle);
            m_handle = nullptr;
        }
    }
    Job(const Job &) = delete;
    Job &operator=(const Job &) = delete;
    ~Job() override
    {
        if (m_handle)
            ::CloseHandle(m_handle);
    }

    // Puts the process, started suspended, in the job; it runs either way.
    void adopt(const PROCESS_INFORMATION &info)
    {
        m_adopted = m_handle && ::AssignProcessToJobObject(m_handle, info.hProcess);
        if (!m_adopted)
            qCWarning(lcRunner) << "cannot put a command in a job object: a timeout or cancel"
                                   " ends the command but not what it started";
        ::ResumeThread(info.hThread);
    }
    bool terminate() { return m_adopted && ::TerminateJobObject(m_handle, 1); }

private:
    HANDLE m_handle;
    bool m_adopted = false;
};

// Starts the command in a job of its own (and a console process group of its own, so
// CTRL_BREAK reaches it and the server's Ctrl+C does not).
void startInGroup(QProcess *process)
{
    auto *job = new Job(process);
    PROCESS_INFORMATION *info = nullptr;
    process->setCreateProcessArgumentsModifier([&info](QProcess::CreateProcessArguments *args) {
        args->flags |= CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP;
        info = args->processInformation;
    });
    process->start();
    process->setCreateProcessArgumentsModifier({});
    if (info && process->state() == QProcess::Running)
        job->adopt(*info);
}

// SIGTERM's counterpart: CTRL_BREAK to the command's process group. Only console programs
// that share the server's console get it; the kill after the grace period ends the rest.
void terminateGroup(QProcess &process)
{
    // Group 0 would be every process on the console, the server included.
    if (const qint64 pid = process.processId(); pid > 0)
        ::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, DWORD(pid));
}

void killGroup(QProcess &process)
{
    auto *job =
        static_cast<Job *>(process.findChild<QObject *>(jobName(), Qt::FindDirectChildrenOnly));
    if (!job || !job->terminate())
        process.kill();
}
#else
void signalGroup(qint64 pid, int signal)
{
    if (pid > 0)
        ::kill(-pid_t(pid), signal); // the process group setsid() made: pgid == pid
}

// Its own session and process group, so a timeout or cancel reaches all it starts.
void startInGroup(QProcess *process)
{
    process->setChildProcessModifier([] { ::setsid(); });
    process->start();
}

void terminateGroup(QProcess &process)
{
    signalGroup(process.processId(), SIGTERM);
}

void killGroup(QProcess &process)
{
    signalGroup(process.processId(), SIGKILL);
}
#endif

} // namespace

LocalRun::LocalRun(PipelineService &pipelines, Setup setup, int killGraceMs, QObject *context,
    std::function<void(LocalRun *)> finished)
    : m_pipelines(pipelines)
    , m_setup(std::move(setup))
    , m_killGraceMs(killGraceMs)
    , m_context(context)
    , m_finished(std::move(finished))
{ }

StageUpdate LocalRun::stageUpdate(
    const QString &name, const QString &status, const QString &conclusion)
{
    StageUpdate change;
    change.name = name;
    change.status = status;
    change.conclusion = conclusion;
    return change;
}

void LocalRun::log(const QString &text)
{
    if (m_truncated || m_stageIndex < 0)
        return;
    if (m_logged + text.size() > kMaxStageLog) {
        m_pending += text.left(kMaxStageLog - m_logged);
        m_pending += QStringLiteral("\n[log truncated at 1 MiB]\n");
        m_truncated = true;
        m_logged = kMaxStageLog;
    } else {
        m_pending += text;
        m_logged += text.size();
    }
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void LocalRun::flush()
{
    m_flushTimer->stop();
    if (m_pending.isEmpty() || m_stageIndex < 0)
        return;
    const QString text = std::exchange(m_pending, QString());
    if (auto appended = m_pipelines.appendLog(runId(), stage().name, text); !appended)
        qCWarning(lcRunner) << "run" << runId() << "log lost:" << appended.error().detail;
}

void LocalRun::update(const RunUpdate &change)
{
    if (auto applied = m_pipelines.applyLocal(runId(), change); !applied)
        qCWarning(lcRunner) << "run" << runId() << "update failed:" << applied.error().detail;
}

void LocalRun::start()
{
    m_flushTimer = new QTimer(m_context);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushMs);
    QObject::connect(m_flushTimer, &QTimer::timeout, m_context, [this] { flush(); });
    m_deadline = new QTimer(m_context);
    m_deadline->setSingleShot(true);
    QObject::connect(m_deadline, &QTimer::timeout, m_context, [this] {
        log(QStringLiteral("\n[timed out after %1 s]\n").arg(stage().timeoutSeconds));
        stop(Ending::TimedOut);
    });
    m_killTimer = new QTimer(m_context);
    m_killTimer->setSingleShot(true);
    m_killTimer->setInterval(m_killGraceMs);
    QObject::connect(m_killTimer, &QTimer::timeout, m_context, [this] {
        if (m_process)
            killGroup(*m_process);
    });
    RunUpdate change;
    change.status = QStringLiteral("in_progress");
    update(change);
    nextStage();
}

void LocalRun::nextStage()
{
    flush();
    ++m_stageIndex;
    if (m_stageIndex >= m_setup.definition.stages.size()) {
        finish(QStringLiteral("success"));
        return;
    }
    m_commandIndex = 0;
    m_logged = 0;
    m_truncated = false;
    m_decoder.resetState();
    RunUpdate change;
    change.stages.append(stageUpdate(stage().name, QStringLiteral("in_progress")));
    update(change);
    m_deadline->start(stage().timeoutSeconds * 1000);
    startCommand();
}

void LocalRun::endStage(const QString &conclusion)
{
    flush();
    m_deadline->stop();
    RunUpdate change;
    change.stages.append(stageUpdate(stage().name, QStringLiteral("completed"), conclusion));
    if (conclusion != u"success") {
        for (int i = m_stageIndex + 1; i < m_setup.definition.stages.size(); ++i) {
            change.stages.append(stageUpdate(m_setup.definition.stages.at(i).name,
                QStringLiteral("completed"), QStringLiteral("skipped")));
        }
    }
    update(change);
    if (conclusion == u"success") {
        nextStage();
    } else {
        finish(conclusion);
    }
}

void LocalRun::finish(const QString &conclusion, const QString &note)
{
    RunUpdate change;
    change.status = QStringLiteral("completed");
    change.conclusion = conclusion;
    if (!note.isEmpty())
        change.note = note;
    update(change);
    m_flushTimer->deleteLater();
    m_deadline->deleteLater();
    m_killTimer->deleteLater();
    m_finished(this); // deletes this
}

QString LocalRun::workingDirectory() const
{
    const QString configured = stage().workingDirectory;
    if (configured.isEmpty())
        return m_setup.workspace;
    return QDir(m_setup.workspace).absoluteFilePath(configured);
}

void LocalRun::startCommand()
{
    const StageDefinition &current = stage();
    const QString command = current.commands.at(m_commandIndex);
    QStringList argv;
    if (current.shell.isEmpty()) {
        argv = splitWords(command).value_or(QStringList());
    } else {
        argv = {current.shell, QStringLiteral("-c"), command};
    }
    log(QStringLiteral("$ ") + command + u'\n');
    const QString directory = workingDirectory();
    if (argv.isEmpty()) {
        log(QStringLiteral("[not a command: empty, or a quote is not closed]\n"));
        endStage(QStringLiteral("failure"));
        return;
    }
    if (!QDir(directory).exists()) {
        log(QStringLiteral("[working directory %1 does not exist]\n").arg(directory));
        endStage(QStringLiteral("failure"));
        return;
    }
    QProcessEnvironment env = baseEnvironment();
    env.insert(QStringLiteral("CI"), QStringLiteral("true"));
    env.insert(QStringLiteral("OUTPOST_RUN_ID"), QString::number(runId()));
    env.insert(QStringLiteral("OUTPOST_RUN_NUMBER"), QString::number(m_setup.runNumber));
    env.insert(QStringLiteral("OUTPOST_PIPELINE_ID"), QString::number(m_setup.pipelineId));
    for (auto it = current.env.cbegin(); it != current.env.cend(); ++it)
        env.insert(it.key(), it.value());

    auto *process = new QProcess(m_context);
    m_process = process;
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setInputChannelMode(QProcess::ManagedInputChannel);
    process->setWorkingDirectory(directory);
    process->setProcessEnvironment(env);
    process->setProgram(argv.takeFirst());
    process->setArguments(argv);
    QObject::connect(process, &QProcess::readyReadStandardOutput, m_context,
        [this, process] { log(m_decoder.decode(process->readAllStandardOutput())); });
    QObject::connect(process, &QProcess::errorOccurred, m_context,
        [this, process](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return;
            log(QStringLiteral("[cannot start %1: %2]\n")
                    .arg(process->program(), process->errorString()));
            process->deleteLater();
            m_process = nullptr;
            commandEnded(false);
        });
    QObject::connect(process, &QProcess::finished, m_context,
        [this, process](int exitCode, QProcess::ExitStatus status) {
#ifndef Q_OS_WIN
            const qint64 pid = process->processId();
#endif
            log(m_decoder.decode(process->readAllStandardOutput()));
#ifndef Q_OS_WIN
            signalGroup(pid, SIGKILL); // whatever it left running in its group
#endif
            const bool success = status == QProcess::NormalExit && exitCode == 0;
            if (!success && m_ending == Ending::None) {
                log(status == QProcess::NormalExit
                        ? QStringLiteral("[exit code %1]\n").arg(exitCode)
                        : QStringLiteral("[killed by a signal]\n"));
            }
            process->deleteLater();
            m_process = nullptr;
            m_killTimer->stop();
            commandEnded(success);
        });
    startInGroup(process);
    process->closeWriteChannel();
}

void LocalRun::commandEnded(bool success)
{
    switch (m_ending) {
    case Ending::Cancelled:
        endStage(QStringLiteral("cancelled"));
        return;
    case Ending::TimedOut:
        endStage(QStringLiteral("timed_out"));
        return;
    case Ending::Shutdown:
        return; // abandon() finishes the run itself
    case Ending::None:
        break;
    }
    if (!success) {
        endStage(QStringLiteral("failure"));
        return;
    }
    if (++m_commandIndex < stage().commands.size()) {
        startCommand();
    } else {
        endStage(QStringLiteral("success"));
    }
}

// Asks the running command's group to stop, then kills it after the grace period.
void LocalRun::stop(Ending ending)
{
    if (m_ending != Ending::None)
        return;
    m_ending = ending;
    m_deadline->stop();
    if (m_process) {
        terminateGroup(*m_process);
        m_killTimer->start();
    } else if (ending != Ending::Shutdown) {
        commandEnded(false);
    }
}

void LocalRun::cancel()
{
    log(QStringLiteral("\n[cancelled]\n"));
    stop(Ending::Cancelled);
}

void LocalRun::abandon()
{
    m_ending = Ending::Shutdown;
    if (m_process) {
        killGroup(*m_process);
        m_process->waitForFinished(m_killGraceMs);
    }
    log(QStringLiteral("\n[the server stopped]\n"));
    RunUpdate change;
    for (int i = qMax(0, m_stageIndex); i < m_setup.definition.stages.size(); ++i) {
        change.stages.append(
            stageUpdate(m_setup.definition.stages.at(i).name, QStringLiteral("completed"),
                i == m_stageIndex ? QStringLiteral("cancelled") : QStringLiteral("skipped")));
    }
    flush();
    update(change);
    finish(QStringLiteral("cancelled"), QStringLiteral("the server stopped"));
}

} // namespace Outpost::Server
