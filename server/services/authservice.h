#pragma once

#include "auth/principal.h"
#include "config/config.h"
#include "core/result.h"
#include "models/user.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <functional>

namespace Outpost::Server {

class AuditService;
class Database;
class JwtCodec;
class LoginThrottle;
class PasswordHasher;

struct AuthSettings
{
    int accessTokenTtlSeconds = 15 * 60;
    int refreshTokenTtlDays = 30;
    PasswordLogin passwordLogin = PasswordLogin::On; // OUTPOST_PASSWORD_LOGIN
};

// Sign-in, token rotation and sign-out, and turning a bearer credential into a Principal.
// login() runs bcrypt: call it off the HTTP threads.
class AuthService
{
public:
    AuthService(const Database &database, const PasswordHasher &hasher, const JwtCodec &jwt,
        LoginThrottle &throttle, const AuditService &audit, AuthSettings settings);

    // Wrong email and wrong password give the same Unauthorized; an unknown email still
    // runs a bcrypt verification so both take the same time. RateLimited when throttled.
    // Forbidden when OUTPOST_PASSWORD_LOGIN is off, or admins-only and the (correctly signed
    // in) user is not an admin: the role is told only to someone who knows the password.
    Result<TokenPair> login(
        const QString &email, const QString &password, const QString &clientAddress);
    // Rotates: the presented token stops working. Presenting a rotated token again revokes
    // its whole family (a stolen token has been used) and is Unauthorized.
    Result<TokenPair> refresh(const QByteArray &refreshToken, const QString &clientAddress);
    // Revokes the session (token family) of a refresh token that belongs to `principal`.
    Status logout(
        const QByteArray &refreshToken, const Principal &principal, const QString &clientAddress);

    // A JWT access token or an "opk_" API key. Unauthorized for anything not currently valid:
    // bad signature, expired, disabled or deleted user, token version bumped, revoked key.
    Result<Principal> authenticate(const QByteArray &credential) const;
    // Bearer tokens that are not Outpost's own (another JOSE header than Outpost's HS256 one)
    // go here when set: OpenID providers' access tokens from machines. Outpost's own tokens
    // never reach it, so they cost nothing more.
    void setExternalTokens(std::function<Result<Principal>(const QByteArray &)> verifier)
    {
        m_externalTokens = std::move(verifier);
    }

    // Deletes refresh tokens no one can use any more, for the housekeeping thread: expired
    // ones, and revoked ones kept kRevokedTokenGraceSeconds past their revocation (until then
    // a client still hears "revoked" rather than "unknown"). Rotated tokens that have not
    // expired stay: presenting one again is how reuse is detected. Returns how many went.
    Result<qint64> pruneRefreshTokens(const QDateTime &now);
    static constexpr int kRevokedTokenGraceSeconds = 24 * 3600;

    // Tokens for a user who has just been verified (login, CLI tests).
    Result<TokenPair> issueTokens(const User &user, int tokenVersion,
        const QByteArray &familyId = {}, qint64 parentId = 0, qint64 *refreshTokenId = nullptr);

private:
    Result<Principal> authenticateApiKey(const QByteArray &key) const;

    const Database &m_database;
    const PasswordHasher &m_hasher;
    const JwtCodec &m_jwt;
    LoginThrottle &m_throttle;
    const AuditService &m_audit;
    AuthSettings m_settings;
    std::function<Result<Principal>(const QByteArray &)> m_externalTokens;
};

} // namespace Outpost::Server
