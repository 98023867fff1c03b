#include "jwk.h"

#include "crypto.h"

#include <QJsonArray>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <array>

namespace Outpost::Server {

namespace {

constexpr int kMinRsaBits = 2048;
constexpr qsizetype kP256CoordinateBytes = 32;

Error invalidKey(const QString &detail)
{
    return Error::validation(QStringLiteral("jwk"), detail);
}

template<typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using BigNum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSignature = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

// A base64url member of the JWK, decoded; empty when missing or not canonical base64url.
QByteArray member(const QJsonObject &jwk, const char *name)
{
    const QJsonValue value = jwk.value(QLatin1StringView(name));
    if (!value.isString())
        return {};
    bool ok = false;
    QByteArray bytes = Crypto::fromBase64Url(value.toString().toLatin1(), &ok);
    return ok ? bytes : QByteArray();
}

BigNum bigNum(const QByteArray &bytes)
{
    return BigNum(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()),
        static_cast<int>(bytes.size()), nullptr));
}

std::shared_ptr<EVP_PKEY> keyFromParams(const char *type, OSSL_PARAM_BLD *builder)
{
    const Params params(OSSL_PARAM_BLD_to_param(builder));
    const KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1
        || EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return {};
    return {key, EVP_PKEY_free};
}

std::shared_ptr<EVP_PKEY> rsaKey(const QJsonObject &jwk, QString *problem)
{
    const QByteArray n = member(jwk, "n");
    const QByteArray e = member(jwk, "e");
    if (n.isEmpty() || e.isEmpty()) {
        *problem = QStringLiteral("an RSA key needs n and e in base64url");
        return {};
    }
    const BigNum modulus = bigNum(n);
    const BigNum exponent = bigNum(e);
    if (!modulus || !exponent || BN_num_bits(modulus.get()) < kMinRsaBits) {
        *problem = QStringLiteral("RSA keys must have at least %1 bits").arg(kMinRsaBits);
        return {};
    }
    const ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1
        || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
        *problem = QStringLiteral("the RSA key cannot be read");
        return {};
    }
    auto key = keyFromParams("RSA", builder.get());
    if (!key)
        *problem = QStringLiteral("the RSA key cannot be read");
    return key;
}

std::shared_ptr<EVP_PKEY> p256Key(const QJsonObject &jwk, QString *problem)
{
    const QByteArray x = member(jwk, "x");
    const QByteArray y = member(jwk, "y");
    // RFC 7518 section 6.2.1.2: the full coordinate length, leading zeros included.
    if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
        *problem = QStringLiteral("a P-256 key needs x and y of 32 bytes each");
        return {};
    }
    // The uncompressed point 0x04 || x || y; OpenSSL refuses a point that is not on the curve.
    const QByteArray point = QByteArray(1, '\x04') + x + y;
    static std::array<char, 11> group {"prime256v1"};
    const ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!builder
        || OSSL_PARAM_BLD_push_utf8_string(
               builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0)
            != 1
        || OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
               point.constData(), static_cast<std::size_t>(point.size()))
            != 1) {
        *problem = QStringLiteral("the EC key cannot be read");
        return {};
    }
    auto key = keyFromParams("EC", builder.get());
    if (!key) {
        *problem = QStringLiteral("the EC key is not a point on P-256");
        return {};
    }
    // EVP_PKEY_fromdata does not check the point; a key off the curve must not be used.
    const KeyContext check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        *problem = QStringLiteral("the EC key is not a point on P-256");
        return {};
    }
    return key;
}

// r || s (32 bytes each) as the DER SEQUENCE that OpenSSL verifies.
QByteArray ecdsaDer(QByteArrayView raw)
{
    if (raw.size() != 2 * kP256CoordinateBytes)
        return {};
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.data());
    BIGNUM *r = BN_bin2bn(bytes, kP256CoordinateBytes, nullptr);
    BIGNUM *s = BN_bin2bn(bytes + kP256CoordinateBytes, kP256CoordinateBytes, nullptr);
    EcdsaSignature signature(ECDSA_SIG_new());
    if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    const int length = i2d_ECDSA_SIG(signature.get(), nullptr);
    if (length <= 0)
        return {};
    QByteArray der(length, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    if (i2d_ECDSA_SIG(signature.get(), &out) != length)
        return {};
    return der;
}

} // namespace

