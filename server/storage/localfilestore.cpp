#include "localfilestore.h"

#include "auth/crypto.h"
#include "core/diskfaults.h"
#include "core/spooledfile.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUuid>

#include <cerrno>
#include <cstdio>
#include <optional>
#ifdef Q_OS_WIN
#include <io.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace Outpost::Server {

namespace {

constexpr qint64 copyChunk = 1024LL * 1024;

// Keys and handles come from the file service, never from users; check anyway, so that a bug
// there cannot turn into a path outside the root.
bool isSafeName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-z]+(/[0-9a-z]+)*$"));
    return name.size() <= 200 && pattern.match(name).hasMatch();
}

Error storeError(const QString &what)
{
    qCWarning(lcStorage).noquote() << what;
    return Error::unavailable(QStringLiteral("the file store failed"));
}

// The errno of the system call that just failed (read at once, before anything can change
// it); EIO when there is none to read.
int failedErrno()
{
    const int saved = errno;
    return saved != 0 ? saved : EIO;
}

// A write, fsync, open or rename that failed: 507 when the disk is full, else 503 (both
// counted for /readyz). The log has the system's reason; the client never sees a path.
Error diskError(const QString &what, int errnoValue)
{
    qCWarning(lcStorage).noquote() << what << "-" << qt_error_string(errnoValue);
    return DiskFaults::error(DiskFaults::kindOf(errnoValue), QStringLiteral("the file store"));
}

// 0, or the errno of the write or fsync that failed.
int syncAndClose(QFile &file)
{
    errno = 0;
    if (!file.flush()) {
        const int error = file.error() == QFileDevice::ResourceError ? ENOSPC : failedErrno();
        file.close();
        return error;
    }
#if defined(Q_OS_WIN)
    const bool synced = ::_commit(file.handle()) == 0; // FlushFileBuffers
#elif defined(Q_OS_MACOS)
    // macOS's fsync() leaves the data in the drive's cache; F_FULLFSYNC flushes that too.
    const bool synced = ::fcntl(file.handle(), F_FULLFSYNC) == 0 || ::fsync(file.handle()) == 0;
#else
    const bool synced = ::fsync(file.handle()) == 0;
#endif
    const int error = synced ? 0 : failedErrno();
    file.close();
    return error;
}

// Writes all of `data` and makes it durable: 0, or the errno of what failed.
int writeAndSync(QFile &file, const QByteArray &data)
{
    errno = 0;
    if (file.write(data) != data.size()) {
        const int error = file.error() == QFileDevice::ResourceError ? ENOSPC : failedErrno();
        file.close();
        return error;
    }
    return syncAndClose(file);
}

// Makes a rename durable: fsync the directory that holds the new name: 0, or the errno of
// what failed. (Windows cannot open a directory for that; replaceFile() asks the rename itself
// to be written through.)
int syncDirectory([[maybe_unused]] const QString &dir)
{
#ifndef Q_OS_WIN
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return failedErrno();
    const int error = ::fsync(fd) == 0 ? 0 : failedErrno();
    ::close(fd);
    return error;
#else
    return 0;
#endif
}

// Renames `from` to `to` in one step, replacing `to` if it exists (rename(2)): 0, or the
// errno of the failure.
int replaceFile(const QString &from, const QString &to)
{
#ifdef Q_OS_WIN
    const QString source = QDir::toNativeSeparators(from);
    const QString destination = QDir::toNativeSeparators(to);
    return ::MoveFileExW(reinterpret_cast<const wchar_t *>(source.utf16()),
               reinterpret_cast<const wchar_t *>(destination.utf16()),
               MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
            != 0
        ? 0
        : EIO;
#else
    return ::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0
        ? 0
        : failedErrno();
#endif
}

// Writes `data` to the new file `temp` and renames it to `target`: 0, or the errno of the step
// that failed, and then `temp` is gone (a failed write never leaves a temporary file behind,
// and `target` keeps what it had).
int writeAndReplace(
    const QString &temp, const QString &target, const QByteArray &data, QString *failedStep)
{
    QFile file(temp);
    errno = 0;
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        *failedStep = QStringLiteral("cannot create a temporary file");
        return failedErrno();
    }
    int error = writeAndSync(file, data);
    if (error != 0) {
        *failedStep = QStringLiteral("cannot write a temporary file");
    } else if ((error = replaceFile(temp, target)) != 0) {
        *failedStep = QStringLiteral("cannot rename a temporary file into place");
    } else {
        return 0;
    }
    QFile::remove(temp);
    return error;
}

