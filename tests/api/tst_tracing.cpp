// W3C trace context and OTLP export (shared/core/tracing.cpp, server/observability/
// spanexporter.cpp, the engine's server spans, the client spans of outgoing calls: the AI
// service, S3, webhooks): against a small OTLP/HTTP receiver this test runs itself (and a
// webhook receiver, tests/support/webhookreceiver.py), and with the collector down.
#include "factories.h"
#include "fakeopenai.h"
#include "s3server.h"
#include "testserver.h"
#include "webhookreceiver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Outpost::Test;

namespace {

// A recording forwarder between the server and a real S3-compatible server: every byte goes
// through unchanged, and the request line and `traceparent` header of each request are kept.
// Requests are framed by Content-Length (what the S3 client sends); a chunked body is noted as
// a framing failure rather than guessed.
class RecordingForwarder final : public QObject
{
public:
    struct Call
    {
        QByteArray method;
        QByteArray target;
        QByteArray traceparent;
    };

    bool start(quint16 upstreamPort)
    {
        m_upstreamPort = upstreamPort;
        connect(&m_server, &QTcpServer::newConnection, this, &RecordingForwarder::accept);
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    QList<Call> calls() const { return m_calls; }
    void clear() { m_calls.clear(); }
    bool framingFailed() const { return m_framingFailed; }

private:
    struct Stream
    {
        QByteArray buffer;
        qint64 bodyLeft = 0;
    };

    void accept()
    {
        while (QTcpSocket *down = m_server.nextPendingConnection()) {
            auto *up = new QTcpSocket(down);
            auto stream = std::make_shared<Stream>();
            connect(down, &QTcpSocket::readyRead, up, [this, down, up, stream] {
                const QByteArray bytes = down->readAll();
                record(*stream, bytes);
                up->write(bytes); // buffered by Qt until connected
            });
            connect(up, &QTcpSocket::readyRead, down, [down, up] { down->write(up->readAll()); });
            connect(up, &QTcpSocket::disconnected, down, &QTcpSocket::disconnectFromHost);
            connect(down, &QTcpSocket::disconnected, down, [down, up] {
                up->disconnectFromHost();
                down->deleteLater();
            });
            up->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        }
    }

    void record(Stream &stream, const QByteArray &bytes)
    {
        stream.buffer.append(bytes);
        for (;;) {
            if (stream.bodyLeft > 0) {
                const qint64 n = qMin<qint64>(stream.bodyLeft, stream.buffer.size());
                stream.buffer.remove(0, n);
                stream.bodyLeft -= n;
                if (stream.bodyLeft > 0)
                    return;
            }
            const qsizetype end = stream.buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = stream.buffer.left(end).split('\n');
            stream.buffer.remove(0, end + 4);
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            Call call {requestLine.value(0), requestLine.value(1), {}};
            for (const QByteArray &line : lines.mid(1)) {
                const qsizetype colon = line.indexOf(':');
                const QByteArray name = line.left(colon).trimmed().toLower();
                const QByteArray value = line.mid(colon + 1).trimmed();
                if (name == "traceparent")
                    call.traceparent = value;
                else if (name == "content-length")
                    stream.bodyLeft = value.toLongLong();
                else if (name == "transfer-encoding")
                    m_framingFailed = true;
            }
            m_calls.append(call);
        }
    }

    QTcpServer m_server;
    quint16 m_upstreamPort = 0;
    QList<Call> m_calls;
    bool m_framingFailed = false;
};

const QByteArray kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const QByteArray kParentId = "00f067aa0ba902b7";
const QByteArray kTraceparent = "00-" + kTraceId + "-" + kParentId + "-01";

// Takes OTLP/HTTP JSON posts (keep-alive, Content-Length bodies) and answers 200 {}.
class OtlpReceiver
{
public:
    bool start()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    buffer->append(socket->readAll());
                    consume(*socket, *buffer);
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    QStringList paths() const { return m_paths; }

