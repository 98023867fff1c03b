#pragma once

#include "models/user.h"
#include "reply.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

namespace Outpost::Client {

class ApiClient;

// One single sign-on provider as GET /v1/auth/providers lists it.
struct AuthProvider
{
    QString name;
    QString displayName;
    QString loginUrl;           // relative to the server; add ?redirect_uri=...
    QString endSessionEndpoint; // the provider's logout page; empty when it has none
};

// How a server lets people sign in: its providers, and whether passwords work
// ("on", "off" or "admins-only").
struct AuthProviders
{
    QList<AuthProvider> providers;
    QString passwordLogin = QStringLiteral("on");

    bool passwordsOff() const { return passwordLogin == QLatin1String("off"); }
    bool passwordsForAdminsOnly() const { return passwordLogin == QLatin1String("admins-only"); }
    static Result<AuthProviders> fromJson(const QJsonObject &json);
};

// Signing in and out (POST /v1/login, /v1/logout). The client keeps the tokens itself.
class AuthResource
{
public:
    explicit AuthResource(ApiClient *client)
        : m_client(client)
    { }

    // On success the client holds the token pair (and emits tokensChanged()).
    Reply<TokenPair> login(const QString &email, const QString &password) const;
    // Revokes the refresh token; the client forgets both tokens whatever the answer.
    Reply<void> logout() const;

    // GET /v1/auth/providers (public): the sign-in methods, for the sign-in screen.
    Reply<AuthProviders> providers() const;
    // Where a browser starts single sign-on with `provider`, to come back to `redirectUri`
    // (a loopback URL for this app, RFC 8252).
    QUrl ssoLoginUrl(const AuthProvider &provider, const QUrl &redirectUri) const;
    // Finishes it with the query the provider sent back to the redirect URI (code, state, iss
    // or error; percent-encoded as it came): GET /v1/auth/oidc/{provider}/callback. On success
    // the client holds the token pair, as after login().
    Reply<TokenPair> finishSso(const AuthProvider &provider, const QString &returnedQuery) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
