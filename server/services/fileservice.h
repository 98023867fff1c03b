#pragma once

#include "auth/principal.h"
#include "core/result.h"
#include "models/file.h"

#include <QByteArray>

#include <functional>

namespace Outpost {
class SpooledFile;
}

namespace Outpost::Server {

class Database;
class EventBus;
class FileStore;
class GenerationClient;
struct StoredObject;

// A file as written: its metadata, and whether it was new (201) or replaced one (200).
struct FileWrite
{
    FileInfo file;
    bool created = false;
};

// Files: metadata in the database, bytes in the FileStore. Signed-in users read every file;
// the owner or an admin replaces or deletes it. A write either lands whole or not at all:
// new bytes go to a new object, the metadata switches to it in one transaction, and only
// then is the old object removed. Blocking: call off the event loop (except stat and list).
class FileService
{
public:
    // quotaBytes 0: no quota.
    FileService(const Database &database, FileStore &store, EventBus &events, qint64 quotaBytes);

    FileStore &store() const { return m_store; }

    Result<FileInfo> stat(const QString &path) const;
    Result<FileList> list(const FileListQuery &query) const;
    // contentType empty or application/octet-stream: guessed from the path's extension.
    Result<FileWrite> put(const QString &path, const QByteArray &data, const QString &contentType,
        const Principal &principal, bool mustBeNew = false);
    // put() of a body the guard already wrote to a file in store().spoolDirectory() (the
    // store renames it into place; see SpooledFile).
    Result<FileWrite> putSpooled(const QString &path, SpooledFile &body, const QString &contentType,
        const Principal &principal);
    // A new file of the caller's, made by the generation service. Conflict when the path
    // exists (checked before the service is asked, and again when storing); Unavailable when
    // no service is configured or it fails.
    Result<FileWrite> generate(const GenerateRequest &request, const Principal &principal,
        const GenerationClient &generator);
    Status remove(const QString &path, const Principal &principal);

    // Before bytes are written: Forbidden when the file exists and is not the caller's (admins
    // excepted), Conflict when it exists and `mustBeNew`, InsufficientStorage when `size` more
    // bytes would exceed the owner's quota.
    Status mayWrite(
        const QString &path, qint64 size, const Principal &principal, bool mustBeNew = false) const;
    // Records `object`, already in the store under `key`, as the file at `path` (checking as
    // mayWrite does, in the same transaction), then drops the object it replaced. On failure
    // the new object is removed from the store. `inTransaction`, if given, runs in that same
    // transaction (the upload that made the object ends with it), and the object is then its
    // caller's: when anything fails nothing is recorded and the object stays, so that the
    // caller can record it again (a retried upload) or drop it itself.
    Result<FileWrite> commit(const QString &path, const QString &key, const StoredObject &object,
        const QString &contentType, const Principal &principal, bool mustBeNew = false,
        const std::function<Status()> &inTransaction = {});

    // A fresh, unguessable storage key ("3f/3f9a...").
    static QString newStorageKey();
    static QString effectiveContentType(const QString &path, const QString &given);

private:
    Status checkWrite(const std::optional<FileInfo> &existing, qint64 size,
        const Principal &principal, bool mustBeNew) const;

    const Database &m_database;
    FileStore &m_store;
    EventBus &m_events;
    qint64 m_quotaBytes;
};

} // namespace Outpost::Server
