#include "uploadrepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

const auto kUploadRow = rowFormat<Upload>([](auto &c, Upload &upload) {
    c.column("id", upload.id);
    c.column("file_path", upload.filePath);
    c.column("owner_id", upload.ownerId);
    c.column("size", upload.size);
    c.column("content_type", upload.contentType);
    c.column("part_size", upload.partSize);
    c.column("s3_upload_id", upload.storeHandle);
    c.column("created_at", upload.createdAt);
    c.column("expires_at", upload.expiresAt);
});
const QString kUploadColumns = kUploadRow.columns();

const auto kPartRow = rowFormat<UploadPart>([](auto &c, UploadPart &part) {
    c.column("part_number", part.number);
    c.column("size", part.size);
    c.column("etag", part.etag);
});

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
        upload = kUploadRow.read(QtRow {**query});
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
    static const QString sql = QStringLiteral("SELECT ") + kPartRow.columns()
        + QStringLiteral(" FROM upload_parts WHERE upload_id = :id ORDER BY part_number");
    Result<CachedQuery> query = execCached(m_database, sql, {{":id", id}}, "upload parts");
    if (!query)
        return fail(query.error());
    QList<UploadPart> result;
    while ((*query)->next())
        result.append(kPartRow.read(QtRow {**query}));
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
        result.append(kUploadRow.read(QtRow {**query}));
    return result;
}

Result<QSet<QString>> UploadRepository::storeHandles() const
{
    Result<CachedQuery> query = execCached(
        m_database, QStringLiteral("SELECT s3_upload_id FROM uploads"), {}, "upload handles");
    if (!query)
        return fail(query.error());
    QSet<QString> handles;
    while ((*query)->next())
        handles.insert((*query)->value(0).toString());
    return handles;
}

Result<QSet<QString>> UploadRepository::ids() const
{
    Result<CachedQuery> query =
        execCached(m_database, QStringLiteral("SELECT id FROM uploads"), {}, "upload ids");
    if (!query)
        return fail(query.error());
    QSet<QString> ids;
    while ((*query)->next())
        ids.insert((*query)->value(0).toString());
    return ids;
}

} // namespace Outpost::Server
