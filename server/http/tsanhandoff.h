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

namespace Outpost::Server::TsanHandOff {

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
#else
inline void release() { }
inline void acquire() { }
#endif

} // namespace Outpost::Server::TsanHandOff
