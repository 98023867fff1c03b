// One server per port and one per SQLite data directory (issue 18): a second outpost-server
// process fails at start with one line naming what is taken, and the commands that write refuse
// a data directory a server holds, while those that only read still work beside it.
#include "factories.h"
#include "testserver.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Outpost::Test;

namespace {

QByteArray describe(const TestServer::Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out
        + "\nstderr: " + run.err;
}

// `outpost-server <args>` as a separate process, to completion. A server that wrongly starts
// never completes: runCli() then gives up and reports exit -1.
TestServer::Run command(const QStringList &args, const QByteArray &input = {})
{
    return TestServer::runCliWithInput(args, input, {}, 20'000);
}

} // namespace

class TestSingleInstance final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondServerOnTheSamePortFailsAtStart();
    void secondServerOnTheSameDataDirFailsAtStart();
    void writingCommandsRefuseAHeldDataDir_data();
    void writingCommandsRefuseAHeldDataDir();
    void readingCommandsWorkBesideTheServer();
    void lockIsReleasedWhenTheHolderIsKilled();
};

void TestSingleInstance::secondServerOnTheSamePortFailsAtStart()
{
    TestServer first;
    QVERIFY2(first.start(), qPrintable(first.lastError()));
    QTemporaryDir otherData;
    const QString address = QStringLiteral("127.0.0.1:%1").arg(first.port());
    const TestServer::Run second = command({QStringLiteral("serve"), QStringLiteral("--listen"),
        address, QStringLiteral("--data-dir"), otherData.path()});
    QVERIFY2(second.exitCode == 1, describe(second).constData());
    const QByteArray expected = address.toUtf8() + " is already in use by another process";
    QVERIFY2(second.err.contains(expected), describe(second).constData());
    QCOMPARE(second.err.trimmed().count('\n'), 0); // one line

    // Every connection still reaches the first server: a user made through it signs in, many
    // times over fresh connections (the kernel split them between both servers before).
    const Account user = createAccount(first);
    QVERIFY(user.ok());
    for (int i = 0; i < 20; ++i)
        QVERIFY(login(first, user.email).ok());
}

void TestSingleInstance::secondServerOnTheSameDataDirFailsAtStart()
{
    if (TestServer::onPostgres())
        QSKIP("the data directory lock is for SQLite: PostgreSQL replicas share a database");
    TestServer first;
    QVERIFY2(first.start(), qPrintable(first.lastError()));
    const TestServer::Run second = command({QStringLiteral("serve"), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), first.dataDir()});
    QVERIFY2(second.exitCode == 1, describe(second).constData());
    const QByteArray holder =
        "is in use by another process (pid " + QByteArray::number(first.pid()) + " on host ";
    QVERIFY2(second.err.contains(holder), describe(second).constData());
    QVERIFY2(second.err.contains(QDir(first.dataDir()).absolutePath().toUtf8()),
        describe(second).constData());
    QCOMPARE(second.err.trimmed().count('\n'), 0);
    QVERIFY(first.isRunning());
    QCOMPARE(get(first, QStringLiteral("/healthz")).status, 200);
}

void TestSingleInstance::writingCommandsRefuseAHeldDataDir_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("user create") << QStringList {QStringLiteral("user"), QStringLiteral("create"),
        QStringLiteral("--email"), QStringLiteral("held@example.test"),
        QStringLiteral("--password-stdin")}
                                 << QByteArrayLiteral("Held-Pass-1234\n");
    QTest::newRow("user set-role") << QStringList {QStringLiteral("user"),
        QStringLiteral("set-role"), QStringLiteral("--email"), QStringLiteral("held@example.test"),
        QStringLiteral("--role"), QStringLiteral("admin")}
                                   << QByteArray();
    QTest::newRow("migrate up") << QStringList {QStringLiteral("migrate"), QStringLiteral("up")}
                                << QByteArray();
    QTest::newRow("migrate down") << QStringList {QStringLiteral("migrate"), QStringLiteral("down")}
                                  << QByteArray();
    // The export file is made by the test (see below).
    QTest::newRow("import") << QStringList {QStringLiteral("import"), QStringLiteral("--input")}
                            << QByteArray();
}

void TestSingleInstance::writingCommandsRefuseAHeldDataDir()
{
    if (TestServer::onPostgres())
        QSKIP("the data directory lock is for SQLite");
    QFETCH(QStringList, args);
    QFETCH(QByteArray, input);
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    QTemporaryDir exports;
    if (args.last() == QLatin1String("--input")) {
        const QString file = exports.filePath(QStringLiteral("empty.jsonl"));
        const TestServer::Run exported = command({QStringLiteral("export"),
            QStringLiteral("--output"), file, QStringLiteral("--data-dir"), server.dataDir()});
        QVERIFY2(exported.exitCode == 0, describe(exported).constData());
        args << file;
    }
    const TestServer::Run run =
        command(args << QStringLiteral("--data-dir") << server.dataDir(), input);
    QVERIFY2(run.exitCode == 1, describe(run).constData());
    const QByteArray holder =
        "is in use by another process (pid " + QByteArray::number(server.pid());
    QVERIFY2(run.err.contains(holder), describe(run).constData());
    // Nothing changed: the schema is whole and no user was made.
    QCOMPARE(get(server, QStringLiteral("/readyz")).status, 200);
    const TestServer::Run list = command({QStringLiteral("user"), QStringLiteral("list"),
        QStringLiteral("--data-dir"), server.dataDir()});
    QVERIFY2(
        list.exitCode == 0 && !list.out.contains("held@example.test"), describe(list).constData());
}

void TestSingleInstance::readingCommandsWorkBesideTheServer()
{
    if (TestServer::onPostgres())
        QSKIP("the data directory lock is for SQLite");
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    const QString dir = server.dataDir();
    const TestServer::Run status = command(
        {QStringLiteral("migrate"), QStringLiteral("status"), QStringLiteral("--data-dir"), dir});
    QVERIFY2(status.exitCode == 0, describe(status).constData());
    const TestServer::Run list = command(
        {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--data-dir"), dir});
    QVERIFY2(
        list.exitCode == 0 && list.out.contains(user.email.toUtf8()), describe(list).constData());
    QTemporaryDir out;
    const TestServer::Run exported = command({QStringLiteral("export"), QStringLiteral("--output"),
        out.filePath(QStringLiteral("x.jsonl")), QStringLiteral("--data-dir"), dir});
    QVERIFY2(exported.exitCode == 0, describe(exported).constData());
}

void TestSingleInstance::lockIsReleasedWhenTheHolderIsKilled()
{
    if (TestServer::onPostgres())
        QSKIP("the data directory lock is for SQLite");
    TestServer first;
    QVERIFY2(first.start(), qPrintable(first.lastError()));
    const Account user = createAccount(first);
    QVERIFY(user.ok());
    // No clean shutdown: the lock file stays behind with a dead pid in it.
    QCOMPARE(::kill(pid_t(first.pid()), SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!first.isRunning(), 10'000);
    QVERIFY(QFile::exists(QDir(first.dataDir()).filePath(QStringLiteral("outpost.lock"))));

    TestServer second;
    second.setArguments({QStringLiteral("--data-dir"), first.dataDir()});
    QVERIFY2(second.start(), qPrintable(second.lastError()));
    QVERIFY(login(second, user.email).ok());
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