    // Every span received so far.
    QList<QJsonObject> spans() const
    {
        QList<QJsonObject> all;
        for (const QJsonObject &document : m_documents) {
            for (const QJsonValue &resource :
                document.value(QStringLiteral("resourceSpans")).toArray()) {
                for (const QJsonValue &scope :
                    resource.toObject().value(QStringLiteral("scopeSpans")).toArray()) {
                    for (const QJsonValue &span :
                        scope.toObject().value(QStringLiteral("spans")).toArray())
                        all.append(span.toObject());
                }
            }
        }
        return all;
    }
    // The first span with this trace id and kind (and name, when given), or an empty object.
    QJsonObject find(const QByteArray &traceId, int kind, const QString &name = {}) const
    {
        for (const QJsonObject &span : spans()) {
            if (span.value(QStringLiteral("traceId")).toString().toLatin1() == traceId
                && span.value(QStringLiteral("kind")).toInt() == kind
                && (name.isEmpty() || span.value(QStringLiteral("name")).toString() == name))
                return span;
        }
        return {};
    }

private:
    void consume(QTcpSocket &socket, QByteArray &buffer)
    {
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer.left(end).toLower();
            const qsizetype at = head.indexOf("content-length:");
            const qsizetype length = at < 0
                ? 0
                : head.mid(at + 15, head.indexOf('\n', at) - at - 15).trimmed().toLongLong();
            if (buffer.size() < end + 4 + length)
                return;
            m_paths.append(QString::fromLatin1(head.left(head.indexOf('\r')).split(' ').value(1)));
            m_documents.append(QJsonDocument::fromJson(buffer.mid(end + 4, length)).object());
            buffer.remove(0, end + 4 + length);
            socket.write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        }
    }

    QTcpServer m_server;
    QList<QJsonObject> m_documents;
    QStringList m_paths;
};

// The JSON access-log line of the request with this X-Request-Id.
QJsonObject accessLine(TestServer &server, const QByteArray &requestId)
{
    const QByteArray needle = "\"request_id\":\"" + requestId + "\"";
    server.waitForOutput(needle);
    for (const QByteArray &line : server.output().split('\n')) {
        if (line.contains(needle))
            return QJsonDocument::fromJson(line).object();
    }
    return {};
}

QString attribute(const QJsonObject &span, const QString &key)
{
    for (const QJsonValue &item : span.value(QStringLiteral("attributes")).toArray()) {
        const QJsonObject object = item.toObject();
        if (object.value(QStringLiteral("key")).toString() == key) {
            const QJsonObject value = object.value(QStringLiteral("value")).toObject();
            return value.contains(QStringLiteral("stringValue"))
                ? value.value(QStringLiteral("stringValue")).toString()
                : value.value(QStringLiteral("intValue")).toString();
        }
    }
    return {};
}

} // namespace

class TestTracing final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void serverSpanContinuesTheCallersTrace();
    void invalidTraceparentStartsANewTrace();
    void outgoingCallsCarryTheTrace();
    void s3CallsCarryTheTrace();
    void databaseWritesAreClientSpans();
    void webhooksAreClientSpansOfTheCausingRequest();
    void logsCarryTheTraceWithoutExport();
    void collectorDownLeavesRequestsAloneAndCountsDrops();

private:
    OtlpReceiver m_receiver;
    FakeOpenAi m_openAi;
    WebhookReceiver m_webhooks;
    TestServer m_server;
};

