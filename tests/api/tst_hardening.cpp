// The connection guard (server/http/guardedsocket.cpp) against hostile and broken clients:
// limits, malformed framing, request smuggling, slow clients, keep-alive rules and the
// connection cap. Everything goes over raw sockets to a real outpost-server.
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

using namespace Outpost::Test;

namespace {

constexpr int kMaxBody = 64 * 1024; // OUTPOST_MAX_BODY_BYTES=64KiB
constexpr int kIdleMs = 2000;       // OUTPOST_IDLE_TIMEOUT=2
constexpr int kHeaderMs = 1000;     // OUTPOST_HEADER_TIMEOUT=1
constexpr int kBodyMs = 1000;       // OUTPOST_BODY_TIMEOUT=1

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: outpost.test\r\n" + extraHeaders + "\r\n";
}

// A request that would be answered 200 if it were ever smuggled through as a request of its own.
const QByteArray kHidden = QByteArrayLiteral("GET /healthz HTTP/1.1\r\nHost: outpost.test\r\n\r\n");

QByteArray headerFields(int count)
{
    QByteArray fields;
    for (int i = 0; i < count; ++i)
        fields += "X-Field-" + QByteArray::number(i) + ": v\r\n";
    return fields;
}

// Empty if `r` is a guard rejection with this status and title (a problem document, request
// id, Date, nosniff and Connection: close), else what differs.
QString guardProblemMismatch(const RawResponse &r, int status, const QString &title)
{
    QStringList wrong;
    const QJsonObject body = r.json().object();
    if (r.status != status)
        wrong << QStringLiteral("status %1, expected %2").arg(r.status).arg(status);
    if (r.header("Content-Type") != "application/problem+json") {
        wrong
            << QStringLiteral("Content-Type %1").arg(QString::fromLatin1(r.header("Content-Type")));
    }
    if (body.value(QStringLiteral("type")).toString() != QLatin1String("about:blank"))
        wrong << QStringLiteral("type is not about:blank");
    if (body.value(QStringLiteral("title")).toString() != title) {
        wrong << QStringLiteral("title \"%1\", expected \"%2\"")
                     .arg(body.value(QStringLiteral("title")).toString(), title);
    }
    if (body.value(QStringLiteral("status")).toInt() != status)
        wrong << QStringLiteral("body status %1").arg(body.value(QStringLiteral("status")).toInt());
    if (body.value(QStringLiteral("detail")).toString().isEmpty())
        wrong << QStringLiteral("no detail");
    if (r.header("X-Request-Id").isEmpty())
        wrong << QStringLiteral("no X-Request-Id");
    if (r.header("Date").isEmpty())
        wrong << QStringLiteral("no Date");
    if (r.header("X-Content-Type-Options") != "nosniff")
        wrong << QStringLiteral("no X-Content-Type-Options: nosniff");
    if (r.header("Connection").compare("close", Qt::CaseInsensitive) != 0)
        wrong << QStringLiteral("no Connection: close");
    return wrong.join(QStringLiteral("; "));
}

QString describe(const QByteArray &raw)
{
    if (raw.isEmpty())
        return QStringLiteral("nothing came back");
    return QString::fromLatin1(raw.left(600))
        .replace(QLatin1String("\r\n"), QLatin1String("\\r\\n"));
}

// Sends `bytes` over a fresh connection, then half-closes it (shutdown(SHUT_WR), as `nc -N`
// and some health checks do) and reads until the server closes or `timeoutMs` passes.
// `closed` says whether the server closed (rather than the deadline ending the wait).
QByteArray halfClosedExchange(
    quint16 port, const QByteArray &bytes, bool *closed, int timeoutMs = 5000)
{
    *closed = false;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return {};
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QByteArray received;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL) == bytes.size()
        && ::shutdown(fd, SHUT_WR) == 0) {
        QElapsedTimer clock;
        clock.start();
        char buffer[16384];
        while (clock.elapsed() < timeoutMs) {
            pollfd p {fd, POLLIN, 0};
            if (::poll(&p, 1, int(timeoutMs - clock.elapsed())) <= 0)
                break;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) {
                *closed = n == 0 || errno == ECONNRESET;
                break;
            }
            received.append(buffer, n);
        }
    }
    ::close(fd);
    return received;
}

} // namespace

