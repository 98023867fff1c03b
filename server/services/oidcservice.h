#pragma once

#include "auth/oidctoken.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/result.h"
#include "models/user.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

namespace Outpost::Server {

class AuditService;
class AuthService;
class Database;
class OidcProvider;

// What GET /v1/auth/providers says of a provider.
struct OidcProviderInfo
{
    QString name;
    QString displayName;
    QString loginUrl;           // "/v1/auth/oidc/{name}/login", relative to the server
    QString endSessionEndpoint; // the provider's RP-initiated logout, empty if it has none
};

// What a finished sign-in gives the client: Outpost's own token pair, and for RP-initiated
// logout the provider's ID token and, when the provider has an end_session_endpoint, that
// endpoint with id_token_hint and client_id already in it. The client keeps them (nothing of the
// provider's session is kept here, so a restart or a second server loses nothing) and opens the
// URL after POST /v1/logout to end the provider's session too.
struct OidcSignIn
{
    TokenPair tokens;
    QString idToken;
    QString endSessionUrl; // empty when the provider has no end_session_endpoint
};

// Single sign-on with OpenID Connect (issue 20): the authorization code flow with PKCE (S256),
// state and nonce, ending in Outpost's own token pair; and the providers' access tokens
// accepted as bearer tokens from machines. Users are found by (provider, sub) only.
class OidcService
{
public:
    // `publicUrl` (OUTPOST_PUBLIC_URL) makes the server's own callback an allowed redirect.
    OidcService(const Database &database, AuthService &auth, const AuditService &audit,
        const QList<OidcProviderSettings> &providers, QString publicUrl);
    ~OidcService();
    OidcService(const OidcService &) = delete;
    OidcService &operator=(const OidcService &) = delete;

    // Reads every provider's discovery document and keys; a provider that cannot be reached
    // is logged and tried again when it is first needed. Blocks: call before serving.
    void discoverAll();
    QList<OidcProviderInfo> providers() const;
    bool hasProviders() const { return !m_providers.empty(); }
    // Where a browser page (Swagger UI's Authorize) of this server needs to send requests for
    // a sign-in with the providers that accept machine tokens: the origins of their issuers
    // (discovery) and token endpoints, for the page's Content-Security-Policy connect-src.
    QStringList browserOrigins() const;

    // Starts a sign-in with provider `name` and returns its authorization URL.
    // `requestedRedirect` must be the server's own callback (needs OUTPOST_PUBLIC_URL; the
    // default when empty) or a loopback URL http://127.0.0.1:PORT/... or http://[::1]:PORT/...
    // (RFC 8252 7.3).
    Result<QString> startLogin(const QString &name, const QString &requestedRedirect);
    // Finishes it: the state must be one startLogin made (once, within 10 minutes), the code is
    // exchanged, the ID token verified, and the user found, linked or created. Blocks on the
    // provider: call off the HTTP threads. `issuer` is the callback's "iss" parameter (RFC 9207,
    // against mix-up attacks): when the provider sends one, it must be the provider's.
    Result<OidcSignIn> finishLogin(const QString &name, const QString &state, const QString &code,
        const QString &issuer, const QString &clientAddress);

    // A provider's access token (a JWT with a kid) sent as a bearer token by a machine, for
    // providers with OUTPOST_OIDC_AUDIENCE: a user when its sub is linked to one, otherwise a
    // service account (an API-key-like principal) whose scopes are the token's "scope" claim
    // intersected with the scopes API keys may have.
    Result<Principal> authenticateMachine(const QByteArray &token) const;
    bool acceptsMachineTokens() const;

    // Drops flows nobody finished (housekeeping).
    Result<qint64> pruneFlows(const QDateTime &now);

    static constexpr int kFlowLifetimeSeconds = 600;

private:
    OidcProvider *find(const QString &name) const;
    static QString endSessionUrl(const OidcProvider &provider, const QByteArray &idToken);
    QString ownCallback(const QString &provider) const;
    bool redirectAllowed(const QString &provider, const QString &redirectUri) const;
    Result<User> signIn(
        OidcProvider &provider, const QJsonObject &claims, const QString &clientAddress);
    // Adds email, email_verified and the groups claim from the userinfo endpoint when the ID
    // token lacks them.
    Status withUserInfo(OidcProvider &provider, QJsonObject &claims, const QString &accessToken);

    const Database &m_database;
    AuthService &m_auth;
    const AuditService &m_audit;
    std::vector<std::unique_ptr<OidcProvider>> m_providers;
    QString m_publicUrl;
    mutable NonceLedger m_nonces;
};

} // namespace Outpost::Server
