#include "spanexporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

Q_LOGGING_CATEGORY(lcTracing, "outpost.tracing", QtInfoMsg)

namespace Outpost::Server {

namespace {

std::atomic<SpanExporter *> g_exporter {nullptr};

void sink(Tracing::SpanRecord &&span)
{
    if (SpanExporter *exporter = g_exporter.load(std::memory_order_acquire))
        exporter->enqueue(std::move(span));
}

QJsonObject stringAttribute(const QByteArray &key, const QByteArray &value)
{
    return {{QStringLiteral("key"), QString::fromLatin1(key)},
        {QStringLiteral("value"),
            QJsonObject {{QStringLiteral("stringValue"), QString::fromUtf8(value)}}}};
}

QString hexOf(const std::array<quint8, 8> &bytes)
{
    return QString::fromLatin1(
        QByteArray::fromRawData(reinterpret_cast<const char *>(bytes.data()), 8).toHex());
}

bool isZero(const std::array<quint8, 8> &bytes)
{
    for (quint8 b : bytes) {
        if (b != 0)
            return false;
    }
    return true;
}

} // namespace

// Lives in the exporter's thread: the timer and the one request in flight.
class SpanExporter::Worker final : public QObject
{
public:
    explicit Worker(SpanExporter &owner)
        : m_owner(owner)
    { }

    void begin()
    {
        m_network = new QNetworkAccessManager(this);
        m_timer = new QTimer(this);
        m_timer->setInterval(m_owner.m_settings.intervalMs);
        connect(m_timer, &QTimer::timeout, this, &Worker::exportBatch);
        m_timer->start();
    }

    void exportBatch()
    {
        if (m_inFlight)
            return;
        std::vector<Tracing::SpanRecord> batch = m_owner.takeBatch();
        if (batch.empty())
            return;
        const Settings &settings = m_owner.m_settings;
        QUrl url = settings.endpoint;
        url.setPath(url.path() + QStringLiteral("/v1/traces"));
        QNetworkRequest request(url);
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setTransferTimeout(10'000);
        const auto count = quint64(batch.size());
        QNetworkReply *reply = m_network->post(
            request, toOtlpJson(batch, settings.serviceName, settings.serviceVersion));
        m_inFlight = true;
        connect(reply, &QNetworkReply::finished, this, [this, reply, count] {
            reply->deleteLater();
            m_inFlight = false;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status >= 200 && status < 300) {
                m_owner.m_exported.fetch_add(count, std::memory_order_relaxed);
                m_failing = false;
            } else {
                m_owner.m_dropped.fetch_add(count, std::memory_order_relaxed);
                if (!m_failing) { // say it once per outage, not once a second
                    qCWarning(lcTracing).noquote()
                        << "the trace collector did not take" << count << "span(s):"
                        << (status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString());
                }
                m_failing = true;
            }
        });
    }

private:
    SpanExporter &m_owner;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_timer = nullptr;
    bool m_inFlight = false;
    bool m_failing = false;
};

SpanExporter::SpanExporter(Settings settings)
    : m_settings(std::move(settings))
{
    m_thread.setObjectName(QStringLiteral("span-exporter"));
}

SpanExporter::~SpanExporter()
{
    SpanExporter *self = this;
    g_exporter.compare_exchange_strong(self, nullptr);
    Tracing::setSink(nullptr);
    if (m_worker) {
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { delete worker; }, Qt::BlockingQueuedConnection);
        m_worker = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

void SpanExporter::start()
{
    m_thread.start();
    m_worker = new Worker(*this);
    m_worker->moveToThread(&m_thread);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->begin(); });
    g_exporter.store(this, std::memory_order_release);
    Tracing::setSink(&sink);
}

void SpanExporter::enqueue(Tracing::SpanRecord &&span)
{
    bool full = false;
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        full = int(m_queue.size()) >= m_settings.maxQueued;
        if (!full) {
            m_queue.push_back(std::move(span));
            wake = int(m_queue.size()) == m_settings.batchSize;
        }
    }
    if (full)
        m_dropped.fetch_add(1, std::memory_order_relaxed);
    else if (wake && m_worker)
        QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->exportBatch(); });
}

