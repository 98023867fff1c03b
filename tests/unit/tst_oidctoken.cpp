#include "auth/crypto.h"
#include "auth/jwk.h"
#include "auth/oidctoken.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>

using namespace Outpost;
using namespace Outpost::Server;

namespace {

// The published examples, read from tests/fixtures/jose (see SOURCES.md there).
QJsonObject fixture(const QString &name)
{
    const QDir dir(qEnvironmentVariable("OUTPOST_SOURCE_DIR"));
    QFile file(dir.filePath(QStringLiteral("tests/fixtures/jose/") + name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(name));
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray b64(const QByteArray &bytes)
{
    return Crypto::base64Url(bytes);
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A key pair made for one test run, its public JWK, and signing in JWS form.
class TestKey
{
public:
    TestKey(const char *type, const QString &kid)
        : m_kid(kid)
    {
        EVP_PKEY *key = QByteArrayView(type) == "RSA"
            ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048))
            : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        if (!key)
            qFatal("key generation failed");
        m_key.reset(key);
        m_rsa = QByteArrayView(type) == "RSA";
    }

    QJsonObject jwk() const
    {
        QJsonObject jwk {{QStringLiteral("kid"), m_kid}};
        if (m_rsa) {
            jwk.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
            jwk.insert(
                QStringLiteral("n"), QString::fromLatin1(b64(number(OSSL_PKEY_PARAM_RSA_N))));
            jwk.insert(
                QStringLiteral("e"), QString::fromLatin1(b64(number(OSSL_PKEY_PARAM_RSA_E))));
        } else {
            jwk.insert(QStringLiteral("kty"), QStringLiteral("EC"));
            jwk.insert(QStringLiteral("crv"), QStringLiteral("P-256"));
            jwk.insert(QStringLiteral("x"),
                QString::fromLatin1(b64(number(OSSL_PKEY_PARAM_EC_PUB_X, 32))));
            jwk.insert(QStringLiteral("y"),
                QString::fromLatin1(b64(number(OSSL_PKEY_PARAM_EC_PUB_Y, 32))));
        }
        return jwk;
    }

    // A compact JWS of `claims` with `header` (alg and kid filled in unless given).
    QByteArray sign(const QString &alg, const QJsonObject &claims, QJsonObject header = {}) const
    {
        if (!header.contains(QStringLiteral("alg")))
            header.insert(QStringLiteral("alg"), alg);
        if (!header.contains(QStringLiteral("kid")))
            header.insert(QStringLiteral("kid"), m_kid);
        const QByteArray input = b64(json(header)) + '.' + b64(json(claims));
        return input + '.' + b64(signature(alg, input));
    }

    QByteArray signature(const QString &alg, const QByteArray &input) const
    {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
            EVP_MD_CTX_new(), EVP_MD_CTX_free);
        EVP_PKEY_CTX *keyContext = nullptr;
        if (EVP_DigestSignInit(context.get(), &keyContext, EVP_sha256(), nullptr, m_key.get()) != 1)
            qFatal("sign init failed");
        if (alg == u"PS256") {
            EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING);
            EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256());
            EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST);
        }
        size_t length = 0;
        const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
        EVP_DigestSign(context.get(), nullptr, &length, data, size_t(input.size()));
        QByteArray out(qsizetype(length), Qt::Uninitialized);
        if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(out.data()), &length,
                data, size_t(input.size()))
            != 1)
            qFatal("sign failed");
        out.resize(qsizetype(length));
        if (m_rsa)
            return out;
        // DER -> r || s, as JWS carries it.
        const auto *der = reinterpret_cast<const unsigned char *>(out.constData());
        ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &der, long(out.size()));
        QByteArray raw(64, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char *>(raw.data()), 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
        ECDSA_SIG_free(sig);
        return raw;
    }

private:
    QByteArray number(const char *name, int width = 0) const
    {
        BIGNUM *n = nullptr;
        if (EVP_PKEY_get_bn_param(m_key.get(), name, &n) != 1)
            qFatal("no parameter %s", name);
        QByteArray bytes(width ? width : BN_num_bytes(n), '\0');
        BN_bn2binpad(n, reinterpret_cast<unsigned char *>(bytes.data()), int(bytes.size()));
        BN_free(n);
        return bytes;
    }

    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> m_key {nullptr, EVP_PKEY_free};
    QString m_kid;
    bool m_rsa = false;
};

