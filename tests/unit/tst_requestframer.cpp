// Request framing (server/http/requestframer.cpp) without a socket: what one feed() reports,
// how a complete request is released and what stays behind it. tst_hardening checks the same
// rules end to end, through a server's answers.
#include "http/requestframer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Server;

namespace {

GuardLimits smallLimits()
{
    GuardLimits limits;
    limits.maxTargetBytes = 32;
    limits.maxHeaderBytes = 256;
    limits.maxHeaderCount = 4;
    limits.maxBodyBytes = 16;
    limits.websocketPaths = {QByteArrayLiteral("/v1/events")};
    return limits;
}

QByteArray header(const FramedRequest &request, const QByteArray &name)
{
    for (const HeaderField &field : request.headers) {
        if (field.name == name)
            return field.value;
    }
    return {};
}

} // namespace

class TestRequestFramer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesAGetInOneFeed();
    void waitsForTheRestOfTheHeaders();
    void takesPipelinedRequestsOneAtATime();
    void makesTheInputTheBodyWhenNothingFollows();
    void copiesTheBodyWhenARequestFollows();
    void asksForContinueBeforeTheBody();
    void reportsBodyBytesAsTheyCome();
    void deChunksAChunkedBody();
    void keepsAValidRequestIdOnly();
    void releasesAWebSocketUpgradeWithWhatFollows();
    void rejects_data();
    void rejects();
    void rejectsABodyThatGrowsPastTheLimit();
    void spoolsABodyToAFileAsItArrives();
    void spoolsADeChunkedBody();
    void keepsAPipelinedRequestBehindASpooledBody();
    void spoolsNothingForATooLargeContentLength();
    void dropsTheFileOfABodyThatGrowsPastTheLimit();
    void dropsTheFileOfABodyCutShort();
    void framesABodyItCannotSpool();
};

namespace {

// A framer whose every body goes to files in `dir`, hashed; counts how often it was asked.
struct SpoolingFramer
{
    explicit SpoolingFramer(const QString &dir, qint64 maxBody = 16)
    {
        limits = smallLimits();
        limits.maxBodyBytes = maxBody;
        framer = std::make_unique<RequestFramer>(limits);
        framer->setSpoolChooser([this, dir](const FramedRequest &) {
            ++asked;
            return BodySpool {dir, true};
        });
    }
    GuardLimits limits;
    std::unique_ptr<RequestFramer> framer;
    int asked = 0;
};

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden);
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

} // namespace

void TestRequestFramer::spoolsABodyToAFileAsItArrives()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SpoolingFramer s(dir.path(), 1 << 20);
    RequestFramer &framer = *s.framer;
    QByteArray body;
    for (int i = 0; i < 5000; ++i)
        body.append(QByteArray::number(i)).append(' ');
    framer.append("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body.left(1000));
    RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Waiting);
    QVERIFY(fed.bodyFollows);
    QVERIFY(fed.bodyArrived);
    QCOMPARE(s.asked, 1);
    // What was parsed went to the file: the input holds nothing of it.
    QCOMPARE(framer.buffered(), 0);
    QCOMPARE(filesIn(dir.path()).size(), 1);
    for (qsizetype at = 1000; at < body.size(); at += 7000) {
        framer.append(body.mid(at, 7000));
        fed = framer.feed();
        QVERIFY(fed.bodyArrived);
        QVERIFY(framer.buffered() == 0 || fed.progress == RequestFramer::Progress::Complete);
    }
    QCOMPARE(fed.progress, RequestFramer::Progress::Complete);
    framer.release();
    QCOMPARE(s.asked, 1);
    const FramedRequest &request = framer.request();
    QVERIFY(request.body.isEmpty());
    QVERIFY(request.spooled);
    QCOMPARE(request.spooled->error(), 0);
    QCOMPARE(request.spooled->size(), body.size());
    QCOMPARE(contentOf(request.spooled->path()), body);
    QCOMPARE(request.spooled->sha256Hex(),
        QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
    QCOMPARE(framer.buffered(), 0);
    // Not taken: the file goes with the request.
    std::shared_ptr<SpooledFile> spooled = request.spooled;
    framer.reset();
    QCOMPARE(filesIn(dir.path()).size(), 1);
    spooled.reset();
    QCOMPARE(filesIn(dir.path()), QStringList());
}

