// Retention (services/retention.h), run by the server's Housekeeping: with a clock the test
// moves, expired refresh tokens, failed sign-ins past the throttle window, expired upload
// sessions and (only with OUTPOST_AUDIT_RETENTION) old audit entries are deleted, in batches,
// and nothing younger; the daily orphan sweep runs on its schedule and not before. On SQLite
// and PostgreSQL (the _pg twin).
#include "db/database.h"
#include "db/databaseurl.h"
#include "factories.h"
#include "services/eventbus.h"
#include "services/fileservice.h"
#include "services/orphansweep.h"
#include "services/retention.h"
#include "services/uploadservice.h"
#include "storage/localfilestore.h"
#include "testserver.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost::Test;
using namespace Outpost::Server;

namespace {

// The test's own connection to the database the server used.
class Rows
{
public:
    explicit Rows(DatabaseUrl url)
        : m_database(std::move(url))
    { }
    ~Rows() { m_database.closeThreadConnection(); }
    Rows(const Rows &) = delete;
    Rows &operator=(const Rows &) = delete;

    const Database &database() const { return m_database; }

    qint64 count(const QString &table)
    {
        QSqlQuery query(m_database.connection());
        if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table) || !query.next())
            return -1;
        return query.value(0).toLongLong();
    }

    // `rows` audit entries dated `at` (the schema's millisecond RFC 3339 text).
    bool addAudit(int rows, const QDateTime &at)
    {
        QSqlDatabase db = m_database.connection();
        if (!db.transaction())
            return false;
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO audit (at, action) VALUES (?, 'test.old')"));
        for (int i = 0; i < rows; ++i) {
            query.addBindValue(at.toUTC().toString(Qt::ISODateWithMs));
            if (!query.exec())
                return false;
        }
        return db.commit();
    }

private:
    Database m_database;
};

struct Material
{
    QString databaseUrl;
    QString filesRoot;
    QString email;
};

} // namespace

class TestRetention final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void prunesWhatExpiredAndKeepsTheRest();
    void auditIsKeptForeverByDefault();
    void largeBacklogsGoInBatches();
    void orphanSweepRunsOnItsScheduleOnly();

private:
    TestServer m_server;
    Material m_material;
};

void TestRetention::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(login(m_server, user.email, QStringLiteral("Wrong-Password-1")).status, 401);
    const HttpResult upload = post(m_server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), QStringLiteral("pending/big.bin")},
            {QStringLiteral("size"), 1024}},
        user.auth());
    QCOMPARE(upload.status, 201);
    m_material.email = user.email;
    m_material.databaseUrl = TestServer::onPostgres() ? m_server.databaseUrl()
                                                      : QStringLiteral("sqlite://")
            + QDir(m_server.dataDir()).filePath(QStringLiteral("outpost.db"));
    m_material.filesRoot = QDir(m_server.dataDir()).filePath(QStringLiteral("files"));
    QCOMPARE(m_server.stop(), 0); // the test is the only one pruning now
}

void TestRetention::prunesWhatExpiredAndKeepsTheRest()
{
    auto url = DatabaseUrl::parse(m_material.databaseUrl);
    QVERIFY(url);
    Rows rows(*url);
    LocalFileStore store(m_material.filesRoot);
    EventBus events;
    FileService files(rows.database(), store, events, 0);
    UploadService uploads(rows.database(), files, 1 << 20, 24 * 3600);
    Retention retention(rows.database(), &uploads, std::chrono::hours(24 * 90));

    QVERIFY(rows.count(QStringLiteral("login_attempts")) >= 3);
    QCOMPARE(rows.count(QStringLiteral("uploads")), 1);
    const qint64 auditBefore = rows.count(QStringLiteral("audit"));
    QVERIFY(auditBefore > 0);
    const qint64 tokensBefore = rows.count(QStringLiteral("refresh_tokens"));
    QVERIFY(tokensBefore > 0);
    const QDateTime now = QDateTime::currentDateTimeUtc();

    // Now: nothing has expired yet.
    auto first = retention.prune(now);
    QVERIFY(first);
    QCOMPARE(first->total(), 0);
    QVERIFY(rows.count(QStringLiteral("login_attempts")) >= 3);
    QCOMPARE(rows.count(QStringLiteral("uploads")), 1);

    // Two days on: the failed sign-ins (15 minute window) and the upload (24 h expiry) are gone;
    // the refresh tokens (30 days) and the audit entries (90 days) stay.
    auto later = retention.prune(now.addDays(2));
    QVERIFY(later);
    QCOMPARE(rows.count(QStringLiteral("login_attempts")), 0);
    QCOMPARE(rows.count(QStringLiteral("uploads")), 0);
    QCOMPARE(later->uploads, 1);
    QCOMPARE(rows.count(QStringLiteral("refresh_tokens")), tokensBefore);
    QCOMPARE(rows.count(QStringLiteral("audit")), auditBefore);

    // 91 days on: the refresh tokens have expired and the audit entries are past retention.
    auto much = retention.prune(now.addDays(91));
    QVERIFY(much);
    QCOMPARE(much->refreshTokens, tokensBefore);
    QCOMPARE(rows.count(QStringLiteral("refresh_tokens")), 0);
    QCOMPARE(much->auditEntries, auditBefore);
    QCOMPARE(rows.count(QStringLiteral("audit")), 0);
}

