// `outpost-server backup` and `restore` (server/cli/backupcommands.cpp): an online backup taken
// while a writer keeps creating posts holds every post acknowledged before it began, restores
// into a fresh data directory that a new server serves; damaged, too new and misplaced restores
// are refused before anything changes. On PostgreSQL, `backup` refuses with pg_dump advice.
#include "db/sqlitesnapshot.h"
#include "factories.h"
#include "testserver.h"

#include <QAtomicInt>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Outpost::Test;

namespace {

QByteArray describe(const TestServer::Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out
        + "\nstderr: " + run.err;
}

TestServer::Run cli(const QStringList &args)
{
    return TestServer::runCliWithInput(args, {}, {}, 60'000);
}

TestServer::Run backup(const QString &dataDir, const QString &output)
{
    return cli({QStringLiteral("backup"), QStringLiteral("--output"), output,
        QStringLiteral("--data-dir"), dataDir});
}

TestServer::Run restore(const QString &input, const QString &dataDir, bool force = false)
{
    QStringList args {QStringLiteral("restore"), QStringLiteral("--input"), input,
        QStringLiteral("--data-dir"), dataDir};
    if (force)
        args << QStringLiteral("--force");
    return cli(args);
}

// Runs `program` with `args` in `dir`; true on exit 0.
bool run(const QString &program, const QStringList &args, const QString &dir)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.start(program, args);
    return process.waitForFinished(30'000) && process.exitStatus() == QProcess::NormalExit
        && process.exitCode() == 0;
}

// Unpacks `archive` into a fresh directory, lets `edit` change it, packs it again as `out`.
bool repack(const QString &archive, const QString &out,
    const std::function<bool(const QDir &unpacked)> &edit)
{
    QTemporaryDir dir;
    if (!run(QStringLiteral("tar"), {QStringLiteral("-xzf"), archive}, dir.path()))
        return false;
    if (!edit(QDir(dir.path())))
        return false;
    QStringList members =
        QDir(dir.path()).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
    return run(
        QStringLiteral("tar"), QStringList {QStringLiteral("-czf"), out} + members, dir.path());
}

// Creates posts one after another from its own thread (raw HTTP: the test's network manager
// belongs to the main thread) and records each acknowledged id, until stopped.
class PostWriter final : public QThread
{
public:
    PostWriter(quint16 port, QByteArray token)
        : m_port(port)
        , m_token(std::move(token))
    { }

    QList<qint64> acknowledged() const
    {
        QMutexLocker lock(&m_mutex);
        return m_ids;
    }
    void finish() { m_stop.storeRelease(1); }
    int failures() const { return m_failures.loadAcquire(); }
    QByteArray lastFailure() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lastFailure;
    }

protected:
    void run() override
    {
        for (int i = 0; !m_stop.loadAcquire(); ++i) {
            const QByteArray body =
                jsonBytes({{QStringLiteral("title"), QStringLiteral("under load %1").arg(i)},
                    {QStringLiteral("content"), QStringLiteral("written during a backup")}});
            const HttpResult result =
                httpRequestFrom(QHostAddress(), m_port, "POST", "/v1/posts", body,
                    {{"Authorization", "Bearer " + m_token}, {"Content-Type", "application/json"}});
            if (result.status != 201) {
                m_failures.fetchAndAddRelaxed(1);
                QMutexLocker lock(&m_mutex);
                m_lastFailure = QByteArray::number(result.status) + ' ' + result.body;
                continue;
            }
            const qint64 id = result.json().object().value(QStringLiteral("id")).toInteger();
            QMutexLocker lock(&m_mutex);
            m_ids.append(id);
        }
    }

private:
    quint16 m_port;
    QByteArray m_token;
    mutable QMutex m_mutex;
    QList<qint64> m_ids;
    QByteArray m_lastFailure;
    QAtomicInt m_stop;
    QAtomicInt m_failures;
};

// A server with one user, one post and one file: the material of the refusal tests.
struct Backed
{
    QTemporaryDir out;
    QString archive;
};

} // namespace

class TestBackup final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void backupUnderLoadRestoresEverythingAcknowledgedBefore();
    void tamperedArchiveIsRefused();
    void newerSchemaIsRefused();
    void restoreOntoAHeldDataDirIsRefused();
    void restoreOntoDataNeedsForceAndKeepsTheOld();
    void backupOnPostgresRefusesWithAdvice();

private:
    // Makes m_archive once (SQLite only): a backup of a stopped server with data and a file.
    bool makeSmallBackup();

    QTemporaryDir m_work;
    QString m_archive;
    QString m_email;
    QByteArray m_fileBytes;
};

void TestBackup::initTestCase()
{
    QVERIFY(m_work.isValid());
}

bool TestBackup::makeSmallBackup()
{
    if (!m_archive.isEmpty())
        return true;
    TestServer server;
    if (!server.start())
        return false;
    const Account user = createAccount(server);
    if (!user.ok() || !submitPost(server, user, QStringLiteral("kept")).id)
        return false;
    m_email = user.email;
    m_fileBytes = "a file that must come back\n";
    if (httpRequest("PUT", server.url(QStringLiteral("/v1/files/notes/a.txt")), m_fileBytes,
            user.auth({{"Content-Type", "text/plain"}}))
            .status
        != 201)
        return false;
    const QString archive = m_work.filePath(QStringLiteral("small.tar.gz"));
    if (backup(server.dataDir(), archive).exitCode != 0)
        return false;
    m_archive = archive;
    return true;
}