JsonWebKeySet keySet(const QList<QJsonObject> &jwks)
{
    QJsonArray keys;
    for (const QJsonObject &jwk : jwks)
        keys.append(jwk);
    auto set = JsonWebKeySet::fromJson({{QStringLiteral("keys"), keys}});
    if (!set)
        qFatal("bad key set: %s", qPrintable(set.error().detail));
    return *set;
}

constexpr qint64 kNow = 1'800'000'000;
const QString kIssuer = QStringLiteral("https://id.example.com");

QJsonObject idClaims()
{
    return {{QStringLiteral("iss"), kIssuer}, {QStringLiteral("sub"), QStringLiteral("u-1")},
        {QStringLiteral("aud"), QStringLiteral("outpost")}, {QStringLiteral("exp"), kNow + 300},
        {QStringLiteral("iat"), kNow}, {QStringLiteral("nonce"), QStringLiteral("n-1")}};
}

OidcClaimRules idRules()
{
    OidcClaimRules rules;
    rules.issuer = kIssuer;
    rules.audience = QStringLiteral("outpost");
    rules.authorizedParty = QStringLiteral("outpost");
    rules.nonce = QStringLiteral("n-1");
    rules.now = kNow;
    return rules;
}

QString refusal(const Result<VerifiedJws> &result)
{
    return result ? QStringLiteral("(accepted)") : result.error().detail;
}

QString refusal(const Status &status)
{
    return status ? QStringLiteral("(accepted)") : status.error().detail;
}

} // namespace

class TestOidcToken final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Published vectors
    void verifiesRfcExamples_data();
    void verifiesRfcExamples();
    void rfc7520ExampleVerifiesThroughAKeySet();
    // Algorithms
    void verifiesEachSupportedAlgorithm_data();
    void verifiesEachSupportedAlgorithm();
    void refusesRs256SignatureAsPs256();
    // Refusals of the JWS
    void refusesAlgNone();
    void refusesHs256KeyedWithThePublicKey();
    void refusesMissingKeyId();
    void refusesUnknownKeyIdAndSaysSo();
    void refusesCriticalHeader();
    void refusesAlgorithmThatDoesNotFitTheKey();
    void refusesTamperedPayload();
    void refusesEs256SignatureOfWrongLength();
    void refusesMalformedTokens_data();
    void refusesMalformedTokens();
    // Refusals of the claims
    void acceptsGoodIdTokenClaims();
    void refusesBadClaims_data();
    void refusesBadClaims();
    void leewayAcceptsSlightlyExpiredTokens();
    void nonceLedgerRefusesReuse();
    void peekKeyIdReadsOnlyTheHeader();
    // Keys
    void refusesWeakOrBrokenKeys_data();
    void refusesWeakOrBrokenKeys();
    void keySetSkipsKeysItCannotUse();
};

void TestOidcToken::verifiesRfcExamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("RFC 7515 A.2 RS256") << QStringLiteral("rfc7515-a2.json");
    QTest::newRow("RFC 7515 A.3 ES256") << QStringLiteral("rfc7515-a3.json");
    QTest::newRow("RFC 7520 4.1 RS256") << QStringLiteral("rfc7520-4.1.json");
}

