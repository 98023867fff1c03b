#pragma once

#include "apihelpers.h"
#include "core/result.h"
#include "http/request.h"
#include "models/file.h"

#include <QByteArray>
#include <QString>

namespace Outpost::Server::Api {

// The file path in a request-target after `prefix` ("/v1/files/"), percent-decoded once and
// checked by FilePaths::problem: Validation (422) for anything unsafe.
Result<QString> filePathOf(const Request &request, QByteArrayView prefix);

// The bytes and type of a file sent as a raw body or as multipart/form-data with a "file"
// (or "file_content") part.
struct FileUpload
{
    QByteArray data;
    QString contentType; // as sent; may be empty
    // Instead of `data`: a raw body the guard spooled to a file (fileBodySpool()).
    std::shared_ptr<SpooledFile> spooled {};
};
Result<FileUpload> fileUploadOf(const Request &request);
// Route::spoolBody of a file write: a raw body goes to `directory` (hashed on the way), a
// multipart/form-data one stays in memory to be parsed.
BodySpool fileBodySpool(const FramedRequest &request, const QString &directory);

// The file path of a /v1/files/{path...} request (filePathOf), for handlers built by handle().
struct FilePath
{
    QString value;
};

template<> struct From<FilePath>
{
    static Result<FilePath> take(const Request &request);
};

template<> struct From<FileUpload>
{
    static Result<FileUpload> take(const Request &request) { return fileUploadOf(request); }
};

// A single "bytes=" range resolved against `size`: {offset, length}; nullopt when the header
// is absent or not a single byte range (serve the whole file), PreconditionFailed-like
// Validation when unsatisfiable (the caller answers 416).
struct ByteRange
{
    qint64 offset = 0;
    qint64 length = 0;
};
enum class RangeKind { Whole, Partial, Unsatisfiable };
RangeKind parseRange(const QByteArray &header, qint64 size, ByteRange &range);

// "Sun, 06 Nov 1994 08:49:37 GMT"
QByteArray httpDate(const QDateTime &time);

// FileInfo as a PUT/complete answer: 201 (with Location) or 200, the JSON and the ETag.
HttpResponse fileWritten(const FileInfo &file, bool created);

} // namespace Outpost::Server::Api