class TestHardening final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void rejectsBadRequestsWithOneProblemAndCloses_data();
    void rejectsBadRequestsWithOneProblemAndCloses();
    void smugglingPayloadsGetExactlyOneResponse_data();
    void smugglingPayloadsGetExactlyOneResponse();
    void rejectionEchoesAValidRequestId();
    void acceptsRequestsAtTheLimits_data();
    void acceptsRequestsAtTheLimits();

    void rejectsLongTargetBeforeItEnds();
    void rejectsChunkedBodyAsSoonAsItExceedsTheLimit();
    void expectContinueSendsContinueThenTheAnswer();
    void expectContinueWithTooLargeBodyGets413WithoutContinue_data();
    void expectContinueWithTooLargeBodyGets413WithoutContinue();

    void answersPipelinedRequestsInOrder();
    void acceptsChunkedBodyAndKeepsFraming();
    void handsEveryPipelinedRequestItsOwnBody();
    void joinsRepeatedHeaderFields();
    void headAnswerInPipelineHasNoBody();
    void http11KeepsConnectionOpenByDefault();
    void connectionCloseIsHonoured();
    void http10WithoutKeepAliveCloses();
    void http10WithKeepAliveStaysOpen();

    void slowHeadersGet408AndClose();
    void stalledBodyGets408AndClose();
    void slowButMovingBodyIsNotCutOff();
    void idleKeepAliveConnectionIsClosedSilently();

    void connectionCapPausesAndResumesAccepting();

    void halfClosedClientGetsItsReply_data();
    void halfClosedClientGetsItsReply();
    void halfCloseWithAnIncompleteRequestCloses();

    void serverSurvivesAndStopsCleanly();

private:
    TestServer m_server;
};

void TestHardening::halfClosedClientGetsItsReply_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("responses");
    const QByteArray post = QByteArrayLiteral("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\n"
                                              "Content-Length: 2\r\n\r\n{}");
    QTest::newRow("keep-alive") << get("/healthz") << 1;
    QTest::newRow("Connection: close") << get("/healthz", "Connection: close\r\n") << 1;
    QTest::newRow("HTTP/1.0") << QByteArray("GET /healthz HTTP/1.0\r\n\r\n") << 1;
    QTest::newRow("pipelined pair") << get("/healthz") + get("/readyz") << 2;
    QTest::newRow("pipelined, second 405") << get("/healthz") + post << 2;
    const QByteArray login =
        QByteArrayLiteral("{\"email\":\"nobody@example.com\",\"password\":\"Not-the-password-1\"}");
    QTest::newRow("a handler that answers later (bcrypt off the event loop)")
        << "POST /v1/login HTTP/1.1\r\nHost: outpost.test\r\nContent-Type: application/json\r\n"
           "Content-Length: "
            + QByteArray::number(login.size()) + "\r\n\r\n" + login
        << 1;
}

// A complete request followed by the client's half-close gets its whole reply, then the server
// closes: nothing more can come.
void TestHardening::halfClosedClientGetsItsReply()
{
    QFETCH(QByteArray, request);
    QFETCH(int, responses);
    bool closed = false;
    const QByteArray raw = halfClosedExchange(m_server.port(), request, &closed);
    const QList<RawResponse> answers = parseResponses(raw);
    QVERIFY2(answers.size() == responses, qPrintable(describe(raw)));
    QVERIFY2(answers.constFirst().status == 200 || answers.constFirst().status == 401,
        qPrintable(describe(raw)));
    QVERIFY2(closed, "the server did not close after answering a half-closed client");
}

// Half a request and then the half-close: it can never complete, so the connection closes
// (without waiting for the header timeout), and nothing is answered.
void TestHardening::halfCloseWithAnIncompleteRequestCloses()
{
    bool closed = false;
    QElapsedTimer clock;
    clock.start();
    const QByteArray raw = halfClosedExchange(
        m_server.port(), QByteArrayLiteral("GET /healthz HTTP/1.1\r\nHo"), &closed, kHeaderMs * 4);
    QVERIFY2(closed, "the server did not close");
    QVERIFY2(clock.elapsed() < kHeaderMs, "closed by the header timeout, not the half-close");
    QVERIFY2(raw.isEmpty(), qPrintable(describe(raw)));
}

void TestHardening::initTestCase()
{
    m_server.setEnv(QStringLiteral("OUTPOST_MAX_BODY_BYTES"), QStringLiteral("64KiB"));
    m_server.setEnv(QStringLiteral("OUTPOST_IDLE_TIMEOUT"), QString::number(kIdleMs / 1000));
    m_server.setEnv(QStringLiteral("OUTPOST_HEADER_TIMEOUT"), QString::number(kHeaderMs / 1000));
    m_server.setEnv(QStringLiteral("OUTPOST_BODY_TIMEOUT"), QString::number(kBodyMs / 1000));
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
}

