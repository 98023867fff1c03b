#include "oidcprovider.h"

#include "outgoinghttp.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QUrl>

#include <future>

Q_LOGGING_CATEGORY(lcOidc, "outpost.auth.oidc", QtInfoMsg)

namespace Outpost::Server {

namespace {

constexpr int kTimeoutMs = 10'000;
constexpr qint64 kMaxDocumentBytes = 512LL * 1024;
constexpr int kMinKeyLifetimeSeconds = 300;
constexpr int kMaxKeyLifetimeSeconds = 86400;

Error unreachable(const QString &provider, const QString &why)
{
    qCWarning(lcOidc).noquote() << "OpenID provider" << provider << ":" << why;
    return Error::unavailable(
        QStringLiteral("the sign-in provider %1 cannot be reached; try again later").arg(provider));
}

// https, or http on a loopback host: the same rule as the issuer (config.cpp).
bool isAcceptableEndpoint(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return false;
    if (url.scheme() == u"https")
        return true;
    if (url.scheme() != u"http")
        return false;
    const QHostAddress address(url.host());
    return url.host().compare(u"localhost", Qt::CaseInsensitive) == 0
        || (!address.isNull() && address.isLoopback());
}

int maxAgeOf(const QByteArray &cacheControl)
{
    static const QRegularExpression maxAge(QStringLiteral("max-age=(\\d+)"));
    const auto match = maxAge.match(QString::fromLatin1(cacheControl));
    if (!match.hasMatch())
        return -1;
    return match.captured(1).toInt();
}

// One request on a thread of its own, with its own event loop and network manager.
Result<QJsonObject> request(
    const QString &url, const QByteArray *form, const QByteArray &authorization, int *maxAgeSeconds)
{
    auto work = [&]() -> Result<QJsonObject> {
        QNetworkAccessManager network;
        QNetworkRequest request {QUrl(url)};
        request.setTransferTimeout(kTimeoutMs);
        request.setAttribute(
            QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setRawHeader("Accept", "application/json");
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        if (form) {
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                QByteArrayLiteral("application/x-www-form-urlencoded"));
        }
        QNetworkReply *reply = startOutgoing(network, request, form);
        QByteArray body;
        const bool tooLarge = readBoundedReply(reply, kMaxDocumentBytes, body);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (maxAgeSeconds)
            *maxAgeSeconds = maxAgeOf(reply->rawHeader("Cache-Control"));
        const QString error = reply->errorString();
        delete reply;
        if (tooLarge)
            return fail(Error::unavailable(QStringLiteral("answer larger than 512 KiB")));
        QJsonParseError parseError {};
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (status == 0)
            return fail(Error::unavailable(error));
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            return fail(
                Error::unavailable(QStringLiteral("HTTP %1, not a JSON object").arg(status)));
        }
        if (status != 200) {
            // The token endpoint's errors (RFC 6749 5.2) are worth passing on.
            Error failed = Error::unavailable(QStringLiteral("HTTP %1").arg(status));
            failed.detail = document.object().value(QStringLiteral("error")).toString();
            failed.code =
                status >= 400 && status < 500 ? ErrorCode::Unauthorized : ErrorCode::Unavailable;
            return fail(failed);
        }
        return document.object();
    };
    // A thread of its own: never a nested event loop on the caller's thread.
    return std::async(std::launch::async, work).get();
}

} // namespace

OidcProvider::OidcProvider(
    OidcProviderSettings settings, Fetch fetch, PostForm post, FetchAuthorized fetchAuthorized)
    : m_settings(std::move(settings))
    , m_fetch(std::move(fetch))
    , m_post(std::move(post))
    , m_fetchAuthorized(std::move(fetchAuthorized))
{
    if (!m_fetch) {
        m_fetch = [](const QString &url, int *maxAge) { return request(url, nullptr, {}, maxAge); };
    }
    if (!m_post) {
        m_post = [](const QString &url, const QByteArray &form, const QByteArray &authorization) {
            return request(url, &form, authorization, nullptr);
        };
    }
    if (!m_fetchAuthorized) {
        m_fetchAuthorized = [](const QString &url, const QByteArray &authorization) {
            return request(url, nullptr, authorization, nullptr);
        };
    }
}