// Every S3 request made for a traced request (a file upload, then its download) carries the
// caller's trace id with a span id of its own: recorded on the wire by a forwarder between the
// server and a real S3-compatible server.
void TestTracing::s3CallsCarryTheTrace()
{
    S3Server s3;
    QVERIFY2(s3.start(), qPrintable(s3.lastError()));
    RecordingForwarder forwarder;
    QVERIFY(forwarder.start(s3.port()));
    TestServer server;
    const QMap<QString, QString> settings = s3.serverEnvironment();
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        server.setEnv(it.key(), it.value());
    server.setEnv(QStringLiteral("OUTPOST_S3_ENDPOINT"),
        QStringLiteral("http://127.0.0.1:%1").arg(forwarder.port()));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account user = createAdmin(server);
    QVERIFY(user.ok());

    const QByteArray traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const QByteArray parentId = "00f067aa0ba902b7";
    const QByteArray traceparent = "00-" + traceId + "-" + parentId + "-01";
    for (const QByteArray &method : {QByteArray("PUT"), QByteArray("GET")}) {
        forwarder.clear();
        const HttpResult result =
            httpRequest(method, server.url(QStringLiteral("/v1/files/traced/s3.txt")),
                method == "PUT" ? QByteArray("traced through S3") : QByteArray(),
                user.auth({{"traceparent", traceparent}, {"Content-Type", "text/plain"}}));
        QVERIFY2(result.status == 201 || result.status == 200,
            qPrintable(QString::number(result.status) + QLatin1Char(' ')
                + QString::fromUtf8(result.body)));
        if (method == "GET")
            QCOMPARE(result.body, QByteArray("traced through S3"));
        QVERIFY(!forwarder.framingFailed());
        const QList<RecordingForwarder::Call> calls = forwarder.calls();
        QVERIFY2(!calls.isEmpty(), "no S3 request went through the forwarder");
        QSet<QByteArray> spans;
        for (const RecordingForwarder::Call &call : calls) {
            const QByteArray what = call.method + ' ' + call.target + ": " + call.traceparent;
            const QList<QByteArray> parts = call.traceparent.split('-');
            QVERIFY2(parts.size() == 4, what.constData());
            QVERIFY2(parts.at(0) == "00", what.constData());
            QVERIFY2(parts.at(1) == traceId, what.constData());
            QVERIFY2(parts.at(2).size() == 16 && parts.at(2) != parentId
                    && parts.at(2) != QByteArray(16, '0'),
                what.constData());
            QVERIFY2(parts.at(3) == "01", what.constData());
            spans.insert(parts.at(2));
        }
        // One client span per S3 request.
        QCOMPARE(spans.size(), calls.size());
    }
    // No caller's trace and no export: no trace, so nothing is propagated either.
    forwarder.clear();
    QCOMPARE(
        httpRequest("GET", server.url(QStringLiteral("/v1/files/traced/s3.txt")), {}, user.auth())
            .status,
        200);
    QVERIFY(!forwarder.calls().isEmpty());
    for (const RecordingForwarder::Call &call : forwarder.calls())
        QVERIFY2(call.traceparent.isEmpty(), call.traceparent.constData());
}

void TestTracing::initTestCase()
{
    QVERIFY(m_receiver.start());
    QVERIFY(m_openAi.start());
    m_server.setEnv(QStringLiteral("OUTPOST_OTLP_ENDPOINT"), m_receiver.url());
    m_server.setEnv(QStringLiteral("OUTPOST_OPENAI_BASE_URL"), m_openAi.baseUrl());
    m_server.setEnv(
        QStringLiteral("OUTPOST_OPENAI_API_KEY"), QString::fromLatin1(FakeOpenAi::kApiKey));
    QString why;
    QVERIFY2(m_webhooks.start(why), qPrintable(why));
    m_server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_ALLOW_PRIVATE"), QStringLiteral("true"));
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
}

