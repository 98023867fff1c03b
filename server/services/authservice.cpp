#include "authservice.h"

#include "auditservice.h"
#include "auth/crypto.h"
#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "db/apikeyrepository.h"
#include "db/database.h"
#include "db/refreshtokenrepository.h"
#include "db/transaction.h"
#include "db/userrepository.h"
#include "loginthrottle.h"

#include <QHash>
#include <QJsonObject>

namespace Outpost::Server {

namespace {

const QString kBadCredentials = QStringLiteral("incorrect email or password");

Error unauthorized(const QString &detail = QStringLiteral("invalid or expired credentials"))
{
    return Error::unauthorized(detail);
}

} // namespace

AuthService::AuthService(const Database &database, const PasswordHasher &hasher,
    const JwtCodec &jwt, LoginThrottle &throttle, const AuditService &audit, AuthSettings settings)
    : m_database(database)
    , m_hasher(hasher)
    , m_jwt(jwt)
    , m_throttle(throttle)
    , m_audit(audit)
    , m_settings(settings)
{ }

Result<TokenPair> AuthService::login(
    const QString &email, const QString &password, const QString &clientAddress)
{
    const QString normalized = UserRules::normalizedEmail(email);
    if (m_settings.passwordLogin == PasswordLogin::Off) {
        m_audit.recordAs(0, normalized, QStringLiteral("login.failed"), QStringLiteral("user"),
            QString(), clientAddress,
            {{QStringLiteral("reason"), QStringLiteral("password sign-in off")}});
        return fail(Error::forbidden(QStringLiteral(
            "password sign-in is turned off on this server; sign in with single sign-on")));
    }
    const QStringList keys {
        LoginThrottle::accountKey(normalized), LoginThrottle::addressKey(clientAddress)};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (const int wait = m_throttle.retryAfter(keys, now); wait > 0) {
        m_audit.recordAs(0, normalized, QStringLiteral("login.throttled"), QStringLiteral("user"),
            QString(), clientAddress);
        Error error {ErrorCode::RateLimited,
            QStringLiteral("too many failed sign-ins; try again in %1 s").arg(wait), {}};
        error.retryAfterSeconds = wait;
        return fail(error);
    }

    auto found = UserRepository(m_database).findByEmail(normalized);
    if (!found)
        return fail(found.error());
    const QByteArray passwordBytes = password.toUtf8();
    // Always one bcrypt verification, so that an unknown email costs what a wrong password does.
    const bool passwordOk =
        m_hasher.verify(passwordBytes, *found ? (*found)->passwordHash : m_hasher.dummyHash());
    if (!*found || !passwordOk || (*found)->user.disabled) {
        m_throttle.recordFailure(keys, now);
        m_audit.recordAs(*found ? (*found)->user.id : 0, normalized, QStringLiteral("login.failed"),
            QStringLiteral("user"), *found ? QString::number((*found)->user.id) : QString(),
            clientAddress,
            {{QStringLiteral("reason"),
                !*found           ? QStringLiteral("unknown email")
                    : !passwordOk ? QStringLiteral("wrong password")
                                  : QStringLiteral("disabled")}});
        return fail(unauthorized(kBadCredentials));
    }
    m_throttle.reset(keys.first());
    const StoredUser &stored = **found;
    if (m_settings.passwordLogin == PasswordLogin::AdminsOnly && !stored.user.isAdmin()) {
        m_audit.recordAs(stored.user.id, normalized, QStringLiteral("login.failed"),
            QStringLiteral("user"), QString::number(stored.user.id), clientAddress,
            {{QStringLiteral("reason"), QStringLiteral("password sign-in for admins only")}});
        return fail(Error::forbidden(QStringLiteral(
            "password sign-in is for admins only on this server; sign in with single sign-on")));
    }
    auto tokens = issueTokens(stored.user, stored.tokenVersion);
    if (tokens) {
        m_audit.recordAs(stored.user.id, stored.user.email, QStringLiteral("login.succeeded"),
            QStringLiteral("user"), QString::number(stored.user.id), clientAddress);
    }
    return tokens;
}

Result<TokenPair> AuthService::issueTokens(const User &user, int tokenVersion,
    const QByteArray &familyId, qint64 parentId, qint64 *refreshTokenId)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject claims {
        {QStringLiteral("sub"), QString::number(user.id)},
        {QStringLiteral("role"), user.role},
        {QStringLiteral("iat"), now},
        {QStringLiteral("exp"), now + m_settings.accessTokenTtlSeconds},
        {QStringLiteral("iss"), QStringLiteral("outpost")},
        {QStringLiteral("jti"), QString::fromLatin1(Crypto::randomBytes(16).toHex())},
        {QStringLiteral("ver"), tokenVersion},
    };
    const QByteArray refresh = Crypto::newOpaqueToken();
    const QByteArray family = familyId.isEmpty() ? Crypto::randomBytes(16).toHex() : familyId;
    auto id = RefreshTokenRepository(m_database)
                  .insert(user.id, Crypto::sha256Hex(refresh), family, parentId,
                      QDateTime::currentDateTimeUtc().addDays(m_settings.refreshTokenTtlDays));
    if (!id)
        return fail(id.error());
    if (refreshTokenId)
        *refreshTokenId = *id;
    TokenPair pair;
    pair.accessToken = QString::fromLatin1(m_jwt.sign(claims));
    pair.expiresIn = m_settings.accessTokenTtlSeconds;
    pair.refreshToken = QString::fromLatin1(refresh);
    return pair;
}