QString OidcProvider::displayName() const
{
    return m_settings.displayName.isEmpty() ? m_settings.name : m_settings.displayName;
}

Status OidcProvider::discover()
{
    {
        const QMutexLocker lock(&m_mutex);
        if (m_discovered)
            return {};
    }
    QString issuer = m_settings.issuer;
    while (issuer.endsWith(QLatin1Char('/')))
        issuer.chop(1);
    auto document = m_fetch(issuer + QStringLiteral("/.well-known/openid-configuration"), nullptr);
    if (!document) {
        return fail(
            unreachable(m_settings.name, QStringLiteral("discovery: ") + document.error().detail));
    }
    // OpenID Connect Discovery 4.3: the document's issuer is exactly the configured one.
    if (document->value(QStringLiteral("issuer")).toString() != m_settings.issuer) {
        return fail(unreachable(m_settings.name,
            QStringLiteral("discovery names issuer \"%1\", not the configured \"%2\"")
                .arg(document->value(QStringLiteral("issuer")).toString(), m_settings.issuer)));
    }
    const QString authorization =
        document->value(QStringLiteral("authorization_endpoint")).toString();
    const QString token = document->value(QStringLiteral("token_endpoint")).toString();
    const QString jwks = document->value(QStringLiteral("jwks_uri")).toString();
    const QString endSession = document->value(QStringLiteral("end_session_endpoint")).toString();
    const QString userInfo = document->value(QStringLiteral("userinfo_endpoint")).toString();
    if (!isAcceptableEndpoint(authorization) || !isAcceptableEndpoint(token)
        || !isAcceptableEndpoint(jwks)
        || (!endSession.isEmpty() && !isAcceptableEndpoint(endSession))
        || (!userInfo.isEmpty() && !isAcceptableEndpoint(userInfo))) {
        return fail(unreachable(
            m_settings.name, QStringLiteral("discovery lacks an endpoint, or one is not https")));
    }
    {
        const QMutexLocker lock(&m_mutex);
        m_authorizationEndpoint = authorization;
        m_tokenEndpoint = token;
        m_jwksUri = jwks;
        m_endSessionEndpoint = endSession;
        m_userInfoEndpoint = userInfo;
        m_discovered = true;
    }
    return refreshKeys(QDateTime::currentSecsSinceEpoch());
}

QString OidcProvider::authorizationEndpoint() const
{
    const QMutexLocker lock(&m_mutex);
    return m_authorizationEndpoint;
}

QString OidcProvider::endSessionEndpoint() const
{
    const QMutexLocker lock(&m_mutex);
    return m_endSessionEndpoint;
}

QString OidcProvider::userInfoEndpoint() const
{
    const QMutexLocker lock(&m_mutex);
    return m_userInfoEndpoint;
}

QString OidcProvider::tokenEndpoint() const
{
    const QMutexLocker lock(&m_mutex);
    return m_tokenEndpoint;
}

Result<QJsonObject> OidcProvider::userInfo(const QString &accessToken)
{
    if (auto discovered = discover(); !discovered)
        return fail(discovered.error());
    const QString endpoint = userInfoEndpoint();
    if (endpoint.isEmpty()) {
        return fail(Error::notFound(
            QStringLiteral("the sign-in provider %1 has no userinfo endpoint").arg(name())));
    }
    if (accessToken.isEmpty())
        return fail(Error::unauthorized(QStringLiteral("the provider sent no access token")));
    // The same bounds as every other call here: 10 s, 512 KiB, no redirects, JSON objects only.
    auto claims = m_fetchAuthorized(endpoint, "Bearer " + accessToken.toLatin1());
    if (!claims) {
        return fail(unreachable(
            m_settings.name, QStringLiteral("userinfo endpoint: ") + claims.error().detail));
    }
    return claims;
}

