// The files resource (server/api/filesapi.cpp, uploadsapi.cpp): upload, replace, download with
// ranges and ETags, delete, listing, path safety as attacks, atomicity of a cut-off upload,
// quotas, chunked uploads and search over file paths. Runs against the store that
// OUTPOST_TEST_FILE_STORE names: "local" (default) or "s3" (a real s3rver, see
// tests/support/s3server.h); CTest registers it once for each.
#include "db/database.h"
#include "db/databaseurl.h"
#include "factories.h"
#include "fakeopenai.h"
#include "s3server.h"
#include "testserver.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace Outpost::Test;

namespace {

QByteArray filesTarget(const QByteArray &encodedPath)
{
    return "/v1/files/" + encodedPath;
}

QString filesPath(const QString &path)
{
    return QStringLiteral("/v1/files/") + QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
}

QStringList filesOf(const HttpResult &result)
{
    QStringList paths;
    for (const QJsonValue &item : result.json().object().value(QStringLiteral("files")).toArray())
        paths.append(item.toObject().value(QStringLiteral("file_path")).toString());
    return paths;
}

// Every regular file under `dir`, relative paths.
QStringList filesUnder(const QString &dir)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        found.append(QDir(dir).relativeFilePath(it.next()));
    found.sort();
    return found;
}

} // namespace

class TestFilesApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void requiresSignIn();
    void putCreatesThenReplaces();
    void putKeepsOrGuessesContentType();
    void putAcceptsMultipartFilePart();
    void putAcceptsOriginalServicesFieldName();
    void putOverBodyLimitIs413();
    void putTakesChunkedAndContinuedBodies();
    void chunkedPutOverBodyLimitIs413AndLeavesNothing();
    void spooledBodyOfARejectedRequestLeavesNothing();
    void getStreamsWholeFileWithHeaders();
    void getRangeGives206();
    void getRangePastEndIs416();
    void getIfRangeSendsTheWholeFileOnceItChanged();
    void getIfNoneMatchGives304();
    void stalledDownloadIsClosed();
    void headGivesHeadersWithoutBody();
    void missingFileIs404();
    void othersMayReadButNotReplaceOrDelete();
    void adminMayReplaceAndDelete();
    void deleteRemovesFileAndBytes();
    void listPaginatesInPathOrder();
    void listFiltersByDirectory();
    void listRejectsBadParameters();
    void unsafePathsAre422AndTouchNothing_data();
    void unsafePathsAre422AndTouchNothing();
    void cutOffUploadKeepsPreviousVersion();
    void searchFindsUploadedPath();
    void quotaExceededIs507();

    void chunkedUploadAssemblesParts();
    void chunkedUploadResumesAndRetriesParts();
    void chunkedUploadDigestFollowsResentParts();
    void chunkedUploadCompleteNeedsEveryPart();
    void chunkedUploadRejectsBadParts();
    void chunkedUploadIsTheUploadersOnly();
    void chunkedUploadAbortDropsParts();
    void chunkedUploadCompletesAgainAfterDatabaseFailure();
    void cutOffPartKeepsEarlierParts();
    void chunkedUploadRejectsBadRequests();
    void chunkedUploadRespectsOwnership();
    void staleUploadsExpire();

    void generatedFilesAreStored_data();
    void generatedFilesAreStored();
    void generatedAcceptsOriginalFieldName();
    void generatedExistingPathIs409();
    void generatedRejectsBadRequests();
    void generatedUpstreamFailureIs503();
    void generatedWithoutServiceIs503();

    void openApiDocumentIsValid();

private:
    HttpResult putFile(const Account &who, const QString &path, const QByteArray &bytes,
        const QByteArray &contentType = "application/octet-stream");
    HttpResult getFile(const Account &who, const QString &path, const Headers &extra = {});
    bool startServer(TestServer &server);
    // Objects in the store now (local: files under objects/; S3: s3rver's own listing).
    QStringList storeObjects();
    bool isS3() const { return m_s3 != nullptr; }
    // What request bodies are spooled to while they arrive: the local store's tmp/, or the
    // S3 store's spool directory.
    QStringList spooledBodies() const
    {
        return filesUnder(m_server.dataDir()
            + (isS3() ? QStringLiteral("/s3-spool") : QStringLiteral("/files/tmp")));
    }
    // Runs statements on the server's own database (SQLite or the PostgreSQL of the suite);
    // empty if they all ran, else the error.
    QString execOnServerDatabase(const QStringList &statements);

    std::unique_ptr<S3Server> m_s3;
    FakeOpenAi m_openAi;
    TestServer m_server;
    Account m_admin;
    Account m_alice;
    Account m_bob;
};

bool TestFilesApi::startServer(TestServer &server)
{
    server.setEnv(QStringLiteral("OUTPOST_MAX_BODY_BYTES"), QStringLiteral("1MiB"));
    if (m_s3) {
        const QMap<QString, QString> env = m_s3->serverEnvironment();
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            server.setEnv(it.key(), it.value());
    }
    return server.start();
}

