// Several outpost-server processes on one PostgreSQL database, as replicas behind a load
// balancer: what one writes the other reads, votes and throttling count across them, refresh
// rotation holds across them, events reach every replica's WebSocket clients, migrations run
// once, a newer schema is refused, and a lost database connection comes back.
#include "childprocess.h"
#include "eventclient.h"
#include "factories.h"
#include "pgdatabase.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Outpost::Test;

namespace {

const QString kJwtSecret = QStringLiteral("replica-test-secret-0123456789abcdef0123456789");

int migrationSteps()
{
    QSet<QString> versions;
    const QStringList files =
        QDir(qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/resources/migrations"))
            .entryList({QStringLiteral("*.up.sql")});
    for (const QString &file : files)
        versions.insert(file.left(4));
    return int(versions.size());
}

} // namespace

class TestReplicas final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesThroughOneAreReadThroughTheOther();
    void voteRaceAcrossReplicasNeverLosesACount();
    void throttlingCountsAcrossReplicas();
    void refreshRotationHoldsAcrossReplicas();
    void eventsReachClientsOnEveryReplica();
    void threeReplicasMigrateAnEmptyDatabaseOnce();
    void newerSchemaIsRefusedWithAClearMessage();
    void lostConnectionIs503ThenRecovers();

private:
    void configure(TestServer &server) const;

    PgDatabase m_database;
    TestServer m_a;
    TestServer m_b;
};

void TestReplicas::configure(TestServer &server) const
{
    server.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), m_database.url());
    server.setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), kJwtSecret);
}

void TestReplicas::initTestCase()
{
    QVERIFY2(m_database.create(), qPrintable(m_database.error()));
    configure(m_a);
    configure(m_b);
    QVERIFY2(m_a.start(), qPrintable(m_a.lastError()));
    QVERIFY2(m_b.start(), qPrintable(m_b.lastError()));
    QVERIFY(m_a.port() != m_b.port());
}

void TestReplicas::writesThroughOneAreReadThroughTheOther()
{
    const Account alice = createAccount(m_a);
    QVERIFY(alice.ok());
    const qint64 id = createPost(m_a, alice, QStringLiteral("Written on A"));
    QVERIFY(id > 0);

    // B knows the token (same JWT key), the user and the post.
    const HttpResult read = get(m_b, postPath(id), alice.auth());
    QCOMPARE(read.status, 200);
    QCOMPARE(read.json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("Written on A"));

    // An edit through B is what A serves next.
    const HttpResult edited = put(m_b, postPath(id),
        {{QStringLiteral("title"), QStringLiteral("Edited on B")},
            {QStringLiteral("content"), QStringLiteral("x")}},
        alice.auth());
    QCOMPARE(edited.status, 200);
    QCOMPARE(get(m_a, postPath(id), alice.auth())
                 .json()
                 .object()
                 .value(QStringLiteral("title"))
                 .toString(),
        QStringLiteral("Edited on B"));
    // And a delete through A is gone on B.
    QCOMPARE(del(m_a, postPath(id), alice.auth()).status, 204);
    QCOMPARE(get(m_b, postPath(id), alice.auth()).status, 404);
}

void TestReplicas::voteRaceAcrossReplicasNeverLosesACount()
{
    const Account author = createAccount(m_a);
    QVERIFY(author.ok());
    const qint64 id = createPost(m_a, author, QStringLiteral("Vote for me"));
    QVERIFY(id > 0);
    constexpr int kVoters = 24;
    std::vector<Account> voters;
    for (int i = 0; i < kVoters; ++i) {
        voters.push_back(createAccount(i % 2 ? m_b : m_a));
        QVERIFY(voters.back().ok());
    }

    // Every vote in flight at once, half through each replica, each twice (the second must be
    // a 409, never a second count).
    QNetworkAccessManager manager;
    QList<QNetworkReply *> replies;
    const QByteArray body =
        jsonBytes({{QStringLiteral("post_id"), id}, {QStringLiteral("dir"), 1}});
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < kVoters; ++i) {
            TestServer &server = (i + round) % 2 ? m_b : m_a;
            QNetworkRequest request(server.url(QStringLiteral("/v1/vote")));
            request.setHeader(
                QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer " + voters[size_t(i)].accessToken);
            replies.append(manager.post(request, body));
        }
    }
    QVERIFY(QTest::qWaitFor(
        [&] {
            return std::all_of(
                replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); });
        },
        60'000));
    int created = 0;
    int conflicts = 0;
    for (QNetworkReply *reply : std::as_const(replies)) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        created += status == 201 ? 1 : 0;
        conflicts += status == 409 ? 1 : 0;
        reply->deleteLater();
    }
    QCOMPARE(created, kVoters);
    QCOMPARE(conflicts, kVoters);
    for (TestServer *server : {&m_a, &m_b}) {
        const HttpResult read = get(*server, postPath(id), author.auth());
        QCOMPARE(read.status, 200);
        QCOMPARE(read.json().object().value(QStringLiteral("votes")).toInteger(), kVoters);
    }
}

