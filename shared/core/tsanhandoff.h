#pragma once

// ThreadSanitizer cannot see the locks inside Debian's uninstrumented Qt that hand work from
// one thread to another (QThreadPool's queue, a queued call's event), so it reports what the
// sender wrote and the receiver reads as a race. release() just before the work is given to Qt
// and acquire() first thing where it runs tell it that the hand-over orders them. One address
// serves every hand-over: coarser than Qt's own ordering (it could hide a race between two
// unrelated hand-overs), never finer. Nothing at all outside the tsan build.
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

#include <utility>

namespace Outpost::TsanHandOff {

#if defined(__SANITIZE_THREAD__)
inline char token;
inline void release()
{
    __tsan_release(&token);
}
inline void acquire()
{
    __tsan_acquire(&token);
}

// A functor handed to QMetaObject::invokeMethod: Qt's inline template allocates the slot
// object and moves the functor into it after the caller's last statement, so a release() before
// the call comes too early. This one releases from inside that move, the last write the sender
// makes, acquires where it is called and releases again when it returns (for a caller that
// waited, Qt::BlockingQueuedConnection, and then calls acquire()).
template<typename F> class Functor
{
public:
    explicit Functor(F function)
        : m_function(std::move(function))
    { }
    Functor(Functor &&other) noexcept
        : m_function(std::move(other.m_function))
    {
        release();
    }
    Functor(const Functor &other)
        : m_function(other.m_function)
    {
        release();
    }
    Functor &operator=(const Functor &) = delete;
    Functor &operator=(Functor &&) = delete;
    ~Functor() = default;
    decltype(auto) operator()()
    {
        acquire();
        const ReleaseOnReturn releaseOnReturn;
        return m_function();
    }

private:
    struct ReleaseOnReturn
    {
        ReleaseOnReturn() = default;
        ReleaseOnReturn(const ReleaseOnReturn &) = delete;
        ReleaseOnReturn &operator=(const ReleaseOnReturn &) = delete;
        ~ReleaseOnReturn() { release(); }
    };

    F m_function;
};

template<typename F> Functor<F> handOver(F function)
{
    return Functor<F>(std::move(function));
}
#else
inline void release() { }
inline void acquire() { }
// The functor itself, not even moved.
template<typename F> F &&handOver(F &&function)
{
    return std::forward<F>(function);
}
#endif

} // namespace Outpost::TsanHandOff
