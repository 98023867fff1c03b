// W3C Trace Context parsing (shared/core/tracing.cpp) against the spec's examples and rules
// (tests/fixtures/tracecontext), and the OTLP/HTTP JSON the exporter sends.
#include "core/tracing.h"
#include "observability/spanexporter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Outpost;

namespace {

QList<QPair<bool, QByteArray>> vectors(const QString &name)
{
    const QString path = QDir(qEnvironmentVariable("OUTPOST_SOURCE_DIR"))
                             .filePath(QStringLiteral("tests/fixtures/tracecontext/") + name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QList<QPair<bool, QByteArray>> result;
    for (QByteArray line : file.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.indexOf(' ');
        result.append({line.left(space) == "valid", line.mid(space + 1)});
    }
    return result;
}

QList<Tracing::SpanRecord> g_recorded;

void recordInTest(Tracing::SpanRecord &&span)
{
    g_recorded.append(std::move(span));
}

// Installs the test's sink for its lifetime.
struct RecordingSink
{
    RecordingSink()
    {
        g_recorded.clear();
        Tracing::setSink(&recordInTest);
    }
    ~RecordingSink() { Tracing::setSink(nullptr); }
};

} // namespace

class TestTraceContext final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void traceparentVectors_data();
    void traceparentVectors();
    void specExampleFields();
    void tracestateVectors_data();
    void tracestateVectors();
    void roundTripsAndChildKeepsTheTrace();
    void clientSpanFollowsTheCurrentSpan();
    void clientSpanForAStoredParent();
    void unsampledClientSpansAreNotRecorded();
    void otlpJsonCarriesIdsAndParent();
};

void TestTraceContext::traceparentVectors_data()
{
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("value");
    for (const auto &[valid, value] : vectors(QStringLiteral("traceparent.txt")))
        QTest::newRow(value.constData()) << valid << value;
}

void TestTraceContext::traceparentVectors()
{
    QFETCH(bool, valid);
    QFETCH(QByteArray, value);
    QCOMPARE(Tracing::parseTraceparent(value).has_value(), valid);
}

