#include "filerepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

const auto kFileRow = rowFormat<FileInfo>([](auto &c, FileInfo &file) {
    c.column("id", file.id);
    c.column("path", file.path);
    c.column("owner_id", file.ownerId); // NULL: 0
    c.column("size_bytes", file.size);
    c.column("content_type", file.contentType);
    c.column("etag", file.sha256Hex);
    c.column("storage_key", file.storageKey);
    c.column("created_at", file.createdAt);
    c.column("updated_at", file.updatedAt);
});
const QString kFileColumns = kFileRow.columns();

} // namespace

FileRepository::FileRepository(const Database &database)
    : m_database(database)
{ }

Result<std::optional<FileInfo>> FileRepository::find(const QString &path) const
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("SELECT ") + kFileColumns + QStringLiteral(" FROM files WHERE path = :path"),
        {{":path", path}}, "find file");
    if (!query)
        return fail(query.error());
    if (!(*query)->next())
        return std::optional<FileInfo>();
    return std::optional<FileInfo>(kFileRow.read(QtRow {**query}));
}

Result<QList<FileInfo>> FileRepository::list(const FileListQuery &request) const
{
    // A prefix compared with substr(), not LIKE: LIKE is case-insensitive on SQLite.
    const QString prefix =
        request.directory.isEmpty() ? QString() : request.directory + QLatin1Char('/');
    const qsizetype prefixLength = qsizetype(prefix.toUcs4().size());
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("SELECT ") + kFileColumns
            + QStringLiteral(" FROM files WHERE (:plen = 0 OR substr(path, 1, :plen2) = :prefix) "
                             "AND path > :after ORDER BY path LIMIT :limit"),
        // Empty, not null, text: NULL would compare as unknown and match nothing.
        {{":plen", int(prefixLength)}, {":plen2", int(prefixLength)},
            {":prefix", prefix.isEmpty() ? QStringLiteral("") : prefix},
            {":after", request.after.isEmpty() ? QStringLiteral("") : request.after},
            {":limit", request.pageSize + 1}},
        "list files");
    if (!query)
        return fail(query.error());
    QList<FileInfo> files;
    while ((*query)->next())
        files.append(kFileRow.read(QtRow {**query}));
    return files;
}

Result<qint64> FileRepository::usage(qint64 ownerId) const
{
    Result<QVariant> total = scalarCached(m_database,
        QStringLiteral("SELECT COALESCE(SUM(size_bytes), 0) FROM files WHERE owner_id = :owner"),
        {{":owner", ownerId}}, "file usage");
    if (!total)
        return fail(total.error());
    return total->toLongLong();
}

Result<qint64> FileRepository::insert(const FileInfo &file)
{
    const QString now = seconds(QDateTime::currentDateTimeUtc());
    Result<QVariant> id = scalarCached(m_database,
        QStringLiteral("INSERT INTO files (path, owner_id, size_bytes, content_type, etag, "
                       "storage_key, created_at, updated_at) VALUES (:path, :owner, :size, "
                       ":type, :etag, :key, :created, :updated) RETURNING id"),
        {{":path", file.path}, {":owner", idOrNull(file.ownerId)}, {":size", file.size},
            {":type", file.contentType}, {":etag", hexText(file.sha256Hex)},
            {":key", file.storageKey}, {":created", now}, {":updated", now}},
        "insert file", Error::conflict(QStringLiteral("a file with this path exists")));
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<bool> FileRepository::update(const FileInfo &file)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("UPDATE files SET size_bytes = :size, content_type = :type, etag = :etag, "
                       "storage_key = :key, updated_at = :now WHERE path = :path"),
        {{":size", file.size}, {":type", file.contentType}, {":etag", hexText(file.sha256Hex)},
            {":key", file.storageKey}, {":now", seconds(QDateTime::currentDateTimeUtc())},
            {":path", file.path}},
        "update file");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

Result<bool> FileRepository::remove(const QString &path)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("DELETE FROM files WHERE path = :path"), {{":path", path}}, "delete file");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

Result<QSet<QString>> FileRepository::storageKeys() const
{
    Result<CachedQuery> query = execCached(
        m_database, QStringLiteral("SELECT storage_key FROM files"), {}, "file storage keys");
    if (!query)
        return fail(query.error());
    QSet<QString> keys;
    while ((*query)->next())
        keys.insert((*query)->value(0).toString());
    return keys;
}

} // namespace Outpost::Server