void TestFilesApi::initTestCase()
{
    const QByteArray store = qgetenv("OUTPOST_TEST_FILE_STORE");
    if (store == "s3") {
        m_s3 = std::make_unique<S3Server>();
        if (!m_s3->start())
            QFAIL(qPrintable(m_s3->lastError()));
    }
    QVERIFY(m_openAi.start());
    m_server.setEnv(QStringLiteral("OUTPOST_OPENAI_BASE_URL"), m_openAi.baseUrl());
    m_server.setEnv(
        QStringLiteral("OUTPOST_OPENAI_API_KEY"), QString::fromLatin1(FakeOpenAi::kApiKey));
    m_server.setEnv(QStringLiteral("OUTPOST_OPENAI_TEXT_MODEL"), QStringLiteral("test-text"));
    QVERIFY2(startServer(m_server), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
    m_alice = createAccount(m_server, {}, kPassword, QStringLiteral("alice"));
    QVERIFY(m_alice.ok());
    m_bob = createAccount(m_server);
    QVERIFY(m_bob.ok());
}

void TestFilesApi::cleanupTestCase()
{
    m_server.stop();
    if (m_s3)
        m_s3->stop();
}

HttpResult TestFilesApi::putFile(
    const Account &who, const QString &path, const QByteArray &bytes, const QByteArray &contentType)
{
    Headers headers = who.auth();
    if (!contentType.isEmpty())
        headers.insert("Content-Type", contentType);
    return httpRequest("PUT", m_server.url(filesPath(path)), bytes, headers);
}

HttpResult TestFilesApi::getFile(const Account &who, const QString &path, const Headers &extra)
{
    return httpRequest("GET", m_server.url(filesPath(path)), {}, who.auth(extra));
}

QStringList TestFilesApi::storeObjects()
{
    if (m_s3)
        return m_s3->listObjects();
    return filesUnder(m_server.dataDir() + QStringLiteral("/files/objects"));
}

void TestFilesApi::requiresSignIn()
{
    OUTPOST_VERIFY_PROBLEM(
        httpRequest("GET", m_server.url(QStringLiteral("/v1/files"))), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(httpRequest("PUT", m_server.url(filesPath(QStringLiteral("x.txt"))),
                               "hello", {{"Content-Type", "text/plain"}}),
        401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(
        httpRequest("GET", m_server.url(filesPath(QStringLiteral("x.txt")))), 401, "Unauthorized");
}

void TestFilesApi::putCreatesThenReplaces()
{
    const QString path = QStringLiteral("docs/readme.txt");
    const QByteArray v1 = "first version\n";
    const QStringList objectsBefore = storeObjects();
    const HttpResult created = putFile(m_alice, path, v1, "text/plain");
    QCOMPARE(created.status, 201);
    // The bytes are in the store (on S3: in s3rver's own store, under the configured prefix).
    const QStringList objectsAfterCreate = storeObjects();
    QCOMPARE(objectsAfterCreate.size(), objectsBefore.size() + 1);
    if (isS3()) {
        for (const QString &key : objectsAfterCreate)
            QVERIFY2(key.startsWith(QStringLiteral("files/")), qPrintable(key));
    }
    const QJsonObject json = created.json().object();
    QCOMPARE(json.value(QStringLiteral("file_path")).toString(), path);
    QCOMPARE(json.value(QStringLiteral("size_bytes")).toInteger(), v1.size());
    QCOMPARE(json.value(QStringLiteral("content_type")).toString(), QStringLiteral("text/plain"));
    QCOMPARE(json.value(QStringLiteral("etag")).toString().toLatin1(), sha256Hex(v1));
    QVERIFY(!json.value(QStringLiteral("last_modified")).toString().isEmpty());
    QCOMPARE(created.header("ETag"), '"' + sha256Hex(v1) + '"');
    QCOMPARE(created.header("Location"), QByteArray("/v1/files/docs/readme.txt"));

    const QByteArray v2 = "second version, longer\n";
    const HttpResult replaced = putFile(m_alice, path, v2, "text/plain");
    QCOMPARE(replaced.status, 200);
    QCOMPARE(replaced.json().object().value(QStringLiteral("size_bytes")).toInteger(), v2.size());
    const HttpResult read = getFile(m_bob, path);
    QCOMPARE(read.status, 200);
    QCOMPARE(read.body, v2);
    // The replaced version's object is gone: one object per file.
    const QStringList objectsAfterReplace = storeObjects();
    QCOMPARE(objectsAfterReplace.size(), objectsAfterCreate.size());
    QVERIFY(objectsAfterReplace != objectsAfterCreate);
}

void TestFilesApi::putKeepsOrGuessesContentType()
{
    QCOMPARE(putFile(m_alice, QStringLiteral("types/data.bin"), "x", "application/x-custom")
                 .json()
                 .object()
                 .value(QStringLiteral("content_type"))
                 .toString(),
        QStringLiteral("application/x-custom"));
    QCOMPARE(putFile(m_alice, QStringLiteral("types/picture.png"), "\x89PNG")
                 .json()
                 .object()
                 .value(QStringLiteral("content_type"))
                 .toString(),
        QStringLiteral("image/png"));
    QCOMPARE(putFile(m_alice, QStringLiteral("types/notes.txt"), "text", "application/octet-stream")
                 .json()
                 .object()
                 .value(QStringLiteral("content_type"))
                 .toString(),
        QStringLiteral("text/plain"));
    const HttpResult read = getFile(m_alice, QStringLiteral("types/picture.png"));
    QCOMPARE(read.header("Content-Type"), QByteArray("image/png"));
}

void TestFilesApi::putAcceptsMultipartFilePart()
{
    const QByteArray content = randomBytes(5000, 7);
    const QByteArray body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"report.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        + content + "\r\n--XyZ--\r\n";
    const HttpResult result =
        httpRequest("PUT", m_server.url(filesPath(QStringLiteral("mp/report.csv"))), body,
            m_alice.auth({{"Content-Type", "multipart/form-data; boundary=XyZ"}}));
    QCOMPARE(result.status, 201);
    QCOMPARE(
        result.json().object().value(QStringLiteral("size_bytes")).toInteger(), content.size());
    QCOMPARE(result.json().object().value(QStringLiteral("content_type")).toString(),
        QStringLiteral("text/csv"));
    QCOMPARE(getFile(m_bob, QStringLiteral("mp/report.csv")).body, content);

    const HttpResult noFile =
        httpRequest("PUT", m_server.url(filesPath(QStringLiteral("mp/none.csv"))),
            QByteArray(
                "--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--XyZ--\r\n"),
            m_alice.auth({{"Content-Type", "multipart/form-data; boundary=XyZ"}}));
    OUTPOST_VERIFY_PROBLEM(noFile, 422, "Unprocessable Content");
    QCOMPARE(getFile(m_alice, QStringLiteral("mp/none.csv")).status, 404);
}

void TestFilesApi::putAcceptsOriginalServicesFieldName()
{
    const QByteArray body = "--b1\r\nContent-Disposition: form-data; name=\"file_content\"; "
                            "filename=\"a.txt\"\r\n\r\nlegacy\r\n--b1--\r\n";
    const HttpResult result =
        httpRequest("PUT", m_server.url(filesPath(QStringLiteral("mp/legacy.txt"))), body,
            m_alice.auth({{"Content-Type", "multipart/form-data; boundary=b1"}}));
    QCOMPARE(result.status, 201);
    QCOMPARE(result.json().object().value(QStringLiteral("content_type")).toString(),
        QStringLiteral("text/plain"));
    QCOMPARE(getFile(m_alice, QStringLiteral("mp/legacy.txt")).body, QByteArray("legacy"));
}

void TestFilesApi::putOverBodyLimitIs413()
{
    // Answered from the headers alone, before any of the body is read.
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("PUT /v1/files/big/too-big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Authorization: Bearer "
        + m_alice.accessToken + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
        + QByteArray::number(1024 * 1024 + 1) + "\r\n\r\n"));
    QVERIFY(connection.waitForResponses(1));
    QCOMPARE(connection.responses().first().status, 413);
    QCOMPARE(
        connection.responses().first().json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("Content Too Large"));
    connection.close();
    QCOMPARE(getFile(m_alice, QStringLiteral("big/too-big.bin")).status, 404);
}

void TestFilesApi::putTakesChunkedAndContinuedBodies()
{
    // Bodies go to the store as they arrive (a raw PUT, and a part): chunked, and after
    // "100 Continue", they are stored exactly as sent.
    const QByteArray content = randomBytes(700 * 1024 + 3, 21);
    const QByteArray head = "PUT /v1/files/stream/chunked.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Authorization: Bearer "
        + m_alice.accessToken + "\r\nContent-Type: application/octet-stream\r\n";
    {
        RawConnection connection(m_server.port());
        QByteArray chunked;
        for (qsizetype at = 0; at < content.size(); at += 100'000) {
            const QByteArray piece = content.mid(at, 100'000);
            chunked += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
        }
        QVERIFY(
            connection.send(head + "Transfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\n\r\n"));
        QVERIFY(connection.waitForResponses(1));
        QCOMPARE(connection.responses().first().status, 201);
    }
    HttpResult read = getFile(m_bob, QStringLiteral("stream/chunked.bin"));
    QCOMPARE(read.status, 200);
    QCOMPARE(sha256Hex(read.body), sha256Hex(content));
    QCOMPARE(read.header("ETag"), '"' + sha256Hex(content) + '"');
    {
        RawConnection connection(m_server.port());
        QVERIFY(connection.send(head + "Expect: 100-continue\r\nContent-Length: "
            + QByteArray::number(content.size() - 1) + "\r\n\r\n"));
        QVERIFY(connection.waitFor("HTTP/1.1 100 Continue\r\n\r\n"));
        QVERIFY(connection.send(content.left(content.size() - 1)));
        QVERIFY(connection.waitForResponses(1));
        QCOMPARE(connection.responses().last().status, 200);
    }
    read = getFile(m_bob, QStringLiteral("stream/chunked.bin"));
    QCOMPARE(read.body, content.left(content.size() - 1));
    QCOMPARE(spooledBodies(), QStringList());
}

void TestFilesApi::chunkedPutOverBodyLimitIs413AndLeavesNothing()
{
    // No length to refuse it by: the guard stops it once it passes the limit (1 MiB here).
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("PUT /v1/files/big/chunked-too-big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Authorization: Bearer "
        + m_alice.accessToken
        + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const QByteArray piece(256 * 1024, 'q');
    for (int i = 0; i < 4; ++i)
        QVERIFY(connection.send(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n"));
    // The fifth piece passes the limit (the server may close while it is still being sent).
    connection.send(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
    QVERIFY(connection.waitForResponses(1));
    QCOMPARE(connection.responses().first().status, 413);
    QVERIFY(connection.waitForClosed());
    QCOMPARE(getFile(m_alice, QStringLiteral("big/chunked-too-big.bin")).status, 404);
    QCOMPARE(spooledBodies(), QStringList());
}

void TestFilesApi::getStreamsWholeFileWithHeaders()
{
    // Built through a chunked upload: larger than one PUT may be, so the download needs many
    // writes of the streamed body.
    const QByteArray content = randomBytes(3 * 1024 * 1024 + 123, 11);
    const HttpResult created = post(m_server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), QStringLiteral("stream/big.bin")},
            {QStringLiteral("size"), content.size()}},
        m_alice.auth());
    QCOMPARE(created.status, 201);
    const QString id = created.json().object().value(QStringLiteral("id")).toString();
    const qint64 partSize = created.json().object().value(QStringLiteral("part_size")).toInteger();
    QVERIFY(partSize > 0 && partSize <= 1024 * 1024);
    int number = 1;
    for (qint64 at = 0; at < content.size(); at += partSize, ++number) {
        const HttpResult part = httpRequest("PUT",
            m_server.url(QStringLiteral("/v1/uploads/%1/parts/%2").arg(id).arg(number)),
            content.mid(at, partSize),
            m_alice.auth({{"Content-Type", "application/octet-stream"}}));
        QCOMPARE(part.status, 204);
    }
    QCOMPARE(post(m_server, QStringLiteral("/v1/uploads/%1/complete").arg(id), {}, m_alice.auth())
                 .status,
        201);

    const HttpResult read = getFile(m_bob, QStringLiteral("stream/big.bin"));
    QCOMPARE(read.status, 200);
    QCOMPARE(read.body.size(), content.size());
    QVERIFY(read.body == content);
    QCOMPARE(read.header("Content-Length"), QByteArray::number(content.size()));
    QCOMPARE(read.header("ETag"), '"' + sha256Hex(content) + '"');
    QCOMPARE(read.header("Content-Type"), QByteArray("application/octet-stream"));
    QVERIFY(read.header("Last-Modified").endsWith(" GMT"));
    QCOMPARE(read.header("Accept-Ranges"), QByteArray("bytes"));
    QVERIFY2(read.header("Content-Disposition").startsWith("attachment; filename=\"big.bin\""),
        read.header("Content-Disposition").constData());
}

void TestFilesApi::getRangeGives206()
{
    const QByteArray content = "0123456789abcdefghij";
    QCOMPARE(putFile(m_alice, QStringLiteral("range/r.txt"), content, "text/plain").status, 201);
    HttpResult part = getFile(m_bob, QStringLiteral("range/r.txt"), {{"Range", "bytes=2-5"}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, QByteArray("2345"));
    QCOMPARE(part.header("Content-Range"), QByteArray("bytes 2-5/20"));
    QCOMPARE(part.header("Content-Length"), QByteArray("4"));

    part = getFile(m_bob, QStringLiteral("range/r.txt"), {{"Range", "bytes=15-"}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, QByteArray("fghij"));
    part = getFile(m_bob, QStringLiteral("range/r.txt"), {{"Range", "bytes=-3"}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, QByteArray("hij"));
    QCOMPARE(part.header("Content-Range"), QByteArray("bytes 17-19/20"));
    part = getFile(m_bob, QStringLiteral("range/r.txt"), {{"Range", "bytes=10-1000"}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, QByteArray("abcdefghij"));
}

void TestFilesApi::getRangePastEndIs416()
{
    QCOMPARE(
        putFile(m_alice, QStringLiteral("range/short.txt"), "short", "text/plain").status, 201);
    const HttpResult result =
        getFile(m_bob, QStringLiteral("range/short.txt"), {{"Range", "bytes=10-20"}});
    OUTPOST_VERIFY_PROBLEM(result, 416, "Range Not Satisfiable");
    QCOMPARE(result.header("Content-Range"), QByteArray("bytes */5"));
}

void TestFilesApi::getIfRangeSendsTheWholeFileOnceItChanged()
{
    const QByteArray before = "0123456789";
    QCOMPARE(putFile(m_alice, QStringLiteral("range/if.txt"), before, "text/plain").status, 201);
    const QByteArray etag = '"' + sha256Hex(before) + '"';
    HttpResult part =
        getFile(m_bob, QStringLiteral("range/if.txt"), {{"Range", "bytes=4-"}, {"If-Range", etag}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, QByteArray("456789"));

    const QByteArray after = "abcdefghijklmnop";
    QCOMPARE(putFile(m_alice, QStringLiteral("range/if.txt"), after, "text/plain").status, 200);
    part =
        getFile(m_bob, QStringLiteral("range/if.txt"), {{"Range", "bytes=4-"}, {"If-Range", etag}});
    QCOMPARE(part.status, 200);
    QCOMPARE(part.body, after);
    QCOMPARE(part.header("ETag"), '"' + sha256Hex(after) + '"');
    QVERIFY(part.header("Content-Range").isEmpty());
}

void TestFilesApi::getIfNoneMatchGives304()
{
    const HttpResult created =
        putFile(m_alice, QStringLiteral("etag/e.txt"), "etag me", "text/plain");
    const QByteArray etag = created.header("ETag");
    QVERIFY(!etag.isEmpty());
    const HttpResult cached =
        getFile(m_bob, QStringLiteral("etag/e.txt"), {{"If-None-Match", etag}});
    QCOMPARE(cached.status, 304);
    QVERIFY(cached.body.isEmpty());
    QCOMPARE(cached.header("ETag"), etag);
    QCOMPARE(
        getFile(m_bob, QStringLiteral("etag/e.txt"), {{"If-None-Match", "\"other\""}}).status, 200);
    putFile(m_alice, QStringLiteral("etag/e.txt"), "changed", "text/plain");
    QCOMPARE(getFile(m_bob, QStringLiteral("etag/e.txt"), {{"If-None-Match", etag}}).status, 200);
}

void TestFilesApi::stalledDownloadIsClosed()
{
    // A client that stops reading a streamed body must not hold the connection forever.
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_BODY_TIMEOUT"), QStringLiteral("1s"));
    // The guard's debug line says when it gives the connection up.
    server.setEnv(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("outpost.http.debug=true"));
    if (m_s3) {
        server.setEnv(QStringLiteral("OUTPOST_FILE_STORE_URL"),
            QStringLiteral("s3://%1/stall").arg(m_s3->bucket()));
    }
    QVERIFY2(startServer(server), qPrintable(server.lastError()));
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    const qint64 size = 32LL * 1024 * 1024; // more than loopback socket buffers hold
    const HttpResult started = post(server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), QStringLiteral("stall/big.bin")},
            {QStringLiteral("size"), size}},
        user.auth());
    QCOMPARE(started.status, 201);
    const QString id = started.json().object().value(QStringLiteral("id")).toString();
    const qint64 partSize = started.json().object().value(QStringLiteral("part_size")).toInteger();
    const QByteArray part(partSize, 's');
    for (int n = 1; n <= int(size / partSize); ++n) {
        QCOMPARE(
            httpRequest("PUT", server.url(QStringLiteral("/v1/uploads/%1/parts/%2").arg(id).arg(n)),
                part, user.auth({{"Content-Type", "application/octet-stream"}}))
                .status,
            204);
    }
    QCOMPARE(
        post(server, QStringLiteral("/v1/uploads/%1/complete").arg(id), {}, user.auth()).status,
        201);

    QTcpSocket socket;
    socket.setReadBufferSize(64 * 1024); // Qt stops reading from the kernel when full
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), server.port());
    QVERIFY(socket.waitForConnected(3000));
    socket.write("GET /v1/files/stall/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + user.accessToken + "\r\n\r\n");
    QVERIFY(socket.waitForBytesWritten(3000));
    // The client reads nothing until the server has given up on it.
    QVERIFY2(server.waitForOutput("closing a connection whose client stopped reading", 20'000),
        server.output().right(2000).constData());
    socket.setReadBufferSize(0);
    QByteArray received;
    QDeadlineTimer deadline(20'000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(200);
        received += socket.readAll();
    }
    received += socket.readAll();
    QVERIFY2(socket.state() != QAbstractSocket::ConnectedState, "the server kept the connection");
    QVERIFY(received.startsWith("HTTP/1.1 200 "));
    const qsizetype bodyStart = received.indexOf("\r\n\r\n") + 4;
    QVERIFY2(received.size() - bodyStart < size,
        qPrintable(QStringLiteral("got all %1 bytes").arg(received.size() - bodyStart)));
    QCOMPARE(server.stop(), 0);
}

void TestFilesApi::headGivesHeadersWithoutBody()
{
    const QByteArray content(4096, 'h');
    QCOMPARE(putFile(m_alice, QStringLiteral("head/h.bin"), content).status, 201);
    const HttpResult head = httpRequest(
        "HEAD", m_server.url(filesPath(QStringLiteral("head/h.bin"))), {}, m_bob.auth());
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
    QCOMPARE(head.header("Content-Length"), QByteArray("4096"));
    QCOMPARE(head.header("ETag"), '"' + sha256Hex(content) + '"');
    QCOMPARE(httpRequest(
                 "HEAD", m_server.url(filesPath(QStringLiteral("head/none.bin"))), {}, m_bob.auth())
                 .status,
        404);
}

void TestFilesApi::missingFileIs404()
{
    OUTPOST_VERIFY_PROBLEM(getFile(m_alice, QStringLiteral("no/such/file.txt")), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(
        del(m_server, filesPath(QStringLiteral("no/such/file.txt")), m_alice.auth()), 404,
        "Not Found");
}

void TestFilesApi::othersMayReadButNotReplaceOrDelete()
{
    const QString path = QStringLiteral("owned/alice.txt");
    QCOMPARE(putFile(m_alice, path, "alice's", "text/plain").status, 201);
    QCOMPARE(getFile(m_bob, path).body, QByteArray("alice's"));
    OUTPOST_VERIFY_PROBLEM(putFile(m_bob, path, "bob's", "text/plain"), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(del(m_server, filesPath(path), m_bob.auth()), 403, "Forbidden");
    QCOMPARE(getFile(m_alice, path).body, QByteArray("alice's"));
}

void TestFilesApi::adminMayReplaceAndDelete()
{
    const QString path = QStringLiteral("owned/admin-fixes.txt");
    QCOMPARE(putFile(m_alice, path, "typo", "text/plain").status, 201);
    QCOMPARE(putFile(m_admin, path, "fixed", "text/plain").status, 200);
    const HttpResult listed =
        get(m_server, QStringLiteral("/v1/files?directory=owned&page_size=100"), m_alice.auth());
    bool found = false;
    for (const QJsonValue &item : listed.json().object().value(QStringLiteral("files")).toArray()) {
        if (item.toObject().value(QStringLiteral("file_path")).toString() == path) {
            found = true;
            QCOMPARE(item.toObject().value(QStringLiteral("owner_id")).toInteger(), m_alice.id);
        }
    }
    QVERIFY(found);
    QCOMPARE(del(m_server, filesPath(path), m_admin.auth()).status, 204);
    QCOMPARE(getFile(m_alice, path).status, 404);
}

void TestFilesApi::deleteRemovesFileAndBytes()
{
    const QStringList before = storeObjects();
    QCOMPARE(putFile(m_alice, QStringLiteral("gone/g.txt"), "bye", "text/plain").status, 201);
    QCOMPARE(storeObjects().size(), before.size() + 1);
    QCOMPARE(del(m_server, filesPath(QStringLiteral("gone/g.txt")), m_alice.auth()).status, 204);
    QCOMPARE(getFile(m_alice, QStringLiteral("gone/g.txt")).status, 404);
    QCOMPARE(storeObjects(), before);
}

void TestFilesApi::listPaginatesInPathOrder()
{
    for (const char *name : {"c.txt", "a.txt", "e.txt", "b.txt", "d.txt"})
        QCOMPARE(
            putFile(m_alice, QStringLiteral("pages/") + QLatin1String(name), name).status, 201);
    QStringList seen;
    QString token;
    int pages = 0;
    do {
        QString query = QStringLiteral("/v1/files?directory=pages&page_size=2");
        if (!token.isEmpty())
            query += QStringLiteral("&page_token=") + token;
        const HttpResult page = get(m_server, query, m_bob.auth());
        QCOMPARE(page.status, 200);
        const QStringList paths = filesOf(page);
        QVERIFY(paths.size() <= 2);
        seen += paths;
        const QJsonValue next = page.json().object().value(QStringLiteral("next_page_token"));
        token = next.isNull() ? QString() : next.toString();
        QVERIFY(next.isNull() || next.isString());
        ++pages;
    } while (!token.isEmpty() && pages < 10);
    QCOMPARE(seen,
        QStringList({QStringLiteral("pages/a.txt"), QStringLiteral("pages/b.txt"),
            QStringLiteral("pages/c.txt"), QStringLiteral("pages/d.txt"),
            QStringLiteral("pages/e.txt")}));
    QCOMPARE(pages, 3);
}

void TestFilesApi::listFiltersByDirectory()
{
    QCOMPARE(putFile(m_alice, QStringLiteral("dirA/x.txt"), "x").status, 201);
    QCOMPARE(putFile(m_alice, QStringLiteral("dirA/sub/y.txt"), "y").status, 201);
    QCOMPARE(putFile(m_alice, QStringLiteral("dirAB/z.txt"), "z").status, 201);
    QCOMPARE(putFile(m_alice, QStringLiteral("DIRA/w.txt"), "w").status, 201);
    const HttpResult listed =
        get(m_server, QStringLiteral("/v1/files?directory=dirA&page_size=100"), m_bob.auth());
    QCOMPARE(listed.status, 200);
    QCOMPARE(filesOf(listed),
        QStringList({QStringLiteral("dirA/sub/y.txt"), QStringLiteral("dirA/x.txt")}));
    QCOMPARE(filesOf(get(m_server, QStringLiteral("/v1/files?directory=dirA/&page_size=100"),
                 m_bob.auth())),
        QStringList({QStringLiteral("dirA/sub/y.txt"), QStringLiteral("dirA/x.txt")}));
    const HttpResult defaults = get(m_server, QStringLiteral("/v1/files"), m_bob.auth());
    QCOMPARE(defaults.status, 200);
    QVERIFY(filesOf(defaults).size() <= 10);
}

void TestFilesApi::listRejectsBadParameters()
{
    for (const char *query : {"page_size=0", "page_size=1001", "page_size=ten", "page_token=%25%25",
             "directory=..", "directory=a//b"}) {
        const HttpResult result =
            get(m_server, QStringLiteral("/v1/files?") + QLatin1String(query), m_bob.auth());
        OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    }
}

void TestFilesApi::unsafePathsAre422AndTouchNothing_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("dot-dot") << filesTarget("../outside.txt");
    QTest::newRow("dot-dot inside") << filesTarget("a/../../outside.txt");
    QTest::newRow("dot segment") << filesTarget("a/./b.txt");
    QTest::newRow("empty segment") << filesTarget("a//b.txt");
    QTest::newRow("trailing slash") << filesTarget("a/");
    QTest::newRow("leading slash") << filesTarget("/etc/outside.txt");
    QTest::newRow("encoded leading slash") << filesTarget("%2Fetc%2Foutside.txt");
    QTest::newRow("backslash") << filesTarget("a\\..\\outside.txt");
    QTest::newRow("encoded backslash") << filesTarget("a%5C..%5Coutside.txt");
    QTest::newRow("encoded dot-dot") << filesTarget("%2e%2e/outside.txt");
    QTest::newRow("encoded dot-dot slash") << filesTarget("%2e%2e%2foutside.txt");
    QTest::newRow("double-encoded dot-dot") << filesTarget("%252e%252e%252foutside.txt");
    QTest::newRow("double-encoded backslash") << filesTarget("a%255coutside.txt");
    QTest::newRow("nul") << filesTarget("a%00.txt");
    QTest::newRow("newline") << filesTarget("a%0a.txt");
    QTest::newRow("escape") << filesTarget("a%1b.txt");
    QTest::newRow("delete char") << filesTarget("a%7f.txt");
    QTest::newRow("invalid UTF-8") << filesTarget("a%ff.txt");
    QTest::newRow("empty") << filesTarget("");
    QTest::newRow("over 1024 bytes") << filesTarget(QByteArray(1025, 'a'));
    QTest::newRow("over 1024 bytes of UTF-8") << filesTarget(QByteArray("%C3%A9").repeated(513));
}

void TestFilesApi::unsafePathsAre422AndTouchNothing()
{
    QFETCH(QByteArray, target);
    // A file just outside the store's root, where "../outside.txt" would land.
    const QString storeRoot = m_server.dataDir() + QStringLiteral("/files");
    const QString outside = m_server.dataDir() + QStringLiteral("/outside.txt");
    {
        QFile canary(outside);
        QVERIFY(canary.open(QIODevice::WriteOnly | QIODevice::Truncate));
        canary.write("canary");
    }
    const QStringList dataBefore = filesUnder(m_server.dataDir());
    const QStringList objectsBefore = storeObjects();

    for (const QByteArray &method : {QByteArray("PUT"), QByteArray("GET"), QByteArray("DELETE")}) {
        const HttpResult result = httpRequestFrom(QHostAddress(), m_server.port(), method, target,
            method == "PUT" ? QByteArray("overwritten") : QByteArray(),
            m_alice.auth({{"Content-Type", "text/plain"}}));
        const QByteArray what =
            method + ' ' + target.left(80) + " gave " + QByteArray::number(result.status);
        QVERIFY2(result.status == 422, what.constData());
        OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
        QVERIFY(!result.body.contains("canary"));
        QVERIFY(!result.body.contains(storeRoot.toUtf8()));
    }
    // HEAD: the status line only (the answer has no body to frame).
    const QByteArray head = rawExchange(m_server.port(),
        "HEAD " + target
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
              "Authorization: Bearer "
            + m_alice.accessToken + "\r\n\r\n");
    QVERIFY2(head.startsWith("HTTP/1.1 422 "), head.left(200).constData());
    QFile canary(outside);
    QVERIFY(canary.open(QIODevice::ReadOnly));
    QCOMPARE(canary.readAll(), QByteArray("canary"));
    QStringList dataAfter = filesUnder(m_server.dataDir());
    // The database's own files may change size but not appear or vanish.
    QCOMPARE(dataAfter, dataBefore);
    QCOMPARE(storeObjects(), objectsBefore);
}

void TestFilesApi::cutOffUploadKeepsPreviousVersion()
{
    const QString path = QStringLiteral("atomic/doc.txt");
    QCOMPARE(putFile(m_alice, path, "version one", "text/plain").status, 201);
    const QStringList objectsBefore = storeObjects();
    MetricsProbe probe(m_server.port());
    const double connections = probe.openConnections();
    {
        RawConnection connection(m_server.port());
        QVERIFY(connection.isConnected());
        const QByteArray head = "PUT /v1/files/atomic/doc.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Authorization: Bearer "
            + m_alice.accessToken
            + "\r\nContent-Type: text/plain\r\nContent-Length: 500000\r\n\r\n";
        QVERIFY(connection.send(head + QByteArray(100000, 'z')));
        QTRY_COMPARE(probe.openConnections(), connections + 1); // the server holds it
        QTRY_COMPARE(spooledBodies().size(), 1); // what came is on disk, not in memory
        connection.close();                      // the client goes away mid-body
    }
    QTRY_COMPARE(probe.openConnections(), connections); // and the server has seen it go
    const HttpResult read = getFile(m_bob, path);
    QCOMPARE(read.status, 200);
    QCOMPARE(read.body, QByteArray("version one"));
    QCOMPARE(storeObjects(), objectsBefore);
    QCOMPARE(spooledBodies(), QStringList());
}

void TestFilesApi::searchFindsUploadedPath()
{
    const QString path = QStringLiteral("reports/quarterly-zebrafish.txt");
    QCOMPARE(putFile(m_alice, path, "numbers", "text/plain").status, 201);
    const HttpResult found = get(m_server, QStringLiteral("/v1/search?q=zebrafish"), m_bob.auth());
    QCOMPARE(found.status, 200);
    bool hit = false;
    for (const QJsonValue &item : itemsOf(found)) {
        const QJsonObject object = item.toObject();
        if (object.value(QStringLiteral("kind")).toString() == u"file"
            && object.value(QStringLiteral("file_path")).toString() == path)
            hit = true;
    }
    QVERIFY2(hit, found.body.constData());
    QCOMPARE(del(m_server, filesPath(path), m_alice.auth()).status, 204);
    const HttpResult gone = get(m_server, QStringLiteral("/v1/search?q=zebrafish"), m_bob.auth());
    QCOMPARE(totalOf(gone), 0);
}

void TestFilesApi::quotaExceededIs507()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_USER_QUOTA_BYTES"), QStringLiteral("10KiB"));
    if (m_s3) {
        // A bucket of its own, so the main suite's object counts are not disturbed.
        server.setEnv(QStringLiteral("OUTPOST_FILE_STORE_URL"),
            QStringLiteral("s3://%1/quota").arg(m_s3->bucket()));
    }
    QVERIFY2(startServer(server), qPrintable(server.lastError()));
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    const auto putTo = [&](const QString &path, const QByteArray &bytes) {
        return httpRequest("PUT", server.url(filesPath(path)), bytes,
            user.auth({{"Content-Type", "application/octet-stream"}}));
    };
    QCOMPARE(putTo(QStringLiteral("q/a.bin"), QByteArray(6 * 1024, 'a')).status, 201);
    OUTPOST_VERIFY_PROBLEM(
        putTo(QStringLiteral("q/b.bin"), QByteArray(5 * 1024, 'b')), 507, "Insufficient Storage");
    QCOMPARE(httpRequest("GET", server.url(filesPath(QStringLiteral("q/b.bin"))), {}, user.auth())
                 .status,
        404);
    // Replacing a file counts only the difference.
    QCOMPARE(putTo(QStringLiteral("q/a.bin"), QByteArray(9 * 1024, 'a')).status, 200);
    QCOMPARE(putTo(QStringLiteral("q/c.bin"), QByteArray(1024, 'c')).status, 201);
    OUTPOST_VERIFY_PROBLEM(
        putTo(QStringLiteral("q/d.bin"), QByteArray(1, 'd')), 507, "Insufficient Storage");
    // A chunked upload is checked when it starts.
    const HttpResult upload = httpRequest("POST", server.url(QStringLiteral("/v1/uploads")),
        jsonBytes({{QStringLiteral("file_path"), QStringLiteral("q/e.bin")},
            {QStringLiteral("size"), 4096}}),
        user.auth({{"Content-Type", "application/json"}}));
    OUTPOST_VERIFY_PROBLEM(upload, 507, "Insufficient Storage");
    QCOMPARE(server.stop(), 0);
}

// --- Chunked uploads -------------------------------------------------------------------------

namespace {

struct StartedUpload
{
    int status = 0;
    QString id;
    qint64 partSize = 0;
    QJsonObject json;
};

StartedUpload startUpload(TestServer &server, const Account &who, const QString &path, qint64 size,
    const QString &type = {})
{
    QJsonObject body {{QStringLiteral("file_path"), path}, {QStringLiteral("size"), size}};
    if (!type.isEmpty())
        body.insert(QStringLiteral("content_type"), type);
    const HttpResult result = post(server, QStringLiteral("/v1/uploads"), body, who.auth());
    StartedUpload started;
    started.status = result.status;
    started.json = result.json().object();
    started.id = started.json.value(QStringLiteral("id")).toString();
    started.partSize = started.json.value(QStringLiteral("part_size")).toInteger();
    return started;
}

HttpResult putPart(
    TestServer &server, const Account &who, const QString &id, int number, const QByteArray &bytes)
{
    return httpRequest("PUT",
        server.url(QStringLiteral("/v1/uploads/%1/parts/%2").arg(id).arg(number)), bytes,
        who.auth({{"Content-Type", "application/octet-stream"}}));
}

QList<int> receivedParts(const HttpResult &result)
{
    QList<int> parts;
    for (const QJsonValue &n :
        result.json().object().value(QStringLiteral("received_parts")).toArray())
        parts.append(n.toInt());
    return parts;
}

} // namespace

void TestFilesApi::chunkedUploadAssemblesParts()
{
    const QByteArray content = randomBytes(2 * 1024 * 1024 + 10, 3);
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/whole.bin"), content.size());
    QCOMPARE(upload.status, 201);
    QVERIFY(!upload.id.isEmpty());
    QVERIFY(upload.partSize > 0 && upload.partSize <= 1024 * 1024);
    QVERIFY(!upload.json.value(QStringLiteral("expires_at")).toString().isEmpty());
    const int parts = int((content.size() + upload.partSize - 1) / upload.partSize);
    // Out of order on purpose.
    for (int n = parts; n >= 1; --n) {
        QCOMPARE(putPart(m_server, m_alice, upload.id, n,
                     content.mid((n - 1) * upload.partSize, upload.partSize))
                     .status,
            204);
    }
    // Not visible before it completes.
    QCOMPARE(getFile(m_bob, QStringLiteral("chunked/whole.bin")).status, 404);
    const HttpResult completed = post(
        m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_alice.auth());
    QCOMPARE(completed.status, 201);
    QCOMPARE(
        completed.json().object().value(QStringLiteral("size_bytes")).toInteger(), content.size());
    QCOMPARE(completed.json().object().value(QStringLiteral("etag")).toString().toLatin1(),
        sha256Hex(content));
    QVERIFY(getFile(m_bob, QStringLiteral("chunked/whole.bin")).body == content);
    // The upload is gone once completed.
    QCOMPARE(get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth()).status, 404);
    if (!isS3()) {
        QCOMPARE(filesUnder(m_server.dataDir() + QStringLiteral("/files/uploads")), QStringList());
        QCOMPARE(filesUnder(m_server.dataDir() + QStringLiteral("/files/tmp")), QStringList());
    }
}

void TestFilesApi::chunkedUploadResumesAndRetriesParts()
{
    const QByteArray content = randomBytes(1024 * 1024 + 5, 5);
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/resumed.bin"), content.size(),
            QStringLiteral("application/x-thing"));
    QCOMPARE(upload.status, 201);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 2, content.mid(upload.partSize)).status, 204);
    HttpResult status = get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth());
    QCOMPARE(status.status, 200);
    QCOMPARE(receivedParts(status), QList<int>({2}));
    QCOMPARE(status.json().object().value(QStringLiteral("file_path")).toString(),
        QStringLiteral("chunked/resumed.bin"));
    QCOMPARE(status.json().object().value(QStringLiteral("size")).toInteger(), content.size());
    // A wrong first attempt at part 1, then the retry replaces it.
    QByteArray wrong = content.left(upload.partSize);
    wrong[0] = char(wrong[0] ^ 0xff);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, wrong).status, 204);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, content.left(upload.partSize)).status, 204);
    status = get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth());
    QCOMPARE(receivedParts(status), QList<int>({1, 2}));
    const HttpResult completed = post(
        m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_alice.auth());
    QCOMPARE(completed.status, 201);
    QCOMPARE(completed.json().object().value(QStringLiteral("content_type")).toString(),
        QStringLiteral("application/x-thing"));
    QVERIFY(getFile(m_alice, QStringLiteral("chunked/resumed.bin")).body == content);
}

