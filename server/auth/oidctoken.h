#pragma once

#include "core/result.h"
#include "jwk.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>

namespace Outpost::Server {

// A compact JWS whose signature has been checked against a provider's key set.
struct VerifiedJws
{
    QJsonObject header;
    QJsonObject claims;
    JwsAlgorithm algorithm = JwsAlgorithm::RS256;
    QString keyId;
};

// Checks a provider-signed compact JWS (ID token or access token). Refused, Unauthorized:
// anything but three canonical base64url parts; "alg" other than RS256, PS256 or ES256
// (so "none" and HS256 with the public key as secret); a missing "kid" or one not in `keys`
// (then *unknownKeyId is set, so the caller may refresh its key set and try once more); "crit";
// a key that does not fit the algorithm; a bad signature. Claims are not looked at here.
Result<VerifiedJws> verifyProviderJws(
    const QByteArray &token, const JsonWebKeySet &keys, bool *unknownKeyId = nullptr);

// The "kid" of a compact JWS header without verifying anything (empty if none): to tell a
// provider's token from Outpost's own HS256 tokens, and to decide whether to refresh keys.
QString peekKeyId(const QByteArray &token);

// What the claims of a provider's token must say (OpenID Connect Core 3.1.3.7, RFC 9068).
struct OidcClaimRules
{
    QString issuer;          // "iss", compared exactly
    QString audience;        // must be "aud" or one of its entries
    QString authorizedParty; // non-empty: "azp", when present, must equal it, and a token for
                             // several audiences must have one (ID tokens: the client id)
    QString nonce;           // non-empty: "nonce" must equal it (ID tokens)
    qint64 now = 0;          // seconds since the epoch
    // Clock skew allowed between the provider and this server, for exp, nbf and iat.
    int leewaySeconds = kDefaultLeewaySeconds;
    static constexpr int kDefaultLeewaySeconds = 60;
};

// Unauthorized with a short detail naming the claim that failed; "sub" must be a non-empty
// string and "exp" a number.
Status checkOidcClaims(const QJsonObject &claims, const OidcClaimRules &rules);

// Nonces already used with the expiry of their token: one ID token (or a copy of it) signs in
// once per process, whatever state it comes with. Thread-safe. The flow state that carries the
// nonce is single use in the database as well, which covers other replicas.
class NonceLedger
{
public:
    // False if `nonce` was consumed before and its token has not expired; records it otherwise.
    bool consume(const QString &nonce, qint64 expiresAt, qint64 now);

private:
    QMutex m_mutex;
    QHash<QString, qint64> m_used;
};

} // namespace Outpost::Server
