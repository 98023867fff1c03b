#pragma once

#include <QByteArray>
#include <QSet>

namespace Outpost::Server {

// What a connection guard allows: sizes (RequestFramer) and times (GuardedSocket).
struct GuardLimits
{
    int maxTargetBytes = 8 * 1024;            // request-target (URL); over it: 414
    int maxHeaderBytes = 32 * 1024;           // whole header block; over it: 431
    int maxHeaderCount = 100;                 // header fields; over it: 431
    qint64 maxBodyBytes = 32LL * 1024 * 1024; // over it: 413, before the body is read
    int idleTimeoutMs = 60'000;               // keep-alive connection with no request in progress
    int headerTimeoutMs = 10'000;             // first byte of a request to the end of its headers
    int bodyTimeoutMs = 60'000;               // no body bytes for this long
    QSet<QByteArray> websocketPaths; // upgrades elsewhere get 404 before QtHttpServer sees them
};

} // namespace Outpost::Server