void TestFilesApi::chunkedUploadCompleteNeedsEveryPart()
{
    const QByteArray content = randomBytes(1024 * 1024 + 5, 6);
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/partial.bin"), content.size());
    QCOMPARE(upload.status, 201);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, content.left(upload.partSize)).status, 204);
    const HttpResult early = post(
        m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(early, 409, "Conflict");
    QCOMPARE(getFile(m_alice, QStringLiteral("chunked/partial.bin")).status, 404);
    QCOMPARE(
        receivedParts(get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth())),
        QList<int>({1}));
}

void TestFilesApi::chunkedUploadRejectsBadParts()
{
    const QByteArray content = randomBytes(1024 * 1024 + 5, 8);
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/bad-parts.bin"), content.size());
    QCOMPARE(upload.status, 201);
    OUTPOST_VERIFY_PROBLEM(
        putPart(m_server, m_alice, upload.id, 0, "x"), 422, "Unprocessable Content");
    OUTPOST_VERIFY_PROBLEM(
        putPart(m_server, m_alice, upload.id, 3, "x"), 422, "Unprocessable Content");
    OUTPOST_VERIFY_PROBLEM(
        putPart(m_server, m_alice, upload.id, 1, "too short"), 422, "Unprocessable Content");
    OUTPOST_VERIFY_PROBLEM(
        putPart(m_server, m_alice, upload.id, 2, content.mid(upload.partSize) + "x"), 422,
        "Unprocessable Content");
    QCOMPARE(
        receivedParts(get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth())),
        QList<int>());
}