std::optional<JwsAlgorithm> jwsAlgorithmNamed(const QString &name)
{
    if (name == u"RS256")
        return JwsAlgorithm::RS256;
    if (name == u"PS256")
        return JwsAlgorithm::PS256;
    if (name == u"ES256")
        return JwsAlgorithm::ES256;
    return std::nullopt;
}

Result<JsonWebKey> JsonWebKey::fromJson(const QJsonObject &jwk)
{
    const QString type = jwk.value(QStringLiteral("kty")).toString();
    JsonWebKey key;
    key.m_keyId = jwk.value(QStringLiteral("kid")).toString();
    if (const QJsonValue use = jwk.value(QStringLiteral("use"));
        !use.isUndefined() && use.toString() != u"sig")
        return fail(invalidKey(QStringLiteral("not a signing key (use is not sig)")));
    if (const QJsonValue alg = jwk.value(QStringLiteral("alg")); !alg.isUndefined()) {
        key.m_algorithm = jwsAlgorithmNamed(alg.toString());
        if (!key.m_algorithm)
            return fail(invalidKey(QStringLiteral("its alg is not RS256, PS256 or ES256")));
    }
    QString problem;
    if (type == u"RSA") {
        key.m_rsa = true;
        key.m_key = rsaKey(jwk, &problem);
    } else if (type == u"EC") {
        if (jwk.value(QStringLiteral("crv")).toString() != u"P-256")
            return fail(invalidKey(QStringLiteral("only the EC curve P-256 is supported")));
        key.m_key = p256Key(jwk, &problem);
    } else {
        return fail(invalidKey(QStringLiteral("kty must be RSA or EC")));
    }
    if (!key.m_key)
        return fail(invalidKey(problem));
    if (key.m_algorithm && !key.allows(*key.m_algorithm))
        return fail(invalidKey(QStringLiteral("its alg does not fit its key type")));
    return key;
}

bool JsonWebKey::allows(JwsAlgorithm algorithm) const
{
    if (m_algorithm && *m_algorithm != algorithm)
        return false;
    return m_rsa ? algorithm != JwsAlgorithm::ES256 : algorithm == JwsAlgorithm::ES256;
}

bool JsonWebKey::verify(
    JwsAlgorithm algorithm, QByteArrayView signingInput, QByteArrayView signature) const
{
    if (!m_key || !allows(algorithm))
        return false;
    QByteArray der;
    QByteArrayView checked = signature;
    if (algorithm == JwsAlgorithm::ES256) {
        der = ecdsaDer(signature);
        if (der.isEmpty())
            return false;
        checked = der;
    }
    const DigestContext context(EVP_MD_CTX_new());
    EVP_PKEY_CTX *keyContext = nullptr;
    if (!context
        || EVP_DigestVerifyInit(context.get(), &keyContext, EVP_sha256(), nullptr, m_key.get())
            != 1)
        return false;
    if (algorithm == JwsAlgorithm::PS256) {
        // RFC 7518 section 3.5: MGF1 with SHA-256, salt as long as the hash.
        if (EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256()) != 1
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) != 1)
            return false;
    } else if (algorithm == JwsAlgorithm::RS256) {
        if (EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) != 1)
            return false;
    }
    return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char *>(checked.data()),
               static_cast<std::size_t>(checked.size()),
               reinterpret_cast<const unsigned char *>(signingInput.data()),
               static_cast<std::size_t>(signingInput.size()))
        == 1;
}

Result<JsonWebKeySet> JsonWebKeySet::fromJson(const QJsonObject &jwks)
{
    const QJsonValue keys = jwks.value(QStringLiteral("keys"));
    if (!keys.isArray())
        return fail(invalidKey(QStringLiteral("a JWK Set needs a keys array")));
    JsonWebKeySet set;
    const QJsonArray array = keys.toArray();
    for (const auto &value : array) {
        auto key = JsonWebKey::fromJson(value.toObject());
        if (key)
            set.m_keys.append(std::move(*key));
    }
    if (set.m_keys.isEmpty())
        return fail(invalidKey(QStringLiteral("the JWK Set has no RSA or P-256 signing key")));
    return set;
}

const JsonWebKey *JsonWebKeySet::find(const QString &keyId) const
{
    for (const JsonWebKey &key : m_keys) {
        if (key.keyId() == keyId)
            return &key;
    }
    return nullptr;
}

} // namespace Outpost::Server
