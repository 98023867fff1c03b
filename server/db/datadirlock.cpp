#include "datadirlock.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#ifdef Q_OS_WIN
#include <QSysInfo>

#include <system_error>
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace Outpost::Server {

namespace {

using Handle = DataDirLock::Handle;

QString lockPath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QString::fromLatin1(DataDirLock::kFileName));
}

// The operating system's side: open, lock (never waiting), read, write, close.
enum class Locked { Yes, HeldByAnother, Failed };

#ifdef Q_OS_WIN

const Handle kNoHandle = INVALID_HANDLE_VALUE;

QString lastErrorText()
{
    return QString::fromStdString(std::system_category().message(int(::GetLastError())));
}

Handle openLockFile(const QString &path, bool create)
{
    // Others may open, read and even delete it meanwhile, as on POSIX; the handle is not
    // inherited by child processes (like O_CLOEXEC).
    const QString native = QDir::toNativeSeparators(path);
    return ::CreateFileW(reinterpret_cast<const wchar_t *>(native.utf16()),
        create ? GENERIC_READ | GENERIC_WRITE : GENERIC_READ,
        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
        create ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
}

// Windows' byte-range locks are mandatory: a locked range cannot be read by anyone else. So
// the lock is on one byte far past the end of the file, and the holder line at its start
// stays readable for the message of the process that did not get the lock.
OVERLAPPED lockRange()
{
    OVERLAPPED range {};
    range.OffsetHigh = 0x7fffffff;
    return range;
}

Locked tryLock(Handle handle, bool exclusive)
{
    OVERLAPPED range = lockRange();
    const DWORD flags = LOCKFILE_FAIL_IMMEDIATELY | (exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0);
    if (::LockFileEx(handle, flags, 0, 1, 0, &range))
        return Locked::Yes;
    return ::GetLastError() == ERROR_LOCK_VIOLATION ? Locked::HeldByAnother : Locked::Failed;
}

void unlock(Handle handle)
{
    OVERLAPPED range = lockRange();
    ::UnlockFileEx(handle, 0, 1, 0, &range);
}

qint64 readStart(Handle handle, char *buffer, qint64 size)
{
    OVERLAPPED start {}; // offset 0, without moving the file pointer
    DWORD read = 0;
    if (!::ReadFile(handle, buffer, DWORD(size), &read, &start))
        return -1;
    return qint64(read);
}

bool replaceContents(Handle handle, const QByteArray &line)
{
    LARGE_INTEGER zero {};
    if (!::SetFilePointerEx(handle, zero, nullptr, FILE_BEGIN) || !::SetEndOfFile(handle))
        return false;
    DWORD written = 0;
    return ::WriteFile(handle, line.constData(), DWORD(line.size()), &written, nullptr)
        && written == DWORD(line.size());
}

void closeHandle(Handle handle)
{
    ::CloseHandle(handle);
}

QByteArray processId()
{
    return QByteArray::number(qint64(::GetCurrentProcessId()));
}

QByteArray hostName()
{
    const QByteArray host = QSysInfo::machineHostName().toUtf8();
    return host.isEmpty() ? QByteArrayLiteral("unknown") : host;
}

#else

const Handle kNoHandle = -1;

QString lastErrorText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

Handle openLockFile(const QString &path, bool create)
{
    const QByteArray name = QFile::encodeName(path);
    return create ? ::open(name.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)
                  : ::open(name.constData(), O_RDONLY | O_CLOEXEC);
}

Locked tryLock(Handle handle, bool exclusive)
{
    if (::flock(handle, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
        return Locked::Yes;
    return errno == EWOULDBLOCK ? Locked::HeldByAnother : Locked::Failed;
}

void unlock(Handle handle)
{
    ::flock(handle, LOCK_UN);
}

qint64 readStart(Handle handle, char *buffer, qint64 size)
{
    return qint64(::pread(handle, buffer, size_t(size), 0));
}

bool replaceContents(Handle handle, const QByteArray &line)
{
    return ::ftruncate(handle, 0) == 0
        && ::pwrite(handle, line.constData(), size_t(line.size()), 0) == line.size();
}

void closeHandle(Handle handle)
{
    ::close(handle);
}

QByteArray processId()
{
    return QByteArray::number(qint64(::getpid()));
}

QByteArray hostName()
{
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
        return QByteArrayLiteral("unknown");
    return QByteArray(host);
}

#endif

// "pid P on host H" from the lock file's contents ("P H\n").
QString describeHolder(Handle handle)
{
    char buffer[256] = {};
    const qint64 n = readStart(handle, buffer, sizeof buffer - 1);
    const QStringList parts = n > 0
        ? QString::fromUtf8(buffer, int(n)).trimmed().split(u' ', Qt::SkipEmptyParts)
        : QStringList {};
    if (parts.size() < 2)
        return QStringLiteral("pid unknown");
    return QStringLiteral("pid %1 on host %2").arg(parts.at(0), parts.at(1));
}

} // namespace

DataDirLock::DataDirLock(Handle handle)
    : m_handle(handle)
{ }

DataDirLock::~DataDirLock()
{
    // Closing the file releases the lock (Windows asks for the unlock first, or may release it
    // late); the file stays (removing it would race with a process that opened it and is
    // waiting to lock it).
    if (m_handle != kNoHandle) {
        unlock(m_handle);
        closeHandle(m_handle);
    }
}

Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(
    const QString &dataDir, const QString &purpose)
{
    const QString path = lockPath(dataDir);
    const Handle handle = openLockFile(path, true);
    if (handle == kNoHandle) {
        return fail(Error::unavailable(
            QStringLiteral("cannot open the lock file %1: %2").arg(path, lastErrorText())));
    }
    if (const Locked locked = tryLock(handle, true); locked != Locked::Yes) {
        const bool held = locked == Locked::HeldByAnother;
        const QString reason = held ? describeHolder(handle) : lastErrorText();
        closeHandle(handle);
        if (!held)
            return fail(Error::unavailable(QStringLiteral("cannot lock %1: %2").arg(path, reason)));
        QString message = QStringLiteral("the data directory %1 is in use by another process (%2)")
                              .arg(QDir::cleanPath(QDir(dataDir).absolutePath()), reason);
        if (!purpose.isEmpty())
            message += QStringLiteral(": ") + purpose;
        return fail(Error::conflict(message));
    }
    if (!replaceContents(handle, processId() + ' ' + hostName() + '\n')) {
        const QString reason = lastErrorText();
        closeHandle(handle);
        return fail(Error::unavailable(
            QStringLiteral("cannot write the lock file %1: %2").arg(path, reason)));
    }
    return std::unique_ptr<DataDirLock>(new DataDirLock(handle));
}

QString DataDirLock::holder(const QString &dataDir)
{
    const Handle handle = openLockFile(lockPath(dataDir), false);
    if (handle == kNoHandle)
        return {};
    QString who;
    switch (tryLock(handle, false)) {
    case Locked::HeldByAnother:
        who = describeHolder(handle);
        break;
    case Locked::Yes:
        unlock(handle);
        break;
    case Locked::Failed:
        break;
    }
    closeHandle(handle);
    return who;
}

} // namespace Outpost::Server
