#include "uploadservice.h"

#include "auth/crypto.h"
#include "core/spooledfile.h"
#include "db/database.h"
#include "db/uploadrepository.h"
#include "storage/filestore.h"

#include <QStringList>

namespace Outpost::Server {

namespace {

constexpr qint64 kPreferredPartBytes = 8LL * 1024 * 1024;
constexpr qint64 kMaxParts = 10'000; // S3's limit

Error uploadNotFound(const QString &id)
{
    return Error::notFound(QStringLiteral("upload %1 does not exist").arg(id.left(64)));
}

} // namespace

QString UploadService::storageKeyFor(const QString &id)
{
    return id.left(2) + QLatin1Char('/') + id;
}

UploadService::UploadService(
    const Database &database, FileService &files, qint64 maxPartBytes, int expirySeconds)
    : m_database(database)
    , m_files(files)
    , m_maxPartBytes(maxPartBytes)
    , m_expirySeconds(expirySeconds)
{ }

Result<Upload> UploadService::create(const UploadCreate &create, const Principal &principal)
{
    expireStale();
    qint64 partSize = qMin(kPreferredPartBytes, m_maxPartBytes);
    if (create.size > partSize * kMaxParts) {
        partSize = (create.size + kMaxParts - 1) / kMaxParts;
        if (partSize > m_maxPartBytes) {
            return fail(Error::validation(QStringLiteral("size"),
                QStringLiteral("is larger than %1 parts of the body limit allow").arg(kMaxParts)));
        }
    }
    if (auto allowed = m_files.mayWrite(create.filePath, create.size, principal); !allowed)
        return fail(allowed.error());

    Upload upload;
    upload.id = QString::fromLatin1(Crypto::randomBytes(16).toHex());
    upload.filePath = create.filePath;
    upload.ownerId = principal.userId;
    upload.size = create.size;
    upload.contentType = FileService::effectiveContentType(create.filePath, create.contentType);
    upload.partSize = partSize;
    upload.createdAt = QDateTime::currentDateTimeUtc();
    upload.expiresAt = upload.createdAt.addSecs(m_expirySeconds);
    auto handle = m_files.store().beginMultipart(storageKeyFor(upload.id), upload.contentType);
    if (!handle)
        return fail(handle.error());
    upload.storeHandle = *handle;
    Status inserted = [&] {
        const auto lock = m_database.lockForWrite();
        return UploadRepository(m_database).insert(upload);
    }();
    if (!inserted) {
        m_files.store().abortMultipart(storageKeyFor(upload.id), upload.storeHandle);
        return fail(inserted.error());
    }
    return upload;
}

Result<Upload> UploadService::get(const QString &id, const Principal &principal) const
{
    auto found = UploadRepository(m_database).find(id);
    if (!found)
        return fail(found.error());
    if (!*found || (*found)->ownerId != principal.userId
        || (*found)->expiresAt < QDateTime::currentDateTimeUtc())
        return fail(uploadNotFound(id));
    return **found;
}

Result<Upload> UploadService::partTarget(
    const QString &id, int number, qint64 size, const Principal &principal) const
{
    auto upload = get(id, principal);
    if (!upload)
        return fail(upload.error());
    if (number < 1 || number > upload->partCount()) {
        return fail(Error::validation(QStringLiteral("n"),
            QStringLiteral("must be a part number from 1 to %1").arg(upload->partCount())));
    }
    const qint64 expected = upload->expectedPartSize(number);
    if (size != expected) {
        return fail(Error::validation(QStringLiteral("body"),
            QStringLiteral("part %1 must be exactly %2 bytes (got %3)")
                .arg(number)
                .arg(expected)
                .arg(size)));
    }
    return upload;
}

Status UploadService::putPart(
    const QString &id, int number, const QByteArray &data, const Principal &principal)
{
    auto upload = partTarget(id, number, data.size(), principal);
    if (!upload)
        return fail(upload.error());
    auto stored =
        m_files.store().putPart(storageKeyFor(upload->id), upload->storeHandle, number, data);
    if (!stored)
        return fail(stored.error());
    const auto lock = m_database.lockForWrite();
    return UploadRepository(m_database).putPart(upload->id, number, stored->size, stored->etag);
}

Status UploadService::putPartSpooled(
    const QString &id, int number, SpooledFile &body, const Principal &principal)
{
    auto upload = partTarget(id, number, body.size(), principal);
    if (!upload)
        return fail(upload.error());
    auto stored = m_files.store().putPartSpooled(
        storageKeyFor(upload->id), upload->storeHandle, number, body);
    if (!stored)
        return fail(stored.error());
    const auto lock = m_database.lockForWrite();
    return UploadRepository(m_database).putPart(upload->id, number, stored->size, stored->etag);
}

Result<FileWrite> UploadService::complete(const QString &id, const Principal &principal)
{
    auto upload = get(id, principal);
    if (!upload)
        return fail(upload.error());
    auto parts = UploadRepository(m_database).parts(upload->id);
    if (!parts)
        return fail(parts.error());
    QList<StoredPart> stored;
    QStringList missing;
    for (int n = 1, i = 0; n <= upload->partCount(); ++n) {
        if (i < parts->size() && parts->at(i).number == n) {
            stored.append({n, parts->at(i).size, parts->at(i).etag});
            ++i;
        } else if (missing.size() < 20) {
            missing.append(QString::number(n));
        }
    }
    if (!missing.isEmpty()) {
        return fail(Error::conflict(
            QStringLiteral("parts still missing: %1").arg(missing.join(QStringLiteral(", ")))));
    }
    if (auto allowed = m_files.mayWrite(upload->filePath, upload->size, principal); !allowed)
        return fail(allowed.error());

    const QString key = storageKeyFor(upload->id);
    auto object = m_files.store().completeMultipart(key, upload->storeHandle, stored);
    if (!object)
        return fail(object.error());
    // The file appears and the upload ends in one transaction, and the parts go only after it.
    // Until then the object under the upload's key is the upload's: a failed transaction or a
    // crash before it leaves the upload whole, to complete again (locally the object is made
    // anew from the parts; on S3, where completing consumed them, the object is taken as it
    // is), and abort() or expiry drops it. A crash after it leaves parts that
    // removeAbandonedParts() drops at the next start.
    auto written = m_files.commit(upload->filePath, key, *object, upload->contentType, principal,
        false, [this, &id]() -> Status {
            auto removed = UploadRepository(m_database).remove(id);
            if (!removed)
                return fail(removed.error());
            if (!*removed) // completed or aborted meanwhile by another request
                return fail(uploadNotFound(id));
            return {};
        });
    if (!written) {
        // The server's trouble (the database or the disk, or a full quota): worth a retry.
        Error error = written.error();
        if (error.code == ErrorCode::Internal || error.code == ErrorCode::Unavailable
            || error.code == ErrorCode::InsufficientStorage) {
            error.detail +=
                QStringLiteral("; the upload and its parts are kept: complete it again");
        }
        return fail(error);
    }
    m_files.store().releaseMultipart(key, upload->storeHandle);
    return written;
}

Status UploadService::abort(const QString &id, const Principal &principal)
{
    auto upload = get(id, principal);
    if (!upload)
        return fail(upload.error());
    {
        const auto lock = m_database.lockForWrite();
        auto removed = UploadRepository(m_database).remove(upload->id);
        if (!removed)
            return fail(removed.error());
        if (!*removed) // completed meanwhile: its object is a file's now
            return fail(uploadNotFound(id));
    }
    return dropStored(*upload);
}

Status UploadService::dropStored(const Upload &upload)
{
    const QString key = storageKeyFor(upload.id);
    Status aborted = m_files.store().abortMultipart(key, upload.storeHandle);
    // What an earlier completion assembled before it could not be recorded.
    if (Status removed = m_files.store().remove(key);
        !removed && removed.error().code != ErrorCode::NotFound)
        return removed;
    return aborted;
}

void UploadService::removeAbandonedParts()
{
    auto open = UploadRepository(m_database).storeHandles();
    if (!open) {
        qCWarning(lcStorage).noquote()
            << "cannot list the uploads in progress:" << open.error().detail;
        return;
    }
    m_files.store().removeAbandonedMultiparts(*open);
}

int UploadService::expireStale(const QDateTime &now)
{
    auto expired = UploadRepository(m_database).expired(now);
    if (!expired)
        return 0;
    int count = 0;
    for (const Upload &upload : std::as_const(*expired)) {
        {
            const auto lock = m_database.lockForWrite();
            auto removed = UploadRepository(m_database).remove(upload.id);
            if (!removed || !*removed) // completed or aborted meanwhile
                continue;
        }
        dropStored(upload);
        ++count;
    }
    return count;
}

} // namespace Outpost::Server