void TestHardening::rejectsBadRequestsWithOneProblemAndCloses_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("title");

    const QString badRequest = QStringLiteral("Bad Request");
    QTest::newRow("target over 8 KiB")
        << get(QByteArray("/" + QByteArray(8192, 'a'))) << 414 << QStringLiteral("URI Too Long");
    QTest::newRow("header block over 32 KiB")
        << get("/healthz", "X-Big: " + QByteArray(33LL * 1024, 'a') + "\r\n") << 431
        << QStringLiteral("Request Header Fields Too Large");
    QTest::newRow("101 header fields") << get("/healthz", headerFields(100)) << 431
                                       << QStringLiteral("Request Header Fields Too Large");
    QTest::newRow("Content-Length over the body limit")
        << QByteArray("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nContent-Length: "
               + QByteArray::number(kMaxBody + 1) + "\r\n\r\n")
        << 413 << QStringLiteral("Content Too Large");
    QTest::newRow("TLS handshake")
        << QByteArray(QByteArray::fromHex("16030100a5010000a10303") + "garbage\r\n\r\n") << 400
        << badRequest;
    QTest::newRow("space in target") << get("/heal thz") << 400 << badRequest;
    QTest::newRow("extra token in request line")
        << QByteArray("GET /healthz HTTP/1.1 extra\r\nHost: outpost.test\r\n\r\n") << 400
        << badRequest;
    QTest::newRow("lower-case method")
        << QByteArray("get /healthz HTTP/1.1\r\nHost: outpost.test\r\n\r\n") << 400 << badRequest;
    QTest::newRow("misspelt protocol name")
        << QByteArray("GET /healthz HTTX/1.1\r\nHost: outpost.test\r\n\r\n") << 400 << badRequest;
    QTest::newRow("header line without colon")
        << get("/healthz", "NoColon\r\n") << 400 << badRequest;
    QTest::newRow("control character in field name")
        << get("/healthz", "Bad\x01Name: v\r\n") << 400 << badRequest;
    QTest::newRow("NUL in target") << get(QByteArray("/\0", 2)) << 400 << badRequest;
    QTest::newRow("missing Host on HTTP/1.1")
        << QByteArray("GET /healthz HTTP/1.1\r\n\r\n") << 400 << badRequest;
    QTest::newRow("two Host fields")
        << get("/healthz", "Host: other.test\r\n") << 400 << badRequest;
    QTest::newRow("HTTP/2.0") << QByteArray("GET /healthz HTTP/2.0\r\nHost: outpost.test\r\n\r\n")
                              << 505 << QStringLiteral("HTTP Version Not Supported");
    QTest::newRow("HTTP/0.9 request line") << QByteArray("GET /healthz\r\n\r\n") << 505
                                           << QStringLiteral("HTTP Version Not Supported");
    QTest::newRow("PROPFIND") << QByteArray(
        "PROPFIND /healthz HTTP/1.1\r\nHost: outpost.test\r\n\r\n")
                              << 501 << QStringLiteral("Not Implemented");
    QTest::newRow("CONNECT") << QByteArray(
        "CONNECT outpost.test:443 HTTP/1.1\r\nHost: outpost.test\r\n\r\n")
                             << 501 << QStringLiteral("Not Implemented");
    QTest::newRow("unknown expectation")
        << QByteArray("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nExpect: fancy\r\n"
                      "Content-Length: 2\r\n\r\nhi")
        << 417 << QStringLiteral("Expectation Failed");
    QTest::newRow("h2c upgrade") << get("/healthz", "Connection: Upgrade\r\nUpgrade: h2c\r\n")
                                 << 400 << badRequest;
    QTest::newRow("websocket upgrade with a body")
        << QByteArray("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nConnection: Upgrade\r\n"
                      "Upgrade: websocket\r\nContent-Length: 2\r\n\r\nhi")
        << 400 << badRequest;
}