void TestReplicas::throttlingCountsAcrossReplicas()
{
    const QString email = uniqueEmail(QStringLiteral("throttled"));
    QVERIFY(createUser(m_a, email) > 0);
    // From addresses of their own, so the other tests' sign-ins from 127.0.0.1 stay free.
    const auto attempt = [&email](TestServer &server, const QHostAddress &from,
                             const QString &password) {
        return httpRequestFrom(from, server.port(), "POST", "/v1/login",
            jsonBytes({{QStringLiteral("email"), email}, {QStringLiteral("password"), password}}),
            {{"Content-Type", "application/json"}});
    };
    const QHostAddress attacker(QStringLiteral("127.0.0.9"));
    // Five free failures, alternating replicas: neither replica alone saw five.
    for (int i = 0; i < 5; ++i)
        QCOMPARE(attempt(i % 2 ? m_b : m_a, attacker, QStringLiteral("Wrong-Horse-1")).status, 401);
    // The account is throttled on both, even with the right password from elsewhere.
    for (TestServer *server : {&m_a, &m_b}) {
        const HttpResult blocked =
            attempt(*server, QHostAddress(QStringLiteral("127.0.0.10")), kPassword);
        QCOMPARE(blocked.status, 429);
        QVERIFY(!blocked.header("Retry-After").isEmpty());
    }
}

void TestReplicas::refreshRotationHoldsAcrossReplicas()
{
    const Account bob = createAccount(m_a);
    QVERIFY(bob.ok());
    const TokenPair rotated = refresh(m_b, bob.refreshToken);
    QVERIFY(rotated.ok());
    // The replaced token is dead on the replica that issued it ...
    const TokenPair reused = refresh(m_a, bob.refreshToken);
    QCOMPARE(reused.status, 401);
    // ... and its reuse revoked the family, including the token B handed out.
    QCOMPARE(refresh(m_b, rotated.refreshToken).status, 401);
}

