#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QIODevice>
#include <QList>
#include <QLoggingCategory>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace Outpost {
struct Config;
class SpooledFile;
} // namespace Outpost

namespace Outpost::Server {

// What a finished write produced.
struct StoredObject
{
    qint64 size = 0;
    QByteArray sha256Hex; // of the whole object
};

// One part of a multipart (chunked) upload, as the store acknowledged it.
struct StoredPart
{
    int number = 0;
    qint64 size = 0;
    QByteArray etag; // the store's own tag for the part (S3's ETag; a digest locally)
};

// One object found by FileStore::list().
struct ListedObject
{
    QString key;
    qint64 size = 0;
    QDateTime modified; // UTC; invalid when the store did not say
};

// Where file bytes live. Keys are opaque names chosen by the file service ("3f/3fa9..."),
// never user paths, so no user input reaches a file system path or an object key.
//
// Writes are atomic: a reader sees the previous object or the new one, never a part.
// Blocking calls (everything but openRead) are for worker threads, not an event loop.
class FileStore
{
public:
    virtual ~FileStore() = default;

    // "local" or "s3" (for /v1/admin/info).
    virtual QString kind() const = 0;
    // Reachable and writable (for /readyz).
    virtual Status check() const = 0;

    virtual Result<StoredObject> put(
        const QString &key, const QByteArray &data, const QString &contentType) = 0;
    // Where request bodies bound for this store are spooled (SpooledFile) as they arrive: a
    // directory the store can rename from without copying. Empty: bodies stay in memory.
    virtual QString spoolDirectory() const { return {}; }
    // put() and putPart() of a body already in a file (made in spoolDirectory()). On success
    // the store has taken the file (SpooledFile::keep()) or left it to be removed; a body whose
    // spooling failed (error()) fails here as its write would have (507 when the disk is full).
    // By default the file is read into memory and put() / putPart() as usual.
    virtual Result<StoredObject> putSpooled(
        const QString &key, SpooledFile &body, const QString &contentType);
    virtual Result<StoredPart> putPartSpooled(
        const QString &key, const QString &handle, int number, SpooledFile &body);

    // NotFound when there is no such object; a missing object is not an error here.
    virtual Status remove(const QString &key) = 0;
    // The objects whose keys start with `prefix` + "/" (the backups under "backups"), any order.
    virtual Result<QList<ListedObject>> list(const QString &prefix) const = 0;
    // Every object in the store (backups included), any order: for the orphan sweep.
    virtual Result<QList<ListedObject>> listAll() const = 0;

    // Opens bytes [offset, offset + length) of an object for streaming, on the calling thread,
    // which must run an event loop; `done` runs there, maybe before openRead returns. The
    // device is sequential when the bytes arrive over the network.
    using ReadDone = std::function<void(Result<std::shared_ptr<QIODevice>>)>;
    virtual void openRead(const QString &key, qint64 offset, qint64 length, ReadDone done) = 0;

    // Multipart uploads: begin gives a handle, parts may come in any order and again (the
    // last one counts), complete assembles them in part order atomically, abort drops them.
    // A completed upload's parts stay until releaseMultipart(), so that a crash before the
    // caller has recorded the object leaves an upload that can be completed again.
    virtual Result<QString> beginMultipart(const QString &key, const QString &contentType) = 0;
    virtual Result<StoredPart> putPart(
        const QString &key, const QString &handle, int number, const QByteArray &data) = 0;
    virtual Result<StoredObject> completeMultipart(
        const QString &key, const QString &handle, const QList<StoredPart> &parts) = 0;
    virtual Status abortMultipart(const QString &key, const QString &handle) = 0;
    // Drops what a completed multipart upload left (the local store's parts; nothing on S3,
    // where completing consumed them).
    virtual void releaseMultipart(const QString &key, const QString &handle) = 0;
    // Drops the parts of every multipart upload whose handle is not in `open` (those a crash
    // left between beginMultipart and recording the upload, or between recording its object
    // and releaseMultipart). Only while nothing else uses the store: at start, before serving.
    // On S3 a bucket lifecycle rule (AbortIncompleteMultipartUpload) does this.
    virtual void removeAbandonedMultiparts(const QSet<QString> &open) = 0;

    // The store named by OUTPOST_FILE_STORE_URL (file:///dir or s3://bucket/prefix). With
    // Leftovers::Remove (a server starting, before it serves) the temporary and spooled files
    // a crash left are removed; a command that may run beside a serving server keeps them (they
    // may be bodies still arriving).
    enum class Leftovers { Remove, Keep };
    static Result<std::unique_ptr<FileStore>> fromConfig(
        const Config &config, Leftovers leftovers = Leftovers::Remove);
};

} // namespace Outpost::Server
