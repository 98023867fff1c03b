#include "filesapi.h"

#include "apihelpers.h"
#include "filerequests.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "models/apikey.h"
#include "services/fileservice.h"
#include "services/generationclient.h"
#include "services/servercontext.h"
#include "storage/filestore.h"

#include <QUrl>

namespace Outpost::Server {

using namespace Api;

namespace {

// Headers every GET/HEAD/304 answer for a file carries.
void addFileHeaders(HttpResponse &response, const FileInfo &file)
{
    response.withHeader(QByteArrayLiteral("ETag"), file.etag());
    response.withHeader(QByteArrayLiteral("Last-Modified"), httpDate(file.updatedAt));
    response.withHeader(QByteArrayLiteral("Accept-Ranges"), QByteArrayLiteral("bytes"));
    response.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("private, no-cache"));
}

// Served as a download, and sandboxed: user bytes (HTML, SVG) must never run as this origin.
void addDownloadHeaders(HttpResponse &response, const FileInfo &file)
{
    const QString name = file.path.section(QLatin1Char('/'), -1);
    QByteArray ascii;
    for (const QChar c : name) {
        ascii.append(c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\'
                ? char(c.unicode())
                : '_');
    }
    response.withHeader(QByteArrayLiteral("Content-Disposition"),
        "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
            + QUrl::toPercentEncoding(name));
    response.withHeader(QByteArrayLiteral("Content-Security-Policy"),
        QByteArrayLiteral("sandbox; default-src 'none'"));
}

// GET and HEAD of a file: whole, a range, or 304; the body streams from the store.
Reply download(FileService &files, Request &request, const QString &path)
{
    auto file = files.stat(path);
    if (!file)
        return fail(file.error());
    if (noneMatch(request, file->etag())) {
        HttpResponse notModified {304, {}, {}, {}};
        addFileHeaders(notModified, *file);
        return notModified;
    }
    ByteRange range {0, file->size};
    // If-Range (RFC 9110 13.1.5): a range of a file that has changed since is useless to the
    // client (a resumed download), so the whole file is sent instead. Only strong ETags match.
    const QByteArray ifRange = request.header(QByteArrayLiteral("if-range"));
    const QByteArray rangeHeader = ifRange.isEmpty() || ifRange == file->etag()
        ? request.header(QByteArrayLiteral("range"))
        : QByteArray();
    const RangeKind kind = parseRange(rangeHeader, file->size, range);
    if (kind == RangeKind::Unsatisfiable) {
        HttpResponse response = Problem::make(416,
            QStringLiteral("the range starts past the end of the file (%1 bytes)").arg(file->size),
            request.path());
        response.withHeader(
            QByteArrayLiteral("Content-Range"), "bytes */" + QByteArray::number(file->size));
        return response;
    }
    HttpResponse response {
        kind == RangeKind::Partial ? 206 : 200, file->contentType.toLatin1(), {}, {}};
    addFileHeaders(response, *file);
    addDownloadHeaders(response, *file);
    if (kind == RangeKind::Partial) {
        response.withHeader(QByteArrayLiteral("Content-Range"),
            "bytes " + QByteArray::number(range.offset) + '-'
                + QByteArray::number(range.offset + range.length - 1) + '/'
                + QByteArray::number(file->size));
    }
    response.withHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(range.length));
    if (request.method() == "HEAD" || range.length == 0)
        return response;
    DeferredReply reply = request.defer();
    files.store().openRead(file->storageKey, range.offset, range.length,
        [reply, response, range, instance = request.path()](
            Result<std::shared_ptr<QIODevice>> device) mutable {
            if (!device) {
                reply.send(problem(device.error(), instance));
                return;
            }
            response.stream = std::move(*device);
            response.streamLength = range.length;
            reply.send(std::move(response));
        });
    return HttpResponse::deferred();
}

} // namespace

void FilesApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Files"),
        QStringLiteral("Each user's files: list, upload (whole or in resumable parts), download "
                       "with ranges, delete, generate."));
    FileService &files = *context.files;
    const GenerationClient &generator = *context.generator;
    QThreadPool &pool = *context.slowPool;

    router.addSchema(QStringLiteral("File"), R"json({
        "type": "object", "required": ["file_path", "size_bytes", "content_type", "etag", "last_modified"],
        "properties": {"file_path": {"type": "string"}, "size_bytes": {"type": "integer", "minimum": 0},
                       "content_type": {"type": "string"},
                       "etag": {"type": "string", "description": "SHA-256 of the content, lower-case hex (the ETag header quotes it)"},
                       "last_modified": {"type": "string", "format": "date-time"},
                       "owner_id": {"type": ["integer", "null"]}}})json");
    router.addSchema(QStringLiteral("FileList"), R"json({
        "type": "object", "required": ["files", "next_page_token"],
        "properties": {"files": {"type": "array", "items": {"$ref": "#/components/schemas/File"}},
                       "next_page_token": {"type": ["string", "null"]}}})json");

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/files"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("List files"),
        .openapi = R"json({"operationId": "listFiles",
            "description": "In path order. Pass next_page_token back as page_token for the next page.",
            "parameters": [
                {"name": "directory", "in": "query", "description": "Only files under this directory (a path prefix ending at a /)", "schema": {"type": "string"}},
                {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10}},
                {"name": "page_token", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FileList"}}}},
                          "422": {"description": "A parameter is invalid"}}})json",
        .handler = handle([&files](Request &request) -> Reply {
            auto query = FileListQuery::fromQuery(request.queryItem(QStringLiteral("directory")),
                request.queryItem(QStringLiteral("page_size")),
                request.queryItem(QStringLiteral("page_token")));
            if (!query)
                return fail(query.error());
            return ok(files.list(*query));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/files/generated"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Make a file with the AI generation service"),
        .openapi = R"json({"operationId": "generateFile",
            "description": "Text (chat completions), an image (PNG) or speech (MP3) from the configured OpenAI-compatible service, stored as a new file of the caller's. The extension must fit the type: text .txt or .md, image .png, text-to-speech .mp3.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["file_path", "prompt"], "additionalProperties": false,
                "properties": {"file_path": {"type": "string"}, "prompt": {"type": "string", "minLength": 1, "maxLength": 4000},
                               "generation_type": {"enum": ["text", "image", "text-to-speech"]},
                               "file_type": {"type": "string", "description": "The original service's name for generation_type, any case"}}}}}},
            "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}}},
                          "400": {"description": "Malformed JSON"},
                          "409": {"description": "A file exists at this path"},
                          "422": {"description": "Invalid fields, or the extension does not fit the type"},
                          "503": {"description": "No generation service is configured, or it failed"},
                          "507": {"description": "Over the quota"}}})json",
        .handler =
            handle([&files, &generator, &pool](Request &request, const GenerateRequest &generate) {
                return offThread(pool, request,
                    [&files, &generator, generate, principal = *request.principal()]() -> Reply {
                        auto written = files.generate(generate, principal, generator);
                        if (!written)
                            return fail(written.error());
                        return fileWritten(written->file, true);
                    });
            }),
        .expensive = true,
    });

    router.add({
        .method = "PUT",
        .path = QStringLiteral("/v1/files/{path...}"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Upload or replace a file"),
        .openapi = R"json({"operationId": "uploadFile",
            "description": "The raw body (its Content-Type is kept; none or application/octet-stream is guessed from the extension) or multipart/form-data with a \"file\" (or \"file_content\") part. At most the server's body limit (OUTPOST_MAX_BODY_BYTES, 413 beyond): larger files go up through /v1/uploads. Atomic: readers see the old or the new content, never a part. Owner or admin may replace.",
            "requestBody": {"required": true, "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}},
            "responses": {"200": {"description": "Replaced", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}}},
                          "201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}}},
                          "403": {"description": "The file is someone else's"},
                          "413": {"description": "Larger than the body limit"},
                          "422": {"description": "Unsafe path"},
                          "507": {"description": "Over the user's quota"}}})json",
        .handler = handle([&files, &pool](
                              Request &request, const FilePath &path, const FileUpload &upload) {
            return offThread(pool, request,
                [&files, path = path.value, upload, principal = *request.principal()]() -> Reply {
                    auto written = upload.spooled
                        ? files.putSpooled(path, *upload.spooled, upload.contentType, principal)
                        : files.put(path, upload.data, upload.contentType, principal);
                    if (!written)
                        return fail(written.error());
                    return fileWritten(written->file, written->created);
                });
        }),
        // A raw body goes to the store's temporary directory as it arrives, hashed on the way,
        // and is renamed into place: never whole in memory, never copied.
        .spoolBody =
            [&files](const FramedRequest &request) {
                return fileBodySpool(request, files.store().spoolDirectory());
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/files/{path...}"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Download a file"),
        .openapi = R"json({"operationId": "downloadFile",
            "description": "Streamed. A single bytes range gives 206 (416 when it starts past the end); If-None-Match with the current ETag gives 304; with If-Range, the range is sent only while the ETag still matches (otherwise 200 and the whole file: resumed downloads restart when the file changed). Sent as an attachment. HEAD gives the same headers without the body.",
            "parameters": [{"name": "Range", "in": "header", "schema": {"type": "string", "example": "bytes=0-1023"}},
                           {"name": "If-Range", "in": "header", "description": "The ETag the client has part of", "schema": {"type": "string"}},
                           {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "The content", "headers": {"ETag": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}}},
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "206": {"description": "The requested range", "headers": {"Content-Range": {"schema": {"type": "string"}}}},
                "304": {"description": "Not modified"},
                "404": {"description": "No such file"},
                "416": {"description": "Range not satisfiable"},
                "422": {"description": "Unsafe path"}}})json",
        .handler = handle([&files](Request &request, const FilePath &path) {
            return download(files, request, path.value);
        }),
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/files/{path...}"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Delete a file"),
        .openapi = R"json({"operationId": "deleteFile",
            "description": "Owner or admin.",
            "responses": {"204": {"description": "Deleted"}, "403": {"description": "Not the owner"},
                          "404": {"description": "No such file"}, "422": {"description": "Unsafe path"}}})json",
        .handler = handle([&files, &pool](Request &request, const FilePath &path) {
            return offThread(
                pool, request, [&files, path = path.value, principal = *request.principal()] {
                    return noContent(files.remove(path, principal));
                });
        }),
    });
}

} // namespace Outpost::Server
