#include "idleparking.h"

#include "guardedsocket.h"

#include <QSocketNotifier>

#ifdef Q_OS_LINUX
#include <sys/epoll.h>
#include <unistd.h>
#endif

namespace Outpost::Server {

IdleParking::IdleParking(int sweepMs, QObject *parent)
    : QObject(parent)
    , m_sweep(this)
{
#ifdef Q_OS_LINUX
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll >= 0) {
        m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &IdleParking::wake);
        m_sweep.setInterval(sweepMs);
        connect(&m_sweep, &QTimer::timeout, this, &IdleParking::sweep);
        m_sweep.start();
    }
#else
    Q_UNUSED(sweepMs);
#endif
}

IdleParking::~IdleParking()
{
#ifdef Q_OS_LINUX
    if (m_epoll >= 0) {
        delete m_notifier;
        ::close(m_epoll);
    }
#endif
}

void IdleParking::remove(GuardedSocket *socket)
{
    m_sockets.remove(socket);
    m_parked.remove(socket);
}

bool IdleParking::park(GuardedSocket *socket, int fd)
{
#ifdef Q_OS_LINUX
    if (m_epoll < 0 || fd < 0)
        return false;
    epoll_event event {};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.ptr = socket;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0)
        return false;
    m_parked.insert(socket);
    return true;
#else
    Q_UNUSED(socket);
    Q_UNUSED(fd);
    return false;
#endif
}

void IdleParking::unpark(GuardedSocket *socket, int fd)
{
#ifdef Q_OS_LINUX
    if (m_parked.remove(socket) && fd >= 0)
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
#else
    Q_UNUSED(socket);
    Q_UNUSED(fd);
#endif
}

void IdleParking::sweep()
{
    // A connection parks itself if it was idle at the last sweep too (GuardedSocket).
    // sweptIdle() parks or not; it never adds or removes connections.
    for (GuardedSocket *socket : std::as_const(m_sockets))
        socket->sweptIdle(*this);
}

void IdleParking::wake()
{
#ifdef Q_OS_LINUX
    constexpr int kBatch = 256;
    epoll_event events[kBatch];
    for (;;) {
        const int n = epoll_wait(m_epoll, events, kBatch, 0);
        for (int i = 0; i < n; ++i) {
            auto *socket = static_cast<GuardedSocket *>(events[i].data.ptr);
            // Unparked or gone since (an earlier one of this batch may have closed it).
            if (m_parked.contains(socket))
                socket->wakeFromParking(*this);
        }
        if (n < kBatch)
            return;
    }
#endif
}

} // namespace Outpost::Server
