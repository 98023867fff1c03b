#pragma once

#include <QByteArray>
#include <QList>

namespace Outpost::Server {

// A request header field as framed: the name in lower case, the value without the whitespace
// around it. Repeated fields stay separate, in the order they came.
struct HeaderField
{
    QByteArray name;
    QByteArray value;
};

// What the guard learned while framing the request now being handled.
struct FramedRequest
{
    QByteArray method;     // "GET"
    QByteArray target;     // the raw request-target, "/v1/posts?limit=10"
    QByteArray requestId;  // a valid incoming X-Request-Id, else empty
    int httpMinor = 1;     // HTTP/1.<minor>
    bool keepAlive = true; // what the client asked for (HTTP/1.0 needs keep-alive)
    qint64 startedNs = 0;  // monotonic time the request became complete
    quint64 sequence = 0;  // which request on this connection
    QList<HeaderField> headers;
    QByteArray body; // exactly Content-Length bytes, or the de-chunked body
};

} // namespace Outpost::Server