Result<TokenPair> AuthService::refresh(const QByteArray &refreshToken, const QString &clientAddress)
{
    RefreshTokenRepository tokens(m_database);
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return fail(begun.error());
    auto found = tokens.findByHash(Crypto::sha256Hex(refreshToken));
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(unauthorized(QStringLiteral("unknown refresh token")));
    const StoredRefreshToken token = **found;
    if (token.revokedAt.isValid())
        return fail(unauthorized(QStringLiteral("this refresh token has been revoked")));
    if (token.replacedBy != 0) {
        // A rotated token came back: someone holds a copy. End the whole session.
        tokens.revokeFamily(token.familyId);
        transaction.commit();
        m_audit.recordAs(token.userId, QString(), QStringLiteral("refresh.reuse_detected"),
            QStringLiteral("user"), QString::number(token.userId), clientAddress);
        return fail(unauthorized(QStringLiteral("this refresh token was already used; the "
                                                "session has been revoked")));
    }
    if (token.expiresAt < QDateTime::currentDateTimeUtc())
        return fail(unauthorized(QStringLiteral("this refresh token has expired")));
    auto user = UserRepository(m_database).findById(token.userId);
    if (!user)
        return fail(user.error());
    if (!*user || (*user)->user.disabled)
        return fail(unauthorized());

    qint64 nextId = 0;
    auto pair =
        issueTokens((*user)->user, (*user)->tokenVersion, token.familyId, token.id, &nextId);
    if (!pair)
        return pair;
    auto replaced = tokens.markReplaced(token.id, nextId);
    if (!replaced)
        return fail(replaced.error());
    if (!*replaced)
        return fail(unauthorized(QStringLiteral("this refresh token was already used")));
    if (auto committed = transaction.commit(); !committed)
        return fail(committed.error());
    return pair;
}

Result<qint64> AuthService::pruneRefreshTokens(const QDateTime &now)
{
    // Batched: each batch takes the write lock on its own (see deleteInBatches()).
    RefreshTokenRepository tokens(m_database);
    auto expired = tokens.deleteExpired(now);
    if (!expired)
        return fail(expired.error());
    auto revoked = tokens.deleteRevokedBefore(now.addSecs(-kRevokedTokenGraceSeconds));
    if (!revoked)
        return fail(revoked.error());
    return *expired + *revoked;
}

