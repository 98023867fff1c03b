#include "authapi.h"

#include "apihelpers.h"
#include "credentials.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "services/authservice.h"
#include "services/servercontext.h"

namespace Outpost::Server {

using namespace Api;

namespace {

// {"refresh_token": "..."}
struct RefreshToken
{
    QByteArray value;

    static Result<RefreshToken> fromJson(const QJsonObject &json)
    {
        const QJsonValue token = json.value(QStringLiteral("refresh_token"));
        if (!token.isString() || token.toString().isEmpty()) {
            return fail(
                Error::validation(QStringLiteral("refresh_token"), QStringLiteral("is required")));
        }
        return RefreshToken {token.toString().toLatin1()};
    }
};

// A new token pair is a secret: no cache may keep it.
Reply tokens(const Result<TokenPair> &pair)
{
    if (!pair)
        return fail(pair.error());
    return ok(pair->toJson())
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
}

} // namespace

// Handlers that take Credentials get them from the form or the JSON body.
template<> struct Api::From<Credentials>
{
    static Result<Credentials> take(const Request &request) { return credentialsOf(request); }
};

void AuthApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Sessions"),
        QStringLiteral("Sign in with email and password for an access token and a rotating refresh "
                       "token; sign out."));
    AuthService &auth = *context.auth;

    router.addSchema(QStringLiteral("TokenPair"), R"json({
        "type": "object", "required": ["access_token", "token_type", "expires_in", "refresh_token"],
        "properties": {"access_token": {"type": "string", "description": "HS256 JWT"},
                       "token_type": {"const": "bearer"},
                       "expires_in": {"type": "integer", "description": "Seconds"},
                       "refresh_token": {"type": "string", "description": "Opaque; rotates on every use"}}})json");
    router.addSchema(QStringLiteral("RefreshRequest"), R"json({
        "type": "object", "required": ["refresh_token"],
        "properties": {"refresh_token": {"type": "string"}}})json");

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/login"),
        .access = Access::Public,
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("Sign in"),
        .openapi = R"json({"operationId": "login",
            "description": "OAuth2 password grant form (username = email) or JSON. A wrong email and a wrong password give the same 401. Failed sign-ins are limited per account and per client address: 429 with Retry-After.",
            "requestBody": {"required": true, "content": {
                "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                                   "grant_type": {"type": "string"}}}},
                "application/json": {"schema": {"type": "object", "required": ["email", "password"],
                    "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}}}},
            "responses": {
                "200": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenPair"}}}},
                "401": {"description": "Incorrect email or password"},
                "422": {"description": "Missing fields or unsupported content type"},
                "429": {"description": "Too many failed sign-ins", "headers": {"Retry-After": {"schema": {"type": "integer"}}}}}})json",
        .handler = handle([&auth, &context](Request &request, const Credentials &credentials) {
            return offThread(*context.slowPool, request,
                [&auth, address = request.peer().toString(), credentials] {
                    return tokens(auth.login(credentials.email, credentials.password, address));
                });
        }),
        .expensive = true,
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/token/refresh"),
        .access = Access::Public,
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("Rotate a refresh token"),
        .openapi = R"json({"operationId": "refreshToken",
            "description": "Returns a new token pair; the presented refresh token stops working. Presenting an already rotated token again revokes the whole session (theft detection).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RefreshRequest"}}}},
            "responses": {
                "200": {"description": "Rotated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenPair"}}}},
                "401": {"description": "Unknown, expired, revoked or reused refresh token"},
                "422": {"description": "refresh_token missing"}}})json",
        .handler = handle([&auth](Request &request, const RefreshToken &token) {
            return tokens(auth.refresh(token.value, request.peer().toString()));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/logout"),
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("Sign out"),
        .openapi = R"json({"operationId": "logout",
            "description": "Revokes the session the refresh token belongs to. The access token stays valid until it expires (at most OUTPOST_ACCESS_TOKEN_TTL).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RefreshRequest"}}}},
            "responses": {"204": {"description": "Signed out"}, "422": {"description": "Not a refresh token of yours"}}})json",
        .handler = handle([&auth](Request &request, const RefreshToken &token) {
            return noContent(
                auth.logout(token.value, *request.principal(), request.peer().toString()));
        }),
    });
}

} // namespace Outpost::Server