void TestBackup::backupUnderLoadRestoresEverythingAcknowledgedBefore()
{
    if (TestServer::onPostgres())
        QSKIP("backup makes archives of SQLite servers (see backupOnPostgresRefusesWithAdvice)");
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    const QByteArray bytes = QByteArray("0123456789abcdef").repeated(4096);
    QCOMPARE(httpRequest("PUT", server.url(QStringLiteral("/v1/files/data/blob.bin")), bytes,
                 user.auth({{"Content-Type", "application/octet-stream"}}))
                 .status,
        201);

    PostWriter writer(server.port(), user.accessToken);
    writer.start();
    QTRY_VERIFY_WITH_TIMEOUT(writer.acknowledged().size() >= 30, 60'000);
    const QList<qint64> before = writer.acknowledged(); // acknowledged before the backup began
    const QString archive = m_work.filePath(QStringLiteral("under-load.tar.gz"));
    // Started without blocking: the event loop must keep reading the server's log pipe, or
    // the server would stall writing its access log while the backup runs.
    QProcess made;
    made.setProcessEnvironment(TestServer::cliEnvironment());
    made.setWorkingDirectory(m_work.path());
    made.start(TestServer::binary(),
        {QStringLiteral("backup"), QStringLiteral("--output"), archive,
            QStringLiteral("--data-dir"), server.dataDir()});
    QTRY_VERIFY_WITH_TIMEOUT(made.state() == QProcess::NotRunning, 60'000);
    const int duringBackup = writer.acknowledged().size() - before.size();
    writer.finish();
    while (!writer.wait(10))
        QCoreApplication::processEvents();
    QVERIFY2(made.exitStatus() == QProcess::NormalExit && made.exitCode() == 0,
        made.readAllStandardError().constData());
    QVERIFY2(duringBackup > 0 || writer.failures() == 0, "the writer stalled during the backup");
    QVERIFY2(writer.failures() == 0, writer.lastFailure().constData());
    QCOMPARE(get(server, QStringLiteral("/healthz")).status, 200); // it kept serving

    QTemporaryDir fresh;
    const TestServer::Run restored = restore(archive, fresh.path());
    QVERIFY2(restored.exitCode == 0, describe(restored).constData());
    const QString database = QDir(fresh.path()).filePath(QStringLiteral("outpost.db"));
    const auto verdict = Outpost::Server::sqliteIntegrityCheck(database);
    QVERIFY(verdict);
    QCOMPARE(*verdict, QStringLiteral("ok"));

    TestServer second;
    second.setArguments({QStringLiteral("--data-dir"), fresh.path()});
    QVERIFY2(second.start(), qPrintable(second.lastError()));
    const TokenPair tokens = login(second, user.email);
    QVERIFY2(tokens.ok(), tokens.result.body.constData());
    for (const qint64 id : before) {
        const HttpResult post =
            get(second, QStringLiteral("/v1/posts/%1").arg(id), bearer(tokens.accessToken));
        QVERIFY2(post.status == 200, qPrintable(QStringLiteral("post %1 is missing").arg(id)));
    }
    const HttpResult file = httpRequest("GET",
        second.url(QStringLiteral("/v1/files/data/blob.bin")), {}, bearer(tokens.accessToken));
    QCOMPARE(file.status, 200);
    QVERIFY(file.body == bytes);
}

void TestBackup::tamperedArchiveIsRefused()
{
    if (TestServer::onPostgres())
        QSKIP("SQLite archives");
    QVERIFY(makeSmallBackup());
    const QString tampered = m_work.filePath(QStringLiteral("tampered.tar.gz"));
    QVERIFY(repack(m_archive, tampered, [](const QDir &dir) {
        QStringList files;
        QDirIterator it(
            dir.filePath(QStringLiteral("files")), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        if (files.size() != 1)
            return false;
        QFile file(files.first());
        return file.open(QIODevice::Append) && file.write("!") == 1;
    }));
    QTemporaryDir fresh;
    const TestServer::Run refused = restore(tampered, fresh.path());
    QVERIFY2(refused.exitCode == 2, describe(refused).constData());
    QVERIFY2(refused.err.contains("does not match its SHA-256"), describe(refused).constData());
    QVERIFY(!QFile::exists(QDir(fresh.path()).filePath(QStringLiteral("outpost.db"))));
    QVERIFY(!QDir(fresh.path()).exists(QStringLiteral("files")));

    // Not an archive at all.
    const QString garbage = m_work.filePath(QStringLiteral("garbage.tar.gz"));
    QFile out(garbage);
    QVERIFY(out.open(QIODevice::WriteOnly) && out.write("not a backup") > 0);
    out.close();
    const TestServer::Run notArchive = restore(garbage, fresh.path());
    QVERIFY2(notArchive.exitCode == 2, describe(notArchive).constData());
    QVERIFY(!QFile::exists(QDir(fresh.path()).filePath(QStringLiteral("outpost.db"))));
}

void TestBackup::newerSchemaIsRefused()
{
    if (TestServer::onPostgres())
        QSKIP("SQLite archives");
    QVERIFY(makeSmallBackup());
    const QString newer = m_work.filePath(QStringLiteral("newer.tar.gz"));
    QVERIFY(repack(m_archive, newer, [](const QDir &dir) {
        QFile file(dir.filePath(QStringLiteral("manifest.json")));
        if (!file.open(QIODevice::ReadOnly))
            return false;
        QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        manifest.insert(QStringLiteral("schema_version"), 9999);
        manifest.insert(QStringLiteral("app_version"), QStringLiteral("99.0.0"));
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && file.write(QJsonDocument(manifest).toJson()) > 0;
    }));
    QTemporaryDir fresh;
    const TestServer::Run refused = restore(newer, fresh.path());
    QVERIFY2(refused.exitCode == 2, describe(refused).constData());
    QVERIFY2(refused.err.contains("has schema version 9999, newer than this outpost-server"),
        describe(refused).constData());
    QVERIFY2(
        refused.err.contains("with outpost-server 99.0.0 or newer"), describe(refused).constData());
    QVERIFY(!QFile::exists(QDir(fresh.path()).filePath(QStringLiteral("outpost.db"))));
}

void TestBackup::restoreOntoAHeldDataDirIsRefused()
{
    if (TestServer::onPostgres())
        QSKIP("SQLite archives");
    QVERIFY(makeSmallBackup());
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account other = createAccount(server);
    QVERIFY(other.ok());
    const TestServer::Run refused = restore(m_archive, server.dataDir(), true); // even forced
    QVERIFY2(refused.exitCode == 1, describe(refused).constData());
    const QByteArray holder =
        "is in use by another process (pid " + QByteArray::number(server.pid());
    QVERIFY2(refused.err.contains(holder), describe(refused).constData());
    // The server's data is untouched.
    QVERIFY(login(server, other.email).ok());
    QCOMPARE(login(server, m_email).status, 401);
}

void TestBackup::restoreOntoDataNeedsForceAndKeepsTheOld()
{
    if (TestServer::onPostgres())
        QSKIP("SQLite archives");
    QVERIFY(makeSmallBackup());
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account other = createAccount(server);
    QVERIFY(other.ok());
    QCOMPARE(server.stop(), 0);

    const TestServer::Run refused = restore(m_archive, server.dataDir());
    QVERIFY2(refused.exitCode == 1, describe(refused).constData());
    QVERIFY2(refused.err.contains("already has data") && refused.err.contains("--force"),
        describe(refused).constData());

    const TestServer::Run forced = restore(m_archive, server.dataDir(), true);
    QVERIFY2(forced.exitCode == 0, describe(forced).constData());
    const QStringList replaced =
        QDir(server.dataDir()).entryList({QStringLiteral("replaced-*")}, QDir::Dirs);
    QCOMPARE(replaced.size(), 1);
    QVERIFY(QFile::exists(
        QDir(server.dataDir()).filePath(replaced.first() + QStringLiteral("/outpost.db"))));

    TestServer restarted; // a TestServer is started once: a new one on the same directory
    restarted.setArguments({QStringLiteral("--data-dir"), server.dataDir()});
    QVERIFY2(restarted.start(), qPrintable(restarted.lastError()));
    const TokenPair tokens = login(restarted, m_email);
    QVERIFY2(tokens.ok(), tokens.result.body.constData());
    QCOMPARE(login(restarted, other.email).status, 401);
    const HttpResult file = httpRequest("GET",
        restarted.url(QStringLiteral("/v1/files/notes/a.txt")), {}, bearer(tokens.accessToken));
    QCOMPARE(file.status, 200);
    QCOMPARE(file.body, m_fileBytes);
}

void TestBackup::backupOnPostgresRefusesWithAdvice()
{
    if (!TestServer::onPostgres())
        QSKIP("PostgreSQL behaviour (the _pg twin)");
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const QString output = m_work.filePath(QStringLiteral("pg.tar.gz"));
    const TestServer::Run refused = cli(
        {QStringLiteral("backup"), QStringLiteral("--output"), output, QStringLiteral("--data-dir"),
            server.dataDir(), QStringLiteral("--database"), server.databaseUrl()});
    QVERIFY2(refused.exitCode == 1, describe(refused).constData());
    QVERIFY2(refused.err.contains("pg_dump") && refused.err.contains("outpost-server export"),
        describe(refused).constData());
    QVERIFY(!QFile::exists(output));
    const TestServer::Run restoreRefused = cli(
        {QStringLiteral("restore"), QStringLiteral("--input"), output, QStringLiteral("--data-dir"),
            server.dataDir(), QStringLiteral("--database"), server.databaseUrl()});
    QVERIFY2(restoreRefused.exitCode == 1 && restoreRefused.err.contains("pg_restore"),
        describe(restoreRefused).constData());
}

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
