// W3C trace context and OTLP export (shared/core/tracing.cpp, server/observability/
// spanexporter.cpp, the engine's server spans): against a small OTLP/HTTP receiver this test
// runs itself, and with the collector down.
#include "factories.h"
#include "fakeopenai.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Outpost::Test;

namespace {

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
    // The first span with this trace id and kind, or an empty object.
    QJsonObject find(const QByteArray &traceId, int kind) const
    {
        for (const QJsonObject &span : spans()) {
            if (span.value(QStringLiteral("traceId")).toString().toLatin1() == traceId
                && span.value(QStringLiteral("kind")).toInt() == kind)
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
    void databaseWritesAreClientSpans();
    void logsCarryTheTraceWithoutExport();
    void collectorDownLeavesRequestsAloneAndCountsDrops();

private:
    OtlpReceiver m_receiver;
    FakeOpenAi m_openAi;
    TestServer m_server;
};

void TestTracing::initTestCase()
{
    QVERIFY(m_receiver.start());
    QVERIFY(m_openAi.start());
    m_server.setEnv(QStringLiteral("OUTPOST_OTLP_ENDPOINT"), m_receiver.url());
    m_server.setEnv(QStringLiteral("OUTPOST_OPENAI_BASE_URL"), m_openAi.baseUrl());
    m_server.setEnv(
        QStringLiteral("OUTPOST_OPENAI_API_KEY"), QString::fromLatin1(FakeOpenAi::kApiKey));
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
