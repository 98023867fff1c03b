// The S3 crash cases (issue 18): a real outpost-server on SQLite and an S3 store (s3rver) is
// killed with SIGKILL at the worst points of a write to S3, found exactly rather than by
// timing: the server talks to s3rver through a proxy in this test, which kills the server the
// moment s3rver answers the request that matters, before the server reads the answer.
//  - After "complete multipart upload": S3 has assembled the object (and consumed the parts),
//    the file is not recorded. After a restart no file points at a missing object, the upload
//    is still there and completing it again gives the file.
//  - After the PUT of a one-request upload: the object is in S3, its record is not. The orphan
//    sweep (`outpost-server sweep-orphans`) lists and removes it, leaves objects younger than
//    --older-than alone, and never takes an object a file or an upload in progress refers to.
#include "factories.h"
#include "s3server.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>
#include <memory>

using namespace Outpost::Test;

namespace {

const char *const kJwtSecret = "s3-crash-test-secret-0123456789abcdef0123456789";

QString filesPath(const QString &path)
{
    return QStringLiteral("/v1/files/") + QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
}

struct StartedUpload
{
    int status = 0;
    QString id;
    qint64 partSize = 0;
};

StartedUpload startUpload(TestServer &server, const Account &who, const QString &path, qint64 size)
{
    const HttpResult result = post(server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), path}, {QStringLiteral("size"), size}}, who.auth());
    const QJsonObject json = result.json().object();
    return {result.status, json.value(QStringLiteral("id")).toString(),
        json.value(QStringLiteral("part_size")).toInteger()};
}

HttpResult putPart(
    TestServer &server, const Account &who, const QString &id, int number, const QByteArray &bytes)
{
    return httpRequest("PUT",
        server.url(QStringLiteral("/v1/uploads/%1/parts/%2").arg(id).arg(number)), bytes,
        who.auth({{"Content-Type", "application/octet-stream"}}));
}

// A TCP proxy in front of s3rver, run by this test's event loop (which spins while a test
// request waits). Once armed with a pattern, it watches what the server sends; on the first
// request that matches, it lets the request through and, when s3rver's answer to it arrives,
// SIGKILLs the server instead of passing the answer on.
class KillingProxy final : public QObject
{
public:
    explicit KillingProxy(quint16 upstreamPort)
        : m_upstreamPort(upstreamPort)
    {
        connect(&m_listener, &QTcpServer::newConnection, this, &KillingProxy::accept);
    }

    bool listen() { return m_listener.listen(QHostAddress::LocalHost); }
    QString endpoint() const
    {
        return QStringLiteral("http://127.0.0.1:%1").arg(m_listener.serverPort());
    }
    void arm(const QRegularExpression &request, qint64 victimPid)
    {
        m_pattern = request;
        m_victim = victimPid;
        m_killed = false;
    }
    bool killed() const { return m_killed; }

private:
    void accept()
    {
        while (QTcpSocket *client = m_listener.nextPendingConnection()) {
            auto *upstream = new QTcpSocket(client);
            auto armed = std::make_shared<bool>(false);
            upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
            connect(client, &QTcpSocket::readyRead, client, [this, client, upstream, armed] {
                const QByteArray data = client->readAll();
                if (m_victim != 0 && m_pattern.match(QString::fromLatin1(data)).hasMatch())
                    *armed = true;
                upstream->write(data);
            });
            connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream, armed] {
                const QByteArray data = upstream->readAll();
                if (*armed && m_victim != 0) {
                    ::kill(pid_t(m_victim), SIGKILL);
                    m_victim = 0;
                    m_killed = true;
                    client->abort();
                    return;
                }
                client->write(data);
            });
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            connect(upstream, &QTcpSocket::disconnected, client,
                [client] { client->disconnectFromHost(); });
        }
    }

    QTcpServer m_listener;
    quint16 m_upstreamPort;
    QRegularExpression m_pattern;
    qint64 m_victim = 0;
    bool m_killed = false;
};

} // namespace

class TestS3Crash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killAfterCompleteLeavesAnUploadToCompleteAgain();
    void killAfterPutLeavesAnOrphanTheSweepRemoves();

private:
    // A server on m_data through the proxy; null (with a warning) if it did not start.
    std::unique_ptr<TestServer> startServer();
    // Every file the API lists can be read whole: no record points at a missing object.
    QString unreadableFiles(TestServer &server, const Account &who);
    TestServer::Run sweep(const QStringList &extra);
    QStringList fileObjects() const; // s3rver's keys under the server's prefix, sorted

    std::unique_ptr<S3Server> m_s3;
    std::unique_ptr<KillingProxy> m_proxy;
    QTemporaryDir m_data;
    Account m_user;
};