void TestFilesApi::chunkedUploadIsTheUploadersOnly()
{
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/mine.bin"), 10);
    QCOMPARE(upload.status, 201);
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_bob.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(putPart(m_server, m_bob, upload.id, 1, "0123456789"), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(
        post(m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_bob.auth()),
        404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(
        del(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_bob.auth()), 404, "Not Found");
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, "0123456789").status, 204);
    QCOMPARE(
        post(m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_alice.auth())
            .status,
        201);
    QCOMPARE(getFile(m_bob, QStringLiteral("chunked/mine.bin")).body, QByteArray("0123456789"));
}

void TestFilesApi::chunkedUploadAbortDropsParts()
{
    const QStringList partsBefore =
        isS3() ? QStringList() : filesUnder(m_server.dataDir() + QStringLiteral("/files/uploads"));
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/aborted.bin"), 10);
    QCOMPARE(upload.status, 201);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, "0123456789").status, 204);
    QCOMPARE(del(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth()).status, 204);
    QCOMPARE(get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth()).status, 404);
    QCOMPARE(
        post(m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_alice.auth())
            .status,
        404);
    QCOMPARE(getFile(m_alice, QStringLiteral("chunked/aborted.bin")).status, 404);
    if (!isS3())
        QCOMPARE(filesUnder(m_server.dataDir() + QStringLiteral("/files/uploads")), partsBefore);
}