void TestHardening::rejectsBadRequestsWithOneProblemAndCloses()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, title);

    RawConnection connection(m_server.port());
    QVERIFY(connection.send(request));
    QVERIFY2(connection.waitForClosed(3000), "the server did not close the connection");
    const QByteArray raw = connection.received();
    QVERIFY2(responseStatuses(raw).size() == 1, qPrintable(describe(raw)));
    const QList<RawResponse> responses = parseResponses(raw);
    QCOMPARE(responses.size(), 1);
    const QString mismatch = guardProblemMismatch(responses.first(), status, title);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestHardening::smugglingPayloadsGetExactlyOneResponse_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("alsoAcceptable"); // RFC 9112 leaves a choice for a few; 0: none

    const QByteArray post = "POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nConnection: close\r\n";
    const QByteArray hiddenLength = QByteArray::number(kHidden.size());

    QTest::newRow("oversized header block, then a request")
        << QByteArray(get("/healthz", "X-Big: " + QByteArray(33LL * 1024, 'a') + "\r\n") + kHidden)
        << 431 << 0;
    QTest::newRow("negative Content-Length")
        << QByteArray(post + "Content-Length: -1\r\n\r\n" + kHidden) << 400 << 0;
    QTest::newRow("Content-Length with a plus sign")
        << QByteArray(post + "Content-Length: +" + hiddenLength + "\r\n\r\n" + kHidden) << 400 << 0;
    QTest::newRow("Content-Length overflowing 64 bits")
        << QByteArray(post + "Content-Length: 99999999999999999999999\r\n\r\n" + kHidden) << 400
        << 0;
    QTest::newRow("Content-Length then Transfer-Encoding") << QByteArray(
        post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + kHidden)
                                                           << 400 << 0;
    QTest::newRow("Transfer-Encoding then Content-Length") << QByteArray(
        post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + kHidden)
                                                           << 400 << 0;
    QTest::newRow("conflicting Content-Lengths") << QByteArray(
        post + "Content-Length: 0\r\nContent-Length: " + hiddenLength + "\r\n\r\n" + kHidden)
                                                 << 400 << 0;
    QTest::newRow("identical Content-Lengths") << QByteArray(post + "Content-Length: "
        + hiddenLength + "\r\nContent-Length: " + hiddenLength + "\r\n\r\n" + kHidden)
                                               << 400 << 0;
    QTest::newRow("Content-Length list") << QByteArray(
        post + "Content-Length: " + hiddenLength + ", " + hiddenLength + "\r\n\r\n" + kHidden)
                                         << 400 << 0;
    // The hidden request is the body: the POST alone is answered (405, /healthz is GET only).
    QTest::newRow("request hidden in a Content-Length body")
        << QByteArray(post + "Content-Length: " + hiddenLength + "\r\n\r\n" + kHidden) << 405 << 0;
    QTest::newRow("Transfer-Encoding hidden in an obs-fold") << QByteArray(post + "Content-Length: "
        + hiddenLength + "\r\nX-Note: a\r\n\tTransfer-Encoding: chunked\r\n\r\n" + kHidden)
                                                             << 405 << 400;
    QTest::newRow("obs-folded Content-Length")
        << QByteArray(post + "Content-Length: 0\r\n " + hiddenLength + "\r\n\r\n" + kHidden) << 400
        << 0;
    // RFC 9112 5.1: whitespace between field name and colon MUST be rejected with 400.
    QTest::newRow("space before colon in Content-Length")
        << QByteArray(post + "Content-Length : " + hiddenLength + "\r\n\r\n" + kHidden) << 400 << 0;
    QTest::newRow("space before colon in Transfer-Encoding") << QByteArray(
        post + "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + kHidden)
                                                             << 400 << 0;
    QTest::newRow("chunked not the final coding")
        << QByteArray(post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n" + kHidden) << 400
        << 0;
    QTest::newRow("unknown transfer coding")
        << QByteArray(post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + kHidden) << 400 << 0;
    QTest::newRow("identity coding with Content-Length")
        << QByteArray(post + "Transfer-Encoding: identity\r\nContent-Length: 0\r\n\r\n" + kHidden)
        << 400 << 0;
    QTest::newRow("invalid chunk size")
        << QByteArray(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n" + kHidden) << 400 << 0;
}

void TestHardening::smugglingPayloadsGetExactlyOneResponse()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(int, alsoAcceptable);

    RawConnection connection(m_server.port());
    QVERIFY(connection.send(request));
    QVERIFY2(connection.waitForClosed(3000), "the server did not close the connection");
    const QByteArray raw = connection.received();
    const QList<int> statuses = responseStatuses(raw);
    QVERIFY2(statuses.size() == 1, qPrintable(describe(raw)));
    if (statuses.first() != alsoAcceptable)
        QCOMPARE(statuses.first(), status);
}

void TestHardening::rejectionEchoesAValidRequestId()
{
    const QByteArray raw = rawExchange(
        m_server.port(), get("/healthz", "X-Request-Id: hardening-417.a:b_c\r\nExpect: fancy\r\n"));
    const QList<RawResponse> responses = parseResponses(raw);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 417);
    QCOMPARE(responses.first().header("X-Request-Id"), QByteArray("hardening-417.a:b_c"));

    const QByteArray other = rawExchange(m_server.port(), get("/healthz", "Expect: fancy\r\n"));
    const QList<RawResponse> again = parseResponses(other);
    QCOMPARE(again.size(), 1);
    static const QRegularExpression hex32(QStringLiteral("^[0-9a-f]{32}$"));
    QVERIFY(hex32.match(QString::fromLatin1(again.first().header("X-Request-Id"))).hasMatch());
}

