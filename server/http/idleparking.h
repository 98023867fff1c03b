#pragma once

#include <QObject>
#include <QSet>
#include <QTimer>

class QSocketNotifier;

namespace Outpost::Server {

class GuardedSocket;

// Keeps idle keep-alive connections out of the event loop's descriptor set. Qt's event
// dispatchers poll() every watched descriptor on every turn of the loop, so 10,000 idle
// connections made each turn, and with it each request on the few busy ones, cost thousands of
// descriptor checks. Every sweepMs this thread's connections are looked at; one that has been
// idle (no bytes in, nothing to write, no request in progress) for a whole sweep is parked: its
// read notifier is turned off and its descriptor watched by an epoll set of its own, which is
// the one descriptor the event loop watches for all of them. The first byte (or the end of the
// connection) wakes it: it is unparked and read as usual. Idle timeouts are unchanged (their
// timers run as before). A busy connection is never parked: bytes reset its count.
// Linux only (epoll); elsewhere nothing is parked. One per HTTP thread, in the Listener's thread.
class IdleParking final : public QObject
{
    Q_OBJECT

public:
    explicit IdleParking(int sweepMs = 1000, QObject *parent = nullptr);
    ~IdleParking() override;
    IdleParking(const IdleParking &) = delete;
    IdleParking &operator=(const IdleParking &) = delete;

    // Every connection of the thread, from its start to its end (GuardedSocket does both).
    void add(GuardedSocket *socket) { m_sockets.insert(socket); }
    void remove(GuardedSocket *socket);

    // Watches `fd` for `socket` until it is unparked; false if it cannot (then the socket
    // stays with the event loop).
    bool park(GuardedSocket *socket, int fd);
    // Stops watching; the socket takes its descriptor back.
    void unpark(GuardedSocket *socket, int fd);

    qsizetype parked() const { return m_parked.size(); }
    // Runs one sweep now (tests; the timer runs them otherwise).
    void sweep();

private:
    void wake();

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_sweep;
    QSet<GuardedSocket *> m_sockets;
    QSet<GuardedSocket *> m_parked;
};

} // namespace Outpost::Server
