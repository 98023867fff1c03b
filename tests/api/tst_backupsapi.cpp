// /v1/admin/backups (server/api/backupsapi.cpp) on a real server: admins start a backup, poll
// its status, list and download it, and the download restores; everyone else gets 403/401; the
// files API cannot reach the backups/ prefix of the store. Scheduled backups with a clock the
// test controls (BackupService::runScheduled) make one per interval and keep OUTPOST_BACKUP_KEEP.
// On PostgreSQL the API refuses with advice.
#include "db/database.h"
#include "db/opendatabase.h"
#include "factories.h"
#include "services/backupservice.h"
#include "storage/localfilestore.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost::Test;

namespace {

QByteArray describe(const TestServer::Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out
        + "\nstderr: " + run.err;
}

// Every file below `dir` with its SHA-256.
QMap<QString, QByteArray> filesUnder(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files.insert(QDir(dir).relativeFilePath(path),
                QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
    }
    return files;
}

} // namespace

class TestBackupsApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void onlyAdminsMayUseIt();
    void adminStartsPollsListsAndDownloads();
    void filesApiCannotReachTheBackups();
    void postgresRefusesWithAdvice();
    void scheduledBackupsFollowTheClockAndKeepTheCount();

private:
    TestServer m_server;
    Account m_admin;
    Account m_user;
    QString m_backupName;
};

void TestBackupsApi::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    m_user = createAccount(m_server);
    QVERIFY(m_admin.ok() && m_user.ok());
}

