#pragma once

#include "framedrequest.h"

#include <QByteArray>

namespace Outpost::Server {

class GuardedSocket;

// Told about what the guard decides by itself (it answers those requests without a route).
class ConnectionObserver
{
public:
    virtual ~ConnectionObserver() = default;
    virtual void connectionOpened(GuardedSocket &socket) = 0;
    // A complete, valid request that is not a WebSocket upgrade is in socket.current() (take
    // its headers and body); answer it with socket.respond(), now or later.
    virtual void requestReady(GuardedSocket &socket) = 0;
    // The headers of `request` are complete and a body follows: where it goes (memory unless
    // its route spools it to a file). Called before the body is read.
    virtual BodySpool bodySpool(const FramedRequest &request)
    {
        Q_UNUSED(request);
        return {};
    }
    virtual void requestRejected(const GuardedSocket &socket, int status, const QByteArray &method,
        const QByteArray &target, const QByteArray &requestId) = 0;
    virtual void connectionClosed(GuardedSocket &socket) = 0;
};

} // namespace Outpost::Server