void TestRetention::auditIsKeptForeverByDefault()
{
    auto url = DatabaseUrl::parse(m_material.databaseUrl);
    QVERIFY(url);
    Rows rows(*url);
    const QDateTime longAgo = QDateTime::currentDateTimeUtc().addYears(-20);
    QVERIFY(rows.addAudit(3, longAgo));
    const qint64 audit = rows.count(QStringLiteral("audit"));
    Retention retention(rows.database(), nullptr, std::chrono::seconds(0));
    auto pruned = retention.prune(QDateTime::currentDateTimeUtc().addYears(10));
    QVERIFY(pruned);
    QCOMPARE(pruned->auditEntries, 0);
    QCOMPARE(rows.count(QStringLiteral("audit")), audit);
}

void TestRetention::largeBacklogsGoInBatches()
{
    auto url = DatabaseUrl::parse(m_material.databaseUrl);
    QVERIFY(url);
    Rows rows(*url);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 before = rows.count(QStringLiteral("audit")); // from the slots before: old
    QVERIFY(before > 0);
    // 1,234 old entries: two full batches of 500 and a partial one; and 7 recent ones.
    QVERIFY(rows.addAudit(1234, now.addDays(-40)));
    QVERIFY(rows.addAudit(7, now.addDays(-1)));
    Retention retention(rows.database(), nullptr, std::chrono::hours(24 * 30));
    auto pruned = retention.prune(now);
    QVERIFY(pruned);
    QCOMPARE(pruned->auditEntries, 1234 + before); // the earlier ones are older than 30 days too
    QCOMPARE(rows.count(QStringLiteral("audit")), 7);
}

// The housekeeping job's schedule (OrphanSweepSchedule with the server's settings) on a clock
// the test moves: no sweep at the start nor before the hour is up; an hour on, a sweep takes
// the orphan older than the grace hour and leaves the younger one; then no sweep for a day,
// although the younger orphan would be taken by one; a day after the first, the next sweep.
void TestRetention::orphanSweepRunsOnItsScheduleOnly()
{
    auto url = DatabaseUrl::parse(m_material.databaseUrl);
    QVERIFY(url);
    Rows rows(*url);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    LocalFileStore store(root.path());
    const QDateTime start = QDateTime::currentDateTimeUtc();
    // Objects no record names, written (by their modification times) before the start and
    // half an hour after it.
    const auto orphan = [&](const QString &key, const QDateTime &modified) {
        if (!store.put(key, QByteArrayLiteral("left behind"), QStringLiteral("text/plain")))
            return false;
        QFile file(root.filePath(QStringLiteral("objects/") + key));
        return file.open(QIODevice::ReadWrite)
            && file.setFileTime(modified, QFileDevice::FileModificationTime);
    };
    QVERIFY(orphan(QStringLiteral("orphans/old"), start.addSecs(-2 * 3600)));
    QVERIFY(orphan(QStringLiteral("orphans/young"), start.addSecs(1800)));
    const auto exists = [&](const QString &key) {
        return QFile::exists(root.filePath(QStringLiteral("objects/") + key));
    };

    OrphanSweep sweep(rows.database(), store);
    OrphanSweepSchedule schedule(sweep, start, {});
    const OrphanSweepSchedule::Settings settings;
    QCOMPARE(schedule.nextAt(), start.addSecs(3600));
    // Hourly housekeeping runs before the first hour is up (up to its slack): no sweep.
    for (const qint64 seconds :
        {qint64(0), qint64(1800), qint64(3600 - settings.slack.count() - 1)}) {
        QVERIFY2(!schedule.runIfDue(start.addSecs(seconds)), qPrintable(QString::number(seconds)));
        QVERIFY(exists(QStringLiteral("orphans/old")));
    }

    // An hour on: the sweep takes what was written before the grace hour.
    const QDateTime first = start.addSecs(3600);
    auto swept = schedule.runIfDue(first);
    QVERIFY(swept);
    QVERIFY2(*swept, qPrintable(*swept ? QString() : swept->error().detail));
    QCOMPARE((*swept)->orphans, QStringList {QStringLiteral("orphans/old")});
    QCOMPARE((*swept)->removed, 1);
    QVERIFY(!exists(QStringLiteral("orphans/old")));
    QVERIFY(exists(QStringLiteral("orphans/young")));
    QCOMPARE(schedule.nextAt(), first.addDays(1));

    // The rest of the day, up to just before the slack: no sweep, though the younger orphan is
    // past the grace now.
    QList<QDateTime> runs;
    for (int hour = 1; hour < 24; ++hour)
        runs.append(first.addSecs(hour * 3600));
    runs.append(first.addDays(1).addSecs(-settings.slack.count() - 1));
    for (const QDateTime &now : std::as_const(runs))
        QVERIFY2(!schedule.runIfDue(now), qPrintable(now.toString(Qt::ISODate)));
    QVERIFY(exists(QStringLiteral("orphans/young")));

    // A day after the first sweep (a timer firing a minute early still counts): the next one.
    swept = schedule.runIfDue(first.addDays(1).addSecs(-60));
    QVERIFY(swept);
    QVERIFY2(*swept, qPrintable(*swept ? QString() : swept->error().detail));
    QCOMPARE((*swept)->orphans, QStringList {QStringLiteral("orphans/young")});
    QVERIFY(!exists(QStringLiteral("orphans/young")));
    QVERIFY(!schedule.runIfDue(first.addDays(1).addSecs(3600)));
}

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