void TestS3Crash::initTestCase()
{
    m_s3 = std::make_unique<S3Server>();
    QVERIFY2(m_s3->start(), qPrintable(m_s3->lastError()));
    m_proxy = std::make_unique<KillingProxy>(m_s3->port());
    QVERIFY(m_proxy->listen());
    QVERIFY(m_data.isValid());
}

std::unique_ptr<TestServer> TestS3Crash::startServer()
{
    auto server = std::make_unique<TestServer>();
    const QMap<QString, QString> env = m_s3->serverEnvironment();
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        server->setEnv(it.key(), it.value());
    server->setEnv(QStringLiteral("OUTPOST_S3_ENDPOINT"), m_proxy->endpoint());
    server->setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), QString::fromLatin1(kJwtSecret));
    server->setEnv(QStringLiteral("OUTPOST_MAX_BODY_BYTES"), QStringLiteral("1MiB"));
    server->setArguments({QStringLiteral("--data-dir"), m_data.path()});
    if (!server->start()) {
        qWarning().noquote() << server->lastError();
        return nullptr;
    }
    return server;
}

QString TestS3Crash::unreadableFiles(TestServer &server, const Account &who)
{
    QString problems;
    const HttpResult listed = get(server, QStringLiteral("/v1/files?page_size=1000"), who.auth());
    if (listed.status != 200)
        return QStringLiteral("listing failed: %1").arg(listed.status);
    for (const QJsonValue &item : listed.json().object().value(QStringLiteral("files")).toArray()) {
        const QJsonObject file = item.toObject();
        const QString path = file.value(QStringLiteral("file_path")).toString();
        const HttpResult read = get(server, filesPath(path), who.auth());
        if (read.status != 200
            || read.body.size() != file.value(QStringLiteral("size_bytes")).toInteger()
            || sha256Hex(read.body) != file.value(QStringLiteral("etag")).toString().toLatin1())
            problems += QStringLiteral("%1: %2\n").arg(path).arg(read.status);
    }
    return problems;
}

TestServer::Run TestS3Crash::sweep(const QStringList &extra)
{
    QProcessEnvironment env = TestServer::cliEnvironment();
    const QMap<QString, QString> settings = m_s3->serverEnvironment();
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        env.insert(it.key(), it.value());
    return TestServer::runCli(
        QStringList {QStringLiteral("sweep-orphans"), QStringLiteral("--data-dir"), m_data.path()}
            + extra,
        env);
}

QStringList TestS3Crash::fileObjects() const
{
    return m_s3->listObjects().filter(QRegularExpression(QStringLiteral("^files/")));
}