void TestOidcToken::verifiesRfcExamples()
{
    QFETCH(QString, file);
    const QJsonObject example = fixture(file);
    const auto key = JsonWebKey::fromJson(example.value(QStringLiteral("jwk")).toObject());
    QVERIFY2(key, qPrintable(key ? QString() : key.error().detail));
    const auto algorithm = jwsAlgorithmNamed(example.value(QStringLiteral("alg")).toString());
    QVERIFY(algorithm);
    const QByteArray compact = example.value(QStringLiteral("compact")).toString().toLatin1();
    const qsizetype lastDot = compact.lastIndexOf('.');
    const QByteArray input = compact.left(lastDot);
    const QByteArray signature = Crypto::fromBase64Url(compact.mid(lastDot + 1));
    QVERIFY(key->verify(*algorithm, input, signature));

    // One bit changed anywhere, and it no longer verifies.
    QByteArray tampered = signature;
    tampered[5] = char(tampered[5] ^ 0x01);
    QVERIFY(!key->verify(*algorithm, input, tampered));
    QByteArray otherInput = input;
    otherInput[otherInput.size() - 1] = otherInput.back() == 'Q' ? 'R' : 'Q';
    QVERIFY(!key->verify(*algorithm, otherInput, signature));
}

void TestOidcToken::rfc7520ExampleVerifiesThroughAKeySet()
{
    const QJsonObject example = fixture(QStringLiteral("rfc7520-4.1.json"));
    const JsonWebKeySet keys = keySet({example.value(QStringLiteral("jwk")).toObject()});
    const auto jws =
        verifyProviderJws(example.value(QStringLiteral("compact")).toString().toLatin1(), keys);
    // The payload of RFC 7520 is text, not a JSON object: signature fine, claims refused.
    QCOMPARE(refusal(jws), QStringLiteral("invalid token"));
    bool unknown = true;
    const QByteArray compact = example.value(QStringLiteral("compact")).toString().toLatin1();
    QCOMPARE(peekKeyId(compact), QStringLiteral("bilbo.baggins@hobbiton.example"));
    // The key set finds the key by its kid; another set does not have it.
    QVERIFY(keys.find(QStringLiteral("bilbo.baggins@hobbiton.example")));
    TestKey other("RSA", QStringLiteral("other"));
    QCOMPARE(refusal(verifyProviderJws(compact, keySet({other.jwk()}), &unknown)),
        QStringLiteral("token signed with an unknown key"));
    QVERIFY(unknown);
}

void TestOidcToken::verifiesEachSupportedAlgorithm_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QByteArray>("type");
    QTest::newRow("RS256") << QStringLiteral("RS256") << QByteArray("RSA");
    QTest::newRow("PS256") << QStringLiteral("PS256") << QByteArray("RSA");
    QTest::newRow("ES256") << QStringLiteral("ES256") << QByteArray("EC");
}

void TestOidcToken::verifiesEachSupportedAlgorithm()
{
    QFETCH(QString, alg);
    QFETCH(QByteArray, type);
    const TestKey key(type.constData(), QStringLiteral("k1"));
    const auto jws = verifyProviderJws(key.sign(alg, idClaims()), keySet({key.jwk()}));
    QVERIFY2(jws, qPrintable(refusal(jws)));
    QCOMPARE(jws->keyId, QStringLiteral("k1"));
    QCOMPARE(jws->claims.value(QStringLiteral("sub")).toString(), QStringLiteral("u-1"));
    QVERIFY(checkOidcClaims(jws->claims, idRules()));
}

void TestOidcToken::refusesRs256SignatureAsPs256()
{
    const TestKey key("RSA", QStringLiteral("k1"));
    const QByteArray rs = key.sign(QStringLiteral("RS256"), idClaims());
    // The same signature under a header that says PS256.
    const QByteArray header = b64(json({{QStringLiteral("alg"), QStringLiteral("PS256")},
        {QStringLiteral("kid"), QStringLiteral("k1")}}));
    const QList<QByteArray> parts = rs.split('.');
    QCOMPARE(
        refusal(verifyProviderJws(header + '.' + parts[1] + '.' + parts[2], keySet({key.jwk()}))),
        QStringLiteral("token signature is not valid"));
}

void TestOidcToken::refusesAlgNone()
{
    const TestKey key("RSA", QStringLiteral("k1"));
    const QByteArray token = b64(json({{QStringLiteral("alg"), QStringLiteral("none")},
                                 {QStringLiteral("kid"), QStringLiteral("k1")}}))
        + '.' + b64(json(idClaims())) + '.';
    QCOMPARE(
        refusal(verifyProviderJws(token, keySet({key.jwk()}))), QStringLiteral("invalid token"));
    // Even with something in the signature part.
    QCOMPARE(refusal(verifyProviderJws(token + "AAAA", keySet({key.jwk()}))),
        QStringLiteral("token algorithm not accepted"));
}

