#include "uploadsapi.h"

#include "apihelpers.h"
#include "filerequests.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "models/apikey.h"
#include "services/fileservice.h"
#include "services/servercontext.h"
#include "services/uploadservice.h"
#include "storage/filestore.h"

namespace Outpost::Server {

using namespace Api;

namespace {

// The path parameter {id}: an upload's opaque id, checked by the service.
struct UploadId
{
    QString value;
};

// The path parameter {n}: a part number, range-checked by the service.
struct PartNumber
{
    int value = 0;
};

} // namespace

template<> struct Api::From<UploadId>
{
    static Result<UploadId> take(const Request &request)
    {
        return UploadId {request.pathParam(QStringLiteral("id"))};
    }
};

template<> struct Api::From<PartNumber>
{
    static Result<PartNumber> take(const Request &request)
    {
        bool ok = false;
        const int number = request.pathParam(QStringLiteral("n")).toInt(&ok);
        if (!ok) {
            return fail(
                Error::validation(QStringLiteral("n"), QStringLiteral("must be a part number")));
        }
        return PartNumber {number};
    }
};

void UploadsApi::registerRoutes(Router &router, const ServerContext &context)
{
    UploadService &uploads = *context.uploads;
    QThreadPool &pool = *context.slowPool;

    router.addSchema(QStringLiteral("Upload"), R"json({
        "type": "object", "required": ["id", "file_path", "size", "content_type", "part_size", "part_count", "expires_at", "received_parts"],
        "properties": {"id": {"type": "string"}, "file_path": {"type": "string"},
                       "size": {"type": "integer", "minimum": 0}, "content_type": {"type": "string"},
                       "part_size": {"type": "integer", "description": "Every part but the last has exactly this many bytes"},
                       "part_count": {"type": "integer"},
                       "expires_at": {"type": "string", "format": "date-time"},
                       "received_parts": {"type": "array", "items": {"type": "integer"}}}})json");

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/uploads"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Start a chunked upload"),
        .openapi = R"json({"operationId": "startUpload",
            "description": "For files over the single-request body limit. Send the parts with PUT /v1/uploads/{id}/parts/{n}, then POST /v1/uploads/{id}/complete. Ownership and quota are checked now and again at completion.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["file_path", "size"], "additionalProperties": false,
                "properties": {"file_path": {"type": "string"}, "size": {"type": "integer", "minimum": 0},
                               "content_type": {"type": "string"}}}}}},
            "responses": {"201": {"description": "Started", "headers": {"Location": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Upload"}}}},
                          "400": {"description": "Malformed JSON"},
                          "403": {"description": "The file exists and is someone else's"},
                          "422": {"description": "Invalid fields"}, "507": {"description": "Over the quota"}}})json",
        .handler = handle([&uploads, &pool](Request &request, const UploadCreate &create) {
            return offThread(
                pool, request, [&uploads, create, principal = *request.principal()]() -> Reply {
                    auto upload = uploads.create(create, principal);
                    if (!upload)
                        return fail(upload.error());
                    return created(upload->toJson(), QStringLiteral("/v1/uploads/") + upload->id);
                });
        }),
        .expensive = true,
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/uploads/{id}"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("A chunked upload's state"),
        .openapi = R"json({"operationId": "getUpload",
            "description": "Which parts arrived: resume by sending the others.",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Upload"}}}},
                          "404": {"description": "No such upload (or not yours, or expired)"}}})json",
        .handler = handle([&uploads](Request &request, const UploadId &id) {
            return ok(uploads.get(id.value, *request.principal()));
        }),
    });

    router.add({
        .method = "PUT",
        .path = QStringLiteral("/v1/uploads/{id}/parts/{n}"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Send one part"),
        .openapi = R"json({"operationId": "uploadPart",
            "description": "Raw bytes of part n (1-based): exactly part_size bytes, the last part the rest. Sending a part again replaces it.",
            "parameters": [{"name": "n", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"204": {"description": "Stored"}, "404": {"description": "No such upload"},
                          "413": {"description": "Larger than the body limit"},
                          "422": {"description": "Part number out of range or wrong size"}}})json",
        .handler = handle([&uploads, &pool](Request &request, const UploadId &id, PartNumber part) {
            return offThread(pool, request,
                [&uploads, id = id.value, number = part.value, data = request.body(),
                    spooled = request.spooled(), principal = *request.principal()] {
                    return noContent(spooled
                            ? uploads.putPartSpooled(id, number, *spooled, principal)
                            : uploads.putPart(id, number, data, principal));
                });
        }),
        // The part goes to the store's temporary directory as it arrives, then is renamed into
        // the upload (its digest, when parts come in order, is taken there).
        .spoolBody =
            [&store = context.files->store()](const FramedRequest &) {
                return BodySpool {store.spoolDirectory(), false};
            },
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/uploads/{id}/complete"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Assemble a chunked upload into the file"),
        .openapi = R"json({"operationId": "completeUpload",
            "description": "Atomic: the file appears (or is replaced) whole, or not at all.",
            "responses": {"200": {"description": "Replaced", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}}},
                          "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}}},
                          "403": {"description": "The file is someone else's"},
                          "404": {"description": "No such upload"}, "409": {"description": "Parts are missing"},
                          "507": {"description": "Over the quota"}}})json",
        .handler = handle([&uploads, &pool](Request &request, const UploadId &id) {
            return offThread(pool, request,
                [&uploads, id = id.value, principal = *request.principal()]() -> Reply {
                    auto written = uploads.complete(id, principal);
                    if (!written)
                        return fail(written.error());
                    return fileWritten(written->file, written->created);
                });
        }),
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/uploads/{id}"),
        .apiKeyScope = Scopes::filesWrite,
        .tag = QStringLiteral("Files"),
        .summary = QStringLiteral("Abort a chunked upload"),
        .openapi = R"json({"operationId": "abortUpload",
            "responses": {"204": {"description": "Aborted; its parts are gone"},
                          "404": {"description": "No such upload"}}})json",
        .handler = handle([&uploads, &pool](Request &request, const UploadId &id) {
            return offThread(
                pool, request, [&uploads, id = id.value, principal = *request.principal()] {
                    return noContent(uploads.abort(id, principal));
                });
        }),
    });
}

} // namespace Outpost::Server