void TestHardening::acceptsRequestsAtTheLimits_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    const QByteArray close = "Connection: close\r\n";
    // 8 KiB exactly: served (404, no such path) rather than refused as too long.
    QTest::newRow("target of exactly 8 KiB")
        << get(QByteArray("/" + QByteArray(8191, 'a')), close) << 404;
    QTest::newRow("100 header fields")
        << get("/healthz", QByteArray(headerFields(98) + close)) << 200;
    QTest::newRow("30 KiB header block")
        << get("/healthz", QByteArray("X-Big: " + QByteArray(30LL * 1024, 'a') + "\r\n" + close))
        << 200;
    QTest::newRow("body of exactly the limit")
        << QByteArray("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nConnection: close\r\n"
                      "Content-Length: "
               + QByteArray::number(kMaxBody) + "\r\n\r\n" + QByteArray(kMaxBody, 'b'))
        << 405;
    QTest::newRow("harmless obs-fold")
        << get("/healthz", QByteArray("X-Note: a\r\n b\r\n" + close)) << 200;
    QTest::newRow("HTTP/1.0 without Host") << QByteArray("GET /healthz HTTP/1.0\r\n\r\n") << 200;
}

void TestHardening::acceptsRequestsAtTheLimits()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);

    RawConnection connection(m_server.port());
    QVERIFY(connection.send(request));
    QVERIFY(connection.waitForClosed(3000));
    QCOMPARE(responseStatuses(connection.received()), QList<int> {status});
}

void TestHardening::rejectsLongTargetBeforeItEnds()
{
    // A request line that never ends must not be buffered: 414 comes once 8 KiB have arrived,
    // while the client is still sending (this one would go on to 20 KiB).
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("GET /"));
    qsizetype sent = 5;
    bool answered = false;
    while (sent < 20LL * 1024 && !answered) {
        if (!connection.send(QByteArray(2048, 'a')))
            break;
        sent += 2048;
        answered = connection.waitFor("\r\n\r\n", sent > 8LL * 1024 ? 1000 : 20);
    }
    QVERIFY2(answered, "no answer while the target was still arriving");
    QVERIFY(sent < 20LL * 1024);
    QVERIFY(connection.waitForClosed(2000));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responses.size(), 1);
    const QString mismatch =
        guardProblemMismatch(responses.first(), 414, QStringLiteral("URI Too Long"));
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestHardening::rejectsChunkedBodyAsSoonAsItExceedsTheLimit()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n"));
    // One chunk announced at 96 KiB; only a little over the limit is sent, and the rest never.
    QVERIFY(connection.send("18000\r\n" + QByteArray(kMaxBody + 1024, 'c')));
    QVERIFY(connection.waitForClosed(3000));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responses.size(), 1);
    // 413, not the body timeout's 408: the guard did not wait for the rest.
    const QString mismatch =
        guardProblemMismatch(responses.first(), 413, QStringLiteral("Content Too Large"));
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestHardening::expectContinueSendsContinueThenTheAnswer()
{
    RawConnection connection(m_server.port());
    QVERIFY(
        connection.send("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nExpect: 100-continue\r\n"
                        "Content-Length: 5\r\nConnection: close\r\n\r\n"));
    QVERIFY(connection.waitFor("\r\n\r\n", 2000));
    QCOMPARE(connection.received(), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    QVERIFY(connection.send("hello"));
    QVERIFY(connection.waitForClosed(3000));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responses.size(), 2);
    QCOMPARE(responses.at(0).status, 100);
    QCOMPARE(responses.at(1).status, 405);
    QCOMPARE(responses.at(1).header("Allow"), QByteArray("GET, HEAD, OPTIONS"));
    QCOMPARE(responses.at(1).json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("Method Not Allowed"));
}

void TestHardening::expectContinueWithTooLargeBodyGets413WithoutContinue_data()
{
    QTest::addColumn<QByteArray>("lengthField");
    QTest::addColumn<int>("status");

    QTest::newRow("Content-Length") << QByteArray("Content-Length: 100000") << 413;
    // The same declared size, spelt with whitespace before the colon: it must not be
    // continued either (RFC 9112 5.1 asks for 400).
    QTest::newRow("Content-Length with space before colon")
        << QByteArray("Content-Length : 100000") << 400;
}