void TestBackupsApi::onlyAdminsMayUseIt()
{
    const QString any =
        QStringLiteral("/v1/admin/backups/outpost-backup-20260101T000000000Z.tar.gz");
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/admin/backups"), m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(
        post(m_server, QStringLiteral("/v1/admin/backups"), {}, m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(get(m_server, any, m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, any + QStringLiteral("/status"), m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(get(m_server, QStringLiteral("/v1/admin/backups")), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(
        post(m_server, QStringLiteral("/v1/admin/backups"), {}), 401, "Unauthorized");
}

void TestBackupsApi::adminStartsPollsListsAndDownloads()
{
    if (TestServer::onPostgres())
        QSKIP("backups are for SQLite servers (see postgresRefusesWithAdvice)");
    const HttpResult started =
        post(m_server, QStringLiteral("/v1/admin/backups"), {}, m_admin.auth());
    QCOMPARE(started.status, 202);
    const QJsonObject job = started.json().object();
    const QString name = job.value(QStringLiteral("name")).toString();
    QVERIFY2(name.startsWith(QStringLiteral("outpost-backup-")), started.body.constData());
    const QString status = QString::fromUtf8(started.header("Location"));
    QCOMPARE(status, QStringLiteral("/v1/admin/backups/%1/status").arg(name));
    QCOMPARE(job.value(QStringLiteral("status_url")).toString(), status);

    // Poll the status until the backup is no longer running (by state, not by time).
    QJsonObject state;
    QTRY_VERIFY_WITH_TIMEOUT((state = get(m_server, status, m_admin.auth()).json().object())
                                 .value(QStringLiteral("state"))
                                 .toString()
            != QLatin1String("running"),
        60'000);
    QCOMPARE(state.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
    const QString download = state.value(QStringLiteral("download_url")).toString();
    QCOMPARE(download, QStringLiteral("/v1/admin/backups/") + name);

    const HttpResult list = get(m_server, QStringLiteral("/v1/admin/backups"), m_admin.auth());
    QCOMPARE(list.status, 200);
    const QJsonArray items = list.json().object().value(QStringLiteral("items")).toArray();
    QVERIFY(!items.isEmpty());
    const QJsonObject newest = items.first().toObject();
    QCOMPARE(newest.value(QStringLiteral("name")).toString(), name);
    const qint64 size = newest.value(QStringLiteral("size_bytes")).toInteger();
    QCOMPARE(size, state.value(QStringLiteral("size_bytes")).toInteger());

    const HttpResult archive = get(m_server, download, m_admin.auth());
    QCOMPARE(archive.status, 200);
    QCOMPARE(archive.header("Content-Type"), QByteArray("application/gzip"));
    QCOMPARE(archive.body.size(), size);
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/admin/backups/not-a-backup.tar.gz"), m_admin.auth()), 404,
        "Not Found");
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/admin/backups/outpost-backup-20000101T000000000Z.tar.gz"),
            m_admin.auth()),
        404, "Not Found");

    // What was downloaded restores, and a server on it knows the users.
    QTemporaryDir work;
    const QString file = work.filePath(name);
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly) && out.write(archive.body) == archive.body.size());
    out.close();
    const QString fresh = work.filePath(QStringLiteral("data"));
    const TestServer::Run restored =
        TestServer::runCliWithInput({QStringLiteral("restore"), QStringLiteral("--input"), file,
                                        QStringLiteral("--data-dir"), fresh},
            {});
    QVERIFY2(restored.exitCode == 0, describe(restored).constData());
    TestServer second;
    second.setArguments({QStringLiteral("--data-dir"), fresh});
    QVERIFY2(second.start(), qPrintable(second.lastError()));
    QVERIFY(login(second, m_user.email).ok());

    // Audited: who started it and who downloaded it.
    const QJsonArray audit =
        get(m_server, QStringLiteral("/v1/admin/audit?limit=100"), m_admin.auth())
            .json()
            .object()
            .value(QStringLiteral("items"))
            .toArray();
    QStringList actions;
    for (const QJsonValue &entry : audit) {
        if (entry.toObject().value(QStringLiteral("target_id")).toString() == name)
            actions << entry.toObject().value(QStringLiteral("action")).toString();
    }
    QVERIFY2(actions.contains(QStringLiteral("backup.started"))
            && actions.contains(QStringLiteral("backup.downloaded")),
        qPrintable(actions.join(u',')));
    m_backupName = name;
}

void TestBackupsApi::filesApiCannotReachTheBackups()
{
    if (TestServer::onPostgres())
        QSKIP("needs a backup in the store");
    if (m_backupName.isEmpty())
        QSKIP("needs the backup made by adminStartsPollsListsAndDownloads");
    const QString backups =
        QDir(m_server.dataDir()).filePath(QStringLiteral("files/objects/backups"));
    const QMap<QString, QByteArray> before = filesUnder(backups);
    QCOMPARE(before.size(), 1);
    const QString key = before.firstKey(); // the store's own name for it

    // Listing, reading and deleting "backups/..." through the files API reaches only the
    // files of that name users made (none yet), never the store's backups.
    const QStringList paths {QStringLiteral("backups/") + key,
        QStringLiteral("backups/") + m_backupName, QStringLiteral("objects/backups/") + key};
    for (const Account *who : {&m_admin, &m_user}) {
        const HttpResult list = get(
            m_server, QStringLiteral("/v1/files?directory=backups/&page_size=100"), who->auth());
        QCOMPARE(list.status, 200);
        QVERIFY2(list.json().object().value(QStringLiteral("items")).toArray().isEmpty(),
            list.body.constData());
        for (const QString &path : paths) {
            QCOMPARE(get(m_server, QStringLiteral("/v1/files/") + path, who->auth()).status, 404);
            QCOMPARE(del(m_server, QStringLiteral("/v1/files/") + path, who->auth()).status, 404);
        }
        for (const char *traversal : {"/v1/files/../backups/x",
                 "/v1/files/%2e%2e/objects/backups/x", "/v1/files/..%2fobjects%2fbackups%2fx"}) {
            const HttpResult attack = httpRequestFrom(QHostAddress(), m_server.port(), "PUT",
                traversal, "evil", {{"Authorization", "Bearer " + who->accessToken}});
            QVERIFY2(attack.status >= 400 && attack.status < 500,
                QByteArray(QByteArray(traversal) + " answered " + QByteArray::number(attack.status))
                    .constData());
        }
    }
    // Writing one makes a user's file of that name, stored under its own content key.
    const HttpResult written =
        httpRequest("PUT", m_server.url(QStringLiteral("/v1/files/backups/") + key), "evil",
            m_user.auth({{"Content-Type", "application/octet-stream"}}));
    QCOMPARE(written.status, 201);
    QCOMPARE(get(m_server, QStringLiteral("/v1/files/backups/") + key, m_user.auth()).body,
        QByteArray("evil"));
    // The backup is exactly as it was, and still downloads whole.
    QCOMPARE(filesUnder(backups), before);
    const HttpResult archive =
        get(m_server, QStringLiteral("/v1/admin/backups/") + m_backupName, m_admin.auth());
    QCOMPARE(archive.status, 200);
    QCOMPARE(
        QCryptographicHash::hash(archive.body, QCryptographicHash::Sha256).toHex(), before.first());
}

void TestBackupsApi::postgresRefusesWithAdvice()
{
    if (!TestServer::onPostgres())
        QSKIP("PostgreSQL behaviour (the _pg twin)");
    const HttpResult started =
        post(m_server, QStringLiteral("/v1/admin/backups"), {}, m_admin.auth());
    QCOMPARE(started.status, 422);
    QVERIFY2(started.body.contains("pg_dump"), started.body.constData());
    QCOMPARE(get(m_server, QStringLiteral("/v1/admin/backups"), m_admin.auth()).status, 422);
}

void TestBackupsApi::scheduledBackupsFollowTheClockAndKeepTheCount()
{
    if (TestServer::onPostgres())
        QSKIP("backups are for SQLite servers");
    using namespace Outpost::Server;
    QTemporaryDir dir;
    Outpost::Config config;
    config.dataDir = dir.path();
    auto opened = openDatabase(config, SchemaStep::Migrate, DataDirectory::Always);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().detail));
    const QString root = dir.filePath(QStringLiteral("files"));
    LocalFileStore store(root);
    {
        BackupService backups(*opened->database, &store, root, dir.path(),
            BackupSettings {std::chrono::hours(24), 2});
        const QDateTime t0 =
            QDateTime::fromString(QStringLiteral("2026-03-01T03:00:00Z"), Qt::ISODate);
        const auto names = [&] {
            QStringList list;
            for (const BackupInfo &backup : backups.list().value_or(QList<BackupInfo> {}))
                list << backup.name;
            return list;
        };
        QCOMPARE(backups.runScheduled(t0).value_or(false), true);               // none yet: one now
        QCOMPARE(backups.runScheduled(t0.addSecs(3600)).value_or(true), false); // not due
        QCOMPARE(backups.runScheduled(t0.addSecs(23 * 3600)).value_or(true), false);
        QCOMPARE(names().size(), 1);
        QCOMPARE(backups.runScheduled(t0.addDays(1)).value_or(false), true);
        QCOMPARE(backups.runScheduled(t0.addDays(2)).value_or(false), true);
        QCOMPARE(backups.runScheduled(t0.addDays(3)).value_or(false), true);
        // Kept: the newest two.
        QCOMPARE(names(),
            (QStringList {
                BackupService::nameAt(t0.addDays(3)), BackupService::nameAt(t0.addDays(2))}));
        QCOMPARE(QDir(root + QStringLiteral("/objects/backups")).entryList(QDir::Files).size(), 2);
    }
    opened->database->closeThreadConnection();
}

QTEST_GUILESS_MAIN(TestBackupsApi)
#include "tst_backupsapi.moc"
