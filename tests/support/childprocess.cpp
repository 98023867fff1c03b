#include "childprocess.h"

#include <QCoreApplication>
#include <QProcess>
#include <QThread>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace Outpost::Test {

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

bool isMainThread()
{
    const QCoreApplication *app = QCoreApplication::instance();
    return app != nullptr && QThread::currentThread() == app->thread();
}

} // namespace Outpost::Test
