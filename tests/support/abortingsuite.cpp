// A stand-in for a suite that dies with its servers running, for tst_abortedsuite:
//   outpost_aborting_suite PID_FILE server|s3 abort|qfatal|exit|hang
// starts an outpost-server (TestServer) or an s3rver (S3Server), writes "PID STARTTIME" of
// that child to PID_FILE (STARTTIME: field 22 of /proc/PID/stat, against a reused pid), and
// then ends without stopping it: abort(), qFatal(), exit() (which skips the destructors of
// local objects) or waiting to be killed (as CTest does on a timeout). Exit code 2: bad usage,
// 3: the child did not start or the file could not be written.
#include "s3server.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QThread>

#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>

using namespace Outpost::Test;

namespace {

QByteArray startTimeOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = stat.readAll();
    // Field 2 (the command) is in parentheses and may hold spaces: count from after it.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    return fields.value(22 - 3);
}

bool writePid(const QString &path, qint64 pid)
{
    const QByteArray startTime = startTimeOf(pid);
    QSaveFile file(path); // appears whole or not at all
    return pid > 0 && !startTime.isEmpty() && file.open(QIODevice::WriteOnly)
        && file.write(QByteArray::number(pid) + ' ' + startTime + '\n') > 0 && file.commit();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        std::fputs(
            "usage: outpost_aborting_suite PID_FILE server|s3 abort|qfatal|exit|hang\n", stderr);
        return 2;
    }
    const QString &child = args.at(2);
    const QString &how = args.at(3);
    // Dying on purpose leaves no core file behind.
    const rlimit noCore {0, 0};
    setrlimit(RLIMIT_CORE, &noCore);

    // Not destroyed when the process aborts, and never stopped here.
    TestServer server;
    S3Server s3;
    qint64 pid = 0;
    if (child == u"server") {
        if (!server.start()) {
            std::fprintf(stderr, "%s\n", qPrintable(server.lastError()));
            return 3;
        }
        pid = server.pid();
    } else if (child == u"s3") {
        if (!s3.start()) {
            std::fprintf(stderr, "%s\n", qPrintable(s3.lastError()));
            return 3;
        }
        pid = s3.pid();
    } else {
        return 2;
    }
    if (!writePid(args.at(1), pid))
        return 3;

    if (how == u"abort")
        std::abort();
    if (how == u"qfatal")
        qFatal("the suite gives up (on purpose)");
    if (how == u"exit")
        std::exit(1);
    if (how == u"hang") {
        for (;;)
            QThread::sleep(60);
    }
    return 2;
}
