#include "adminapi.h"

#include "apihelpers.h"
#include "http/openapi.h"
#include "http/router.h"
#include "services/adminservice.h"
#include "services/apikeyservice.h"
#include "services/auditservice.h"
#include "services/servercontext.h"

namespace Outpost::Server {

using namespace Api;

void AdminApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("API keys"),
        QStringLiteral("Keys for machine clients (CI, scripts): created and revoked by admins, "
                       "each limited to the scopes it names."));
    router.addTag(QStringLiteral("Administration"),
        QStringLiteral("Admin-only views of the server: version, uptime, storage, counts, the "
                       "audit trail and backups."));
    ApiKeyService &apiKeys = *context.apiKeys;
    AuditService &audit = *context.audit;
    AdminService &admin = *context.admin;

    router.addSchema(QStringLiteral("ApiKey"), R"json({
        "type": "object", "required": ["id", "name", "scopes", "prefix", "created_at"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
            "scopes": {"type": "array", "items": {"enum": ["pipelines:write", "files:write", "read"]}},
            "prefix": {"type": "string", "description": "The key's first characters, to recognise it"},
            "created_at": {"type": "string", "format": "date-time"},
            "last_used_at": {"type": ["string", "null"], "format": "date-time"},
            "created_by": {"type": ["integer", "null"]},
            "key": {"type": "string", "description": "Only in the creation response: store it now, it is never shown again."}}})json");
    router.addSchema(QStringLiteral("ApiKeyCreate"), R"json({
        "type": "object", "required": ["name", "scopes"], "additionalProperties": false,
        "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100},
            "scopes": {"type": "array", "minItems": 1, "uniqueItems": true,
                       "items": {"enum": ["pipelines:write", "files:write", "read"]}}}})json");
    router.addSchema(QStringLiteral("AuditEntry"), R"json({
        "type": "object",
        "properties": {"id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
            "actor_id": {"type": ["integer", "null"]}, "actor": {"type": "string"},
            "action": {"type": "string"}, "target_type": {"type": "string"}, "target_id": {"type": "string"},
            "client_address": {"type": "string"}, "detail": {"type": "object"}}})json");
    router.addSchema(QStringLiteral("ApiKeyPage"), OpenApi::pageSchema(QStringLiteral("ApiKey")));
    router.addSchema(
        QStringLiteral("AuditEntryPage"), OpenApi::pageSchema(QStringLiteral("AuditEntry")));

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/api-keys"),
        .access = Access::Admin,
        .tag = QStringLiteral("API keys"),
        .summary = QStringLiteral("Create an API key"),
        .openapi = R"json({"operationId": "createApiKey",
            "description": "The key (opk_ + 43 base62 characters) is in this response only; the server keeps a SHA-256 hash. Use it as `Authorization: Bearer opk_...`.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiKeyCreate"}}}},
            "responses": {"201": {"description": "Created", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/ApiKey"}}}}, "422": {"description": "Invalid fields"}}})json",
        .handler = handle([&apiKeys](Request &request, const ApiKeyCreate &create) -> Reply {
            auto key = apiKeys.create(create, callerOf(request));
            if (!key)
                return fail(key.error());
            return created(key->toJson(), QStringLiteral("/v1/api-keys/%1").arg(key->id))
                .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/api-keys"),
        .access = Access::Admin,
        .tag = QStringLiteral("API keys"),
        .summary = QStringLiteral("List API keys"),
        .parameters = OpenApi::pageParameters(),
        .openapi = R"json({"operationId": "listApiKeys",
            "responses": {"200": {"description": "Active keys, newest first (never the keys themselves)",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiKeyPage"}}}},
                          "422": {"description": "limit or skip out of range"}}})json",
        .handler = handle([&apiKeys](const PageRequest &page) { return ok(apiKeys.list(page)); }),
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/api-keys/{id}"),
        .access = Access::Admin,
        .tag = QStringLiteral("API keys"),
        .summary = QStringLiteral("Revoke an API key"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "revokeApiKey",
            "responses": {"204": {"description": "Revoked"}, "404": {"description": "No such key"}}})json",
        .handler = handle([&apiKeys](Request &request, Id id) {
            return noContent(apiKeys.revoke(id.value, callerOf(request)));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/admin/audit"),
        .access = Access::Admin,
        .tag = QStringLiteral("Administration"),
        .summary = QStringLiteral("The audit trail"),
        .parameters = OpenApi::pageParameters(),
        .openapi = R"json({"operationId": "listAuditEntries",
            "parameters": [{"name": "user_id", "in": "query", "description": "Only the entries of this user: those they made and those about their account (target_type user)", "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"200": {"description": "Newest first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditEntryPage"}}}},
                          "422": {"description": "limit, skip or user_id out of range"}}})json",
        .handler = handle([&audit](Request &request) -> Reply {
            auto query = AuditQuery::fromQuery(request.queryItem(QStringLiteral("limit")),
                request.queryItem(QStringLiteral("skip")),
                request.queryItem(QStringLiteral("user_id")));
            if (!query)
                return fail(query.error());
            return ok(audit.list(*query));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/admin/info"),
        .access = Access::Admin,
        .tag = QStringLiteral("Administration"),
        .summary = QStringLiteral("Server version, uptime, storage and counts"),
        .openapi =
            R"json({"operationId": "getServerInfo", "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "required": ["version", "started_at", "uptime_s", "database", "file_store", "counts"],
            "properties": {"version": {"type": "string"}, "started_at": {"type": "string", "format": "date-time"},
                "uptime_s": {"type": "integer"},
                "database": {"type": "object", "properties": {"driver": {"type": "string"}, "schema_version": {"type": "integer"}}},
                "file_store": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "counts": {"type": "object", "properties": {"users": {"type": "integer"}, "posts": {"type": "integer"},
                    "files": {"type": "integer"}, "pipelines": {"type": "integer"}}}}}}}}}})json",
        .handler = handle([&admin] { return ok(admin.info()); }),
    });
}

} // namespace Outpost::Server
