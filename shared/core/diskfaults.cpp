#include "diskfaults.h"

#include <QDeadlineTimer>

#include <atomic>
#include <cerrno>

namespace Outpost::DiskFaults {

namespace {

// Milliseconds on the monotonic clock, + 1 so that 0 means "never".
std::atomic<qint64> g_lastAtMs {0};
std::atomic<int> g_lastKind {0};
std::atomic<qint64> g_count {0};

qint64 nowMs()
{
    return QDeadlineTimer::current().deadline();
}

} // namespace

Kind kindOf(int errnoValue)
{
#ifdef EDQUOT
    if (errnoValue == EDQUOT)
        return Kind::Full;
#endif
    return errnoValue == ENOSPC ? Kind::Full : Kind::Io;
}

void record(Kind kind)
{
    g_lastKind.store(int(kind), std::memory_order_relaxed);
    g_lastAtMs.store(nowMs() + 1, std::memory_order_release);
    g_count.fetch_add(1, std::memory_order_relaxed);
}

Error error(Kind kind, const QString &what)
{
    record(kind);
    if (kind == Kind::Full) {
        return {ErrorCode::InsufficientStorage,
            QStringLiteral("%1 cannot write: the disk is full; try again later").arg(what), {}};
    }
    return Error::unavailable(
        QStringLiteral("%1 cannot write: the disk reported an I/O error; try again later")
            .arg(what));
}

std::optional<Last> last()
{
    const qint64 at = g_lastAtMs.load(std::memory_order_acquire);
    if (at == 0)
        return std::nullopt;
    return Last {qMax<qint64>(0, nowMs() + 1 - at),
        Kind(g_lastKind.load(std::memory_order_relaxed)), g_count.load(std::memory_order_relaxed)};
}

} // namespace Outpost::DiskFaults