// Parts sent in order are hashed as they arrive; part 1 sent again with other bytes after
// that must leave the file, and its ETag, with the bytes sent last.
void TestFilesApi::chunkedUploadDigestFollowsResentParts()
{
    const QByteArray content = randomBytes(1024 * 1024 + 11, 13);
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/resent.bin"), content.size());
    QCOMPARE(upload.status, 201);
    QByteArray first = content.left(upload.partSize);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, first).status, 204);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 2, content.mid(upload.partSize)).status, 204);
    first[7] = char(first[7] ^ 0x5a);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, first).status, 204);
    const QByteArray expected = first + content.mid(upload.partSize);
    const HttpResult completed = post(
        m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_alice.auth());
    QCOMPARE(completed.status, 201);
    QCOMPARE(completed.json().object().value(QStringLiteral("etag")).toString().toLatin1(),
        sha256Hex(expected));
    QVERIFY(getFile(m_alice, QStringLiteral("chunked/resent.bin")).body == expected);

    // In order and nothing sent again: the digest taken on the way.
    const StartedUpload straight =
        startUpload(m_server, m_alice, QStringLiteral("chunked/straight.bin"), content.size());
    QCOMPARE(straight.status, 201);
    for (qint64 at = 0, n = 1; at < content.size(); at += straight.partSize, ++n) {
        QCOMPARE(putPart(m_server, m_alice, straight.id, int(n), content.mid(at, straight.partSize))
                     .status,
            204);
    }
    const HttpResult done = post(
        m_server, QStringLiteral("/v1/uploads/%1/complete").arg(straight.id), {}, m_alice.auth());
    QCOMPARE(done.status, 201);
    QCOMPARE(done.json().object().value(QStringLiteral("etag")).toString().toLatin1(),
        sha256Hex(content));
    QVERIFY(getFile(m_alice, QStringLiteral("chunked/straight.bin")).body == content);
}

