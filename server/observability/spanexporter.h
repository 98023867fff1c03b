#pragma once

#include "core/tracing.h"

#include <QByteArray>
#include <QMutex>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <memory>
#include <vector>

namespace Outpost::Server {

// Sends the spans the server records to an OpenTelemetry collector as OTLP/HTTP JSON
// (POST <endpoint>/v1/traces), in batches, from a thread of its own. Recording a span only
// appends it to a bounded queue under a short lock: a request thread never waits for the
// network. When the queue is full, or the collector refuses or cannot be reached, spans are
// dropped and counted (outpost_trace_spans_dropped_total).
class SpanExporter
{
public:
    struct Settings
    {
        QUrl endpoint; // the collector's base URL: "http://otel-collector:4318"
        QByteArray serviceName = QByteArrayLiteral("outpost-server");
        QByteArray serviceVersion;
        int maxQueued = 4096;
        int batchSize = 512;
        int intervalMs = 1000;
    };

    explicit SpanExporter(Settings settings);
    ~SpanExporter(); // stops the thread; spans still queued are dropped
    SpanExporter(const SpanExporter &) = delete;
    SpanExporter &operator=(const SpanExporter &) = delete;

    // Starts the thread and installs this exporter as the process's span sink.
    void start();
    void enqueue(Tracing::SpanRecord &&span);
    // outpost_trace_spans_{exported,dropped}_total and outpost_trace_spans_queued.
    void appendMetrics(QByteArray &out) const;

    // The OTLP/HTTP JSON body for a batch (for tests, and the thread).
    static QByteArray toOtlpJson(const std::vector<Tracing::SpanRecord> &spans,
        const QByteArray &serviceName, const QByteArray &serviceVersion);

private:
    class Worker;
    friend class Worker;
    std::vector<Tracing::SpanRecord> takeBatch();

    Settings m_settings;
    mutable QMutex m_mutex;
    std::vector<Tracing::SpanRecord> m_queue;
    std::atomic<quint64> m_exported {0};
    std::atomic<quint64> m_dropped {0};
    QThread m_thread;
    Worker *m_worker = nullptr; // lives in m_thread
};

} // namespace Outpost::Server