void TestOidcToken::refusesHs256KeyedWithThePublicKey()
{
    // The classic confusion attack: HMAC keyed with what the verifier holds as a public key.
    const TestKey key("RSA", QStringLiteral("k1"));
    const QJsonObject jwk = key.jwk();
    const QByteArray input = b64(json({{QStringLiteral("alg"), QStringLiteral("HS256")},
                                 {QStringLiteral("kid"), QStringLiteral("k1")}}))
        + '.' + b64(json(idClaims()));
    for (const QByteArray &secret :
        {json(jwk), Crypto::fromBase64Url(jwk.value(QStringLiteral("n")).toString().toLatin1())}) {
        const QByteArray token = input + '.' + b64(Crypto::hmacSha256(secret, input));
        QCOMPARE(refusal(verifyProviderJws(token, keySet({jwk}))),
            QStringLiteral("token algorithm not accepted"));
    }
}

void TestOidcToken::refusesMissingKeyId()
{
    const TestKey key("RSA", QStringLiteral("k1"));
    const QByteArray token =
        key.sign(QStringLiteral("RS256"), idClaims(), {{QStringLiteral("kid"), QString()}});
    bool unknown = true;
    QCOMPARE(refusal(verifyProviderJws(token, keySet({key.jwk()}), &unknown)),
        QStringLiteral("token has no key id"));
    QVERIFY(!unknown);
}

void TestOidcToken::refusesUnknownKeyIdAndSaysSo()
{
    const TestKey known("RSA", QStringLiteral("old"));
    const TestKey rotated("RSA", QStringLiteral("new"));
    bool unknown = false;
    const QByteArray token = rotated.sign(QStringLiteral("RS256"), idClaims());
    QCOMPARE(refusal(verifyProviderJws(token, keySet({known.jwk()}), &unknown)),
        QStringLiteral("token signed with an unknown key"));
    QVERIFY(unknown);
    // After a refresh that brings the new key, the same token verifies.
    QVERIFY(verifyProviderJws(token, keySet({known.jwk(), rotated.jwk()}), &unknown));
    QVERIFY(!unknown);
}

void TestOidcToken::refusesCriticalHeader()
{
    const TestKey key("EC", QStringLiteral("k1"));
    const QByteArray token = key.sign(QStringLiteral("ES256"), idClaims(),
        {{QStringLiteral("crit"), QJsonArray {QStringLiteral("exp")}}});
    QCOMPARE(refusal(verifyProviderJws(token, keySet({key.jwk()}))),
        QStringLiteral("token demands an unsupported extension"));
}

void TestOidcToken::refusesAlgorithmThatDoesNotFitTheKey()
{
    const TestKey rsa("RSA", QStringLiteral("r"));
    const TestKey ec("EC", QStringLiteral("e"));
    // An EC signature claiming the RSA key's kid, and the other way round.
    QCOMPARE(refusal(verifyProviderJws(ec.sign(QStringLiteral("ES256"), idClaims(),
                                           {{QStringLiteral("kid"), QStringLiteral("r")}}),
                 keySet({rsa.jwk(), ec.jwk()}))),
        QStringLiteral("token algorithm does not fit its key"));
    QCOMPARE(refusal(verifyProviderJws(rsa.sign(QStringLiteral("RS256"), idClaims(),
                                           {{QStringLiteral("kid"), QStringLiteral("e")}}),
                 keySet({rsa.jwk(), ec.jwk()}))),
        QStringLiteral("token algorithm does not fit its key"));
    // A JWK that names its algorithm allows only that one.
    QJsonObject pinned = rsa.jwk();
    pinned.insert(QStringLiteral("alg"), QStringLiteral("PS256"));
    QCOMPARE(
        refusal(verifyProviderJws(rsa.sign(QStringLiteral("RS256"), idClaims()), keySet({pinned}))),
        QStringLiteral("token algorithm does not fit its key"));
}