void TestHardening::expectContinueWithTooLargeBodyGets413WithoutContinue()
{
    QFETCH(QByteArray, lengthField);
    QFETCH(int, status);

    QElapsedTimer clock;
    clock.start();
    RawConnection connection(m_server.port());
    QVERIFY(
        connection.send("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nExpect: 100-continue\r\n"
            + lengthField + "\r\n\r\n"));
    QVERIFY(connection.waitForClosed(3000));
    const QByteArray raw = connection.received();
    QVERIFY2(!raw.contains(" 100 Continue"), qPrintable(describe(raw)));
    QVERIFY2(clock.elapsed() < kHeaderMs, "the answer waited for a timeout");
    const QList<RawResponse> responses = parseResponses(raw);
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, status);
}

void TestHardening::answersPipelinedRequestsInOrder()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send(get("/healthz", "X-Request-Id: pipe-1\r\n")
        + get("/nope", "X-Request-Id: pipe-2\r\n") + get("/healthz", "X-Request-Id: pipe-3\r\n")));
    QVERIFY(connection.waitForResponses(3, 3000));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responseStatuses(connection.received()), (QList<int> {200, 404, 200}));
    QCOMPARE(responses.at(0).header("X-Request-Id"), QByteArray("pipe-1"));
    QCOMPARE(responses.at(1).header("X-Request-Id"), QByteArray("pipe-2"));
    QCOMPARE(responses.at(2).header("X-Request-Id"), QByteArray("pipe-3"));
    QCOMPARE(responses.at(1).json().object().value(QStringLiteral("instance")).toString(),
        QStringLiteral("/nope"));
    QVERIFY(connection.isConnected()); // keep-alive: all three on one connection
}

void TestHardening::acceptsChunkedBodyAndKeepsFraming()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
        + get("/healthz", "Connection: close\r\n")));
    QVERIFY(connection.waitForClosed(3000));
    QCOMPARE(responseStatuses(connection.received()), (QList<int> {405, 200}));
}

