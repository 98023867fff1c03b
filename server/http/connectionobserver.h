#pragma once

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
    virtual void requestRejected(const GuardedSocket &socket, int status, const QByteArray &method,
        const QByteArray &target, const QByteArray &requestId) = 0;
    virtual void connectionClosed(GuardedSocket &socket) = 0;
};

} // namespace Outpost::Server
