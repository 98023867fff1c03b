#pragma once

#include "auth/principal.h"
#include "core/result.h"
#include "fileservice.h"
#include "models/file.h"

namespace Outpost::Server {

class Database;

// Resumable chunked uploads for files larger than one request may be: the client announces
// the file, sends parts of part_size bytes (the last one shorter) in any order and as often
// as it needs, asks which parts arrived after a dropped connection, and completes. The parts
// become one object in the store (local: appended into a temporary file, fsync'ed, renamed;
// S3: a multipart upload), then the file's metadata switches to it atomically. Only the
// uploader sees an upload; others get NotFound. Uploads expire after `expirySeconds`.
// Blocking: call off the event loop.
class UploadService
{
public:
    UploadService(
        const Database &database, FileService &files, qint64 maxPartBytes, int expirySeconds);

    Result<Upload> create(const UploadCreate &create, const Principal &principal);
    Result<Upload> get(const QString &id, const Principal &principal) const;
    Status putPart(
        const QString &id, int number, const QByteArray &data, const Principal &principal);
    // putPart() of a body the guard already wrote to a file (see SpooledFile).
    Status putPartSpooled(
        const QString &id, int number, SpooledFile &body, const Principal &principal);
    Result<FileWrite> complete(const QString &id, const Principal &principal);
    Status abort(const QString &id, const Principal &principal);
    // Drops the parts in the store that no upload in progress owns: what a crash left. Call at
    // start, before serving, and only where no other server shares the store (SQLite).
    void removeAbandonedParts();
    // Drops uploads past their expiry and their parts; returns how many.
    int expireStale(const QDateTime &now = QDateTime::currentDateTimeUtc());
    // The object an upload becomes: fixed when it starts (S3 names it then), derived from the
    // id. Until the upload ends it is the upload's, whatever the store holds there.
    static QString storageKeyFor(const QString &id);

private:
    // Drops what the store holds for an upload that has ended without becoming a file: its
    // parts, and the object an earlier completion assembled but could not record.
    Status dropStored(const Upload &upload);
    // The upload, if `number` is one of its parts and `size` that part's size.
    Result<Upload> partTarget(
        const QString &id, int number, qint64 size, const Principal &principal) const;

    const Database &m_database;
    FileService &m_files;
    qint64 m_maxPartBytes;
    int m_expirySeconds;
};

} // namespace Outpost::Server
