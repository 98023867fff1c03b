#include "datadirlock.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace Outpost::Server {

namespace {

QString lockPath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QString::fromLatin1(DataDirLock::kFileName));
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// "pid P on host H" from the lock file's contents ("P H\n"); `fallback` when unreadable.
QString describeHolder(int descriptor)
{
    char buffer[256] = {};
    const ssize_t n = ::pread(descriptor, buffer, sizeof buffer - 1, 0);
    const QStringList parts = n > 0
        ? QString::fromUtf8(buffer, int(n)).trimmed().split(u' ', Qt::SkipEmptyParts)
        : QStringList {};
    if (parts.size() < 2)
        return QStringLiteral("pid unknown");
    return QStringLiteral("pid %1 on host %2").arg(parts.at(0), parts.at(1));
}

} // namespace

DataDirLock::DataDirLock(int descriptor)
    : m_descriptor(descriptor)
{ }

DataDirLock::~DataDirLock()
{
    // Closing the descriptor releases the lock; the file stays (removing it would race with a
    // process that opened it and is waiting to lock it).
    if (m_descriptor >= 0)
        ::close(m_descriptor);
}

Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(
    const QString &dataDir, const QString &purpose)
{
    const QByteArray path = QFile::encodeName(lockPath(dataDir));
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(Error::unavailable(QStringLiteral("cannot open the lock file %1: %2")
                                           .arg(QFile::decodeName(path), errnoText())));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const bool held = errno == EWOULDBLOCK;
        const QString reason = held ? describeHolder(fd) : errnoText();
        ::close(fd);
        if (!held) {
            return fail(Error::unavailable(
                QStringLiteral("cannot lock %1: %2").arg(QFile::decodeName(path), reason)));
        }
        QString message = QStringLiteral("the data directory %1 is in use by another process (%2)")
                              .arg(QDir::cleanPath(QDir(dataDir).absolutePath()), reason);
        if (!purpose.isEmpty())
            message += QStringLiteral(": ") + purpose;
        return fail(Error::conflict(message));
    }
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
        std::strcpy(host, "unknown");
    const QByteArray line = QByteArray::number(qint64(::getpid())) + ' ' + QByteArray(host) + '\n';
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, line.constData(), size_t(line.size()), 0) < 0) {
        const QString reason = errnoText();
        ::close(fd);
        return fail(Error::unavailable(QStringLiteral("cannot write the lock file %1: %2")
                                           .arg(QFile::decodeName(path), reason)));
    }
    return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

QString DataDirLock::holder(const QString &dataDir)
{
    const QByteArray path = QFile::encodeName(lockPath(dataDir));
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QString who;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
        who = describeHolder(fd);
    ::close(fd);
    return who;
}

} // namespace Outpost::Server