Status OidcProvider::refreshKeys(qint64 now)
{
    QString uri;
    {
        const QMutexLocker lock(&m_mutex);
        uri = m_jwksUri;
        m_keysFetchedAt = now; // also on failure: the rate limit holds either way
    }
    int maxAge = -1;
    auto document = m_fetch(uri, &maxAge);
    if (!document) {
        return fail(
            unreachable(m_settings.name, QStringLiteral("keys: ") + document.error().detail));
    }
    auto keys = JsonWebKeySet::fromJson(*document);
    if (!keys)
        return fail(unreachable(m_settings.name, QStringLiteral("keys: ") + keys.error().detail));
    const int lifetime = maxAge < 0
        ? kDefaultKeyLifetimeSeconds
        : std::clamp(maxAge, kMinKeyLifetimeSeconds, kMaxKeyLifetimeSeconds);
    const QMutexLocker lock(&m_mutex);
    m_keys = std::move(*keys);
    m_keysExpireAt = now + lifetime;
    qCInfo(lcOidc).noquote() << "OpenID provider" << m_settings.name << ":" << m_keys->size()
                             << "signing keys, kept" << lifetime << "s";
    return {};
}

Result<VerifiedJws> OidcProvider::verify(const QByteArray &token, qint64 now)
{
    if (auto discovered = discover(); !discovered)
        return fail(discovered.error());
    std::optional<JsonWebKeySet> keys;
    bool stale = false;
    bool mayRefresh = false;
    bool mayRefreshForKey = false;
    {
        const QMutexLocker lock(&m_mutex);
        keys = m_keys;
        stale = now >= m_keysExpireAt;
        mayRefresh = now - m_keysFetchedAt >= kKeyRefreshIntervalSeconds;
        mayRefreshForKey = now - m_unknownKeyFetchAt >= kKeyRefreshIntervalSeconds;
    }
    if ((stale || !keys) && mayRefresh) {
        // A failed refresh keeps the old keys: the provider may be down only briefly.
        if (refreshKeys(now)) {
            const QMutexLocker lock(&m_mutex);
            keys = m_keys;
        }
    }
    if (!keys)
        return fail(unreachable(m_settings.name, QStringLiteral("no signing keys")));
    bool unknownKey = false;
    auto verified = verifyProviderJws(token, *keys, &unknownKey);
    if (verified || !unknownKey || !mayRefreshForKey)
        return verified;
    // A new kid: the provider may have rotated its keys since we fetched them. At most one such
    // fetch every kKeyRefreshIntervalSeconds, whatever the tokens say.
    {
        const QMutexLocker lock(&m_mutex);
        if (now - m_unknownKeyFetchAt < kKeyRefreshIntervalSeconds)
            return verified; // another thread has just fetched
        m_unknownKeyFetchAt = now;
    }
    if (auto refreshed = refreshKeys(now); !refreshed)
        return verified;
    {
        const QMutexLocker lock(&m_mutex);
        keys = m_keys;
    }
    return verifyProviderJws(token, *keys);
}

Result<QJsonObject> OidcProvider::exchangeCode(
    const QString &code, const QString &redirectUri, const QString &codeVerifier)
{
    if (auto discovered = discover(); !discovered)
        return fail(discovered.error());
    QString endpoint;
    {
        const QMutexLocker lock(&m_mutex);
        endpoint = m_tokenEndpoint;
    }
    const auto encode = [](const QString &text) { return QUrl::toPercentEncoding(text); };
    QByteArray form = "grant_type=authorization_code&code=" + encode(code)
        + "&redirect_uri=" + encode(redirectUri) + "&code_verifier=" + encode(codeVerifier);
    QByteArray authorization;
    if (m_settings.clientSecret.isEmpty()) {
        form += "&client_id=" + encode(m_settings.clientId);
    } else {
        // client_secret_basic (RFC 6749 2.3.1): both parts form-encoded, then base64.
        const QByteArray credentials = encode(m_settings.clientId) + ':'
            + QUrl::toPercentEncoding(QString::fromUtf8(m_settings.clientSecret));
        authorization = "Basic " + credentials.toBase64();
    }
    auto answer = m_post(endpoint, form, authorization);
    if (!answer) {
        if (answer.error().code == ErrorCode::Unauthorized) {
            return fail(
                Error::unauthorized(QStringLiteral("the provider refused the sign-in code (%1)")
                                        .arg(answer.error().detail)));
        }
        return fail(unreachable(
            m_settings.name, QStringLiteral("token endpoint: ") + answer.error().detail));
    }
    return answer;
}

} // namespace Outpost::Server
