#include "tracing.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <atomic>
#include <chrono>
#include <random>

namespace Outpost::Tracing {

namespace {

std::atomic<Sink> g_sink {nullptr};
thread_local const SpanContext *t_current = nullptr;

bool isLowerHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int hexValue(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

// `n` bytes from 2n lower-case hex digits; false on anything else.
template<std::size_t N> bool readHex(QByteArrayView text, std::array<quint8, N> &out)
{
    if (text.size() != qsizetype(2 * N))
        return false;
    for (std::size_t i = 0; i < N; ++i) {
        const char high = text[qsizetype(2 * i)];
        const char low = text[qsizetype(2 * i + 1)];
        if (!isLowerHex(high) || !isLowerHex(low))
            return false;
        out[i] = quint8(hexValue(high) * 16 + hexValue(low));
    }
    return true;
}

template<std::size_t N> bool allZero(const std::array<quint8, N> &bytes)
{
    for (quint8 b : bytes) {
        if (b != 0)
            return false;
    }
    return true;
}

template<std::size_t N> QByteArray hex(const std::array<quint8, N> &bytes)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(bytes.data()), N).toHex();
}

std::mt19937_64 &generator()
{
    thread_local std::mt19937_64 engine(QRandomGenerator::system()->generate64());
    return engine;
}

template<std::size_t N> void randomize(std::array<quint8, N> &bytes)
{
    do {
        for (std::size_t i = 0; i < N; i += 8) {
            quint64 value = generator()();
            for (std::size_t j = 0; j < 8 && i + j < N; ++j, value >>= 8)
                bytes[i + j] = quint8(value);
        }
    } while (allZero(bytes));
}

// A list member key (lcalpha then [a-z0-9_-*/], optionally tenant@system) and its value
// (printable ASCII except ',' and '=', no trailing space), per the spec's grammar.
bool isValidMember(QByteArrayView member)
{
    const qsizetype eq = member.indexOf('=');
    if (eq <= 0)
        return false;
    const QByteArrayView key = member.first(eq);
    const QByteArrayView value = member.sliced(eq + 1);
    if (key.size() > 256 || value.isEmpty() || value.size() > 256)
        return false;
    const auto keyChar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*'
            || c == '/';
    };
    const qsizetype at = key.indexOf('@');
    const QByteArrayView tenant = at < 0 ? key : key.first(at);
    if (tenant.isEmpty() || !(std::isalnum(uchar(tenant[0])) && !std::isupper(uchar(tenant[0]))))
        return false;
    for (char c : key) {
        if (c != '@' && !keyChar(c))
            return false;
    }
    if (at >= 0 && (key.indexOf('@', at + 1) >= 0 || key.size() - at - 1 > 14 || at > 241))
        return false;
    for (char c : value) {
        if (c < 0x20 || c > 0x7e || c == ',' || c == '=')
            return false;
    }
    return value.back() != ' ';
}

} // namespace

bool SpanContext::isValid() const
{
    return !allZero(traceId) && !allZero(spanId);
}

QByteArray SpanContext::traceIdHex() const
{
    return hex(traceId);
}

QByteArray SpanContext::spanIdHex() const
{
    return hex(spanId);
}

QByteArray SpanContext::traceparent() const
{
    QByteArray out;
    out.reserve(55);
    out.append("00-").append(traceIdHex()).append('-').append(spanIdHex()).append('-');
    out.append(QByteArray::number(flags, 16).rightJustified(2, '0'));
    return out;
}

std::optional<SpanContext> parseTraceparent(QByteArrayView value)
{
    value = value.trimmed();
    if (value.size() < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-')
        return std::nullopt;
    std::array<quint8, 1> version {};
    std::array<quint8, 1> flags {};
    SpanContext context;
    if (!readHex(value.first(2), version) || version[0] == 0xff)
        return std::nullopt;
    // Version 00 is exactly 55 characters; a later version may add fields after a '-'.
    if (version[0] == 0 ? value.size() != 55 : (value.size() > 55 && value[55] != '-'))
        return std::nullopt;
    if (!readHex(value.sliced(3, 32), context.traceId)
        || !readHex(value.sliced(36, 16), context.spanId) || !readHex(value.sliced(53, 2), flags)
        || !context.isValid())
        return std::nullopt;
    context.flags = flags[0];
    return context;
}

bool isValidTraceState(QByteArrayView value)
{
    int members = 0;
    for (QByteArrayView rest = value; !rest.isEmpty();) {
        const qsizetype comma = rest.indexOf(',');
        const QByteArrayView member = (comma < 0 ? rest : rest.first(comma)).trimmed();
        rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        if (member.isEmpty())
            continue; // empty list members are allowed
        if (++members > 32 || !isValidMember(member))
            return false;
    }
    return true;
}

SpanContext newRoot()
{
    SpanContext context;
    randomize(context.traceId);
    randomize(context.spanId);
    context.flags = 1;
    return context;
}

SpanContext childOf(const SpanContext &parent)
{
    SpanContext context = parent;
    randomize(context.spanId);
    return context;
}

const SpanContext *current()
{
    return t_current;
}

Scope::Scope(const SpanContext *context)
    : m_previous(t_current)
{
    t_current = context;
}

Scope::~Scope()
{
    t_current = m_previous;
}

void setSink(Sink sink)
{
    g_sink.store(sink, std::memory_order_release);
}

bool recording()
{
    return g_sink.load(std::memory_order_relaxed) != nullptr;
}

void record(SpanRecord &&span)
{
    if (Sink sink = g_sink.load(std::memory_order_acquire))
        sink(std::move(span));
}

qint64 unixNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ClientSpan::ClientSpan(QByteArray name)
{
    if (const SpanContext *parent = current())
        begin(std::move(name), *parent);
}

ClientSpan::ClientSpan(QByteArray name, const SpanContext *parent)
{
    if (parent) {
        begin(std::move(name), *parent);
    } else if (recording()) {
        begin(std::move(name), SpanContext());
        m_span.context = newRoot();
    }
}

void ClientSpan::begin(QByteArray name, const SpanContext &parent)
{
    m_active = true;
    m_span.context = childOf(parent);
    m_span.parentSpanId = parent.spanId;
    m_span.name = std::move(name);
    m_span.kind = SpanKind::Client;
    m_span.startUnixNs = unixNowNs();
}

ClientSpan::~ClientSpan()
{
    if (!m_active || (m_span.context.flags & 1) == 0 || !recording())
        return;
    m_span.endUnixNs = unixNowNs();
    record(std::move(m_span));
}

QByteArray ClientSpan::traceparent() const
{
    return m_active ? m_span.context.traceparent() : QByteArray();
}

void ClientSpan::setAttribute(const QByteArray &key, const QByteArray &value)
{
    if (m_active)
        m_span.stringAttributes.append({key, value});
}

void ClientSpan::setAttribute(const QByteArray &key, qint64 value)
{
    if (m_active)
        m_span.intAttributes.append({key, value});
}

} // namespace Outpost::Tracing
