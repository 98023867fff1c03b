#include "usersapi.h"

#include "apihelpers.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "services/servercontext.h"
#include "services/userservice.h"

namespace Outpost::Server {

using namespace Api;

void UsersApi::registerRoutes(Router &router, const ServerContext &context)
{
    UserService &users = *context.users;

    router.addSchema(QStringLiteral("User"), R"json({
        "type": "object", "required": ["id", "email", "username", "role", "disabled", "created_at"],
        "properties": {
            "id": {"type": "integer"}, "email": {"type": "string", "format": "email"},
            "username": {"type": ["string", "null"]}, "role": {"enum": ["admin", "user"]},
            "disabled": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"}}})json");
    router.addSchema(QStringLiteral("UserCreate"), R"json({
        "type": "object", "required": ["email", "password"], "additionalProperties": false,
        "properties": {
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "password": {"type": "string", "minLength": 8, "maxLength": 128,
                         "description": "Not all of one character class (lower, upper, digit, other)."},
            "username": {"type": ["string", "null"], "pattern": "^[A-Za-z0-9_.-]{3,32}$"}}})json");
    router.addSchema(QStringLiteral("UserUpdate"), R"json({
        "type": "object", "additionalProperties": false, "minProperties": 1,
        "properties": {
            "role": {"enum": ["admin", "user"], "description": "Admins only."},
            "disabled": {"type": "boolean", "description": "Admins only; ends the user's tokens at once."},
            "username": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{3,32}$"},
            "password": {"type": "string", "minLength": 8, "maxLength": 128},
            "current_password": {"type": "string", "description": "Required to change your own password."}}})json");
    router.addSchema(QStringLiteral("UserPage"), R"json({
        "type": "object", "required": ["items", "total", "limit", "skip"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
                       "total": {"type": "integer"}, "limit": {"type": "integer"},
                       "skip": {"type": "integer"}}})json");

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/users"),
        .access = Access::Optional,
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("Register a user"),
        .openapi = R"json({
            "description": "Open to anyone unless OUTPOST_REGISTRATION=closed (then admins only). While the server has no admin, a registration made directly from the server's own machine (loopback, not through a proxy) or carrying the one-time X-Setup-Token that `serve` printed becomes the admin; any other makes a plain user.",
            "parameters": [{"name": "X-Setup-Token", "in": "header", "required": false, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserCreate"}}}},
            "responses": {
                "201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                "400": {"description": "Malformed JSON"},
                "403": {"description": "Registration is closed"},
                "409": {"description": "A user with this email exists"},
                "422": {"description": "Invalid fields"}}})json",
        .handler =
            [&users, &context](Request &request) {
                auto body = jsonBody(request);
                if (!body)
                    return problem(body.error(), request);
                auto create = UserCreate::fromJson(*body);
                if (!create)
                    return problem(create.error(), request);
                const Caller caller = callerOf(request);
                const QString instance = request.path();
                return runOffThread(
                    *context.slowPool, request, [&users, caller, instance, create = *create] {
                        auto user = users.registerUser(create, caller);
                        if (!user)
                            return Problem::fromError(user.error(), instance);
                        return created(
                            user->toJson(), QStringLiteral("/v1/users/%1").arg(user->id));
                    });
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/users/me"),
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("The signed-in user"),
        .openapi =
            R"json({"responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/User"}}}}}})json",
        .handler =
            [&users](Request &request) {
                return respond(users.get(request.principal()->userId), request);
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/users/{id}"),
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("A user"),
        .openapi = R"json({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/User"}}}},
                "404": {"description": "No such user"}, "422": {"description": "Bad id"}}})json",
        .handler =
            [&users](Request &request) {
                auto id = idParam(request);
                return id ? respond(users.get(*id), request) : problem(id.error(), request);
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/users"),
        .access = Access::Admin,
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("List users"),
        .openapi = R"json({
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
                {"name": "skip", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                {"name": "search", "in": "query", "description": "Part of an email or username", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/UserPage"}}}},
                "422": {"description": "limit or skip out of range"}}})json",
        .handler =
            [&users](Request &request) {
                auto page = pageOf(request);
                if (!page)
                    return problem(page.error(), request);
                return respond(
                    users.list(*page, request.queryItem(QStringLiteral("search")).trimmed()),
                    request);
            },
    });

    router.add({
        .method = "PATCH",
        .path = QStringLiteral("/v1/users/{id}"),
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("Change a user"),
        .openapi = R"json({
            "description": "Admins may change role, disabled, username and password of anyone. Users may change their own username, and their own password with current_password. Changing a password or disabling a user ends that user's sessions. The last enabled admin cannot be demoted or disabled (409).",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserUpdate"}}}},
            "responses": {"200": {"description": "Changed", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/User"}}}},
                "400": {"description": "Malformed JSON"}, "403": {"description": "Not allowed"},
                "404": {"description": "No such user"}, "409": {"description": "Last admin"},
                "422": {"description": "Invalid fields"}}})json",
        .handler =
            [&users, &context](Request &request) {
                auto id = idParam(request);
                if (!id)
                    return problem(id.error(), request);
                auto body = jsonBody(request);
                if (!body)
                    return problem(body.error(), request);
                auto update = UserUpdate::fromJson(*body);
                if (!update)
                    return problem(update.error(), request);
                const Caller caller = callerOf(request);
                const QString instance = request.path();
                auto work = [&users, caller, instance, id = *id, update = *update] {
                    auto user = users.update(id, update, caller);
                    return user ? ok(user->toJson()) : Problem::fromError(user.error(), instance);
                };
                // Only password changes hash; everything else stays on this thread.
                if (update->password || update->currentPassword)
                    return runOffThread(*context.slowPool, request, std::move(work));
                return work();
            },
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/users/{id}"),
        .access = Access::Admin,
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("Delete a user"),
        .openapi = R"json({
            "description": "Also deletes the user's posts, votes and sessions. The last enabled admin cannot be deleted (409).",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"204": {"description": "Deleted"}, "404": {"description": "No such user"},
                          "409": {"description": "Last admin"}}})json",
        .handler =
            [&users](Request &request) {
                auto id = idParam(request);
                if (!id)
                    return problem(id.error(), request);
                return respondNoContent(users.remove(*id, callerOf(request)), request);
            },
    });
}

} // namespace Outpost::Server
