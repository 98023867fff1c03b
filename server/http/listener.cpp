#include "listener.h"

#include "httplog.h"
#include "idleparking.h"

#include <cerrno>
#include <cstring>
#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <arpa/inet.h>
#include <climits>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace Outpost::Server {

namespace {
constexpr int kDefaultPending = 30; // QTcpServer's default
}

Listener::Listener(const GuardLimits &limits, ConnectionObserver *observer, int maxConnections,
    const TlsContext *tls, std::shared_ptr<AcceptGroup> group, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_observer(observer)
    , m_maxConnections(qMax(1, maxConnections))
    , m_tls(tls)
    , m_group(std::move(group))
    , m_parking(new IdleParking(1000, this))
{
    // Qt never re-enables accepting after a resource error by itself.
    connect(this, &QTcpServer::acceptError, this, &Listener::onAcceptError);
    m_resumeTimer.setSingleShot(true);
    m_resumeTimer.setInterval(250);
    connect(&m_resumeTimer, &QTimer::timeout, this, [this] {
        if (!m_pausedAtCap)
            resume();
    });
}

qint64 Listener::raiseDescriptorLimit()
{
#ifdef Q_OS_WIN
    return -1; // no per-process descriptor limit for sockets
#else
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
#ifdef Q_OS_MACOS
        // macOS refuses a soft limit above OPEN_MAX, and the hard limit is often "unlimited".
        limit.rlim_cur = qMin<rlim_t>(limit.rlim_max, OPEN_MAX);
#endif
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            getrlimit(RLIMIT_NOFILE, &limit);
    }
    return qint64(limit.rlim_cur);
#endif
}

Result<quint16> Listener::listenShared(const QHostAddress &address, quint16 port)
{
#ifndef Q_OS_LINUX
    // Without kListenersSharePort one listener serves the port, and Qt opens its socket.
    setListenBacklogSize(1024);
    if (!listen(address, port))
        return fail(Error::unavailable(QStringLiteral("cannot listen on %1:%2: %3")
                                           .arg(address.toString())
                                           .arg(port)
                                           .arg(errorString())));
    return serverPort();
#else
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return fail(Error::unavailable(QStringLiteral("cannot create a socket: %1")
                                           .arg(QString::fromLocal8Bit(std::strerror(errno)))));
    }
    // SO_REUSEADDR only lets the port be taken again while old connections linger in
    // TIME_WAIT; without SO_REUSEPORT a second listener, of any process, gets EADDRINUSE.
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

    sockaddr_storage storage {};
    socklen_t length = 0;
    if (v6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        length = sizeof(sockaddr_in6);
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        in4->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0
        || ::listen(fd, 1024) != 0) {
        const int error = errno;
        const QString reason = QString::fromLocal8Bit(std::strerror(error));
        ::close(fd);
        const QString host =
            v6 ? QStringLiteral("[%1]").arg(address.toString()) : address.toString();
        if (error == EADDRINUSE) {
            return fail(Error::unavailable(
                QStringLiteral("%1:%2 is already in use by another process").arg(host).arg(port)));
        }
        return fail(Error::unavailable(QStringLiteral("cannot listen on %1:%2: %3")
                                           .arg(address.toString())
                                           .arg(port)
                                           .arg(reason)));
    }
    if (!setSocketDescriptor(fd)) {
        ::close(fd);
        return fail(Error::unavailable(QStringLiteral("cannot listen: %1").arg(errorString())));
    }
    return serverPort();
#endif
}

Result<quint16> Listener::listenOn(qintptr sharedDescriptor)
{
#ifndef Q_OS_LINUX
    Q_UNUSED(sharedDescriptor);
    // Never called: without kListenersSharePort the server listens on one thread.
    return fail(Error::unavailable(QStringLiteral("sharing a listening socket is Linux only")));
#else
    const int fd = ::fcntl(int(sharedDescriptor), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        return fail(Error::unavailable(QStringLiteral("cannot share the listening socket: %1")
                                           .arg(QString::fromLocal8Bit(std::strerror(errno)))));
    }
    if (!setSocketDescriptor(fd)) {
        ::close(fd);
        return fail(Error::unavailable(QStringLiteral("cannot listen: %1").arg(errorString())));
    }
    return serverPort();
#endif
}

void Listener::incomingConnection(qintptr descriptor)
{
    auto *socket = new GuardedSocket(descriptor, m_limits, m_observer, m_tls, this);
    socket->setParking(m_parking);
    if (!socket->isOpenConnection()) {
        delete socket;
#ifdef Q_OS_WIN
        ::closesocket(SOCKET(descriptor));
#else
        ::close(int(descriptor));
#endif
        return;
    }
    ++m_open;
    if (m_group)
        m_group->open.fetch_add(1, std::memory_order_relaxed);
    if (m_open >= m_maxConnections && !m_pausedAtCap) {
        qCWarning(lcHttp).nospace() << "connection cap reached (" << m_maxConnections
                                    << "): new connections wait in the kernel's backlog";
        pauseAtCap();
    } else if (!m_pausedAtCap) {
        yieldAccepting();
    }
    if (m_observer)
        m_observer->connectionOpened(*socket);
    addPendingConnection(socket);
}

void Listener::yieldAccepting()
{
    if (m_yielding)
        return;
    m_yielding = true;
    // Ends QTcpServer's accept loop after this connection (as at the cap); accepting resumes
    // once this thread's event loop has had a turn, when every thread's poll sees the queue.
    // A thread holding more than its share of the group's connections waits a little longer,
    // so that threads the kernel has not scheduled yet get to take the next ones (on a busy
    // machine one thread could otherwise take them all). Only new connections wait for it.
    setMaxPendingConnections(0);
    int delayMs = 0;
    if (m_group && m_group->members > 1) {
        const int open = m_group->open.load(std::memory_order_relaxed);
        const int share = (open + m_group->members - 1) / m_group->members;
        if (m_open > share)
            delayMs = 2;
    }
    QTimer::singleShot(delayMs, this, [this] {
        m_yielding = false;
        if (m_pausedAtCap)
            return;
        setMaxPendingConnections(kDefaultPending);
        resume();
    });
}

void Listener::pauseAtCap()
{
    m_pausedAtCap = true;
    // Zero pending connections allowed also ends QTcpServer's accept loop for this round.
    setMaxPendingConnections(0);
    pause();
}

QTcpSocket *Listener::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    if (m_pausedAtCap)
        pause();
    return socket;
}

void Listener::connectionClosed()
{
    --m_open;
    if (m_group)
        m_group->open.fetch_sub(1, std::memory_order_relaxed);
    if (m_pausedAtCap && m_open < m_maxConnections) {
        m_pausedAtCap = false;
        setMaxPendingConnections(kDefaultPending);
        resume();
    }
}

void Listener::pause()
{
    if (isListening())
        pauseAccepting();
}

void Listener::resume()
{
    if (isListening())
        resumeAccepting();
}

void Listener::onAcceptError(QAbstractSocket::SocketError error)
{
    qCWarning(lcHttp) << "accept failed:" << error << errorString()
                      << "- pausing new connections briefly";
    pause();
    m_resumeTimer.start();
}

} // namespace Outpost::Server