Status AuthService::logout(
    const QByteArray &refreshToken, const Principal &principal, const QString &clientAddress)
{
    RefreshTokenRepository tokens(m_database);
    auto found = tokens.findByHash(Crypto::sha256Hex(refreshToken));
    if (!found)
        return fail(found.error());
    // Someone else's or an unknown token: say nothing about whether it exists.
    if (!*found || (*found)->userId != principal.userId) {
        return fail(Error::validation(
            QStringLiteral("refresh_token"), QStringLiteral("is not a refresh token of yours")));
    }
    if (auto revoked = tokens.revokeFamily((*found)->familyId); !revoked)
        return revoked;
    m_audit.record(principal, QStringLiteral("logout"), QStringLiteral("user"),
        QString::number(principal.userId), clientAddress);
    return {};
}

namespace {

// What a verified access token says, remembered per HTTP thread: a client sends the same token
// with every request, and checking its signature and parsing its JSON again each time costs
// more than the rest of a small request. Only signature-checked tokens get here, and expiry is
// checked on every use.
struct VerifiedToken
{
    qint64 userId = 0;
    int version = -1;
    qint64 expiresAt = 0;
};

struct TokenCache
{
    static constexpr qsizetype kMaxEntries = 4096;
    const void *owner = nullptr;
    QHash<QByteArray, VerifiedToken> tokens;
};

} // namespace

Result<Principal> AuthService::authenticate(const QByteArray &credential) const
{
    if (credential.startsWith("opk_"))
        return authenticateApiKey(credential);
    thread_local TokenCache cache;
    if (cache.owner != this) {
        cache.tokens.clear();
        cache.owner = this;
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    VerifiedToken token;
    if (auto hit = cache.tokens.constFind(credential);
        hit != cache.tokens.cend() && now <= hit->expiresAt) {
        token = *hit;
    } else {
        // Outpost's own tokens all start with the same header; anything else may be an
        // OpenID provider's access token.
        static const QByteArray ownHeader =
            Crypto::base64Url(QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})")) + '.';
        if (m_externalTokens && !credential.startsWith(ownHeader))
            return m_externalTokens(credential);
        auto claims = m_jwt.verify(credential, now);
        if (!claims)
            return fail(claims.error());
        bool ok = false;
        token.userId = claims->value(QStringLiteral("sub")).toString().toLongLong(&ok);
        if (!ok || token.userId <= 0)
            return fail(unauthorized(QStringLiteral("invalid token")));
        token.version = claims->value(QStringLiteral("ver")).toInt(-1);
        token.expiresAt = qint64(claims->value(QStringLiteral("exp")).toDouble());
        if (cache.tokens.size() >= TokenCache::kMaxEntries)
            cache.tokens.clear();
        cache.tokens.insert(credential, token);
    }
    const qint64 userId = token.userId;
    // The user is read on every request: disabling them or changing their password (which
    // bumps token_version) ends their tokens at once, on every replica.
    auto session = UserRepository(m_database).findSession(userId);
    if (!session)
        return fail(session.error());
    if (!*session || (*session)->disabled || (*session)->tokenVersion != token.version)
        return fail(unauthorized(QStringLiteral("this token is no longer valid")));
    Principal principal;
    principal.userId = userId;
    principal.role = std::move((*session)->role); // the current role, not the one at sign-in
    principal.email = std::move((*session)->email);
    principal.validUntil = token.expiresAt + m_jwt.leewaySeconds();
    return principal;
}

Result<Principal> AuthService::authenticateApiKey(const QByteArray &key) const
{
    ApiKeyRepository keys(m_database);
    auto found = keys.findActiveByHash(Crypto::sha256Hex(key));
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(unauthorized(QStringLiteral("unknown or revoked API key")));
    const ApiKey &apiKey = **found;
    keys.touchLastUsed(apiKey.id, QDateTime::currentDateTimeUtc());
    Principal principal;
    principal.userId = apiKey.createdBy;
    principal.scopes = apiKey.scopes;
    principal.apiKeyId = apiKey.id;
    principal.apiKeyName = apiKey.name;
    return principal;
}

} // namespace Outpost::Server
