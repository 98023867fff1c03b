#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

using EVP_PKEY = struct evp_pkey_st;

namespace Outpost::Server {

// The JWS algorithms an OpenID provider's tokens may use here (RFC 7518 section 3). HMAC ("HS*")
// and "none" are deliberately absent: a provider's public key must never serve as an HMAC key.
enum class JwsAlgorithm { RS256, PS256, ES256 };

std::optional<JwsAlgorithm> jwsAlgorithmNamed(const QString &name);

// A public signing key from a JSON Web Key (RFC 7517): RSA (n, e; at least 2048 bits) or EC
// P-256 (x, y). Private members (d, p, q ...) are ignored; only verification is offered.
class JsonWebKey
{
public:
    static Result<JsonWebKey> fromJson(const QJsonObject &jwk);

    const QString &keyId() const { return m_keyId; }
    // Whether this key may check a signature made with `algorithm`: its type fits (RSA:
    // RS256/PS256, P-256: ES256) and, when the JWK names an "alg", it is that one.
    bool allows(JwsAlgorithm algorithm) const;
    // Verifies a JWS signature as it appears in the token (ES256: the 64 bytes r || s of
    // RFC 7518 section 3.4) over the signing input. False for any mismatch.
    bool verify(
        JwsAlgorithm algorithm, QByteArrayView signingInput, QByteArrayView signature) const;

private:
    std::shared_ptr<EVP_PKEY> m_key; // immutable after construction, shared between copies
    QString m_keyId;
    bool m_rsa = false;
    std::optional<JwsAlgorithm> m_algorithm;
};

// A JWK Set (RFC 7517 section 5). Keys for encryption, of other types or curves are skipped
// (a provider may publish them beside its signing keys); a set with no usable key is an error.
class JsonWebKeySet
{
public:
    static Result<JsonWebKeySet> fromJson(const QJsonObject &jwks);
    // The key with this "kid", or nullptr.
    const JsonWebKey *find(const QString &keyId) const;
    qsizetype size() const { return m_keys.size(); }

private:
    QList<JsonWebKey> m_keys;
};

} // namespace Outpost::Server
