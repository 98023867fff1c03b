#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace Outpost::Server {

// A JWT NumericDate (RFC 7519 section 2): a JSON number of seconds since the epoch, here
// between 0 and the end of the year 9999, so that it converts to qint64 without overflow.
bool isNumericDate(const QJsonValue &value);

// HS256 JSON Web Tokens (RFC 7519) with OpenSSL's HMAC. Verification is strict: the header
// must say alg HS256 (alg "none", other algorithms and a missing alg are refused), the
// signature is compared in constant time, exp and iat are checked with a small leeway, and
// iss must match. Errors are Unauthorized with a short, non-revealing detail.
class JwtCodec
{
public:
    JwtCodec(QByteArray secret, QString issuer, int leewaySeconds = 30);

    // header {"alg":"HS256","typ":"JWT"} + claims, base64url without padding.
    QByteArray sign(const QJsonObject &claims) const;
    // Verifies and returns the claims. `now` in seconds since the epoch.
    Result<QJsonObject> verify(const QByteArray &token, qint64 now) const;

    // The signature over "<b64 header>.<b64 payload>" exactly as given (RFC test vectors).
    QByteArray signingInput(const QByteArray &headerB64, const QByteArray &payloadB64) const;
    QByteArray signature(const QByteArray &signingInput) const; // base64url, no padding
    // How long after its exp a token is still accepted (clock skew between replicas).
    int leewaySeconds() const { return m_leeway; }

private:
    QByteArray m_secret;
    QString m_issuer;
    int m_leeway;
};

} // namespace Outpost::Server