std::vector<Tracing::SpanRecord> SpanExporter::takeBatch()
{
    QMutexLocker lock(&m_mutex);
    std::vector<Tracing::SpanRecord> batch;
    if (int(m_queue.size()) <= m_settings.batchSize) {
        batch.swap(m_queue);
        return batch;
    }
    const auto end = m_queue.begin() + m_settings.batchSize;
    batch.assign(std::make_move_iterator(m_queue.begin()), std::make_move_iterator(end));
    m_queue.erase(m_queue.begin(), end);
    return batch;
}

void SpanExporter::appendMetrics(QByteArray &out) const
{
    qsizetype queued = 0;
    {
        QMutexLocker lock(&m_mutex);
        queued = qsizetype(m_queue.size());
    }
    out.append("# HELP outpost_trace_spans_exported_total Spans the collector accepted.\n"
               "# TYPE outpost_trace_spans_exported_total counter\n"
               "outpost_trace_spans_exported_total ");
    out.append(QByteArray::number(m_exported.load(std::memory_order_relaxed))).append('\n');
    out.append("# HELP outpost_trace_spans_dropped_total Spans dropped: queue full or the "
               "collector unreachable or refusing.\n"
               "# TYPE outpost_trace_spans_dropped_total counter\n"
               "outpost_trace_spans_dropped_total ");
    out.append(QByteArray::number(m_dropped.load(std::memory_order_relaxed))).append('\n');
    out.append("# HELP outpost_trace_spans_queued Spans waiting to be exported.\n"
               "# TYPE outpost_trace_spans_queued gauge\n"
               "outpost_trace_spans_queued ");
    out.append(QByteArray::number(queued)).append('\n');
}

QByteArray SpanExporter::toOtlpJson(const std::vector<Tracing::SpanRecord> &spans,
    const QByteArray &serviceName, const QByteArray &serviceVersion)
{
    QJsonArray items;
    for (const Tracing::SpanRecord &span : spans) {
        QJsonArray attributes;
        for (const auto &[key, value] : span.stringAttributes)
            attributes.append(stringAttribute(key, value));
        for (const auto &[key, value] : span.intAttributes) {
            // OTLP JSON carries 64-bit integers as strings.
            attributes.append(QJsonObject {{QStringLiteral("key"), QString::fromLatin1(key)},
                {QStringLiteral("value"),
                    QJsonObject {{QStringLiteral("intValue"), QString::number(value)}}}});
        }
        QJsonObject item {
            {QStringLiteral("traceId"), QString::fromLatin1(span.context.traceIdHex())},
            {QStringLiteral("spanId"), QString::fromLatin1(span.context.spanIdHex())},
            {QStringLiteral("name"), QString::fromUtf8(span.name)},
            {QStringLiteral("kind"), int(span.kind)},
            {QStringLiteral("startTimeUnixNano"), QString::number(span.startUnixNs)},
            {QStringLiteral("endTimeUnixNano"), QString::number(span.endUnixNs)},
            {QStringLiteral("attributes"), attributes},
            // STATUS_CODE_ERROR = 2, STATUS_CODE_UNSET = 0
            {QStringLiteral("status"), QJsonObject {{QStringLiteral("code"), span.error ? 2 : 0}}},
        };
        if (!isZero(span.parentSpanId))
            item.insert(QStringLiteral("parentSpanId"), hexOf(span.parentSpanId));
        if (!span.context.traceState.isEmpty())
            item.insert(QStringLiteral("traceState"), QString::fromLatin1(span.context.traceState));
        items.append(item);
    }
    QJsonArray resource {stringAttribute("service.name", serviceName)};
    if (!serviceVersion.isEmpty())
        resource.append(stringAttribute("service.version", serviceVersion));
    const QJsonObject document {{QStringLiteral("resourceSpans"),
        QJsonArray {QJsonObject {
            {QStringLiteral("resource"), QJsonObject {{QStringLiteral("attributes"), resource}}},
            {QStringLiteral("scopeSpans"),
                QJsonArray {QJsonObject {
                    {QStringLiteral("scope"),
                        QJsonObject {{QStringLiteral("name"), QStringLiteral("outpost")}}},
                    {QStringLiteral("spans"), items}}}}}}}};
    return QJsonDocument(document).toJson(QJsonDocument::Compact);
}

} // namespace Outpost::Server
