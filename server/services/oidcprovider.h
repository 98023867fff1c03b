#pragma once

#include "auth/jwk.h"
#include "auth/oidctoken.h"
#include "config/config.h"
#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <functional>
#include <optional>

namespace Outpost::Server {

// One OpenID provider as this server sees it: its settings, its discovery document and its
// signing keys, fetched on first need (at start) and cached. The key set is fetched again when
// its cache lifetime (Cache-Control max-age, 5 min to 24 h, default 1 h) has passed, and when a
// token names a key it does not have (at most once every kKeyRefreshIntervalSeconds, so junk
// tokens cannot make the server hammer the provider). Thread-safe.
//
// Every network call runs on a thread of its own and is waited for, so callers on any thread
// (HTTP threads included) never spin a nested event loop.
class OidcProvider
{
public:
    // GET a URL and return its JSON object (status 200 only). Replaceable for tests.
    using Fetch = std::function<Result<QJsonObject>(const QString &url, int *maxAgeSeconds)>;
    // POST a form to the token endpoint and return its JSON object.
    using PostForm = std::function<Result<QJsonObject>(
        const QString &url, const QByteArray &form, const QByteArray &authorization)>;

    // GET a URL with an Authorization header and return its JSON object (the userinfo call).
    using FetchAuthorized =
        std::function<Result<QJsonObject>(const QString &url, const QByteArray &authorization)>;

    explicit OidcProvider(OidcProviderSettings settings, Fetch fetch = {}, PostForm post = {},
        FetchAuthorized fetchAuthorized = {});

    const OidcProviderSettings &settings() const { return m_settings; }
    const QString &name() const { return m_settings.name; }
    QString displayName() const;

    // Reads the discovery document and the key set if not done yet. Unavailable when the
    // provider cannot be reached or answers nonsense (an issuer that is not the configured one,
    // endpoints that are not https).
    Status discover();
    // Empty until discovered.
    QString authorizationEndpoint() const;
    QString endSessionEndpoint() const;
    QString userInfoEndpoint() const;
    QString tokenEndpoint() const;

    // Verifies a token's signature with the provider's keys (refreshing them as said above).
    Result<VerifiedJws> verify(const QByteArray &token, qint64 now);

    // Exchanges an authorization code (RFC 6749 4.1.3, PKCE RFC 7636) for the token response.
    Result<QJsonObject> exchangeCode(
        const QString &code, const QString &redirectUri, const QString &codeVerifier);

    // The claims of the userinfo endpoint (OpenID Connect Core 5.3) for an access token from
    // exchangeCode, for providers that keep email and groups out of the ID token. NotFound
    // when the provider has no userinfo_endpoint. The caller checks that its sub is the ID
    // token's (5.3.2).
    Result<QJsonObject> userInfo(const QString &accessToken);

    static constexpr int kKeyRefreshIntervalSeconds = 30;
    static constexpr int kDefaultKeyLifetimeSeconds = 3600;

private:
    Status refreshKeys(qint64 now);

    OidcProviderSettings m_settings;
    Fetch m_fetch;
    PostForm m_post;
    FetchAuthorized m_fetchAuthorized;
    mutable QMutex m_mutex; // guards everything below
    bool m_discovered = false;
    QString m_authorizationEndpoint;
    QString m_tokenEndpoint;
    QString m_jwksUri;
    QString m_endSessionEndpoint;
    QString m_userInfoEndpoint;
    std::optional<JsonWebKeySet> m_keys;
    qint64 m_keysFetchedAt = 0;     // any fetch, successful or not
    qint64 m_unknownKeyFetchAt = 0; // the last fetch for a kid we did not know
    qint64 m_keysExpireAt = 0;
};

} // namespace Outpost::Server
