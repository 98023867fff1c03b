#include "fileservice.h"

#include "auth/crypto.h"
#include "core/spooledfile.h"
#include "db/database.h"
#include "db/filerepository.h"
#include "db/transaction.h"
#include "eventbus.h"
#include "generationclient.h"
#include "storage/filestore.h"

namespace Outpost::Server {

namespace {

Error fileNotFound(const QString &path)
{
    return Error::notFound(QStringLiteral("file %1 does not exist").arg(path));
}

} // namespace

FileService::FileService(
    const Database &database, FileStore &store, EventBus &events, qint64 quotaBytes)
    : m_database(database)
    , m_store(store)
    , m_events(events)
    , m_quotaBytes(quotaBytes)
{ }

QString FileService::newStorageKey()
{
    const QByteArray hex = Crypto::randomBytes(16).toHex();
    return QString::fromLatin1(hex.left(2) + '/' + hex);
}

QString FileService::effectiveContentType(const QString &path, const QString &given)
{
    QString type = given.trimmed();
    if (type.isEmpty() || type.startsWith(u"application/octet-stream", Qt::CaseInsensitive)
        || !type.contains(QLatin1Char('/')) || type.size() > 255)
        return FilePaths::guessContentType(path);
    return type;
}

Result<FileInfo> FileService::stat(const QString &path) const
{
    auto found = FileRepository(m_database).find(path);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(fileNotFound(path));
    return **found;
}

Result<FileList> FileService::list(const FileListQuery &query) const
{
    auto rows = FileRepository(m_database).list(query);
    if (!rows)
        return fail(rows.error());
    FileList list;
    list.files = std::move(*rows);
    if (list.files.size() > query.pageSize) {
        list.files.resize(query.pageSize);
        list.nextPageToken = FileListQuery::tokenFor(list.files.last().path);
    }
    return list;
}

Status FileService::checkWrite(const std::optional<FileInfo> &existing, qint64 size,
    const Principal &principal, bool mustBeNew) const
{
    if (existing && mustBeNew)
        return fail(Error::conflict(QStringLiteral("file %1 exists").arg(existing->path)));
    if (existing && existing->ownerId != principal.userId && !principal.isAdmin()) {
        return fail(Error::forbidden(
            QStringLiteral("only the owner or an admin may replace %1").arg(existing->path)));
    }
    if (m_quotaBytes > 0) {
        const qint64 owner = existing && existing->ownerId ? existing->ownerId : principal.userId;
        auto used = FileRepository(m_database).usage(owner);
        if (!used)
            return fail(used.error());
        const qint64 freed = existing && existing->ownerId == owner ? existing->size : 0;
        if (*used - freed + size > m_quotaBytes) {
            return fail(Error {ErrorCode::InsufficientStorage,
                QStringLiteral("this would exceed the quota of %1 bytes (%2 in use)")
                    .arg(m_quotaBytes)
                    .arg(*used),
                {}});
        }
    }
    return {};
}

Status FileService::mayWrite(
    const QString &path, qint64 size, const Principal &principal, bool mustBeNew) const
{
    auto existing = FileRepository(m_database).find(path);
    if (!existing)
        return fail(existing.error());
    return checkWrite(*existing, size, principal, mustBeNew);
}

Result<FileWrite> FileService::put(const QString &path, const QByteArray &data,
    const QString &contentType, const Principal &principal, bool mustBeNew)
{
    if (auto allowed = mayWrite(path, data.size(), principal, mustBeNew); !allowed)
        return fail(allowed.error());
    const QString type = effectiveContentType(path, contentType);
    const QString key = newStorageKey();
    auto stored = m_store.put(key, data, type);
    if (!stored)
        return fail(stored.error());
    return commit(path, key, *stored, type, principal, mustBeNew);
}

Result<FileWrite> FileService::putSpooled(
    const QString &path, SpooledFile &body, const QString &contentType, const Principal &principal)
{
    if (auto allowed = mayWrite(path, body.size(), principal); !allowed)
        return fail(allowed.error());
    const QString type = effectiveContentType(path, contentType);
    const QString key = newStorageKey();
    auto stored = m_store.putSpooled(key, body, type);
    if (!stored)
        return fail(stored.error());
    return commit(path, key, *stored, type, principal);
}

Result<FileWrite> FileService::generate(
    const GenerateRequest &request, const Principal &principal, const GenerationClient &generator)
{
    if (!generator.isConfigured()) {
        return fail(Error::unavailable(
            QStringLiteral("no generation service is configured (OUTPOST_OPENAI_API_KEY)")));
    }
    if (auto allowed = mayWrite(request.filePath, 0, principal, true); !allowed)
        return fail(allowed.error());
    auto generated = generator.generate(request.type, request.prompt);
    if (!generated)
        return fail(generated.error());
    // Text takes its type from the extension (.txt, .md).
    const QString type =
        request.type == GenerateRequest::Type::Text ? QString() : generated->contentType;
    return put(request.filePath, generated->data, type, principal, true);
}

Result<FileWrite> FileService::commit(const QString &path, const QString &key,
    const StoredObject &object, const QString &contentType, const Principal &principal,
    bool mustBeNew, const std::function<Status()> &inTransaction)
{
    FileWrite result;
    QString replacedKey;
    // The new object, when nothing is recorded, unless it is the caller's (an upload's).
    const bool discard = !inTransaction;
    Status recorded = [&]() -> Status {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return begun;
        FileRepository files(m_database);
        auto existing = files.find(path);
        if (!existing)
            return fail(existing.error());
        if (auto allowed = checkWrite(*existing, object.size, principal, mustBeNew); !allowed)
            return allowed;
        FileInfo file = existing->value_or(FileInfo {});
        file.path = path;
        file.size = object.size;
        file.contentType = contentType;
        file.sha256Hex = object.sha256Hex;
        file.storageKey = key;
        if (*existing) {
            replacedKey = (*existing)->storageKey;
            if (auto updated = files.update(file); !updated)
                return fail(updated.error());
        } else {
            file.ownerId = principal.userId;
            auto id = files.insert(file);
            if (!id)
                return fail(id.error());
            file.id = *id;
            result.created = true;
        }
        if (inTransaction) {
            if (Status also = inTransaction(); !also)
                return also;
        }
        if (auto committed = transaction.commit(); !committed)
            return committed;
        return {};
    }();
    if (!recorded) {
        if (discard)
            m_store.remove(key);
        return fail(recorded.error());
    }
    if (!replacedKey.isEmpty())
        m_store.remove(replacedKey); // a failure leaves an orphan object, never a broken file
    auto stored = stat(path);
    if (!stored)
        return fail(stored.error());
    result.file = *stored;
    m_events.publish(
        {result.created ? QStringLiteral("file.created") : QStringLiteral("file.updated"),
            result.file.id, {}, 0});
    return result;
}

Status FileService::remove(const QString &path, const Principal &principal)
{
    FileInfo file;
    {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return begun;
        FileRepository files(m_database);
        auto existing = files.find(path);
        if (!existing)
            return fail(existing.error());
        if (!*existing)
            return fail(fileNotFound(path));
        file = **existing;
        if (file.ownerId != principal.userId && !principal.isAdmin()) {
            return fail(Error::forbidden(
                QStringLiteral("only the owner or an admin may delete %1").arg(path)));
        }
        if (auto removed = files.remove(path); !removed)
            return fail(removed.error());
        if (auto committed = transaction.commit(); !committed)
            return committed;
    }
    m_store.remove(file.storageKey);
    m_events.publish({QStringLiteral("file.deleted"), file.id, {}, 0});
    return {};
}

} // namespace Outpost::Server