void TestRequestFramer::spoolsADeChunkedBody()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SpoolingFramer s(dir.path(), 64);
    RequestFramer &framer = *s.framer;
    framer.append("PUT /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n1;ext=1\r\n \r\n");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Waiting);
    framer.append("5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    framer.release();
    const FramedRequest &request = framer.request();
    QVERIFY(request.spooled);
    QCOMPARE(contentOf(request.spooled->path()), QByteArray("hello world"));
    QCOMPARE(request.spooled->size(), 11);
    QCOMPARE(request.spooled->sha256Hex(),
        QCryptographicHash::hash("hello world", QCryptographicHash::Sha256).toHex());
    QVERIFY(request.body.isEmpty());
}

void TestRequestFramer::keepsAPipelinedRequestBehindASpooledBody()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SpoolingFramer s(dir.path());
    RequestFramer &framer = *s.framer;
    const QByteArray next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    framer.append("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd" + next);
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    framer.release();
    QCOMPARE(contentOf(framer.request().spooled->path()), QByteArray("abcd"));
    QCOMPARE(framer.buffered(), next.size());
    framer.reset();
    QCOMPARE(filesIn(dir.path()), QStringList()); // nobody took it
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    framer.release();
    QCOMPARE(framer.request().target, QByteArray("/next"));
    QVERIFY(!framer.request().spooled);
    QCOMPARE(s.asked, 1); // a request without a body is not asked about
}

void TestRequestFramer::spoolsNothingForATooLargeContentLength()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SpoolingFramer s(dir.path());
    RequestFramer &framer = *s.framer;
    framer.append("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                  "Content-Length: 17\r\n\r\n");
    const RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Rejected);
    QCOMPARE(framer.rejectStatus(), 413);
    QVERIFY(!fed.sendContinue);
    QCOMPARE(s.asked, 0);
    QCOMPARE(filesIn(dir.path()), QStringList());
}

void TestRequestFramer::dropsTheFileOfABodyThatGrowsPastTheLimit()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SpoolingFramer s(dir.path());
    RequestFramer &framer = *s.framer;
    framer.append("PUT /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "a\r\n0123456789\r\n");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Waiting);
    QCOMPARE(filesIn(dir.path()).size(), 1);
    framer.append("7\r\nabcdefg\r\n");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Rejected);
    QCOMPARE(framer.rejectStatus(), 413);
    QCOMPARE(filesIn(dir.path()), QStringList());
}

void TestRequestFramer::dropsTheFileOfABodyCutShort()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    {
        SpoolingFramer s(dir.path());
        s.framer->append("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        QCOMPARE(s.framer->feed().progress, RequestFramer::Progress::Waiting);
        QCOMPARE(filesIn(dir.path()).size(), 1);
        // The connection closes (GuardedSocket::closeConnection()).
        s.framer->discardBody();
        QCOMPARE(filesIn(dir.path()), QStringList());
        s.framer->reset();
        s.framer->append("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        QCOMPARE(s.framer->feed().progress, RequestFramer::Progress::Waiting);
        QCOMPARE(filesIn(dir.path()).size(), 1);
    } // or the connection is destroyed
    QCOMPARE(filesIn(dir.path()), QStringList());
}

void TestRequestFramer::framesABodyItCannotSpool()
{
    // No such directory: the body is still framed (and dropped); the file's error says why,
    // for the route to answer (the store makes it 507 when the disk is full).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SpoolingFramer s(dir.filePath(QStringLiteral("missing")));
    RequestFramer &framer = *s.framer;
    framer.append("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    framer.release();
    QVERIFY(framer.request().spooled);
    QCOMPARE(framer.request().spooled->error(), ENOENT);
    QCOMPARE(framer.request().spooled->size(), 4);
    QVERIFY(!QFile::exists(framer.request().spooled->path()));
}

void TestRequestFramer::framesAGetInOneFeed()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append("GET /v1/posts?limit=2 HTTP/1.1\r\nHost: a\r\nX-Two:  b c \r\n\r\n");
    const RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Complete);
    QVERIFY(fed.requestBegan);
    QVERIFY(!fed.bodyFollows);
    QVERIFY(!fed.sendContinue);
    framer.release();
    const FramedRequest &request = framer.request();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.target, QByteArray("/v1/posts?limit=2"));
    QCOMPARE(request.httpMinor, 1);
    QVERIFY(request.keepAlive);
    QCOMPARE(request.headers.size(), 2);
    QCOMPARE(header(request, "x-two"), QByteArray("b c"));
    QVERIFY(request.body.isEmpty());
    QCOMPARE(framer.buffered(), 0);
}

