#include "localfilestore.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUuid>

#include <cerrno>
#include <cstdio>
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

bool syncAndClose(QFile &file)
{
    if (!file.flush())
        return false;
#if defined(Q_OS_WIN)
    const bool synced = ::_commit(file.handle()) == 0; // FlushFileBuffers
#elif defined(Q_OS_MACOS)
    // macOS's fsync() leaves the data in the drive's cache; F_FULLFSYNC flushes that too.
    const bool synced = ::fcntl(file.handle(), F_FULLFSYNC) == 0 || ::fsync(file.handle()) == 0;
#else
    const bool synced = ::fsync(file.handle()) == 0;
#endif
    file.close();
    return synced;
}

// Makes a rename durable: fsync the directory that holds the new name. (Windows cannot open a
// directory for that; replaceFile() asks the rename itself to be written through.)
void syncDirectory([[maybe_unused]] const QString &dir)
{
#ifndef Q_OS_WIN
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#endif
}

// Renames `from` to `to` in one step, replacing `to` if it exists (rename(2)).
bool replaceFile(const QString &from, const QString &to)
{
#ifdef Q_OS_WIN
    const QString source = QDir::toNativeSeparators(from);
    const QString destination = QDir::toNativeSeparators(to);
    return ::MoveFileExW(reinterpret_cast<const wchar_t *>(source.utf16()),
               reinterpret_cast<const wchar_t *>(destination.utf16()),
               MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
        != 0;
#else
    return ::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
#endif
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
}

Status LocalFileStore::check() const
{
    const QFileInfo root(m_root.absolutePath());
    const QFileInfo tmp(m_root.filePath(QStringLiteral("tmp")));
    const QFileInfo objects(m_root.filePath(QStringLiteral("objects")));
    if (!root.isDir() || !root.isWritable() || !tmp.isDir() || !tmp.isWritable() || !objects.isDir()
        || !objects.isWritable())
        return fail(Error::unavailable(QStringLiteral("the file store directory is not writable")));
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
        if (isSafeName(info.fileName()))
            objects.append({prefix + QLatin1Char('/') + info.fileName(), info.size()});
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
    QFile file(temp);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        return fail(
            storeError(QStringLiteral("cannot create a temporary file: ") + file.errorString()));
    }
    const bool written = file.write(data) == data.size() && syncAndClose(file);
    if (!written || !replaceFile(temp, target)) {
        QFile::remove(temp);
        return fail(storeError(QStringLiteral("cannot write an object")));
    }
    syncDirectory(QFileInfo(target).path());
    return StoredObject {
        data.size(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()};
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
    // Part files are renamed into place too: a retried part replaces the old one whole.
    const QString temp = m_root.filePath(QStringLiteral("tmp/") + randomName());
    QFile file(temp);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return fail(storeError(QStringLiteral("cannot create a temporary file")));
    const QString target = dir + QLatin1Char('/') + QString::number(number);
    const bool written = file.write(data) == data.size() && syncAndClose(file);
    if (!written || !replaceFile(temp, target)) {
        QFile::remove(temp);
        return fail(storeError(QStringLiteral("cannot write an upload part")));
    }
    return StoredPart {
        number, data.size(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()};
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
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return fail(storeError(QStringLiteral("cannot create a temporary file")));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 total = 0;
    const auto abandon = [&](const QString &why) {
        out.close();
        QFile::remove(temp);
        return fail(storeError(why));
    };
    QByteArray buffer(copyChunk, Qt::Uninitialized);
    for (const StoredPart &part : parts) {
        QFile in(uploadDir(handle) + QLatin1Char('/') + QString::number(part.number));
        if (!in.open(QIODevice::ReadOnly) || in.size() != part.size)
            return abandon(QStringLiteral("an upload part is missing or changed"));
        for (;;) {
            const qint64 n = in.read(buffer.data(), buffer.size());
            if (n < 0)
                return abandon(QStringLiteral("cannot read an upload part"));
            if (n == 0)
                break;
            hash.addData(QByteArrayView(buffer.constData(), n));
            if (out.write(buffer.constData(), n) != n)
                return abandon(QStringLiteral("cannot write an object"));
            total += n;
        }
    }
    if (!syncAndClose(out) || !replaceFile(temp, target)) {
        QFile::remove(temp);
        return fail(storeError(QStringLiteral("cannot write an object")));
    }
    syncDirectory(QFileInfo(target).path());
    return StoredObject {total, hash.result().toHex()};
}

void LocalFileStore::releaseMultipart(const QString & /*key*/, const QString &handle)
{
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
    QDir(uploadDir(handle)).removeRecursively();
    return {};
}

} // namespace Outpost::Server
