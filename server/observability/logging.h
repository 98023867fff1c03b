#pragma once

#include "config/config.h"

#include <QByteArray>

namespace Outpost::Tracing {
struct SpanContext;
}

namespace Outpost::Server::Logging {

// Routes qDebug/qInfo/qWarning/qCritical to stdout, one line each: JSON objects
// ({"time","level","category","msg"}) or plain text, as OUTPOST_LOG_FORMAT says.
void install(LogFormat format);
LogFormat format();

// Writes whole lines to stdout at once; safe from any thread.
void writeLines(const QByteArray &lines);

// ,"trace_id":"…","span_id":"…" for a JSON log line of a traced request.
void appendTraceIds(QByteArray &out, const Tracing::SpanContext &trace);

// JSON string escaping for hand-built log lines.
void appendJsonString(QByteArray &out, QByteArrayView value);

// RFC 3339 UTC time with milliseconds, cached per thread per millisecond.
QByteArray nowRfc3339();

// Access log lines are buffered per thread and flushed in whole lines: at 32 KiB, by the
// HTTP thread's timer, and at shutdown.
class AccessLogBuffer
{
public:
    static void append(const QByteArray &line);
    static void flush();
};

} // namespace Outpost::Server::Logging
