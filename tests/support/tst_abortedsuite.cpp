// A suite that dies (abort(), qFatal(), exit() past its destructors, or killed as CTest does on
// a timeout) must not leave its servers running: tests/support/childprocess.h. Each case runs
// outpost_aborting_suite (abortingsuite.cpp), which starts a real outpost-server or s3rver and
// then dies that way, and checks that the child it reported is gone afterwards.
#include "childprocess.h"
#include "testserver.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <memory>

using namespace Outpost::Test;

namespace {

struct ChildId
{
    qint64 pid = 0;
    QByteArray startTime; // field 22 of /proc/PID/stat, so a reused pid is not mistaken for it
};

ChildId readChildId(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> fields = file.readAll().trimmed().split(' ');
    return fields.size() == 2 ? ChildId {fields.at(0).toLongLong(), fields.at(1)} : ChildId {};
}

// Running, and the same process that was reported (a zombie waiting for its new parent to reap
// it counts as gone: it is dead).
bool isRunning(const ChildId &child)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(child.pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const QByteArray state = fields.value(0);
    return state != "Z" && state != "X" && fields.value(22 - 3) == child.startTime;
}

} // namespace

class TestAbortedSuite final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void childDiesWithTheSuite_data();
    void childDiesWithTheSuite();
    void serverStartsOnlyOnTheMainThread();

private:
    ChildId m_leftOver; // killed by the test when it fails, so that it leaks nothing itself
};

void TestAbortedSuite::cleanup()
{
    if (m_leftOver.pid > 0 && isRunning(m_leftOver))
        ::kill(pid_t(m_leftOver.pid), SIGKILL);
    m_leftOver = {};
}

void TestAbortedSuite::childDiesWithTheSuite_data()
{
    QTest::addColumn<QString>("child");
    QTest::addColumn<QString>("how");
    for (const char *child : {"server", "s3"}) {
        for (const char *how : {"abort", "qfatal", "exit", "hang"}) {
            QTest::addRow("%s, %s", child, how)
                << QString::fromLatin1(child) << QString::fromLatin1(how);
        }
    }
}

void TestAbortedSuite::childDiesWithTheSuite()
{
    QFETCH(QString, child);
    QFETCH(QString, how);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pidFile = dir.filePath(QStringLiteral("child.pid"));

    QProcess suite;
    killWithTestProcess(suite);
    suite.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    suite.start(QStringLiteral(OUTPOST_ABORTING_SUITE_BIN), {pidFile, child, how});
    QVERIFY2(suite.waitForStarted(), qPrintable(suite.errorString()));
    if (how == u"hang") {
        QTRY_VERIFY_WITH_TIMEOUT(
            QFile::exists(pidFile) || suite.state() == QProcess::NotRunning, 60'000);
        ::kill(pid_t(suite.processId()), SIGKILL); // as CTest ends a suite past its timeout
    }
    QVERIFY(suite.waitForFinished(60'000));
    if (how == u"exit") {
        QCOMPARE(suite.exitStatus(), QProcess::NormalExit);
        QCOMPARE(suite.exitCode(), 1); // not 2 or 3: it started its child and said so
    } else {
        QCOMPARE(suite.exitStatus(), QProcess::CrashExit);
    }
    const ChildId started = readChildId(pidFile);
    QVERIFY2(started.pid > 0, "the suite reported no child");

    m_leftOver = started;
    QTRY_VERIFY2_WITH_TIMEOUT(!isRunning(started), "the child outlived its suite", 10'000);
    m_leftOver = {};
}

void TestAbortedSuite::serverStartsOnlyOnTheMainThread()
{
    bool started = true;
    QString error;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        TestServer server;
        started = server.start();
        error = server.lastError();
    }));
    thread->start();
    QVERIFY(thread->wait(30'000));
    QVERIFY(!started);
    QVERIFY2(error.contains(QLatin1String("main thread")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestAbortedSuite)
#include "tst_abortedsuite.moc"