void TestOidcToken::refusesTamperedPayload()
{
    const TestKey key("EC", QStringLiteral("k1"));
    const QList<QByteArray> parts = key.sign(QStringLiteral("ES256"), idClaims()).split('.');
    QJsonObject claims = idClaims();
    claims.insert(QStringLiteral("sub"), QStringLiteral("admin"));
    const QByteArray forged = parts[0] + '.' + b64(json(claims)) + '.' + parts[2];
    QCOMPARE(refusal(verifyProviderJws(forged, keySet({key.jwk()}))),
        QStringLiteral("token signature is not valid"));
}

void TestOidcToken::refusesEs256SignatureOfWrongLength()
{
    const TestKey key("EC", QStringLiteral("k1"));
    const QList<QByteArray> parts = key.sign(QStringLiteral("ES256"), idClaims()).split('.');
    const QByteArray raw = Crypto::fromBase64Url(parts[2]);
    for (const QByteArray &signature : {raw.left(63), QByteArray(raw + '\0')}) {
        QCOMPARE(refusal(verifyProviderJws(
                     parts[0] + '.' + parts[1] + '.' + b64(signature), keySet({key.jwk()}))),
            QStringLiteral("token signature is not valid"));
    }
}

void TestOidcToken::refusesMalformedTokens_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("two parts") << QByteArray("eyJhbGciOiJSUzI1NiJ9.e30");
    QTest::newRow("four parts") << QByteArray("eyJhbGciOiJSUzI1NiJ9.e30.AA.AA");
    QTest::newRow("padding") << QByteArray("eyJhbGciOiJSUzI1NiJ9.e30=.AAAA");
    QTest::newRow("header not JSON") << QByteArray("bm90IGpzb24.e30.AAAA");
    QTest::newRow("too long") << (QByteArray("eyJhbGciOiJSUzI1NiJ9.") + QByteArray(20000, 'A')
        + ".AAAA");
}

void TestOidcToken::refusesMalformedTokens()
{
    QFETCH(QByteArray, token);
    const TestKey key("RSA", QStringLiteral("k1"));
    QCOMPARE(
        refusal(verifyProviderJws(token, keySet({key.jwk()}))), QStringLiteral("invalid token"));
}

void TestOidcToken::acceptsGoodIdTokenClaims()
{
    QVERIFY(checkOidcClaims(idClaims(), idRules()));
    // aud as an array with azp naming this client.
    QJsonObject claims = idClaims();
    claims.insert(
        QStringLiteral("aud"), QJsonArray {QStringLiteral("outpost"), QStringLiteral("other")});
    claims.insert(QStringLiteral("azp"), QStringLiteral("outpost"));
    QCOMPARE(refusal(checkOidcClaims(claims, idRules())), QStringLiteral("(accepted)"));
    // A machine token: no nonce, no azp rule.
    OidcClaimRules machine = idRules();
    machine.nonce.clear();
    machine.authorizedParty.clear();
    claims.remove(QStringLiteral("nonce"));
    claims.insert(QStringLiteral("azp"), QStringLiteral("some-service"));
    QCOMPARE(refusal(checkOidcClaims(claims, machine)), QStringLiteral("(accepted)"));
}