void TestTraceContext::specExampleFields()
{
    const auto parsed =
        Tracing::parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    QVERIFY(parsed);
    QCOMPARE(parsed->traceIdHex(), QByteArray("4bf92f3577b34da6a3ce929d0e0e4736"));
    QCOMPARE(parsed->spanIdHex(), QByteArray("00f067aa0ba902b7"));
    QCOMPARE(parsed->flags, quint8(1));
    QCOMPARE(parsed->traceparent(),
        QByteArray("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    // A later version is answered as version 00.
    const auto future = Tracing::parseTraceparent(
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like");
    QVERIFY(future);
    QVERIFY(future->traceparent().startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
}

void TestTraceContext::tracestateVectors_data()
{
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("value");
    for (const auto &[valid, value] : vectors(QStringLiteral("tracestate.txt")))
        QTest::newRow(value.constData()) << valid << value;
    QByteArray tooMany;
    for (int i = 0; i < 33; ++i)
        tooMany += "k" + QByteArray::number(i) + "=v,";
    QTest::newRow("33 members") << false << tooMany;
}

void TestTraceContext::tracestateVectors()
{
    QFETCH(bool, valid);
    QFETCH(QByteArray, value);
    QCOMPARE(Tracing::isValidTraceState(value), valid);
}

void TestTraceContext::roundTripsAndChildKeepsTheTrace()
{
    const Tracing::SpanContext root = Tracing::newRoot();
    QVERIFY(root.isValid());
    const auto parsed = Tracing::parseTraceparent(root.traceparent());
    QVERIFY(parsed);
    QCOMPARE(parsed->traceId, root.traceId);
    QCOMPARE(parsed->spanId, root.spanId);
    const Tracing::SpanContext child = Tracing::childOf(root);
    QCOMPARE(child.traceId, root.traceId);
    QVERIFY(child.spanId != root.spanId);
    QVERIFY(Tracing::newRoot().traceId != root.traceId);
}

void TestTraceContext::clientSpanFollowsTheCurrentSpan()
{
    {
        const Tracing::ClientSpan none("S3 GET");
        QVERIFY(!none.isActive());
        QVERIFY(none.traceparent().isEmpty());
    }
    const Tracing::SpanContext server = Tracing::newRoot();
    const Tracing::Scope scope(&server);
    const Tracing::ClientSpan span("S3 GET");
    QVERIFY(span.isActive());
    const auto sent = Tracing::parseTraceparent(span.traceparent());
    QVERIFY(sent);
    QCOMPARE(sent->traceId, server.traceId);
    QVERIFY(sent->spanId != server.spanId);
}

// A webhook sent from the queue: a child of the stored context (its tracestate passed on);
// without one, nothing unless spans are recorded, and then a new root.
void TestTraceContext::clientSpanForAStoredParent()
{
    auto stored =
        Tracing::parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    QVERIFY(stored);
    stored->traceState = "rojo=00f067aa0ba902b7";
    {
        const RecordingSink sink;
        {
            const Tracing::ClientSpan span("POST webhook", &*stored);
            QVERIFY(span.isActive());
            const auto sent = Tracing::parseTraceparent(span.traceparent());
            QVERIFY(sent);
            QCOMPARE(sent->traceId, stored->traceId);
            QVERIFY(sent->spanId != stored->spanId);
            QCOMPARE(span.traceState(), QByteArray("rojo=00f067aa0ba902b7"));
        }
        QCOMPARE(g_recorded.size(), 1);
        QCOMPARE(g_recorded.first().parentSpanId, stored->spanId);
        QCOMPARE(g_recorded.first().kind, Tracing::SpanKind::Client);

        // No stored context while spans are recorded: the call starts a trace of its own.
        {
            const Tracing::ClientSpan root("POST webhook", nullptr);
            QVERIFY(root.isActive());
            const auto sent = Tracing::parseTraceparent(root.traceparent());
            QVERIFY(sent);
            QVERIFY(sent->traceId != stored->traceId);
            QVERIFY(root.traceState().isEmpty());
        }
        QCOMPARE(g_recorded.size(), 2);
        QCOMPARE(g_recorded.last().parentSpanId, (std::array<quint8, 8> {}));
    }
    // Neither a stored context nor a collector: no header at all.
    const Tracing::ClientSpan none("POST webhook", nullptr);
    QVERIFY(!none.isActive());
    QVERIFY(none.traceparent().isEmpty());
}

// A caller that did not sample its trace (flags 00) gets its trace propagated, but no span is
// exported for it, as for the server span.
void TestTraceContext::unsampledClientSpansAreNotRecorded()
{
    const auto parent =
        Tracing::parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    QVERIFY(parent);
    const RecordingSink sink;
    {
        const Tracing::ClientSpan span("POST webhook", &*parent);
        QVERIFY(span.isActive());
        QVERIFY(span.traceparent().endsWith("-00"));
    }
    {
        const Tracing::Scope scope(&*parent);
        const Tracing::ClientSpan span("S3 GET");
        QVERIFY(span.isActive());
    }
    QVERIFY(g_recorded.isEmpty());
}

void TestTraceContext::otlpJsonCarriesIdsAndParent()
{
    Tracing::SpanRecord span;
    span.context =
        *Tracing::parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    span.parentSpanId = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    span.name = "GET /v1/posts/{id}";
    span.kind = Tracing::SpanKind::Server;
    span.startUnixNs = 1700000000000000000;
    span.endUnixNs = 1700000000001000000;
    span.intAttributes = {{"http.response.status_code", 200}};
    const QJsonObject document =
        QJsonDocument::fromJson(Server::SpanExporter::toOtlpJson({span}, "outpost-server", "1.0"))
            .object();
    const QJsonObject resourceSpans =
        document.value(QStringLiteral("resourceSpans")).toArray().first().toObject();
    const QJsonObject out = resourceSpans.value(QStringLiteral("scopeSpans"))
                                .toArray()
                                .first()
                                .toObject()
                                .value(QStringLiteral("spans"))
                                .toArray()
                                .first()
                                .toObject();
    QCOMPARE(out.value(QStringLiteral("traceId")).toString(),
        QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));
    QCOMPARE(out.value(QStringLiteral("spanId")).toString(), QStringLiteral("00f067aa0ba902b7"));
    QCOMPARE(
        out.value(QStringLiteral("parentSpanId")).toString(), QStringLiteral("0102030405060708"));
    QCOMPARE(out.value(QStringLiteral("kind")).toInt(), 2);
    QCOMPARE(out.value(QStringLiteral("startTimeUnixNano")).toString(),
        QStringLiteral("1700000000000000000"));
    QCOMPARE(out.value(QStringLiteral("attributes"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("value"))
                 .toObject()
                 .value(QStringLiteral("intValue"))
                 .toString(),
        QStringLiteral("200"));
}

QTEST_GUILESS_MAIN(TestTraceContext)
#include "tst_tracecontext.moc"
