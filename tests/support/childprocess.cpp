#include "childprocess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>

#if defined(Q_OS_LINUX)
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <windows.h>
#endif

namespace Outpost::Test {

#if defined(Q_OS_LINUX)
void killWithTestProcess(QProcess &process)
{
    const pid_t test = ::getpid();
    // Runs in the child between fork and exec: async-signal-safe calls only.
    process.setChildProcessModifier([test] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The test may have died before prctl() took effect: then no signal would come.
        if (::getppid() != test)
            ::_exit(127);
    });
}
#elif defined(Q_OS_WIN)
// The test process joins a Job Object that kills its processes when its last handle closes,
// which happens when the test process ends, however it ends; every child it starts afterwards
// is in the job too.
void killWithTestProcess(QProcess &)
{
    static const bool joined = [] {
        const HANDLE job = ::CreateJobObjectW(nullptr, nullptr);
        if (!job)
            return false;
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits {};
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        return ::SetInformationJobObject(
                   job, JobObjectExtendedLimitInformation, &limits, sizeof limits)
            && ::AssignProcessToJobObject(job, ::GetCurrentProcess());
    }();
    if (!joined)
        qWarning("test servers may outlive this suite: cannot make a kill-on-close job");
}
#else
// macOS has no parent-death signal: a child outlives a suite that crashes (one that ends
// normally stops its servers in their destructors). The API suites are built on Linux only.
void killWithTestProcess(QProcess &) { }
#endif

QString waitForOutputMatch(
    QProcess &process, const QRegularExpression &pattern, int timeoutMs, QByteArray &output)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        output += process.readAll();
        const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(output));
        if (match.hasMatch())
            return match.captured(1);
    }
    return {};
}

void stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(5'000)) {
        process.kill();
        process.waitForFinished(5'000);
    }
}

bool isMainThread()
{
    const QCoreApplication *app = QCoreApplication::instance();
    return app != nullptr && QThread::currentThread() == app->thread();
}

} // namespace Outpost::Test