// Bodies reach the handler intact whichever way the guard framed them: followed by another
// request in the same read (copied out), chunked (de-chunked) and last in the buffer (the
// buffer itself becomes the body).
void TestHardening::handsEveryPipelinedRequestItsOwnBody()
{
    const auto registration = [](const QByteArray &name) -> QByteArray {
        return R"({"email":")" + name + R"(@pipelined.test","password":"pipelined secret"})";
    };
    const auto post = [](const QByteArray &body,
                          const QByteArray &extraHeaders = {}) -> QByteArray {
        return "POST /v1/users HTTP/1.1\r\nHost: outpost.test\r\nContent-Type: application/json\r\n"
            + extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
            + body;
    };
    const QByteArray chunked = registration("second");
    const QByteArray split = QByteArray::number(10, 16) + "\r\n" + chunked.left(10) + "\r\n"
        + QByteArray::number(chunked.size() - 10, 16) + "\r\n" + chunked.mid(10) + "\r\n0\r\n\r\n";
    RawConnection connection(m_server.port(), 10'000);
    QVERIFY(connection.send(post(registration("first"))
        + "POST /v1/users HTTP/1.1\r\nHost: outpost.test\r\nContent-Type: application/json\r\n"
          "Transfer-Encoding: chunked\r\n\r\n"
        + split + post(registration("third"), "Connection: close\r\n")));
    QVERIFY(connection.waitForClosed(10'000));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responseStatuses(connection.received()), (QList<int> {201, 201, 201}));
    const QStringList expected {QStringLiteral("first@pipelined.test"),
        QStringLiteral("second@pipelined.test"), QStringLiteral("third@pipelined.test")};
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(responses.at(i).json().object().value(QStringLiteral("email")).toString(),
            expected.at(i));
    }
}

// RFC 9110 5.3: repeated fields mean their values joined with commas. Two credentials are
// not one: two Authorization fields, each valid alone, are refused together.
void TestHardening::joinsRepeatedHeaderFields()
{
    const QByteArray login = R"({"email":"repeated@headers.test","password":"repeated secret"})";
    RawConnection connection(m_server.port(), 10'000);
    QVERIFY(connection.send("POST /v1/users HTTP/1.1\r\nHost: outpost.test\r\n"
                            "Content-Type: application/json\r\nContent-Length: "
        + QByteArray::number(login.size()) + "\r\n\r\n" + login
        + "POST /v1/login HTTP/1.1\r\nHost: outpost.test\r\n"
          "Content-Type: application/json\r\nContent-Length: "
        + QByteArray::number(login.size()) + "\r\n\r\n" + login));
    QVERIFY(connection.waitForResponses(2, 10'000));
    QCOMPARE(responseStatuses(connection.received()), (QList<int> {201, 200}));
    const QByteArray token = connection.responses()
                                 .at(1)
                                 .json()
                                 .object()
                                 .value(QStringLiteral("access_token"))
                                 .toString()
                                 .toLatin1();
    QVERIFY(!token.isEmpty());

    // Alone, with spaces around the value, the token works; twice, it does not.
    QVERIFY(connection.send(get("/v1/users/me", "Authorization:   Bearer " + token + "  \r\n")));
    QVERIFY(connection.waitForResponses(3, 3000));
    QVERIFY(connection.send(get("/v1/users/me",
        "Authorization: Bearer " + token + "\r\nauthorization: Bearer " + token + "\r\n")));
    QVERIFY(connection.waitForResponses(4, 3000));
    QCOMPARE(responseStatuses(connection.received()), (QList<int> {201, 200, 200, 401}));
    QCOMPARE(connection.responses().at(2).json().object().value(QStringLiteral("email")).toString(),
        QStringLiteral("repeated@headers.test"));
}

void TestHardening::headAnswerInPipelineHasNoBody()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("HEAD /healthz HTTP/1.1\r\nHost: outpost.test\r\n\r\n"
        + get("/healthz", "Connection: close\r\n")));
    QVERIFY(connection.waitForClosed(3000));
    const QByteArray raw = connection.received();
    const qsizetype firstEnd = raw.indexOf("\r\n\r\n");
    QVERIFY(firstEnd > 0);
    QVERIFY2(raw.left(firstEnd).contains("\r\nContent-Length: 15"), qPrintable(describe(raw)));
    // The GET's answer follows the HEAD's header block directly.
    QVERIFY2(raw.mid(firstEnd + 4).startsWith("HTTP/1.1 200 OK\r\n"), qPrintable(describe(raw)));
    QVERIFY(raw.endsWith("{\"status\":\"ok\"}"));
}

void TestHardening::http11KeepsConnectionOpenByDefault()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send(get("/healthz")));
    QVERIFY(connection.waitForResponses(1, 2000));
    QVERIFY(!connection.responses().first().hasHeader("Connection"));
    QVERIFY(connection.isConnected());
    QVERIFY(connection.send(get("/healthz")));
    QVERIFY(connection.waitForResponses(2, 2000));
    QCOMPARE(responseStatuses(connection.received()), (QList<int> {200, 200}));
}

void TestHardening::connectionCloseIsHonoured()
{
    QElapsedTimer clock;
    clock.start();
    RawConnection connection(m_server.port());
    QVERIFY(connection.send(get("/healthz", "Connection: close\r\n")));
    QVERIFY(connection.waitForClosed(kIdleMs / 2));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 200);
    QCOMPARE(responses.first().header("Connection"), QByteArray("close"));
    QVERIFY(clock.elapsed() < kIdleMs / 2); // closed after the answer, not by the idle timer
}

void TestHardening::http10WithoutKeepAliveCloses()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("GET /healthz HTTP/1.0\r\nHost: outpost.test\r\n\r\n"));
    QVERIFY(connection.waitForClosed(kIdleMs / 2));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses.first().status, 200);
    QCOMPARE(responses.first().header("Connection"), QByteArray("close"));
    QCOMPARE(responses.first().body, QByteArray("{\"status\":\"ok\"}"));
}

void TestHardening::http10WithKeepAliveStaysOpen()
{
    const QByteArray request = "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    RawConnection connection(m_server.port());
    QVERIFY(connection.send(request));
    QVERIFY(connection.waitForResponses(1, 2000));
    QCOMPARE(connection.responses().first().status, 200);
    QCOMPARE(connection.responses().first().header("Connection"), QByteArray("keep-alive"));
    QVERIFY(connection.isConnected());
    QVERIFY(connection.send(request));
    QVERIFY(connection.waitForResponses(2, 2000));
    QCOMPARE(connection.responses().at(1).status, 200);
}