void TestOidcToken::refusesBadClaims_data()
{
    QTest::addColumn<QString>("claim");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("detail");
    const QJsonValue absent = QJsonValue(QJsonValue::Undefined);
    QTest::newRow("wrong iss") << QStringLiteral("iss")
                               << QJsonValue(QStringLiteral("https://id.example.com/"))
                               << QStringLiteral("token issuer is not the configured provider");
    QTest::newRow("no iss") << QStringLiteral("iss") << absent
                            << QStringLiteral("token issuer is not the configured provider");
    QTest::newRow("wrong aud") << QStringLiteral("aud")
                               << QJsonValue(QStringLiteral("someone-else"))
                               << QStringLiteral("token audience is not this server");
    QTest::newRow("aud list without us")
        << QStringLiteral("aud")
        << QJsonValue(QJsonArray {QStringLiteral("a"), QStringLiteral("b")})
        << QStringLiteral("token audience is not this server");
    QTest::newRow("aud list, no azp")
        << QStringLiteral("aud")
        << QJsonValue(QJsonArray {QStringLiteral("outpost"), QStringLiteral("b")})
        << QStringLiteral("token authorized party is not this client");
    QTest::newRow("wrong azp") << QStringLiteral("azp")
                               << QJsonValue(QStringLiteral("other-client"))
                               << QStringLiteral("token authorized party is not this client");
    QTest::newRow("no sub") << QStringLiteral("sub") << absent
                            << QStringLiteral("token has no subject");
    QTest::newRow("empty sub") << QStringLiteral("sub") << QJsonValue(QString())
                               << QStringLiteral("token has no subject");
    QTest::newRow("no exp") << QStringLiteral("exp") << absent
                            << QStringLiteral("token has no valid expiry");
    QTest::newRow("exp beyond the year 9999") << QStringLiteral("exp") << QJsonValue(1e300)
                                              << QStringLiteral("token has no valid expiry");
    QTest::newRow("expired") << QStringLiteral("exp") << QJsonValue(kNow - 61)
                             << QStringLiteral("token expired");
    QTest::newRow("nbf in the future") << QStringLiteral("nbf") << QJsonValue(kNow + 61)
                                       << QStringLiteral("token is not valid yet");
    QTest::newRow("iat in the future") << QStringLiteral("iat") << QJsonValue(kNow + 61)
                                       << QStringLiteral("token is not valid yet");
    QTest::newRow("iat not a number") << QStringLiteral("iat") << QJsonValue(QStringLiteral("now"))
                                      << QStringLiteral("token is not valid yet");
    QTest::newRow("wrong nonce") << QStringLiteral("nonce") << QJsonValue(QStringLiteral("n-2"))
                                 << QStringLiteral("token nonce does not match this sign-in");
    QTest::newRow("no nonce") << QStringLiteral("nonce") << absent
                              << QStringLiteral("token nonce does not match this sign-in");
}

void TestOidcToken::refusesBadClaims()
{
    QFETCH(QString, claim);
    QFETCH(QJsonValue, value);
    QFETCH(QString, detail);
    QJsonObject claims = idClaims();
    if (value.isUndefined())
        claims.remove(claim);
    else
        claims.insert(claim, value);
    const Status status = checkOidcClaims(claims, idRules());
    QCOMPARE(refusal(status), detail);
    QCOMPARE(status.error().code, ErrorCode::Unauthorized);
}

void TestOidcToken::leewayAcceptsSlightlyExpiredTokens()
{
    QJsonObject claims = idClaims();
    claims.insert(QStringLiteral("exp"), kNow - 60);
    claims.insert(QStringLiteral("nbf"), kNow + 60);
    QVERIFY(checkOidcClaims(claims, idRules()));
    OidcClaimRules strict = idRules();
    strict.leewaySeconds = 0;
    QCOMPARE(refusal(checkOidcClaims(claims, strict)), QStringLiteral("token expired"));
}

void TestOidcToken::nonceLedgerRefusesReuse()
{
    NonceLedger ledger;
    QVERIFY(ledger.consume(QStringLiteral("n-1"), kNow + 300, kNow));
    QVERIFY(!ledger.consume(QStringLiteral("n-1"), kNow + 300, kNow + 10));
    QVERIFY(ledger.consume(QStringLiteral("n-2"), kNow + 300, kNow + 10));
    // Once the token it came with has expired, the entry may go: the token is refused anyway.
    QVERIFY(ledger.consume(QStringLiteral("n-1"), kNow + 900, kNow + 301));
}

void TestOidcToken::peekKeyIdReadsOnlyTheHeader()
{
    const TestKey key("EC", QStringLiteral("abc"));
    QCOMPARE(peekKeyId(key.sign(QStringLiteral("ES256"), idClaims())), QStringLiteral("abc"));
    QCOMPARE(peekKeyId("not a token"), QString());
    // Outpost's own tokens carry no kid.
    QCOMPARE(peekKeyId(b64(R"({"alg":"HS256","typ":"JWT"})") + ".e30.AAAA"), QString());
}

