#pragma once

#include "core/spooledfile.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

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
    // Instead of `body`, when the route asked for it (BodySpool): the body in a file.
    std::shared_ptr<SpooledFile> spooled;
};

// Where a request's body goes while it arrives, as its route decides once the headers are
// complete (Route::spoolBody): into memory (directory empty), or into a new temporary file in
// `directory`, hashed (SHA-256) on the way when `sha256` is set. Either way every limit of the
// guard applies; a body not taken leaves no file behind.
struct BodySpool
{
    QString directory;
    bool sha256 = false;
};

} // namespace Outpost::Server