void TestHardening::slowHeadersGet408AndClose()
{
    // Slow-loris: a byte every 200 ms keeps the connection busy, but the headers as a whole
    // must arrive within the header timeout.
    QElapsedTimer clock;
    clock.start();
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("GET /healthz HTTP/1.1\r\nHost: outpost.test\r\nX-Slow: "));
    while (connection.isConnected() && clock.elapsed() < 4LL * kHeaderMs) {
        if (!connection.send("a") || connection.waitFor("\r\n\r\n", 200))
            break;
    }
    QVERIFY(connection.waitForClosed(2000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= kHeaderMs - 100 && elapsed < 2 * kHeaderMs + 500,
        qPrintable(QString::number(elapsed)));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responses.size(), 1);
    const QString mismatch =
        guardProblemMismatch(responses.first(), 408, QStringLiteral("Request Timeout"));
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestHardening::stalledBodyGets408AndClose()
{
    QElapsedTimer clock;
    clock.start();
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nContent-Length: 10\r\n"
                            "\r\nabc"));
    QVERIFY(connection.waitForClosed(kBodyMs + 2000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= kBodyMs - 100, qPrintable(QString::number(elapsed)));
    const QList<RawResponse> responses = connection.responses();
    QCOMPARE(responses.size(), 1);
    const QString mismatch =
        guardProblemMismatch(responses.first(), 408, QStringLiteral("Request Timeout"));
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestHardening::slowButMovingBodyIsNotCutOff()
{
    // Six bytes, one every 300 ms: longer than the body timeout in total, but never stalled
    // for that long. The pauses are the client's pace, not a check: a cut-off would answer 408
    // on this connection before anything else, so the one answer it gets decides.
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("POST /healthz HTTP/1.1\r\nHost: outpost.test\r\nContent-Length: 6\r\n"
                            "Connection: close\r\n\r\n"));
    for (int i = 0; i < 6; ++i) {
        connection.readFor(300);
        QVERIFY2(connection.send("x"), qPrintable(describe(connection.received())));
    }
    QVERIFY(connection.waitForClosed(2000));
    QCOMPARE(responseStatuses(connection.received()), QList<int> {405});
}

void TestHardening::idleKeepAliveConnectionIsClosedSilently()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send(get("/healthz")));
    QVERIFY(connection.waitForResponses(1, 2000));
    const qsizetype answered = connection.received().size();
    QElapsedTimer clock;
    clock.start();
    QVERIFY(connection.waitForClosed(kIdleMs + 2000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= kIdleMs - 300, qPrintable(QString::number(elapsed)));
    QCOMPARE(connection.received().size(), answered); // no 408 or anything else: just closed
}

void TestHardening::connectionCapPausesAndResumesAccepting()
{
    TestServer capped;
    capped.setEnv(QStringLiteral("OUTPOST_MAX_CONNECTIONS"), QStringLiteral("4"));
    capped.setEnv(QStringLiteral("OUTPOST_THREADS"), QStringLiteral("1"));
    capped.setEnv(QStringLiteral("OUTPOST_IDLE_TIMEOUT"), QStringLiteral("30"));
    capped.setEnv(QStringLiteral("OUTPOST_HEADER_TIMEOUT"), QStringLiteral("30"));
    QVERIFY2(capped.start(), qPrintable(capped.lastError()));

    // Four connections: three plain ones and the probe, which reads the server's gauges.
    MetricsProbe probe(capped.port());
    QCOMPARE(probe.openConnections(), 1.0);
    std::vector<std::unique_ptr<RawConnection>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<RawConnection>(capped.port()));
        QVERIFY(open.back()->send(get("/healthz")));
        QVERIFY2(open.back()->waitForResponses(1, 2000), qPrintable(QString::number(i)));
    }
    QCOMPARE(probe.openConnections(), 4.0);

    // The kernel still completes the handshake (backlog), but the server does not take it. Its
    // one thread would have: the connection was pending before the probe's next request, and
    // the round trip of that request is a turn of the server's event loop, so by the second
    // the server would count it.
    RawConnection fifth(capped.port());
    QVERIFY(fifth.isConnected());
    QVERIFY(fifth.send(get("/healthz", "Connection: close\r\n")));
    QCOMPARE(probe.openConnections(), 4.0);
    QCOMPARE(probe.openConnections(), 4.0);

    open.front()->close();
    QVERIFY(fifth.waitForClosed(3000));
    QCOMPARE(responseStatuses(fifth.received()), QList<int> {200});

    open.clear();
    QCOMPARE(capped.stop(), 0);
}

void TestHardening::serverSurvivesAndStopsCleanly()
{
    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/healthz")));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.body, QByteArray("{\"status\":\"ok\"}"));
    QCOMPARE(m_server.stop(), 0);
}

QTEST_GUILESS_MAIN(TestHardening)
#include "tst_hardening.moc"
