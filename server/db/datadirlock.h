#pragma once

#include "core/result.h"

#include <QString>

#include <memory>

namespace Outpost::Server {

// An exclusive lock on a data directory (the file `outpost.lock` in it, holding the pid and
// host of the process that has it), so that two servers, or a server and a command that writes,
// never open the same SQLite data directory at once. The operating system releases it when the
// process ends, however it ends: a lock is never stale (flock() on POSIX, LockFileEx() on
// Windows).
class DataDirLock final
{
public:
    static constexpr const char *kFileName = "outpost.lock";

    // Takes the lock or fails (Conflict) naming the holder: "the data directory D is in use by
    // another process (pid P on host H)". `purpose` ends the message, e.g. "stop it first".
    static Result<std::unique_ptr<DataDirLock>> acquire(
        const QString &dataDir, const QString &purpose = {});
    ~DataDirLock();
    DataDirLock(const DataDirLock &) = delete;
    DataDirLock &operator=(const DataDirLock &) = delete;

    // "pid P on host H" of the holder of `dataDir`'s lock, empty when no one holds it.
    static QString holder(const QString &dataDir);

#ifdef Q_OS_WIN
    using Handle = void *; // a HANDLE, kept open while the lock is held
#else
    using Handle = int; // a file descriptor
#endif

private:
    explicit DataDirLock(Handle handle);
    Handle m_handle;
};

} // namespace Outpost::Server