void TestS3Crash::killAfterCompleteLeavesAnUploadToCompleteAgain()
{
    std::unique_ptr<TestServer> server = startServer();
    QVERIFY(server);
    m_user = createAccount(*server);
    QVERIFY(m_user.ok());
    const QString path = QStringLiteral("crash/assembled.bin");
    const QByteArray content = randomBytes(1024 * 1024 + 11, 7);
    const StartedUpload upload = startUpload(*server, m_user, path, content.size());
    QCOMPARE(upload.status, 201);
    QCOMPARE(putPart(*server, m_user, upload.id, 1, content.left(upload.partSize)).status, 204);
    QCOMPARE(putPart(*server, m_user, upload.id, 2, content.mid(upload.partSize)).status, 204);

    // Killed the moment s3rver has assembled the object: the server never hears of it.
    m_proxy->arm(
        QRegularExpression(QStringLiteral("(^|\\n)POST [^ ]*\\?uploadId=")), server->pid());
    const HttpResult cut =
        post(*server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_user.auth());
    QCOMPARE(cut.status, 0);
    QVERIFY(m_proxy->killed());
    TestServer *killed = server.get();
    QVERIFY(QTest::qWaitFor([killed] { return !killed->isRunning(); }, 20'000));
    const QString objectKey = QStringLiteral("files/%1/%2").arg(upload.id.left(2), upload.id);
    QVERIFY2(fileObjects().contains(objectKey), qPrintable(fileObjects().join(u' ')));
    QCOMPARE(m_s3->uploadsInProgress(), 0); // completing consumed the parts

    server = startServer();
    QVERIFY2(server, "the server does not start again after SIGKILL");
    // Consistent: no file points at a missing object, the file is not there, the upload is.
    QCOMPARE(unreadableFiles(*server, m_user), QString());
    QCOMPARE(get(*server, filesPath(path), m_user.auth()).status, 404);
    QCOMPARE(get(*server, QStringLiteral("/v1/uploads/") + upload.id, m_user.auth()).status, 200);
    // The assembled object is the upload's, not an orphan: the sweep leaves it.
    const TestServer::Run dry =
        sweep({QStringLiteral("--dry-run"), QStringLiteral("--older-than"), QStringLiteral("0")});
    QVERIFY2(dry.exitCode == 0, dry.err.constData());
    QCOMPARE(dry.out, QByteArray());

    // Completing again takes the object S3 made.
    const HttpResult completed =
        post(*server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_user.auth());
    QCOMPARE(completed.status, 201);
    QCOMPARE(completed.json().object().value(QStringLiteral("etag")).toString().toLatin1(),
        sha256Hex(content));
    QVERIFY(get(*server, filesPath(path), m_user.auth()).body == content);
    QCOMPARE(get(*server, QStringLiteral("/v1/uploads/") + upload.id, m_user.auth()).status, 404);
    QCOMPARE(fileObjects(), QStringList {objectKey});
    QCOMPARE(unreadableFiles(*server, m_user), QString());
    QCOMPARE(server->stop(), 0);
}

void TestS3Crash::killAfterPutLeavesAnOrphanTheSweepRemoves()
{
    QVERIFY2(m_user.ok(), "needs the account of the test before");
    std::unique_ptr<TestServer> server = startServer();
    QVERIFY(server);
    const QStringList before = fileObjects();
    QCOMPARE(before.size(), 1); // the file of the test before
    // An upload in progress, which the sweep must leave alone.
    const StartedUpload open = startUpload(*server, m_user, QStringLiteral("crash/open.bin"), 3);
    QCOMPARE(open.status, 201);

    m_proxy->arm(
        QRegularExpression(QStringLiteral("(^|\\n)PUT /[^ ?]* HTTP/1\\.1")), server->pid());
    const HttpResult cut =
        httpRequest("PUT", server->url(filesPath(QStringLiteral("crash/one.txt"))), "one request",
            m_user.auth({{"Content-Type", "text/plain"}}));
    QCOMPARE(cut.status, 0);
    QVERIFY(m_proxy->killed());
    TestServer *killed = server.get();
    QVERIFY(QTest::qWaitFor([killed] { return !killed->isRunning(); }, 20'000));
    const QStringList afterKill = fileObjects();
    QCOMPARE(afterKill.size(), before.size() + 1);
    QString orphan;
    for (const QString &key : afterKill) {
        if (!before.contains(key))
            orphan = key;
    }
    QVERIFY(!orphan.isEmpty());

    server = startServer();
    QVERIFY2(server, "the server does not start again after SIGKILL");
    QCOMPARE(get(*server, filesPath(QStringLiteral("crash/one.txt")), m_user.auth()).status, 404);
    QCOMPARE(unreadableFiles(*server, m_user), QString());

    // Younger than --older-than: left alone (a write in flight looks the same).
    const TestServer::Run young = sweep({QStringLiteral("--older-than"), QStringLiteral("1h")});
    QVERIFY2(young.exitCode == 0, young.err.constData());
    QCOMPARE(young.out, QByteArray());
    QCOMPARE(fileObjects(), afterKill);
    // Listed, then removed; the file of the test before stays.
    const QByteArray expected = orphan.mid(QStringLiteral("files/").size()).toUtf8() + '\n';
    const TestServer::Run dry =
        sweep({QStringLiteral("--dry-run"), QStringLiteral("--older-than"), QStringLiteral("0")});
    QVERIFY2(dry.exitCode == 0, dry.err.constData());
    QCOMPARE(dry.out, expected);
    QCOMPARE(fileObjects(), afterKill);
    const TestServer::Run removed = sweep({QStringLiteral("--older-than"), QStringLiteral("0")});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QCOMPARE(removed.out, expected);
    QCOMPARE(fileObjects(), before);
    QCOMPARE(unreadableFiles(*server, m_user), QString());
    QCOMPARE(get(*server, QStringLiteral("/v1/uploads/") + open.id, m_user.auth()).status, 200);
    QCOMPARE(server->stop(), 0);
}

QTEST_GUILESS_MAIN(TestS3Crash)
#include "tst_s3crash.moc"