QString TestFilesApi::execOnServerDatabase(const QStringList &statements)
{
    const QString url = TestServer::onPostgres()
        ? m_server.databaseUrl()
        : QStringLiteral("sqlite://") + m_server.dataDir() + QStringLiteral("/outpost.db");
    auto parsed = Outpost::Server::DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error().detail;
    const Outpost::Server::Database database(*parsed);
    QString error;
    {
        QSqlQuery query(database.connection());
        for (const QString &statement : statements) {
            if (!query.exec(statement)) {
                error = query.lastError().text();
                break;
            }
        }
    }
    database.closeThreadConnection();
    return error;
}

// The database write that records a completed upload fails after the store assembled the
// object (a fault injected with a trigger that raises on the file's row): the client gets a
// problem document saying to complete again, the upload and its parts stay, no file appears;
// completing again once the fault is gone gives the file, and nothing is left behind. On S3
// completing consumed the parts, so the retry takes the object the first attempt made. An
// upload aborted after such a failure takes its object with it.
void TestFilesApi::chunkedUploadCompletesAgainAfterDatabaseFailure()
{
    const QString path = QStringLiteral("chunked/db-fault.bin");
    const QString abandonedPath = QStringLiteral("chunked/db-fault-aborted.bin");
    const QStringList inject = TestServer::onPostgres()
        ? QStringList {QStringLiteral("CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE "
                                      "plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; "
                                      "END $$"),
            QStringLiteral("CREATE TRIGGER test_fault BEFORE INSERT ON files FOR EACH ROW "
                           "WHEN (NEW.path LIKE 'chunked/db-fault%') EXECUTE FUNCTION "
                           "test_fault()")}
        : QStringList {QStringLiteral("CREATE TRIGGER test_fault BEFORE INSERT ON files "
                                      "WHEN NEW.path LIKE 'chunked/db-fault%' BEGIN "
                                      "SELECT RAISE(ABORT, 'injected fault'); END")};
    const QStringList heal = TestServer::onPostgres()
        ? QStringList {QStringLiteral("DROP TRIGGER IF EXISTS test_fault ON files"),
            QStringLiteral("DROP FUNCTION IF EXISTS test_fault()")}
        : QStringList {QStringLiteral("DROP TRIGGER IF EXISTS test_fault")};
    const auto healed = qScopeGuard([&] { execOnServerDatabase(heal); });
    const QString uploadsDir = m_server.dataDir() + QStringLiteral("/files/uploads");
    const QString tmpDir = m_server.dataDir() + QStringLiteral("/files/tmp");
    const QStringList objectsBefore = storeObjects();
    const QStringList partsBefore = isS3() ? QStringList() : filesUnder(uploadsDir);
    const int inProgressBefore = isS3() ? m_s3->uploadsInProgress() : 0;

    const QByteArray content = randomBytes(1024 * 1024 + 3, 21);
    const StartedUpload upload = startUpload(m_server, m_alice, path, content.size());
    QCOMPARE(upload.status, 201);
    const StartedUpload abandoned = startUpload(m_server, m_alice, abandonedPath, 4);
    QCOMPARE(abandoned.status, 201);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, content.left(upload.partSize)).status, 204);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 2, content.mid(upload.partSize)).status, 204);
    QCOMPARE(putPart(m_server, m_alice, abandoned.id, 1, "abcd").status, 204);

    const QString injected = execOnServerDatabase(inject);
    QVERIFY2(injected.isEmpty(), qPrintable(injected));
    const QString completePath = QStringLiteral("/v1/uploads/%1/complete");
    for (const QString &id : {upload.id, abandoned.id}) {
        const HttpResult failed = post(m_server, completePath.arg(id), {}, m_alice.auth());
        OUTPOST_VERIFY_PROBLEM(failed, 500, "Internal Server Error");
        QVERIFY2(failed.json()
                     .object()
                     .value(QStringLiteral("detail"))
                     .toString()
                     .contains(QStringLiteral("complete it again")),
            failed.body.constData());
        // The upload is still there, whole.
        const HttpResult status =
            get(m_server, QStringLiteral("/v1/uploads/") + id, m_alice.auth());
        QCOMPARE(status.status, 200);
        QCOMPARE(receivedParts(status), id == upload.id ? QList<int>({1, 2}) : QList<int>({1}));
    }
    QCOMPARE(getFile(m_alice, path).status, 404);
    QCOMPARE(getFile(m_alice, abandonedPath).status, 404);
    if (!isS3())
        QCOMPARE(filesUnder(tmpDir), QStringList());

    const QString fixed = execOnServerDatabase(heal);
    QVERIFY2(fixed.isEmpty(), qPrintable(fixed));
    const HttpResult completed = post(m_server, completePath.arg(upload.id), {}, m_alice.auth());
    QCOMPARE(completed.status, 201);
    QCOMPARE(completed.json().object().value(QStringLiteral("etag")).toString().toLatin1(),
        sha256Hex(content));
    QVERIFY(getFile(m_bob, path).body == content);
    QCOMPARE(get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth()).status, 404);
    // The other one is given up: its parts and the object its failed completion made go.
    QCOMPARE(
        del(m_server, QStringLiteral("/v1/uploads/") + abandoned.id, m_alice.auth()).status, 204);
    QCOMPARE(getFile(m_alice, abandonedPath).status, 404);

    // Nothing left behind: one new object (the file's), no parts, no temporary files.
    const QStringList objectsAfter = storeObjects();
    QCOMPARE(objectsAfter.size(), objectsBefore.size() + 1);
    for (const QString &object : objectsBefore)
        QVERIFY2(objectsAfter.contains(object), qPrintable(object));
    if (isS3()) {
        QCOMPARE(m_s3->uploadsInProgress(), inProgressBefore);
    } else {
        QCOMPARE(filesUnder(uploadsDir), partsBefore);
        QCOMPARE(filesUnder(tmpDir), QStringList());
    }
    QCOMPARE(del(m_server, filesPath(path), m_alice.auth()).status, 204);
    QCOMPARE(storeObjects(), objectsBefore);
}

