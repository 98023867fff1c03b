#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

#include <array>
#include <optional>

// W3C Trace Context (https://www.w3.org/TR/trace-context/) and the spans the server records.
// The exporter (server/observability) installs a sink; without one, nothing is recorded and a
// span costs nothing but the checks. Lower layers (storage, services) only use this header.
namespace Outpost::Tracing {

struct SpanContext
{
    std::array<quint8, 16> traceId {};
    std::array<quint8, 8> spanId {};
    quint8 flags = 0;      // bit 0: sampled
    QByteArray traceState; // the caller's tracestate, passed on unchanged
    bool isValid() const;
    QByteArray traceIdHex() const;
    QByteArray spanIdHex() const;
    // "00-<trace id>-<span id>-<flags>"
    QByteArray traceparent() const;
};

// A traceparent header as the spec reads it: version 00 exactly, later versions by their
// first four fields; nullopt for anything invalid (then a new trace is started).
std::optional<SpanContext> parseTraceparent(QByteArrayView value);
// tracestate is kept only when it is well formed and at most 32 list members (else dropped).
bool isValidTraceState(QByteArrayView value);

// A new trace (random ids, sampled), or a child of `parent` (same trace, new span id).
SpanContext newRoot();
SpanContext childOf(const SpanContext &parent);

// The span the current thread works for, if any (set by the HTTP engine for a request, and
// carried to slow-work threads).
const SpanContext *current();
// Makes `context` the current span for its lifetime, then restores the previous one.
class Scope
{
public:
    explicit Scope(const SpanContext *context);
    ~Scope();
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;

private:
    const SpanContext *m_previous;
};

enum class SpanKind { Internal = 1, Server = 2, Client = 3 };

struct SpanRecord
{
    SpanContext context;
    std::array<quint8, 8> parentSpanId {}; // zero: a root span
    QByteArray name;
    SpanKind kind = SpanKind::Internal;
    qint64 startUnixNs = 0;
    qint64 endUnixNs = 0;
    bool error = false;
    QList<QPair<QByteArray, QByteArray>> stringAttributes;
    QList<QPair<QByteArray, qint64>> intAttributes;
};

using Sink = void (*)(SpanRecord &&span);
// Installed by the exporter at start (null to remove). Spans are recorded only with a sink.
void setSink(Sink sink);
bool recording();
void record(SpanRecord &&span);
qint64 unixNowNs();

// A span for an outgoing call (S3, the AI service, webhooks), a child of the current span.
// Inactive (no header, nothing recorded) when there is no current span. The destructor ends it
// and records it when spans are recorded and its trace is sampled (flags bit 0), like the
// server span it belongs to.
class ClientSpan
{
public:
    explicit ClientSpan(QByteArray name);
    // For a call made later on behalf of `parent` (a webhook sent from the delivery queue, long
    // after the request that caused it): a child of `parent`. Without one, a new root trace
    // when spans are recorded (the call is then the first span of a trace the collector has),
    // else inactive: an id that no collector knows would only mislead the receiver.
    ClientSpan(QByteArray name, const SpanContext *parent);
    ~ClientSpan();
    ClientSpan(const ClientSpan &) = delete;
    ClientSpan &operator=(const ClientSpan &) = delete;

    bool isActive() const { return m_active; }
    // The traceparent to send with the call; empty when inactive.
    QByteArray traceparent() const;
    QByteArray traceState() const { return m_active ? m_span.context.traceState : QByteArray(); }
    void setAttribute(const QByteArray &key, const QByteArray &value);
    void setAttribute(const QByteArray &key, qint64 value);
    void setError(bool error) { m_span.error = error; }

private:
    void begin(QByteArray name, const SpanContext &parent);

    SpanRecord m_span;
    bool m_active = false;
};

} // namespace Outpost::Tracing
