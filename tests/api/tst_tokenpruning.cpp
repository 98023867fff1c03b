// Refresh tokens no one can use any more are deleted without anyone asking
// (AuthService::pruneRefreshTokens, run by the server's Housekeeping at start and then every
// hour), while those that still matter stay: live ones, recently revoked ones, and rotated ones
// whose reuse must still end their session.
#include "db/database.h"
#include "db/databaseurl.h"
#include "factories.h"
#include "services/authservice.h"
#include "services/housekeeping.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QMutex>
#include <QSemaphore>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Outpost::Test;

namespace {

QString stamp(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate); // the schema's whole-second RFC 3339 text
}

QString tokenHash(const QByteArray &refreshToken)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(refreshToken, QCryptographicHash::Sha256).toHex());
}

// The test's own connection to the database the servers share.
class Rows
{
public:
    explicit Rows(Outpost::Server::DatabaseUrl url)
        : m_database(std::move(url))
    { }
    ~Rows() { m_database.closeThreadConnection(); }
    Rows(const Rows &) = delete;
    Rows &operator=(const Rows &) = delete;

    // 1 when the token's row is there, 0 when not, -1 when the query failed.
    int count(const QByteArray &refreshToken)
    {
        QSqlQuery query(m_database.connection());
        query.prepare(QStringLiteral("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ?"));
        query.addBindValue(tokenHash(refreshToken));
        if (!query.exec() || !query.next())
            return -1;
        return query.value(0).toInt();
    }

    // Sets `column` (expires_at or revoked_at) of one token.
    bool set(const QByteArray &refreshToken, const char *column, const QDateTime &time)
    {
        QSqlQuery query(m_database.connection());
        query.prepare(QStringLiteral("UPDATE refresh_tokens SET %1 = ? WHERE token_hash = ?")
                          .arg(QLatin1String(column)));
        query.addBindValue(stamp(time));
        query.addBindValue(tokenHash(refreshToken));
        return query.exec() && query.numRowsAffected() == 1;
    }

private:
    Outpost::Server::Database m_database;
};

HttpResult logout(TestServer &server, const Account &user, const QByteArray &refreshToken)
{
    return post(server, QStringLiteral("/v1/logout"),
        {{QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken)}}, user.auth());
}

// The names of the threads of process `pid` (Linux).
QStringList threadNames(qint64 pid)
{
    QStringList names;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly))
            names.append(QString::fromUtf8(comm.readAll().trimmed()));
    }
    return names;
}

} // namespace

class TestTokenPruning final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startPrunesOnlyTokensNoOneCanUse();
    void housekeepingRunsItsJobsAgainOnItsOwnThread();
};

void TestTokenPruning::startPrunesOnlyTokensNoOneCanUse()
{
    TestServer first;
    QVERIFY2(first.start(), qPrintable(first.lastError()));
    const Account user = createAccount(first);
    QVERIFY(user.ok());
    const QByteArray live = user.refreshToken;
    // A session whose first token was rotated: the old one must still be known, so that a
    // stolen copy presented later ends the session.
    const TokenPair rotatedSession = login(first, user.email);
    const TokenPair successor = refresh(first, rotatedSession.refreshToken);
    QCOMPARE(successor.status, 200);
    const TokenPair revokedRecently = login(first, user.email);
    QCOMPARE(logout(first, user, revokedRecently.refreshToken).status, 204);
    const TokenPair revokedLongAgo = login(first, user.email);
    QCOMPARE(logout(first, user, revokedLongAgo.refreshToken).status, 204);
    const TokenPair expired = login(first, user.email);
    QVERIFY(expired.ok());
    const QString databaseUrl = TestServer::onPostgres() ? first.databaseUrl()
                                                         : QStringLiteral("sqlite://")
            + QDir(first.dataDir()).filePath(QStringLiteral("outpost.db"));
    QCOMPARE(first.stop(), 0);

    auto url = Outpost::Server::DatabaseUrl::parse(databaseUrl);
    QVERIFY(url);
    Rows rows(*url);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(rows.set(expired.refreshToken, "expires_at", now.addSecs(-3600)));
    QVERIFY(rows.set(revokedLongAgo.refreshToken, "revoked_at",
        now.addSecs(-Outpost::Server::AuthService::kRevokedTokenGraceSeconds - 3600)));
    for (const QByteArray &token : {live, rotatedSession.refreshToken, successor.refreshToken,
             revokedRecently.refreshToken, revokedLongAgo.refreshToken, expired.refreshToken})
        QCOMPARE(rows.count(token), 1);

    // A server starting on that database prunes it before it listens, unasked.
    TestServer second;
    second.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), databaseUrl);
    QVERIFY2(second.start(), qPrintable(second.lastError()));
    QCOMPARE(rows.count(expired.refreshToken), 0);
    QCOMPARE(rows.count(revokedLongAgo.refreshToken), 0);
    QCOMPARE(rows.count(live), 1);
    QCOMPARE(rows.count(revokedRecently.refreshToken), 1);
    QCOMPARE(rows.count(rotatedSession.refreshToken), 1);
    QCOMPARE(rows.count(successor.refreshToken), 1);
    // ... and keeps doing so from a thread of its own, its timer armed.
    QVERIFY2(threadNames(second.pid()).contains(QStringLiteral("housekeeping")),
        qPrintable(threadNames(second.pid()).join(u' ')));

    // What stayed behaves as before: the live token refreshes, the recently revoked one is
    // refused as revoked, and the rotated one presented again ends its session.
    QCOMPARE(refresh(second, live).status, 200);
    const TokenPair revoked = refresh(second, revokedRecently.refreshToken);
    OUTPOST_VERIFY_PROBLEM(revoked.result, 401, "Unauthorized");
    QCOMPARE(revoked.json.value(QStringLiteral("detail")).toString(),
        QStringLiteral("this refresh token has been revoked"));
    OUTPOST_VERIFY_PROBLEM(
        refresh(second, rotatedSession.refreshToken).result, 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(refresh(second, successor.refreshToken).result, 401, "Unauthorized");
    QCOMPARE(second.stop(), 0);
}

void TestTokenPruning::housekeepingRunsItsJobsAgainOnItsOwnThread()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Outpost::Server::Database database(
        Outpost::Server::DatabaseUrl::sqliteFile(dir.filePath(QStringLiteral("outpost.db"))));
    Outpost::Server::Housekeeping housekeeping(database, std::chrono::milliseconds(10));
    QSemaphore runs;
    QMutex mutex;
    QList<QThread *> threads;
    housekeeping.addJob([&] {
        {
            const QMutexLocker locker(&mutex);
            threads.append(QThread::currentThread());
        }
        runs.release();
    });

    housekeeping.start();
    QVERIFY(housekeeping.isRunning());
    // The first run is start()'s own; then the timer runs the job again, and again.
    QVERIFY(runs.tryAcquire(3, 10'000));
    housekeeping.stop();
    QVERIFY(!housekeeping.isRunning());
    const QMutexLocker locker(&mutex);
    QCOMPARE(threads.first(), QThread::currentThread());
    QVERIFY(threads.at(1) != QThread::currentThread());
    QCOMPARE(threads.at(2), threads.at(1));
}

QTEST_GUILESS_MAIN(TestTokenPruning)
#include "tst_tokenpruning.moc"