void TestFilesApi::cutOffPartKeepsEarlierParts()
{
    const QByteArray content = randomBytes(1024 * 1024 + 7, 9);
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("chunked/cut-off.bin"), content.size());
    QCOMPARE(upload.status, 201);
    QCOMPARE(putPart(m_server, m_alice, upload.id, 1, content.left(upload.partSize)).status, 204);
    MetricsProbe probe(m_server.port());
    const double connections = probe.openConnections();
    {
        // Part 2 starts, then the connection drops mid-body.
        RawConnection connection(m_server.port());
        QVERIFY(connection.send("PUT /v1/uploads/" + upload.id.toLatin1()
            + "/parts/2 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_alice.accessToken
            + "\r\nContent-Type: application/octet-stream\r\n" + "Content-Length: 7\r\n\r\nabc"));
        QTRY_COMPARE(probe.openConnections(), connections + 1); // the server holds it
        connection.close();
    }
    QTRY_COMPARE(probe.openConnections(), connections); // and the server has seen it go
    QCOMPARE(spooledBodies(), QStringList());
    const HttpResult status =
        get(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth());
    QCOMPARE(receivedParts(status), QList<int>({1}));
    // Resume: send part 2 again, complete.
    QCOMPARE(putPart(m_server, m_alice, upload.id, 2, content.mid(upload.partSize)).status, 204);
    QCOMPARE(
        post(m_server, QStringLiteral("/v1/uploads/%1/complete").arg(upload.id), {}, m_alice.auth())
            .status,
        201);
    QVERIFY(getFile(m_alice, QStringLiteral("chunked/cut-off.bin")).body == content);
}

void TestFilesApi::spooledBodyOfARejectedRequestLeavesNothing()
{
    // The body is written before the route's checks run: a request they refuse (no
    // credentials, a bad part number) leaves no file.
    const QByteArray content = randomBytes(64 * 1024, 22);
    OUTPOST_VERIFY_PROBLEM(httpRequest("PUT", m_server.url(QStringLiteral("/v1/files/x/anon.bin")),
                               content, {{"Content-Type", "application/octet-stream"}}),
        401, "Unauthorized");
    const StartedUpload upload =
        startUpload(m_server, m_alice, QStringLiteral("x/rejected-part.bin"), content.size());
    QCOMPARE(upload.status, 201);
    OUTPOST_VERIFY_PROBLEM(
        putPart(m_server, m_alice, upload.id, 2, content), 422, "Unprocessable Content");
    OUTPOST_VERIFY_PROBLEM(
        putPart(m_server, m_alice, upload.id, 1, content.left(100)), 422, "Unprocessable Content");
    OUTPOST_VERIFY_PROBLEM(putPart(m_server, m_bob, upload.id, 1, content), 404, "Not Found");
    QCOMPARE(del(m_server, QStringLiteral("/v1/uploads/") + upload.id, m_alice.auth()).status, 204);
    QCOMPARE(getFile(m_alice, QStringLiteral("x/anon.bin")).status, 404);
    QCOMPARE(spooledBodies(), QStringList());
}

void TestFilesApi::chunkedUploadRejectsBadRequests()
{
    const HttpResult unsafe = post(m_server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), QStringLiteral("../x.bin")}, {QStringLiteral("size"), 10}},
        m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(unsafe, 422, "Unprocessable Content");
    QCOMPARE(errorFields(unsafe), QStringList({QStringLiteral("file_path")}));
    const HttpResult negative = post(m_server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), QStringLiteral("x.bin")}, {QStringLiteral("size"), -1}},
        m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(negative, 422, "Unprocessable Content");
    QCOMPARE(errorFields(negative), QStringList({QStringLiteral("size")}));
    const HttpResult malformed = httpRequest("POST", m_server.url(QStringLiteral("/v1/uploads")),
        "{not json", m_alice.auth({{"Content-Type", "application/json"}}));
    OUTPOST_VERIFY_PROBLEM(malformed, 400, "Bad Request");
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/uploads/no-such-upload"), m_alice.auth()), 404,
        "Not Found");
}

void TestFilesApi::chunkedUploadRespectsOwnership()
{
    QCOMPARE(
        putFile(m_alice, QStringLiteral("chunked/alices.txt"), "alice", "text/plain").status, 201);
    const HttpResult started = post(m_server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), QStringLiteral("chunked/alices.txt")},
            {QStringLiteral("size"), 3}},
        m_bob.auth());
    OUTPOST_VERIFY_PROBLEM(started, 403, "Forbidden");
}

// --- AI-generated files ---------------------------------------------------------------------

void TestFilesApi::generatedFilesAreStored_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("text") << QStringLiteral("text") << QStringLiteral("gen/poem.txt")
                          << QStringLiteral("/v1/chat/completions") << QByteArray("text/plain");
    QTest::newRow("markdown") << QStringLiteral("text") << QStringLiteral("gen/notes.md")
                              << QStringLiteral("/v1/chat/completions")
                              << QByteArray("text/markdown");
    QTest::newRow("image") << QStringLiteral("image") << QStringLiteral("gen/picture.png")
                           << QStringLiteral("/v1/images/generations") << QByteArray("image/png");
    QTest::newRow("speech") << QStringLiteral("text-to-speech") << QStringLiteral("gen/speech.mp3")
                            << QStringLiteral("/v1/audio/speech") << QByteArray("audio/mpeg");
}

