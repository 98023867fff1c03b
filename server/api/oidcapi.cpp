#include "oidcapi.h"

#include "apihelpers.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "services/oidcservice.h"
#include "services/servercontext.h"

#include <QJsonArray>

namespace Outpost::Server {

using namespace Api;

namespace {

QString passwordLoginWord(PasswordLogin mode)
{
    switch (mode) {
    case PasswordLogin::Off:
        return QStringLiteral("off");
    case PasswordLogin::AdminsOnly:
        return QStringLiteral("admins-only");
    case PasswordLogin::On:
        break;
    }
    return QStringLiteral("on");
}

HttpResponse noStore(HttpResponse response)
{
    return std::move(
        response.withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")));
}

} // namespace

void OidcApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addSchema(QStringLiteral("AuthProviders"), R"json({
        "type": "object", "required": ["providers", "password_login"],
        "properties": {
            "providers": {"type": "array", "items": {"type": "object",
                "required": ["name", "display_name", "login_url"],
                "properties": {"name": {"type": "string"},
                               "display_name": {"type": "string"},
                               "login_url": {"type": "string", "description": "Relative to the server; add ?redirect_uri=..."},
                               "end_session_endpoint": {"type": "string", "description": "The provider's RP-initiated logout, when it has one: offer it after POST /v1/logout"}}}},
            "password_login": {"type": "string", "enum": ["on", "off", "admins-only"]}}})json");

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/auth/providers"),
        .access = Access::Public,
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("List sign-in methods"),
        .openapi = R"json({
            "operationId": "listAuthProviders",
            "security": [],
            "description": "The single sign-on providers this server offers and whether password sign-in is allowed, for sign-in screens.",
            "responses": {"200": {"description": "Sign-in methods", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuthProviders"}}}}}})json",
        .handler = handle([&context](Request &) -> Reply {
            QJsonArray providers;
            if (context.oidc) {
                const QList<OidcProviderInfo> list = context.oidc->providers();
                for (const OidcProviderInfo &info : list) {
                    QJsonObject entry {{QStringLiteral("name"), info.name},
                        {QStringLiteral("display_name"), info.displayName},
                        {QStringLiteral("login_url"), info.loginUrl}};
                    if (!info.endSessionEndpoint.isEmpty()) {
                        entry.insert(
                            QStringLiteral("end_session_endpoint"), info.endSessionEndpoint);
                    }
                    providers.append(entry);
                }
            }
            return ok(QJsonObject {{QStringLiteral("providers"), providers},
                {QStringLiteral("password_login"),
                    passwordLoginWord(context.config.passwordLogin)}});
        }),
    });

    if (!context.oidc)
        return;
    OidcService &oidc = *context.oidc;

