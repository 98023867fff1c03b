#pragma once

#include "core/result.h"
#include "guardedsocket.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTimer>

#include <atomic>
#include <memory>

namespace Outpost::Server {

// Whether several HTTP threads accept on one port: on Linux the first thread binds it and the
// others listen on duplicates of its descriptor. Elsewhere the server listens on one thread.
#ifdef Q_OS_LINUX
inline constexpr bool kListenersSharePort = true;
#else
inline constexpr bool kListenersSharePort = false;
#endif

// The listeners of one server's HTTP threads, which share one socket: how many connections all
// of them hold, so that a thread holding more than its share lets the others accept first.
struct AcceptGroup
{
    explicit AcceptGroup(int threads)
        : members(qMax(1, threads))
    { }
    const int members;
    std::atomic<int> open {0};
};

// One HTTP thread's listening socket. The first thread binds the address without SO_REUSEPORT,
// so no other process can join the port (a second server fails at start instead of silently
// splitting the connections); the other threads listen on duplicates of that descriptor, one
// kernel accept queue that every thread's event loop takes from. A thread takes one connection
// per wake-up and then lets the others compete for the next (see yieldAccepting()), so a burst
// of new connections spreads over the threads instead of landing on whichever woke first.
// Each accepted descriptor is wrapped
// in a GuardedSocket before anyone else sees it. Accepting pauses at the connection cap and
// when descriptors run out, and resumes later: it never spins.
class IdleParking;

class Listener final : public QTcpServer
{
    Q_OBJECT

public:
    // `tls`: every connection is TLS (owned by the caller, outlives the listener); may be null.
    // `group`: the listeners sharing this one's socket; may be null (one thread).
    Listener(const GuardLimits &limits, ConnectionObserver *observer, int maxConnections,
        const TlsContext *tls, std::shared_ptr<AcceptGroup> group, QObject *parent = nullptr);

    // Binds address:port (port 0 picks one) and listens; returns the bound port. Fails with
    // "ADDRESS:PORT is already in use by another process" when someone else listens there.
    Result<quint16> listenShared(const QHostAddress &address, quint16 port);
    // Listens on a duplicate of another thread's listening descriptor; returns its port.
    Result<quint16> listenOn(qintptr sharedDescriptor);

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
    void yieldAccepting();
    // QTcpServer's pauseAccepting() and resumeAccepting() (Qt 6.4) dereference the listening
    // socket without a check: once close()d (the drain at SIGTERM) they crash. A timer or a
    // closing connection may still ask for them then.
    void pause();
    void resume();

    GuardLimits m_limits;
    ConnectionObserver *m_observer;
    int m_maxConnections;
    const TlsContext *m_tls;
    int m_open = 0;
    bool m_pausedAtCap = false;
    bool m_yielding = false;
    std::shared_ptr<AcceptGroup> m_group; // may be null (one thread)
    QTimer m_resumeTimer;
    IdleParking *m_parking; // a child: keeps this thread's idle connections out of the poll
};

} // namespace Outpost::Server