// Appends all `size` bytes of `in` (read from its start) to `out`: 0, or the errno of what
// failed. copy_file_range() where there is one, else through a buffer.
int copyWhole(QFile &in, QFile &out, qint64 size)
{
#ifdef Q_OS_LINUX
    loff_t from = 0;
    qint64 left = size;
    while (left > 0) {
        errno = 0;
        const ssize_t n = ::copy_file_range(
            in.handle(), &from, out.handle(), nullptr, size_t(qMin<qint64>(left, 1LL << 30)), 0);
        if (n > 0) {
            left -= n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || left != size
            || (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP))
            return n == 0 ? EIO : failedErrno(); // short, or a real failure
        break;                                   // not on this file system: copy through a buffer
    }
    if (left == 0)
        return 0;
    // out's position is its descriptor's, which copy_file_range advanced; QFile's is stale.
    if (!out.seek(::lseek(out.handle(), 0, SEEK_CUR)))
        return EIO;
#endif
    QByteArray buffer(copyChunk, Qt::Uninitialized);
    if (!in.seek(0))
        return EIO;
    for (qint64 rest = size; rest > 0;) {
        const qint64 n = in.read(buffer.data(), qMin<qint64>(rest, buffer.size()));
        if (n <= 0)
            return EIO;
        errno = 0;
        if (out.write(buffer.constData(), n) != n)
            return out.error() == QFileDevice::ResourceError ? ENOSPC : failedErrno();
        rest -= n;
    }
    return 0;
}

