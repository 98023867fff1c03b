#include "usersapi.h"

#include "apihelpers.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "services/servercontext.h"
#include "services/userservice.h"

namespace Outpost::Server {

using namespace Api;

void UsersApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Users"),
        QStringLiteral("Registration, the signed-in user, and user management for admins."));
    UserService &users = *context.users;

    router.addSchema(QStringLiteral("User"), R"json({
        "type": "object", "required": ["id", "email", "username", "role", "disabled", "created_at"],
        "properties": {
            "id": {"type": "integer"}, "email": {"type": "string", "format": "email"},
            "username": {"type": ["string", "null"]}, "role": {"enum": ["admin", "user"]},
            "disabled": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"}}})json");
    router.addSchema(QStringLiteral("PublicUser"), R"json({
        "type": "object", "required": ["id", "username", "created_at"], "additionalProperties": false,
        "description": "Another user as a non-admin sees them: never their email or role.",
        "properties": {
            "id": {"type": "integer"}, "username": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"}}})json");
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
            "username": {"type": ["string", "null"], "pattern": "^[A-Za-z0-9_.-]{3,32}$", "description": "null removes it."},
            "password": {"type": "string", "minLength": 8, "maxLength": 128},
            "current_password": {"type": "string", "description": "Required to change your own password."}}})json");
    router.addSchema(QStringLiteral("UserPage"), OpenApi::pageSchema(QStringLiteral("User")));

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/users"),
        .access = Access::Optional,
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("Register a user"),
        .openapi = R"json({"operationId": "registerUser",
            "description": "Open to anyone unless OUTPOST_REGISTRATION=closed (then admins only). While the server has no admin, a registration made directly from the server's own machine (loopback, not through a proxy) or carrying the one-time X-Setup-Token that `serve` printed becomes the admin; any other makes a plain user. With OUTPOST_PASSWORD_LOGIN=off only admins register users (403 for anyone else, the first admin included: it comes from SSO or the command line); with admins-only, admins and the bootstrap of the first admin.",
            "parameters": [{"name": "X-Setup-Token", "in": "header", "required": false, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserCreate"}}}},
            "responses": {
                "201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                "400": {"description": "Malformed JSON"},
                "403": {"description": "Registration is closed, or password sign-in is off or for admins only"},
                "409": {"description": "A user with this email exists"},
                "422": {"description": "Invalid fields"}}})json",
        .handler = handle([&users, &context](Request &request, const UserCreate &create) {
            return offThread(*context.slowPool, request,
                [&users, caller = callerOf(request), create]() -> Reply {
                    auto user = users.registerUser(create, caller);
                    if (!user)
                        return fail(user.error());
                    return created(user->toJson(), QStringLiteral("/v1/users/%1").arg(user->id));
                });
        }),
        .expensive = true,
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/users/me"),
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("The signed-in user"),
        .openapi =
            R"json({"operationId": "getCurrentUser", "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/User"}}}}}})json",
        .handler = handle(
            [&users](Request &request) { return ok(users.get(request.principal()->userId)); }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/users/{id}"),
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("A user"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "getUser",
            "description": "Admins and the user themself get the whole user; anyone else gets the public part only (id, username, created_at).",
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"$ref": "#/components/schemas/PublicUser"}]}}}},
                "404": {"description": "No such user"}, "422": {"description": "Bad id"}}})json",
        .handler = handle([&users](Request &request, Id id) -> Reply {
            auto user = users.get(id.value);
            if (!user)
                return fail(user.error());
            const Principal &principal = *request.principal();
            if (principal.isAdmin() || principal.userId == user->id)
                return ok(user->toJson());
            return ok(user->toPublicJson());
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/users"),
        .access = Access::Admin,
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("List users"),
        .parameters = OpenApi::pageParameters(),
        .openapi = R"json({"operationId": "listUsers",
            "parameters": [{"name": "search", "in": "query", "description": "Part of an email or username", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/UserPage"}}}},
                "422": {"description": "limit or skip out of range"}}})json",
        .handler = handle([&users](Request &request, const PageRequest &page) {
            return ok(users.list(page, request.queryItem(QStringLiteral("search")).trimmed()));
        }),
    });

    router.add({
        .method = "PATCH",
        .path = QStringLiteral("/v1/users/{id}"),
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("Change a user"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "updateUser",
            "description": "Admins may change role, disabled, username and password of anyone. Users may change their own username, and their own password with current_password. Changing a password or disabling a user ends that user's sessions. The last enabled admin cannot be demoted or disabled (409).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserUpdate"}}}},
            "responses": {"200": {"description": "Changed", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/User"}}}},
                "400": {"description": "Malformed JSON"}, "403": {"description": "Not allowed"},
                "404": {"description": "No such user"}, "409": {"description": "Last admin"},
                "422": {"description": "Invalid fields"}}})json",
        .handler = handle([&users, &context](Request &request, Id id, const UserUpdate &update) {
            auto work = [&users, caller = callerOf(request), id, update]() -> Reply {
                return ok(users.update(id.value, update, caller));
            };
            // Only password changes hash; everything else stays on this thread.
            if (update.password || update.currentPassword)
                return offThread(*context.slowPool, request, std::move(work));
            return answer(work(), request.path());
        }),
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/users/{id}"),
        .access = Access::Admin,
        .tag = QStringLiteral("Users"),
        .summary = QStringLiteral("Delete a user"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "deleteUser",
            "description": "Also deletes the user's posts, votes and sessions. The last enabled admin cannot be deleted (409).",
            "responses": {"204": {"description": "Deleted"}, "404": {"description": "No such user"},
                          "409": {"description": "Last admin"}}})json",
        .handler = handle([&users](Request &request, Id id) {
            return noContent(users.remove(id.value, callerOf(request)));
        }),
    });
}

} // namespace Outpost::Server