void TestRequestFramer::waitsForTheRestOfTheHeaders()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append("GET / HTTP/1.1\r\nHo");
    RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Waiting);
    QVERIFY(fed.requestBegan);
    QVERIFY(!framer.hasUnparsedInput());

    framer.append("st: a\r\n\r\n");
    fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Complete);
    QVERIFY(!fed.requestBegan); // it began in the first feed
    QCOMPARE(header(framer.request(), "host"), QByteArray("a"));
}

void TestRequestFramer::takesPipelinedRequestsOneAtATime()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    const QByteArray second = "GET /second HTTP/1.1\r\nHost: a\r\n\r\n";
    framer.append(QByteArray("GET /first HTTP/1.1\r\nHost: a\r\n\r\n") + second);
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    QCOMPARE(framer.request().target, QByteArray("/first"));
    framer.release();
    QCOMPARE(framer.buffered(), second.size());

    framer.reset();
    QVERIFY(framer.request().target.isEmpty());
    QVERIFY(framer.hasUnparsedInput());
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    QCOMPARE(framer.request().target, QByteArray("/second"));
    framer.release();
    QCOMPARE(framer.buffered(), 0);
}

void TestRequestFramer::makesTheInputTheBodyWhenNothingFollows()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    const RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Complete);
    QVERIFY(fed.bodyFollows);
    QVERIFY(fed.bodyArrived);
    framer.release();
    QCOMPARE(framer.request().body, QByteArray("hello"));
    QCOMPARE(framer.buffered(), 0);
}

void TestRequestFramer::copiesTheBodyWhenARequestFollows()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    const QByteArray next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    framer.append(QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc") + next);
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    framer.release();
    QCOMPARE(framer.request().body, QByteArray("abc"));
    QCOMPARE(framer.buffered(), next.size());
}

void TestRequestFramer::asksForContinueBeforeTheBody()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append(
        "POST /p HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Waiting);
    QVERIFY(fed.sendContinue);
    QVERIFY(fed.bodyFollows);
    QVERIFY(!fed.bodyArrived);

    framer.append("hi");
    fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Complete);
    QVERIFY(!fed.sendContinue); // once per request
    QVERIFY(fed.bodyArrived);

    // Not for HTTP/1.0, nor for a request without a body.
    for (const QByteArray &request :
        {QByteArray("POST /p HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"),
            QByteArray("POST /p HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                       "Content-Length: 0\r\n\r\n")}) {
        RequestFramer other(limits);
        other.append(request);
        QVERIFY2(!other.feed().sendContinue, request.constData());
    }
}

void TestRequestFramer::reportsBodyBytesAsTheyCome()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n");
    QVERIFY(framer.feed().bodyFollows);
    framer.append("ab");
    RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Waiting);
    QVERIFY(!fed.bodyFollows);
    QVERIFY(fed.bodyArrived);
    framer.append("cd");
    fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Complete);
    framer.release();
    QCOMPARE(framer.request().body, QByteArray("abcd"));
}