QString randomName()
{
    return QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace

LocalFileStore::LocalFileStore(const QString &root)
    : m_root(root)
{
    for (const char *sub : {"objects", "uploads", "tmp"})
        m_root.mkpath(QLatin1String(sub));
    m_spoolDirectory = QFileInfo(m_root.filePath(QStringLiteral("tmp"))).absoluteFilePath();
}

Status LocalFileStore::check() const
{
    const QFileInfo root(m_root.absolutePath());
    const QFileInfo tmp(m_root.filePath(QStringLiteral("tmp")));
    const QFileInfo objects(m_root.filePath(QStringLiteral("objects")));
    if (!root.isDir() || !root.isWritable() || !tmp.isDir() || !tmp.isWritable() || !objects.isDir()
        || !objects.isWritable())
        return fail(Error::unavailable(QStringLiteral("the file store directory is not writable")));
    // Permissions say nothing of a full or failing disk: write (and fsync) a small file.
    const QString probe = m_root.filePath(QStringLiteral("tmp/") + randomName());
    QFile file(probe);
    errno = 0;
    int error = file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ? 0 : failedErrno();
    if (error == 0)
        error = writeAndSync(file, QByteArrayLiteral("probe"));
    QFile::remove(probe);
    if (error != 0) {
        return fail(Error::unavailable(QStringLiteral("the data directory is not writable (%1)")
                                           .arg(DiskFaults::kindOf(error) == DiskFaults::Kind::Full
                                                   ? QStringLiteral("disk full")
                                                   : qt_error_string(error))));
    }
    return {};
}

void LocalFileStore::removeLeftovers() const
{
    QDir tmp(m_root.filePath(QStringLiteral("tmp")));
    for (const QString &name : tmp.entryList(QDir::Files | QDir::Hidden | QDir::System))
        tmp.remove(name);
}

Result<QList<ListedObject>> LocalFileStore::list(const QString &prefix) const
{
    if (!isSafeName(prefix))
        return fail(Error::internal(QStringLiteral("invalid storage key")));
    const QDir dir(objectPath(prefix));
    QList<ListedObject> objects;
    for (const QFileInfo &info : dir.entryInfoList(QDir::Files)) {
        if (isSafeName(info.fileName())) {
            objects.append({prefix + QLatin1Char('/') + info.fileName(), info.size(),
                info.lastModified().toUTC()});
        }
    }
    return objects;
}

Result<QList<ListedObject>> LocalFileStore::listAll() const
{
    const QDir root(m_root.filePath(QStringLiteral("objects")));
    QList<ListedObject> objects;
    QDirIterator it(
        root.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        const QString key = root.relativeFilePath(path);
        if (isSafeName(key))
            objects.append({key, info.size(), info.lastModified().toUTC()});
    }
    return objects;
}

QString LocalFileStore::objectPath(const QString &key) const
{
    return m_root.filePath(QStringLiteral("objects/") + key);
}

QString LocalFileStore::uploadDir(const QString &handle) const
{
    return m_root.filePath(QStringLiteral("uploads/") + handle);
}

Result<StoredObject> LocalFileStore::put(
    const QString &key, const QByteArray &data, const QString & /*contentType*/)
{
    if (!isSafeName(key))
        return fail(Error::internal(QStringLiteral("invalid storage key")));
    const QString target = objectPath(key);
    if (!QDir().mkpath(QFileInfo(target).path()))
        return fail(storeError(QStringLiteral("cannot create the object directory")));
    const QString temp = m_root.filePath(QStringLiteral("tmp/") + randomName());
    QString step;
    if (const int error = writeAndReplace(temp, target, data, &step); error != 0)
        return fail(diskError(step, error));
    if (const int error = syncDirectory(QFileInfo(target).path()); error != 0) {
        // The object might not survive a crash, so nothing may point at it: keys are new.
        QFile::remove(target);
        return fail(diskError(QStringLiteral("cannot sync the object directory"), error));
    }
    return StoredObject {data.size(), Crypto::sha256Hex(data)};
}

QString LocalFileStore::spoolDirectory() const
{
    return m_spoolDirectory;
}

int LocalFileStore::placeSpooled(
    SpooledFile &body, const QString &target, QString *failedStep) const
{
    int error = body.error();
    if (error != 0) {
        *failedStep = QStringLiteral("cannot write a temporary file");
    } else if (QFileInfo(body.path()).absolutePath() != m_spoolDirectory || !body.file().isOpen()) {
        *failedStep = QStringLiteral("a spooled body is not in the store's temporary directory");
        error = EXDEV;
    } else if ((error = syncAndClose(body.file())) != 0) {
        *failedStep = QStringLiteral("cannot write a temporary file");
    } else if ((error = replaceFile(body.path(), target)) != 0) {
        *failedStep = QStringLiteral("cannot rename a temporary file into place");
    } else {
        body.keep(target);
        return 0;
    }
    body.discard();
    return error;
}

Result<StoredObject> LocalFileStore::putSpooled(
    const QString &key, SpooledFile &body, const QString & /*contentType*/)
{
    if (!isSafeName(key))
        return fail(Error::internal(QStringLiteral("invalid storage key")));
    const QString target = objectPath(key);
    if (!QDir().mkpath(QFileInfo(target).path())) {
        body.discard();
        return fail(storeError(QStringLiteral("cannot create the object directory")));
    }
    QByteArray digest = body.sha256Hex();
    QString step;
    if (const int error = placeSpooled(body, target, &step); error != 0)
        return fail(diskError(step, error));
    if (const int error = syncDirectory(QFileInfo(target).path()); error != 0) {
        QFile::remove(target); // as put(): nothing may point at an object that may not last
        return fail(diskError(QStringLiteral("cannot sync the object directory"), error));
    }
    if (digest.isEmpty()) {
        // The writer did not hash it (it always does for files; kept for other callers).
        QFile in(target);
        Crypto::Sha256 hash;
        QByteArray buffer(copyChunk, Qt::Uninitialized);
        if (!in.open(QIODevice::ReadOnly))
            return fail(storeError(QStringLiteral("cannot read an object back")));
        for (qint64 n = 0; (n = in.read(buffer.data(), buffer.size())) > 0;)
            hash.addData(QByteArrayView(buffer.constData(), n));
        digest = hash.result().toHex();
    }
    return StoredObject {body.size(), digest};
}

void LocalFileStore::removeOlderParts(const QString &dir, int number, const QString &target)
{
    const QString prefix = QString::number(number);
    const QDir partDir(dir);
    for (const QString &old :
        partDir.entryList({prefix, prefix + QStringLiteral("-*")}, QDir::Files)) {
        if (old != QFileInfo(target).fileName())
            QFile::remove(partDir.filePath(old));
    }
}

Result<StoredPart> LocalFileStore::putPartSpooled(
    const QString & /*key*/, const QString &handle, int number, SpooledFile &body)
{
    if (!isSafeName(handle) || number < 1) {
        body.discard();
        return fail(Error::internal(QStringLiteral("invalid upload handle")));
    }
    const QString dir = uploadDir(handle);
    if (!QFileInfo(dir).isDir()) {
        body.discard();
        return fail(Error::notFound(QStringLiteral("no such upload")));
    }
    // As putPart(): a name of its own, "<n>-<tag>", renamed into place.
    const QString tag = randomName();
    const QString target =
        dir + QLatin1Char('/') + QString::number(number) + QLatin1Char('-') + tag;
    QString step;
    if (const int error = placeSpooled(body, target, &step); error != 0)
        return fail(diskError(step + QStringLiteral(" (upload part)"), error));
    removeOlderParts(dir, number, target);
    StoredPart part {number, body.size(), tag.toLatin1()};
    m_digests.addFile(handle, part, target);
    return part;
}

Status LocalFileStore::remove(const QString &key)
{
    if (!isSafeName(key))
        return fail(Error::internal(QStringLiteral("invalid storage key")));
    const QString path = objectPath(key);
    if (!QFile::exists(path))
        return fail(Error::notFound(QStringLiteral("no such object")));
    if (!QFile::remove(path))
        return fail(storeError(QStringLiteral("cannot remove an object")));
    return {};
}

void LocalFileStore::openRead(const QString &key, qint64 offset, qint64 length, ReadDone done)
{
    if (!isSafeName(key)) {
        done(fail(Error::internal(QStringLiteral("invalid storage key"))));
        return;
    }
    auto file = std::make_shared<QFile>(objectPath(key));
    if (!file->open(QIODevice::ReadOnly)) {
        done(fail(file->exists() ? storeError(QStringLiteral("cannot open an object"))
                                 : Error::notFound(QStringLiteral("no such object"))));
        return;
    }
    if (offset + length > file->size() || !file->seek(offset)) {
        done(fail(storeError(QStringLiteral("an object is shorter than its metadata says"))));
        return;
    }
    done(std::shared_ptr<QIODevice>(std::move(file)));
}

Result<QString> LocalFileStore::beginMultipart(
    const QString & /*key*/, const QString & /*contentType*/)
{
    const QString handle = randomName();
    if (!QDir().mkpath(uploadDir(handle)))
        return fail(storeError(QStringLiteral("cannot create an upload directory")));
    return handle;
}

Result<StoredPart> LocalFileStore::putPart(
    const QString & /*key*/, const QString &handle, int number, const QByteArray &data)
{
    if (!isSafeName(handle) || number < 1)
        return fail(Error::internal(QStringLiteral("invalid upload handle")));
    const QString dir = uploadDir(handle);
    if (!QFileInfo(dir).isDir())
        return fail(Error::notFound(QStringLiteral("no such upload")));
    // Part files are renamed into place too, each write under a name of its own ("<n>-<tag>",
    // the tag being the part's etag), so that the etag the service records names exactly the
    // bytes it was given for, whatever a concurrent or later write of the same part does.
    // Earlier writes of the part go once the new one is in place.
    const QString tag = randomName();
    const QString temp = m_root.filePath(QStringLiteral("tmp/") + tag);
    const QString prefix = QString::number(number);
    const QString target = dir + QLatin1Char('/') + prefix + QLatin1Char('-') + tag;
    QString step;
    if (const int error = writeAndReplace(temp, target, data, &step); error != 0)
        return fail(diskError(step + QStringLiteral(" (upload part)"), error));
    removeOlderParts(dir, number, target);
    StoredPart part {number, data.size(), tag.toLatin1()};
    m_digests.add(handle, part, data);
    return part;
}

Result<StoredObject> LocalFileStore::completeMultipart(
    const QString &key, const QString &handle, const QList<StoredPart> &parts)
{
    if (!isSafeName(key) || !isSafeName(handle))
        return fail(Error::internal(QStringLiteral("invalid storage key")));
    const QString target = objectPath(key);
    if (!QDir().mkpath(QFileInfo(target).path()))
        return fail(storeError(QStringLiteral("cannot create the object directory")));
    const QString temp = m_root.filePath(QStringLiteral("tmp/") + randomName());
    QFile out(temp);
    errno = 0;
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered))
        return fail(diskError(QStringLiteral("cannot create a temporary file"), failedErrno()));
    Crypto::Sha256 hash;
    qint64 total = 0;
    // The parts stay, so the client can complete again once the disk is back.
    const auto abandon = [&](const Error &error) {
        out.close();
        QFile::remove(temp);
        return fail(error);
    };
    // The digest taken as the parts came in order, if it covers exactly these parts (their
    // tags name the files read here); else every byte is hashed on the way.
    std::optional<QByteArray> digest = m_digests.take(handle, parts);
    QByteArray buffer;
    for (const StoredPart &part : parts) {
        // "<n>-<etag>"; an upload begun before part files were named so has "<n>".
        QFile in(uploadDir(handle) + QLatin1Char('/') + QString::number(part.number)
            + QLatin1Char('-') + QString::fromLatin1(part.etag));
        if (!isSafeName(QString::fromLatin1(part.etag)) || !in.exists())
            in.setFileName(uploadDir(handle) + QLatin1Char('/') + QString::number(part.number));
        errno = 0;
        if (!in.open(QIODevice::ReadOnly)) {
            const int error = failedErrno();
            if (error != ENOENT)
                return abandon(diskError(QStringLiteral("cannot open an upload part"), error));
        }
        if (!in.isOpen() || in.size() != part.size)
            return abandon(storeError(QStringLiteral("an upload part is missing or changed")));
        if (digest) {
            // Nothing to hash: the kernel copies (or, where the file system can, shares) the
            // part's blocks without bringing them through this process.
            if (const int error = copyWhole(in, out, part.size); error != 0)
                return abandon(diskError(QStringLiteral("cannot write an object"), error));
            total += part.size;
            continue;
        }
        if (buffer.isEmpty())
            buffer.resize(copyChunk);
        for (;;) {
            errno = 0;
            const qint64 n = in.read(buffer.data(), buffer.size());
            if (n < 0)
                return abandon(diskError(QStringLiteral("cannot read an upload part"), EIO));
            if (n == 0)
                break;
            if (!digest)
                hash.addData(QByteArrayView(buffer.constData(), n));
            errno = 0;
            if (out.write(buffer.constData(), n) != n) {
                const int error =
                    out.error() == QFileDevice::ResourceError ? ENOSPC : failedErrno();
                return abandon(diskError(QStringLiteral("cannot write an object"), error));
            }
            total += n;
        }
    }
    if (int error = syncAndClose(out); error != 0 || (error = replaceFile(temp, target)) != 0) {
        QFile::remove(temp);
        return fail(diskError(QStringLiteral("cannot write an object"), error));
    }
    if (const int error = syncDirectory(QFileInfo(target).path()); error != 0) {
        QFile::remove(target); // the upload's own key: nothing points at it yet
        return fail(diskError(QStringLiteral("cannot sync the object directory"), error));
    }
    return StoredObject {total, digest ? *digest : hash.result().toHex()};
}

void LocalFileStore::releaseMultipart(const QString & /*key*/, const QString &handle)
{
    m_digests.forget(handle);
    if (isSafeName(handle))
        QDir(uploadDir(handle)).removeRecursively();
}

void LocalFileStore::removeAbandonedMultiparts(const QSet<QString> &open)
{
    QDir uploads(m_root.filePath(QStringLiteral("uploads")));
    for (const QString &handle : uploads.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (!open.contains(handle) && isSafeName(handle))
            QDir(uploadDir(handle)).removeRecursively();
    }
}

Status LocalFileStore::abortMultipart(const QString & /*key*/, const QString &handle)
{
    if (!isSafeName(handle))
        return fail(Error::internal(QStringLiteral("invalid upload handle")));
    m_digests.forget(handle);
    QDir(uploadDir(handle)).removeRecursively();
    return {};
}

} // namespace Outpost::Server
