#include "logging.h"

#include "core/tracing.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMutex>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace Outpost::Server::Logging {

namespace {

std::atomic<LogFormat> g_format {LogFormat::Json};
QMutex g_writeMutex;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QByteArray line;
    const QByteArray category = context.category ? QByteArray(context.category) : QByteArray();
    if (g_format.load() == LogFormat::Json) {
        line.append("{\"time\":\"").append(nowRfc3339()).append("\",\"level\":\"");
        line.append(levelName(type)).append("\",\"category\":");
        appendJsonString(line, category);
        line.append(",\"msg\":");
        appendJsonString(line, message.toUtf8());
        // The request this thread works for, when it is traced (W3C traceparent or export on).
        if (const Tracing::SpanContext *trace = Tracing::current())
            appendTraceIds(line, *trace);
        line.append("}\n");
    } else {
        line.append(nowRfc3339()).append(' ').append(QByteArray(levelName(type)).toUpper());
        line.append(' ').append(category).append(": ").append(message.toUtf8()).append('\n');
    }
    writeLines(line);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void appendTraceIds(QByteArray &out, const Tracing::SpanContext &trace)
{
    out.append(R"(,"trace_id":")").append(trace.traceIdHex());
    out.append(R"(","span_id":")").append(trace.spanIdHex()).append('"');
}

void install(LogFormat format)
{
    g_format.store(format);
    // Debug output only when asked for, the Qt way: QT_LOGGING_RULES="outpost.*.debug=true".
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));
    qInstallMessageHandler(messageHandler);
}

LogFormat format()
{
    return g_format.load();
}

void writeLines(const QByteArray &lines)
{
    QMutexLocker lock(&g_writeMutex);
    const char *data = lines.constData();
    qsizetype left = lines.size();
    while (left > 0) {
#ifdef Q_OS_WIN
        const int n = ::_write(1, data, unsigned(qMin<qsizetype>(left, 1 << 30)));
#else
        const ssize_t n = ::write(STDOUT_FILENO, data, size_t(left));
#endif
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return; // stdout gone: nothing better to do with a log line
        }
        data += n;
        left -= n;
    }
}

void appendJsonString(QByteArray &out, QByteArrayView value)
{
    out.append('"');
    const bool plain = std::all_of(value.begin(), value.end(),
        [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\'; });
    if (plain) {
        out.append(value).append('"');
        return;
    }
    for (const char c : value) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                out.append(buffer);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

QByteArray nowRfc3339()
{
    // Formatted by hand: QDateTime::toString costs more than the rest of a request's log line.
    thread_local qint64 cachedSecond = -1;
    thread_local char cached[64] = {};
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 second = nowMs / 1000;
    if (second != cachedSecond) {
        cachedSecond = second;
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        const qint64 days = second / 86400;
        const qint64 secondOfDay = second % 86400;
        const qint64 z = days + 719468;
        const qint64 era = z / 146097;
        const qint64 doe = z - era * 146097;
        const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const qint64 mp = (5 * doy + 2) / 153;
        const qint64 day = doy - (153 * mp + 2) / 5 + 1;
        const qint64 month = mp < 10 ? mp + 3 : mp - 9;
        const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        std::snprintf(cached, sizeof cached, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.",
            static_cast<long long>(year), static_cast<long long>(month),
            static_cast<long long>(day), static_cast<long long>(secondOfDay / 3600),
            static_cast<long long>(secondOfDay / 60 % 60),
            static_cast<long long>(secondOfDay % 60));
    }
    const int ms = int(nowMs % 1000);
    char out[32];
    std::memcpy(out, cached, 20);
    out[20] = char('0' + ms / 100);
    out[21] = char('0' + ms / 10 % 10);
    out[22] = char('0' + ms % 10);
    out[23] = 'Z';
    return QByteArray(out, 24);
}

namespace {
thread_local QByteArray t_accessBuffer;
}

void AccessLogBuffer::append(const QByteArray &line)
{
    t_accessBuffer.append(line);
    if (t_accessBuffer.size() >= 32 * 1024)
        flush();
}

void AccessLogBuffer::flush()
{
    if (t_accessBuffer.isEmpty())
        return;
    writeLines(t_accessBuffer);
    t_accessBuffer.clear();
}

} // namespace Outpost::Server::Logging
