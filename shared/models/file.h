#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Outpost {

namespace FilePaths {

constexpr qsizetype maxPathBytes = 1024;

// Why `path` is not an acceptable file path, or an empty string when it is. Paths are
// relative, '/'-separated, at most 1024 bytes of UTF-8, with no empty, "." or ".." segment,
// no backslash and no control character. A path that still holds a percent-encoded form of
// any of those ("%2e%2e", "%5c") is refused too, so a second decoding anywhere cannot
// smuggle them in.
QString problem(const QString &path);

// The MIME type for a path's extension ("application/octet-stream" when unknown).
QString guessContentType(const QString &path);

} // namespace FilePaths

// A stored file's metadata. The bytes live in the file store under storageKey.
struct FileInfo
{
    qint64 id = 0;
    QString path;
    qint64 ownerId = 0; // 0: the owner's account is gone
    qint64 size = 0;
    QString contentType;
    QByteArray sha256Hex; // the ETag's value
    QString storageKey;
    QDateTime createdAt;
    QDateTime updatedAt;

    QByteArray etag() const { return '"' + sha256Hex + '"'; } // as an HTTP header
    // {"file_path","size_bytes","content_type","etag","last_modified"} (+ "owner_id").
    QJsonObject toJson(bool withOwner = false) const;
    // For clients: the same members (storageKey and createdAt are not sent).
    static Result<FileInfo> fromJson(const QJsonObject &json);
};

// GET /v1/files: files under a directory, in path order, a page at a time.
struct FileListQuery
{
    QString directory; // "" for all; otherwise files whose path starts with "<directory>/"
    int pageSize = 10; // 1..1000
    QString after;     // from page_token: the last path of the previous page

    // Null strings mean absent. page_token is opaque (base64url of the last path).
    static Result<FileListQuery> fromQuery(
        const QString &directory, const QString &pageSize, const QString &pageToken);
    static QString tokenFor(const QString &lastPath);
};

struct FileList
{
    QList<FileInfo> files;
    QString nextPageToken; // empty: no more
    QJsonObject toJson() const;
    static Result<FileList> fromJson(const QJsonObject &json); // for clients
};

// POST /v1/uploads.
struct UploadCreate
{
    QString filePath;
    qint64 size = 0;
    QString contentType; // empty: guessed from the path

    QJsonObject toJson() const;
    static Result<UploadCreate> fromJson(const QJsonObject &json);
};

// A part of a chunked upload that arrived.
struct UploadPart
{
    int number = 0;
    qint64 size = 0;
    QByteArray etag; // the store's tag for the part
};

// A chunked upload in progress.
struct Upload
{
    QString id;
    QString filePath;
    qint64 ownerId = 0;
    qint64 size = 0;
    QString contentType;
    qint64 partSize = 0;
    QString storeHandle; // the store's multipart handle (S3's UploadId)
    QDateTime createdAt;
    QDateTime expiresAt;
    QList<int> receivedParts;

    int partCount() const { return size == 0 ? 1 : int((size + partSize - 1) / partSize); }
    // The size part `number` must have.
    qint64 expectedPartSize(int number) const
    {
        return number < partCount() ? partSize : size - partSize * (partCount() - 1);
    }
    // {"id","file_path","size","content_type","part_size","part_count","expires_at",
    //  "received_parts"}
    QJsonObject toJson() const;
    // For clients (ownerId, storeHandle and createdAt are not sent); part_count is derived.
    static Result<Upload> fromJson(const QJsonObject &json);
};

// POST /v1/files/generated.
struct GenerateRequest
{
    enum class Type { Text, Image, Speech };
    QString filePath;
    QString prompt;
    Type type = Type::Text;

    // Accepts "generation_type" or the original service's "file_type" (any case); the path's
    // extension must fit the type (.txt/.md, .png, .mp3).
    static Result<GenerateRequest> fromJson(const QJsonObject &json);
};

} // namespace Outpost