void TestRequestFramer::deChunksAChunkedBody()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append("POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    const RequestFramer::Fed fed = framer.feed();
    QCOMPARE(fed.progress, RequestFramer::Progress::Complete);
    QVERIFY(fed.bodyFollows);
    framer.release();
    QCOMPARE(framer.request().body, QByteArray("abcde"));
    QCOMPARE(framer.buffered(), 0);
}

void TestRequestFramer::keepsAValidRequestIdOnly()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id:  abc-1.2:3_4 \r\n\r\n");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    QCOMPARE(framer.request().requestId, QByteArray("abc-1.2:3_4"));

    RequestFramer other(limits);
    other.append("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: a b\r\n\r\n");
    QCOMPARE(other.feed().progress, RequestFramer::Progress::Complete);
    QVERIFY(other.request().requestId.isEmpty());
    QCOMPARE(header(other.request(), "x-request-id"), QByteArray("a b"));
}

void TestRequestFramer::releasesAWebSocketUpgradeWithWhatFollows()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    const QByteArray handshake = "GET /v1/events?x=1 HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                                 "Upgrade: websocket\r\n\r\n";
    const QByteArray frame = QByteArray::fromHex("8100"); // the upgraded protocol's first bytes
    framer.append(handshake + frame);
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Complete);
    QVERIFY(framer.isUpgrade());
    QCOMPARE(framer.takeInput(), QByteArray(handshake + frame));
    QCOMPARE(framer.buffered(), 0);
}

void TestRequestFramer::rejects_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("detail");

    QTest::newRow("target over the limit")
        << QByteArray("GET /" + QByteArray(32, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n") << 414
        << QStringLiteral("the request target is longer than 32 bytes");
    QTest::newRow("more header fields than the limit")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n") << 431
        << QStringLiteral("the request has more than 4 header fields");
    QTest::newRow("header block over the limit")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: " + QByteArray(256, 'v') + "\r\n\r\n") << 431
        << QStringLiteral("the request header block is larger than 256 bytes");
    QTest::newRow("Content-Length over the limit")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n") << 413
        << QStringLiteral("the request body is larger than 16 bytes");
    QTest::newRow("space before the colon")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 1\r\n\r\nx") << 400
        << QStringLiteral("invalid header field name");
    QTest::newRow("bare LF line ends") << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << 400
                                       << QStringLiteral("malformed request line");
    QTest::newRow("no Host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400
                             << QStringLiteral("an HTTP/1.1 request needs a Host header");
    // http_parser's own errors come out as 400 with its description.
    QTest::newRow("chunked and Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                      "Content-Length: 1\r\n\r\n")
        << 400 << QStringLiteral("malformed HTTP request: unexpected content-length header");
    QTest::newRow("unknown expectation")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nExpect: fancy\r\n\r\n") << 417
        << QStringLiteral("the only supported expectation is 100-continue");
    QTest::newRow("unsupported method")
        << QByteArray("PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n") << 501
        << QStringLiteral("method PROPFIND is not supported");
    QTest::newRow("WebSocket elsewhere")
        << QByteArray("GET /v1/posts HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                      "Upgrade: websocket\r\n\r\n")
        << 404 << QStringLiteral("no WebSocket endpoint at this path");
}

void TestRequestFramer::rejects()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, detail);
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append(request);
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Rejected);
    QCOMPARE(framer.rejectStatus(), status);
    QCOMPARE(framer.rejectDetail(), detail);
}

void TestRequestFramer::rejectsABodyThatGrowsPastTheLimit()
{
    const GuardLimits limits = smallLimits();
    RequestFramer framer(limits);
    framer.append("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "a\r\n0123456789\r\n");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Waiting);
    framer.append("7\r\nabcdefg\r\n");
    QCOMPARE(framer.feed().progress, RequestFramer::Progress::Rejected);
    QCOMPARE(framer.rejectStatus(), 413);
    QCOMPARE(framer.rejectDetail(), QStringLiteral("the request body is larger than 16 bytes"));
}

QTEST_GUILESS_MAIN(TestRequestFramer)
#include "tst_requestframer.moc"