void TestReplicas::eventsReachClientsOnEveryReplica()
{
    const Account carol = createAccount(m_a);
    QVERIFY(carol.ok());
    EventClient events;
    QVERIFY(events.subscribe(m_b.port(), carol.accessToken, 10'000));

    const qint64 id = createPost(m_a, carol, QStringLiteral("Created on A"));
    QVERIFY(id > 0);
    QVERIFY2(events.waitForEvent(QStringLiteral("post.created"), id, 10'000),
        qPrintable(events.describe()));
    QCOMPARE(del(m_a, postPath(id), carol.auth()).status, 204);
    QVERIFY2(events.waitForEvent(QStringLiteral("post.deleted"), id, 10'000),
        qPrintable(events.describe()));
    // Exactly once each: B does not also hear its own echo.
    QCOMPARE(events.typesFor(id),
        QStringList({QStringLiteral("post.created"), QStringLiteral("post.deleted")}));
}

void TestReplicas::threeReplicasMigrateAnEmptyDatabaseOnce()
{
    PgDatabase empty;
    QVERIFY2(empty.create(), qPrintable(empty.error()));
    QTemporaryDir dirs[3];
    std::vector<std::unique_ptr<QProcess>> processes;
    QProcessEnvironment env = TestServer::cliEnvironment();
    env.insert(QStringLiteral("OUTPOST_DATABASE_URL"), empty.url());
    env.insert(QStringLiteral("OUTPOST_JWT_SECRET"), kJwtSecret);
    // All three at once, before any has migrated.
    for (QTemporaryDir &dir : dirs) {
        auto process = std::make_unique<QProcess>();
        killWithTestProcess(*process);
        process->setProcessEnvironment(env);
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->setWorkingDirectory(dir.path());
        process->start(TestServer::binary(),
            {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                QStringLiteral("--data-dir"), dir.path()});
        processes.push_back(std::move(process));
    }
    QByteArray outputs[3];
    QDeadlineTimer deadline(60'000);
    for (size_t i = 0; i < 3; ++i) {
        while (!outputs[i].contains("listening on") && !deadline.hasExpired()
            && processes[i]->state() != QProcess::NotRunning) {
            processes[i]->waitForReadyRead(100);
            outputs[i] += processes[i]->readAll();
        }
    }
    int applied = 0;
    for (size_t i = 0; i < 3; ++i) {
        QVERIFY2(outputs[i].contains("listening on"), outputs[i].constData());
        applied += int(outputs[i].count("\"applied migration "));
        processes[i]->terminate();
        processes[i]->waitForFinished(15'000);
    }
    const int steps = migrationSteps();
    QCOMPARE(applied, steps);
    QCOMPARE(empty.scalar(QStringLiteral("SELECT COUNT(*) FROM schema_migrations")).toInt(), steps);
    QCOMPARE(empty.scalar(QStringLiteral("SELECT COUNT(DISTINCT version) FROM schema_migrations"))
                 .toInt(),
        steps);
}

void TestReplicas::newerSchemaIsRefusedWithAClearMessage()
{
    PgDatabase database;
    QVERIFY2(database.create(), qPrintable(database.error()));
    const QProcessEnvironment env = TestServer::cliEnvironment();
    TestServer::Run migrated = TestServer::runCli({QStringLiteral("migrate"), QStringLiteral("up"),
                                                      QStringLiteral("--database"), database.url()},
        env);
    QCOMPARE(migrated.exitCode, 0);
    QVERIFY2(database.exec({QStringLiteral("INSERT INTO schema_migrations (version, name, "
                                           "applied_at) VALUES (9999, 'future', "
                                           "'2030-01-01T00:00:00Z')")}),
        qPrintable(database.error()));

    for (const QStringList &extra :
        {QStringList {}, QStringList {QStringLiteral("--no-migrate")}}) {
        QTemporaryDir dir;
        TestServer::Run run =
            TestServer::runCli(QStringList {QStringLiteral("serve"), QStringLiteral("--listen"),
                                   QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                                   dir.path(), QStringLiteral("--database"), database.url()}
                    + extra,
                env);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("database schema version 9999 is newer than this "
                                  "outpost-server knows"),
            run.err.constData());
        QVERIFY2(!run.err.contains(database.cluster().password.toUtf8()), run.err.constData());
    }
}

void TestReplicas::lostConnectionIs503ThenRecovers()
{
    PgDatabase database;
    QVERIFY2(database.create(), qPrintable(database.error()));
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), database.url());
    server.setArguments({QStringLiteral("--threads"), QStringLiteral("2")});
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account dave = createAccount(server);
    QVERIFY(dave.ok());
    QCOMPARE(get(server, QStringLiteral("/v1/posts"), dave.auth()).status, 200);

    // The outage: no new connections, and every session of this database ended (what a
    // PostgreSQL restart does to the server's connections).
    PgDatabase admin; // a session on another database of the cluster
    QVERIFY2(admin.create(), qPrintable(admin.error()));
    QVERIFY2(
        admin.exec(
            {QStringLiteral("ALTER DATABASE %1 WITH ALLOW_CONNECTIONS false").arg(database.name()),
                QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = '%1'")
                    .arg(database.name())}),
        qPrintable(admin.error()));
    for (int i = 0; i < 4; ++i) {
        const HttpResult during = get(server, QStringLiteral("/v1/posts"), dave.auth());
        OUTPOST_VERIFY_PROBLEM(during, 503, "Service Unavailable");
        QVERIFY2(!during.body.contains("pg_") && !during.body.contains("terminat"),
            during.body.constData());
    }
    QCOMPARE(get(server, QStringLiteral("/readyz")).status, 503);

    // Back: the very next requests succeed, on every thread.
    QVERIFY2(
        admin.exec(
            {QStringLiteral("ALTER DATABASE %1 WITH ALLOW_CONNECTIONS true").arg(database.name())}),
        qPrintable(admin.error()));
    QCOMPARE(get(server, QStringLiteral("/readyz")).status, 200);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(get(server, QStringLiteral("/v1/posts"), dave.auth()).status, 200);
    QCOMPARE(createPost(server, dave, QStringLiteral("After the outage")) > 0, true);
}

QTEST_MAIN(TestReplicas)
#include "tst_replicas.moc"