void TestOidcToken::refusesWeakOrBrokenKeys_data()
{
    QTest::addColumn<QJsonObject>("jwk");
    QTest::addColumn<QString>("detail");
    const TestKey rsa("RSA", QStringLiteral("r"));
    const TestKey ec("EC", QStringLiteral("e"));
    QJsonObject shortRsa = rsa.jwk();
    shortRsa.insert(QStringLiteral("n"), QString::fromLatin1(b64(QByteArray(128, '\xff'))));
    QTest::newRow("RSA 1024") << shortRsa
                              << QStringLiteral("RSA keys must have at least 2048 bits");
    QJsonObject noE = rsa.jwk();
    noE.remove(QStringLiteral("e"));
    QTest::newRow("RSA without e")
        << noE << QStringLiteral("an RSA key needs n and e in base64url");
    QJsonObject offCurve = ec.jwk();
    offCurve.insert(QStringLiteral("y"), QString::fromLatin1(b64(QByteArray(32, '\x01'))));
    QTest::newRow("EC point off the curve")
        << offCurve << QStringLiteral("the EC key is not a point on P-256");
    QJsonObject shortX = ec.jwk();
    shortX.insert(QStringLiteral("x"), QString::fromLatin1(b64(QByteArray(31, '\x01'))));
    QTest::newRow("EC short x") << shortX
                                << QStringLiteral("a P-256 key needs x and y of 32 bytes each");
    QJsonObject p384 = ec.jwk();
    p384.insert(QStringLiteral("crv"), QStringLiteral("P-384"));
    QTest::newRow("P-384") << p384 << QStringLiteral("only the EC curve P-256 is supported");
    QTest::newRow("oct") << QJsonObject {{QStringLiteral("kty"), QStringLiteral("oct")},
        {QStringLiteral("k"), QStringLiteral("AAAA")}}
                         << QStringLiteral("kty must be RSA or EC");
    QJsonObject encryption = rsa.jwk();
    encryption.insert(QStringLiteral("use"), QStringLiteral("enc"));
    QTest::newRow("use enc") << encryption << QStringLiteral("not a signing key (use is not sig)");
    QJsonObject hsAlg = rsa.jwk();
    hsAlg.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
    QTest::newRow("alg HS256") << hsAlg << QStringLiteral("its alg is not RS256, PS256 or ES256");
    QJsonObject mismatch = ec.jwk();
    mismatch.insert(QStringLiteral("alg"), QStringLiteral("RS256"));
    QTest::newRow("alg of another type")
        << mismatch << QStringLiteral("its alg does not fit its key type");
}

void TestOidcToken::refusesWeakOrBrokenKeys()
{
    QFETCH(QJsonObject, jwk);
    QFETCH(QString, detail);
    const auto key = JsonWebKey::fromJson(jwk);
    QVERIFY(!key);
    QCOMPARE(key.error().fields.value(0).message, detail);
}

void TestOidcToken::keySetSkipsKeysItCannotUse()
{
    const TestKey rsa("RSA", QStringLiteral("r"));
    QJsonObject encryption = rsa.jwk();
    encryption.insert(QStringLiteral("use"), QStringLiteral("enc"));
    encryption.insert(QStringLiteral("kid"), QStringLiteral("enc-key"));
    const QJsonArray keys {
        encryption, QJsonObject {{QStringLiteral("kty"), QStringLiteral("OKP")}}, rsa.jwk()};
    const auto set = JsonWebKeySet::fromJson({{QStringLiteral("keys"), keys}});
    QVERIFY(set);
    QCOMPARE(set->size(), 1);
    QVERIFY(set->find(QStringLiteral("r")));
    QVERIFY(!set->find(QStringLiteral("enc-key")));
    QVERIFY(!JsonWebKeySet::fromJson({{QStringLiteral("keys"), QJsonArray {encryption}}}));
    QVERIFY(!JsonWebKeySet::fromJson({{QStringLiteral("keys"), QStringLiteral("none")}}));
}

QTEST_GUILESS_MAIN(TestOidcToken)
#include "tst_oidctoken.moc"