    router.addSchema(QStringLiteral("OidcSignIn"), R"json({
        "allOf": [{"$ref": "#/components/schemas/TokenPair"}, {
            "type": "object", "required": ["id_token"],
            "properties": {
                "id_token": {"type": "string", "description": "The provider's ID token. Keep it with the refresh token: it is the id_token_hint of RP-initiated logout."},
                "end_session_url": {"type": "string", "format": "uri", "description": "When the provider has an end_session_endpoint: that endpoint with id_token_hint and client_id. Open it in the browser after POST /v1/logout to end the provider's session too (add post_logout_redirect_uri if the client registered one)."}}}]})json");

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/auth/oidc/{provider}/login"),
        .access = Access::Public,
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("Start single sign-on"),
        .openapi = R"json({
            "operationId": "startOidcLogin",
            "security": [],
            "description": "Starts the authorization code flow with PKCE (S256), state and nonce, and redirects to the provider. redirect_uri is where the provider sends the browser back with code and state: this server's own callback (the default; needs OUTPOST_PUBLIC_URL) or, for native apps, http://127.0.0.1:PORT/... or http://[::1]:PORT/... (RFC 8252), which then call the callback route themselves. The flow expires after 10 minutes.",
            "parameters": [
                {"name": "provider", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "redirect_uri", "in": "query", "required": false, "schema": {"type": "string", "format": "uri"}}],
            "responses": {
                "302": {"description": "To the provider's authorization endpoint", "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"type": "object", "properties": {"authorization_url": {"type": "string"}}}}}},
                "404": {"description": "No such provider", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "422": {"description": "redirect_uri not allowed", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "503": {"description": "The provider cannot be reached", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}})json",
        .handler = handle([&oidc, &context](Request &request) {
            return offThread(*context.slowPool, request,
                [&oidc, provider = request.pathParam(QStringLiteral("provider")),
                    redirect = request.queryItem(QStringLiteral("redirect_uri"))]() -> Reply {
                    auto url = oidc.startLogin(provider, redirect);
                    if (!url)
                        return fail(url.error());
                    return noStore(HttpResponse::json(302,
                        QJsonObject {{QStringLiteral("authorization_url"),
                            *url}}).withHeader(QByteArrayLiteral("Location"), url->toUtf8()));
                });
        }),
        .expensive = true,
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/auth/oidc/{provider}/callback"),
        .access = Access::Public,
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("Finish single sign-on"),
        .openapi = R"json({
            "operationId": "finishOidcLogin",
            "security": [],
            "description": "Exchanges the provider's code, verifies the ID token (signature, iss, aud, azp, exp, nonce) and answers Outpost's own token pair, as POST /v1/login does. Users are matched by the provider's sub; an existing account with the same e-mail is linked only when the provider says the address is verified. With OUTPOST_OIDC_ADMIN_GROUPS set, the groups claim sets the role at every sign-in. A state works once.",
            "parameters": [
                {"name": "provider", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "state", "in": "query", "required": true, "schema": {"type": "string"}},
                {"name": "code", "in": "query", "required": false, "schema": {"type": "string"}},
                {"name": "error", "in": "query", "required": false, "schema": {"type": "string"}},
                {"name": "error_description", "in": "query", "required": false, "schema": {"type": "string"}},
                {"name": "iss", "in": "query", "required": false, "description": "RFC 9207: when sent, must be the provider's issuer", "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OidcSignIn"}}}},
                "401": {"description": "Unknown, used or expired state; the provider refused; the ID token is not valid; the account is disabled", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "403": {"description": "No account and sign-up is off, or no usable e-mail", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "404": {"description": "No such provider", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "409": {"description": "An account with this e-mail exists and the provider has not verified the address", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "422": {"description": "state or code missing", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "503": {"description": "The provider cannot be reached", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}})json",
        .handler = handle([&oidc, &context](Request &request) -> HttpResponse {
            const QString error = request.queryItem(QStringLiteral("error"));
            if (!error.isNull()) {
                const QString description = request.queryItem(QStringLiteral("error_description"));
                return problem(
                    Error::unauthorized(QStringLiteral("the provider refused the "
                                                       "sign-in: %1%2")
                                            .arg(error.left(100),
                                                description.isEmpty() ? QString()
                                                                      : QStringLiteral(" (")
                                                        + description.left(200) + u')')),
                    request);
            }
            QList<FieldError> missing;
            const QString state = request.queryItem(QStringLiteral("state"));
            const QString code = request.queryItem(QStringLiteral("code"));
            if (state.isEmpty())
                missing.append({QStringLiteral("state"), QStringLiteral("is required")});
            if (code.isEmpty())
                missing.append({QStringLiteral("code"), QStringLiteral("is required")});
            if (!missing.isEmpty())
                return problem(Error::validation(missing), request);
            return offThread(*context.slowPool, request,
                [&oidc, provider = request.pathParam(QStringLiteral("provider")), state, code,
                    issuer = request.queryItem(QStringLiteral("iss")),
                    address = request.peer().toString()]() -> Reply {
                    auto signedIn = oidc.finishLogin(provider, state, code, issuer, address);
                    if (!signedIn)
                        return fail(signedIn.error());
                    QJsonObject body = signedIn->tokens.toJson();
                    body.insert(QStringLiteral("id_token"), signedIn->idToken);
                    if (!signedIn->endSessionUrl.isEmpty())
                        body.insert(QStringLiteral("end_session_url"), signedIn->endSessionUrl);
                    return noStore(ok(body));
                });
        }),
        .expensive = true,
    });
}

} // namespace Outpost::Server
