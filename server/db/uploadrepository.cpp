#include "uploadrepository.h"

#include "database.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

const QString kUploadColumns = QStringLiteral(
    "id, file_path, owner_id, size, content_type, part_size, s3_upload_id, created_at, "
    "expires_at");

Upload readUpload(const QSqlQuery &query)
{
    Upload upload;
    upload.id = query.value(0).toString();
    upload.filePath = query.value(1).toString();
    upload.ownerId = query.value(2).toLongLong();
    upload.size = query.value(3).toLongLong();
    upload.contentType = query.value(4).toString();
    upload.partSize = query.value(5).toLongLong();
    upload.storeHandle = query.value(6).toString();
    upload.createdAt = toDateTime(query.value(7));
    upload.expiresAt = toDateTime(query.value(8));
    return upload;
}

} // namespace

UploadRepository::UploadRepository(const Database &database)
    : m_database(database)
{ }

Status UploadRepository::insert(const Upload &upload)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("INSERT INTO uploads (id, file_path, owner_id, size, content_type, "
                       "part_size, s3_upload_id, created_at, expires_at) VALUES (:id, :path, "
                       ":owner, :size, :type, :part, :handle, :created, :expires)"),
        {{":id", upload.id}, {":path", upload.filePath}, {":owner", upload.ownerId},
            {":size", upload.size}, {":type", upload.contentType}, {":part", upload.partSize},
            {":handle", textOrNull(upload.storeHandle)}, {":created", seconds(upload.createdAt)},
            {":expires", seconds(upload.expiresAt)}},
        "insert upload");
    if (!query)
        return fail(query.error());
    return {};
}

Result<std::optional<Upload>> UploadRepository::find(const QString &id) const
{
    std::optional<Upload> upload;
    {
        Result<CachedQuery> query = execCached(m_database,
            QStringLiteral("SELECT ") + kUploadColumns
                + QStringLiteral(" FROM uploads WHERE id = :id"),
            {{":id", id}}, "find upload");
        if (!query)
            return fail(query.error());
        if (!(*query)->next())
            return upload;
        upload = readUpload(**query);
    }
    auto received = parts(id);
    if (!received)
        return fail(received.error());
    for (const UploadPart &part : *received)
        upload->receivedParts.append(part.number);
    return upload;
}

Status UploadRepository::putPart(const QString &id, int number, qint64 size, const QByteArray &etag)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("INSERT INTO upload_parts (upload_id, part_number, size, etag, created_at) "
                       "VALUES (:id, :n, :size, :etag, :now) ON CONFLICT (upload_id, part_number) "
                       "DO UPDATE SET size = excluded.size, etag = excluded.etag, "
                       "created_at = excluded.created_at"),
        {{":id", id}, {":n", number}, {":size", size}, {":etag", QString::fromLatin1(etag)},
            {":now", seconds(QDateTime::currentDateTimeUtc())}},
        "put upload part");
    if (!query)
        return fail(query.error());
    return {};
}

Result<QList<UploadPart>> UploadRepository::parts(const QString &id) const
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("SELECT part_number, size, etag FROM upload_parts WHERE upload_id = :id "
                       "ORDER BY part_number"),
        {{":id", id}}, "upload parts");
    if (!query)
        return fail(query.error());
    QList<UploadPart> result;
    while ((*query)->next()) {
        result.append({(*query)->value(0).toInt(), (*query)->value(1).toLongLong(),
            (*query)->value(2).toString().toLatin1()});
    }
    return result;
}

Result<bool> UploadRepository::remove(const QString &id)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("DELETE FROM uploads WHERE id = :id"), {{":id", id}}, "delete upload");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

Result<QList<Upload>> UploadRepository::expired(const QDateTime &now) const
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("SELECT ") + kUploadColumns
            + QStringLiteral(" FROM uploads WHERE expires_at < :now ORDER BY expires_at LIMIT 100"),
        {{":now", seconds(now)}}, "expired uploads");
    if (!query)
        return fail(query.error());
    QList<Upload> result;
    while ((*query)->next())
        result.append(readUpload(**query));
    return result;
}

} // namespace Outpost::Server