void TestFilesApi::generatedFilesAreStored()
{
    QFETCH(QString, type);
    QFETCH(QString, path);
    QFETCH(QString, endpoint);
    QFETCH(QByteArray, contentType);
    const QString prompt = QStringLiteral("a lighthouse at dusk (%1)").arg(type);
    const qsizetype callsBefore = m_openAi.calls().size();
    const HttpResult created = post(m_server, QStringLiteral("/v1/files/generated"),
        {{QStringLiteral("file_path"), path}, {QStringLiteral("prompt"), prompt},
            {QStringLiteral("generation_type"), type}},
        m_alice.auth());
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json().object().value(QStringLiteral("file_path")).toString(), path);
    QCOMPARE(m_openAi.calls().size(), callsBefore + 1);
    const FakeOpenAi::Call &call = m_openAi.calls().last();
    QCOMPARE(call.path, endpoint);
    QCOMPARE(call.authorization, QByteArray("Bearer ") + FakeOpenAi::kApiKey);
    if (type == u"text")
        QCOMPARE(call.body.value(QStringLiteral("model")).toString(), QStringLiteral("test-text"));

    const QByteArray expected = type == u"text" ? FakeOpenAi::textFor(prompt)
        : type == u"image"                      ? FakeOpenAi::pngFor(prompt)
                                                : FakeOpenAi::mp3For(prompt);
    const HttpResult read = getFile(m_bob, path);
    QCOMPARE(read.status, 200);
    QCOMPARE(read.body, expected);
    QVERIFY2(read.header("Content-Type").startsWith(contentType), read.header("Content-Type"));
    // The caller owns it.
    OUTPOST_VERIFY_PROBLEM(del(m_server, filesPath(path), m_bob.auth()), 403, "Forbidden");
}

void TestFilesApi::generatedAcceptsOriginalFieldName()
{
    const HttpResult created = post(m_server, QStringLiteral("/v1/files/generated"),
        {{QStringLiteral("file_path"), QStringLiteral("gen/legacy.txt")},
            {QStringLiteral("prompt"), QStringLiteral("hello")},
            {QStringLiteral("file_type"), QStringLiteral("TEXT")}},
        m_alice.auth());
    QCOMPARE(created.status, 201);
    QCOMPARE(getFile(m_alice, QStringLiteral("gen/legacy.txt")).body,
        FakeOpenAi::textFor(QStringLiteral("hello")));
}

void TestFilesApi::generatedExistingPathIs409()
{
    QCOMPARE(putFile(m_alice, QStringLiteral("gen/taken.txt"), "mine", "text/plain").status, 201);
    const qsizetype callsBefore = m_openAi.calls().size();
    const HttpResult result = post(m_server, QStringLiteral("/v1/files/generated"),
        {{QStringLiteral("file_path"), QStringLiteral("gen/taken.txt")},
            {QStringLiteral("prompt"), QStringLiteral("overwrite?")},
            {QStringLiteral("generation_type"), QStringLiteral("text")}},
        m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 409, "Conflict");
    QCOMPARE(m_openAi.calls().size(), callsBefore); // not asked at all
    QCOMPARE(getFile(m_alice, QStringLiteral("gen/taken.txt")).body, QByteArray("mine"));
}

void TestFilesApi::generatedRejectsBadRequests()
{
    const qsizetype callsBefore = m_openAi.calls().size();
    const auto generate = [&](const QJsonObject &body) {
        return post(m_server, QStringLiteral("/v1/files/generated"), body, m_alice.auth());
    };
    HttpResult result = generate({{QStringLiteral("file_path"), QStringLiteral("gen/x.png")},
        {QStringLiteral("prompt"), QStringLiteral("p")},
        {QStringLiteral("generation_type"), QStringLiteral("text")}});
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(errorFields(result), QStringList({QStringLiteral("file_path")}));
    result = generate({{QStringLiteral("file_path"), QStringLiteral("gen/x.txt")},
        {QStringLiteral("prompt"), QStringLiteral("p")},
        {QStringLiteral("generation_type"), QStringLiteral("video")}});
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(errorFields(result), QStringList({QStringLiteral("generation_type")}));
    result = generate({{QStringLiteral("file_path"), QStringLiteral("../x.txt")},
        {QStringLiteral("generation_type"), QStringLiteral("text")}});
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(
        errorFields(result), QStringList({QStringLiteral("file_path"), QStringLiteral("prompt")}));
    result = generate({{QStringLiteral("file_path"), QStringLiteral("gen/x.txt")},
        {QStringLiteral("prompt"), QStringLiteral("p")}});
    QCOMPARE(errorFields(result), QStringList({QStringLiteral("generation_type")}));
    OUTPOST_VERIFY_PROBLEM(httpRequest("POST", m_server.url(QStringLiteral("/v1/files/generated")),
                               "{oops", m_alice.auth({{"Content-Type", "application/json"}})),
        400, "Bad Request");
    QCOMPARE(m_openAi.calls().size(), callsBefore);
}

void TestFilesApi::generatedUpstreamFailureIs503()
{
    m_openAi.setFailing(true);
    auto restore = qScopeGuard([this] { m_openAi.setFailing(false); });
    const HttpResult result = post(m_server, QStringLiteral("/v1/files/generated"),
        {{QStringLiteral("file_path"), QStringLiteral("gen/failed.txt")},
            {QStringLiteral("prompt"), QStringLiteral("p")},
            {QStringLiteral("generation_type"), QStringLiteral("text")}},
        m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 503, "Service Unavailable");
    QVERIFY(!result.body.contains("server_error")); // the upstream's text stays in the log
    QCOMPARE(getFile(m_alice, QStringLiteral("gen/failed.txt")).status, 404);
}

void TestFilesApi::generatedWithoutServiceIs503()
{
    TestServer server; // no OUTPOST_OPENAI_API_KEY
    if (m_s3) {
        server.setEnv(QStringLiteral("OUTPOST_FILE_STORE_URL"),
            QStringLiteral("s3://%1/nokey").arg(m_s3->bucket()));
    }
    QVERIFY2(startServer(server), qPrintable(server.lastError()));
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    const HttpResult result = httpRequest("POST", server.url(QStringLiteral("/v1/files/generated")),
        jsonBytes({{QStringLiteral("file_path"), QStringLiteral("gen/none.txt")},
            {QStringLiteral("prompt"), QStringLiteral("p")},
            {QStringLiteral("generation_type"), QStringLiteral("text")}}),
        user.auth({{"Content-Type", "application/json"}}));
    OUTPOST_VERIFY_PROBLEM(result, 503, "Service Unavailable");
    QCOMPARE(server.stop(), 0);
}

void TestFilesApi::staleUploadsExpire()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_UPLOAD_EXPIRY"), QStringLiteral("1s"));
    if (m_s3) {
        server.setEnv(QStringLiteral("OUTPOST_FILE_STORE_URL"),
            QStringLiteral("s3://%1/expiry").arg(m_s3->bucket()));
    }
    QVERIFY2(startServer(server), qPrintable(server.lastError()));
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    const StartedUpload stale = startUpload(server, user, QStringLiteral("old/stale.bin"), 4);
    QCOMPARE(stale.status, 201);
    QCOMPARE(putPart(server, user, stale.id, 1, "abcd").status, 204);
    const QString uploads = server.dataDir() + QStringLiteral("/files/uploads");
    if (!isS3())
        QCOMPARE(filesUnder(uploads).size(), 1);
    // Expired by both of the server's readings once the clock is a whole second past
    // expires_at (whole seconds): then it is gone, and the next start sweeps it away.
    const QDateTime expiresAt = QDateTime::fromString(
        stale.json.value(QStringLiteral("expires_at")).toString(), Qt::ISODate);
    QVERIFY2(expiresAt.isValid(), qPrintable(textOf(stale.json, "expires_at")));
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() >= expiresAt.addSecs(1), 10'000);
    OUTPOST_VERIFY_PROBLEM(
        get(server, QStringLiteral("/v1/uploads/") + stale.id, user.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(putPart(server, user, stale.id, 1, "abcd"), 404, "Not Found");
    // Starting another upload sweeps the expired ones and their parts away.
    QCOMPARE(startUpload(server, user, QStringLiteral("old/fresh.bin"), 4).status, 201);
    if (!isS3())
        QCOMPARE(filesUnder(uploads), QStringList());
    QCOMPARE(server.stop(), 0);
}

void TestFilesApi::openApiDocumentIsValid()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject paths = result.json().object().value(QStringLiteral("paths")).toObject();
    for (const char *path : {"/v1/files", "/v1/files/{path}", "/v1/files/generated", "/v1/uploads",
             "/v1/uploads/{id}", "/v1/uploads/{id}/parts/{n}", "/v1/uploads/{id}/complete"})
        QVERIFY2(paths.contains(QLatin1String(path)), path);
    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

QTEST_GUILESS_MAIN(TestFilesApi)
#include "tst_filesapi.moc"
