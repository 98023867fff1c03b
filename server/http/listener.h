#pragma once

#include "core/result.h"
#include "guardedsocket.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTimer>

namespace Outpost::Server {

// Whether one Listener per HTTP thread can bind the same port, the kernel spreading new
// connections over them: Linux's SO_REUSEPORT. Elsewhere the server listens on one thread.
#ifdef Q_OS_LINUX
inline constexpr bool kListenersSharePort = true;
#else
inline constexpr bool kListenersSharePort = false;
#endif

// One HTTP thread's listening socket. Every thread binds the same address with SO_REUSEPORT,
// so the kernel spreads new connections across threads. Each accepted descriptor is wrapped
// in a GuardedSocket before anyone else sees it. Accepting pauses at the connection cap and
// when descriptors run out, and resumes later: it never spins.
class Listener final : public QTcpServer
{
    Q_OBJECT

public:
    // `tls`: every connection is TLS (owned by the caller, outlives the listener).
    Listener(const GuardLimits &limits, ConnectionObserver *observer, int maxConnections,
        const TlsContext *tls = nullptr, QObject *parent = nullptr);

    // Binds address:port (port 0 picks one) and listens; returns the bound port.
    Result<quint16> listenShared(const QHostAddress &address, quint16 port);

    void connectionClosed();
    int openConnections() const { return m_open; }

    // Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft limit.
    static qint64 raiseDescriptorLimit();

    // QTcpServer turns accepting back on whenever a connection is taken; keep it paused at
    // the cap.
    QTcpSocket *nextPendingConnection() override;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void onAcceptError(QAbstractSocket::SocketError error);
    void pauseAtCap();

    GuardLimits m_limits;
    ConnectionObserver *m_observer;
    int m_maxConnections;
    const TlsContext *m_tls;
    int m_open = 0;
    bool m_pausedAtCap = false;
    QTimer m_resumeTimer;
};

} // namespace Outpost::Server