void TestTracing::serverSpanContinuesTheCallersTrace()
{
    const HttpResult result = get(m_server, QStringLiteral("/healthz"),
        {{"traceparent", kTraceparent}, {"tracestate", "rojo=00f067aa0ba902b7"},
            {"X-Request-Id", "trace-test-1"}});
    QCOMPARE(result.status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.find(kTraceId, 2).isEmpty(), 15'000);
    QVERIFY(m_receiver.paths().contains(QStringLiteral("/v1/traces")));
    const QJsonObject span = m_receiver.find(kTraceId, 2);
    QCOMPARE(span.value(QStringLiteral("parentSpanId")).toString().toLatin1(), kParentId);
    const QByteArray spanId = span.value(QStringLiteral("spanId")).toString().toLatin1();
    QCOMPARE(spanId.size(), 16);
    QVERIFY(spanId != kParentId);
    QCOMPARE(span.value(QStringLiteral("name")).toString(), QStringLiteral("GET /healthz"));
    QCOMPARE(span.value(QStringLiteral("traceState")).toString(),
        QStringLiteral("rojo=00f067aa0ba902b7"));
    QCOMPARE(attribute(span, QStringLiteral("http.response.status_code")), QStringLiteral("200"));
    // The access-log line names the same trace and span.
    const QJsonObject line = accessLine(m_server, "trace-test-1");
    QCOMPARE(line.value(QStringLiteral("trace_id")).toString().toLatin1(), kTraceId);
    QCOMPARE(line.value(QStringLiteral("span_id")).toString().toLatin1(), spanId);
}

void TestTracing::invalidTraceparentStartsANewTrace()
{
    const QByteArray invalid = "00-" + QByteArray(32, '0') + "-" + kParentId + "-01";
    QCOMPARE(get(m_server, QStringLiteral("/healthz"),
                 {{"traceparent", invalid}, {"X-Request-Id", "trace-test-2"}})
                 .status,
        200);
    const QJsonObject line = accessLine(m_server, "trace-test-2");
    const QByteArray traceId = line.value(QStringLiteral("trace_id")).toString().toLatin1();
    QCOMPARE(traceId.size(), 32);
    QVERIFY(traceId != QByteArray(32, '0'));
    QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.find(traceId, 2).isEmpty(), 15'000);
    QVERIFY(!m_receiver.find(traceId, 2).contains(QStringLiteral("parentSpanId")));
}

void TestTracing::outgoingCallsCarryTheTrace()
{
    const Account user = createAdmin(m_server);
    QVERIFY(user.ok());
    const QByteArray traceId = "0af7651916cd43dd8448eb211c80319c";
    const HttpResult created = post(m_server, QStringLiteral("/v1/files/generated"),
        {{QStringLiteral("file_path"), QStringLiteral("traced/poem.txt")},
            {QStringLiteral("prompt"), QStringLiteral("a poem")},
            {QStringLiteral("generation_type"), QStringLiteral("text")}},
        user.auth({{"traceparent", "00-" + traceId + "-b7ad6b7169203331-01"}}));
    QCOMPARE(created.status, 201);
    const QByteArray sent = m_openAi.calls().last().traceparent;
    const QByteArray prefix = "00-" + traceId + "-";
    QVERIFY2(sent.startsWith(prefix), sent.constData());
    QVERIFY(!sent.contains("b7ad6b7169203331"));
    // The AI call is a client span, child of the request's server span.
    QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.find(traceId, 3).isEmpty(), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.find(traceId, 2).isEmpty(), 15'000);
    const QJsonObject client = m_receiver.find(traceId, 3);
    const QJsonObject server = m_receiver.find(traceId, 2);
    QCOMPARE(client.value(QStringLiteral("parentSpanId")), server.value(QStringLiteral("spanId")));
    QCOMPARE(client.value(QStringLiteral("spanId")).toString().toLatin1(), sent.mid(36, 16));
}

void TestTracing::databaseWritesAreClientSpans()
{
    const Account author = createAccount(m_server);
    QVERIFY(author.ok());
    const QByteArray traceId = "5c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f";
    const HttpResult created = post(m_server, QStringLiteral("/v1/posts"),
        {{QStringLiteral("title"), QStringLiteral("Traced")},
            {QStringLiteral("content"), QStringLiteral("A traced write.")}},
        author.auth({{"traceparent", "00-" + traceId + "-1111222233334444-01"}}));
    QCOMPARE(created.status, 201);
    QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.find(traceId, 3).isEmpty(), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.find(traceId, 2).isEmpty(), 15'000);
    const QJsonObject write = m_receiver.find(traceId, 3);
    QCOMPARE(
        write.value(QStringLiteral("name")).toString(), QStringLiteral("db write (group commit)"));
    QCOMPARE(write.value(QStringLiteral("parentSpanId")),
        m_receiver.find(traceId, 2).value(QStringLiteral("spanId")));
}

// A webhook is sent from the delivery queue after the request that caused its event has
// ended: its client span is still a child of that request's server span, and its id is the
// one the receiver got in `traceparent`.
void TestTracing::webhooksAreClientSpansOfTheCausingRequest()
{
    const Account author = createAccount(m_server);
    QVERIFY(author.ok());
    const HttpResult subscribed = post(m_server, QStringLiteral("/v1/subscriptions"),
        {{QStringLiteral("kind"), QStringLiteral("webhook")},
            {QStringLiteral("url"), m_webhooks.url(QStringLiteral("/ok"))},
            {QStringLiteral("events"), QJsonArray {QStringLiteral("post.created")}}},
        author.auth());
    QCOMPARE(subscribed.status, 201);
    m_webhooks.addSecret(textOf(objectOf(subscribed), "secret"));
    const QByteArray traceId = "7d3e1c2b4a5f60718293a4b5c6d7e8f9";
    const HttpResult created = post(m_server, QStringLiteral("/v1/posts"),
        {{QStringLiteral("title"), QStringLiteral("Traced webhook")},
            {QStringLiteral("content"), QStringLiteral("Sent later, in the same trace.")}},
        author.auth({{"traceparent", "00-" + traceId + "-5555666677778888-01"}}));
    QCOMPARE(created.status, 201);

    QTRY_VERIFY_WITH_TIMEOUT(!m_webhooks.received(QStringLiteral("/ok")).isEmpty(), 30'000);
    const QByteArray sent =
        textOf(m_webhooks.received(QStringLiteral("/ok")).first(), "traceparent").toLatin1();
    QVERIFY2(sent.startsWith(QByteArray("00-" + traceId + "-")), sent.constData());
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_receiver.find(traceId, 3, QStringLiteral("POST webhook")).isEmpty(), 15'000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.find(traceId, 2).isEmpty(), 15'000);
    const QJsonObject webhook = m_receiver.find(traceId, 3, QStringLiteral("POST webhook"));
    const QJsonObject request = m_receiver.find(traceId, 2);
    QCOMPARE(request.value(QStringLiteral("name")).toString(), QStringLiteral("POST /v1/posts"));
    QCOMPARE(
        webhook.value(QStringLiteral("parentSpanId")), request.value(QStringLiteral("spanId")));
    QCOMPARE(webhook.value(QStringLiteral("spanId")).toString().toLatin1(), sent.mid(36, 16));
    QCOMPARE(
        attribute(webhook, QStringLiteral("http.response.status_code")), QStringLiteral("200"));
    QCOMPARE(attribute(webhook, QStringLiteral("webhook.event")), QStringLiteral("post.created"));
}

void TestTracing::logsCarryTheTraceWithoutExport()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    QCOMPARE(get(server, QStringLiteral("/healthz"),
                 {{"traceparent", kTraceparent}, {"X-Request-Id", "trace-test-3"}})
                 .status,
        200);
    QCOMPARE(
        accessLine(server, "trace-test-3").value(QStringLiteral("trace_id")).toString().toLatin1(),
        kTraceId);
    // No traceparent and no export: no trace at all.
    QCOMPARE(
        get(server, QStringLiteral("/healthz"), {{"X-Request-Id", "trace-test-4"}}).status, 200);
    const QJsonObject plain = accessLine(server, "trace-test-4");
    QVERIFY(!plain.isEmpty());
    QVERIFY(!plain.contains(QStringLiteral("trace_id")));
    QVERIFY(!server.output().contains("outpost_trace_spans"));
}

void TestTracing::collectorDownLeavesRequestsAloneAndCountsDrops()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        closedPort = probe.serverPort();
    }
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_OTLP_ENDPOINT"),
        QStringLiteral("http://127.0.0.1:%1").arg(closedPort));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    for (int i = 0; i < 20; ++i)
        QCOMPARE(get(server, QStringLiteral("/healthz")).status, 200);
    MetricsProbe metrics(server.port());
    QTRY_VERIFY_WITH_TIMEOUT(metrics.value("outpost_trace_spans_dropped_total") >= 20, 15'000);
    QCOMPARE(metrics.value("outpost_trace_spans_exported_total"), 0.0);
    QCOMPARE(get(server, QStringLiteral("/healthz")).status, 200);
}

QTEST_GUILESS_MAIN(TestTracing)
#include "tst_tracing.moc"
