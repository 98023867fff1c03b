#include "auth/crypto.h"
#include "auth/jwt.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using Outpost::ErrorCode;
using Outpost::Server::JwtCodec;
namespace Crypto = Outpost::Server::Crypto;

namespace {

constexpr qint64 rfcExp = 1300819380;
constexpr qint64 now = 1700000000;
const QByteArray secret = QByteArrayLiteral("unit-test-secret-0123456789abcdef");
const QByteArray hs256Header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})");

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject validClaims()
{
    return {
        {QStringLiteral("sub"), QStringLiteral("user-1")},
        {QStringLiteral("iss"), QStringLiteral("outpost")},
        {QStringLiteral("iat"), now - 10},
        {QStringLiteral("exp"), now + 900},
        {QStringLiteral("role"), QStringLiteral("user")},
    };
}

QJsonObject validClaimsWith(const QString &key, const QJsonValue &value)
{
    QJsonObject claims = validClaims();
    if (value.isUndefined())
        claims.remove(key);
    else
        claims.insert(key, value);
    return claims;
}

// "<header>.<payload>.<HMAC-SHA256 over both>" for segments given already encoded.
QByteArray signSegments(
    const QByteArray &headerB64, const QByteArray &payloadB64, const QByteArray &key = secret)
{
    const QByteArray input = headerB64 + '.' + payloadB64;
    return input + '.' + Crypto::base64Url(Crypto::hmacSha256(key, input));
}

QByteArray signJson(
    const QByteArray &headerJson, const QByteArray &payloadJson, const QByteArray &key = secret)
{
    return signSegments(Crypto::base64Url(headerJson), Crypto::base64Url(payloadJson), key);
}

QByteArray toStandardAlphabet(QByteArray text)
{
    return text.replace('-', '+').replace('_', '/');
}

// The same bytes, but with non-zero unused low bits in the last character.
QByteArray nonCanonical(const QByteArray &segment)
{
    static const QByteArray alphabet =
        QByteArrayLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    QByteArray changed = segment;
    const qsizetype index = alphabet.indexOf(changed.back());
    changed.back() = alphabet.at(index ^ 1);
    return changed;
}

} // namespace

class TestJwt final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void signatureMatchesRfc7515AppendixA1();
    void verifiesRfc7519ExampleToken();
    void rejectsRfc7519ExampleTokenAfterExpiryAndLeeway();
    void acceptsRfc7519ExampleTokenWithinLeeway();
    void rejectsRfc7519UnsecuredToken();
    void rejectsRfcTokenInStandardBase64Alphabet();
    void roundTripsSignedClaims();
    void signsWithFixedCompactHeader();
    void acceptsLowerCaseTyp();
    void acceptsTokenWithinLeeway();
    void appliesExpiryExactlyWithoutLeeway();
    void ignoresIssuerWhenNoneConfigured();
    void rejectsAttack_data();
    void rejectsAttack();

private:
    QJsonObject m_a1;
    QJsonObject m_examples;
    QByteArray m_rfcKey;
};

void TestJwt::initTestCase()
{
    const QString sourceDir = qEnvironmentVariable("OUTPOST_SOURCE_DIR");
    QVERIFY2(!sourceDir.isEmpty(), "OUTPOST_SOURCE_DIR is not set; run this test through ctest");
    const QDir fixtures(QDir(sourceDir).filePath(QStringLiteral("tests/fixtures/jwt")));
    for (const auto &[name, target] : {std::pair {QStringLiteral("rfc7515-a1.json"), &m_a1},
             std::pair {QStringLiteral("rfc7519-examples.json"), &m_examples}}) {
        QFile file(fixtures.filePath(name));
        QVERIFY2(file.open(QIODevice::ReadOnly),
            qPrintable(QStringLiteral("missing fixture %1").arg(QDir::cleanPath(file.fileName()))));
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
        QVERIFY2(document.isObject(), qPrintable(name));
        *target = document.object();
    }
    bool ok = false;
    m_rfcKey =
        Crypto::fromBase64Url(m_a1[QLatin1StringView("key_base64url")].toString().toLatin1(), &ok);
    QVERIFY(ok);
    QCOMPARE(m_rfcKey.toHex(), m_a1[QLatin1StringView("key_hex")].toString().toLatin1());
}

void TestJwt::signatureMatchesRfc7515AppendixA1()
{
    const JwtCodec codec(m_rfcKey, QStringLiteral("joe"));
    const QByteArray headerB64 = m_a1[QLatin1StringView("header_b64")].toString().toLatin1();
    const QByteArray payloadB64 = m_a1[QLatin1StringView("payload_b64")].toString().toLatin1();
    // The encoded segments hold the RFC's exact octets, CRLFs included.
    QCOMPARE(Crypto::fromBase64Url(headerB64),
        m_a1[QLatin1StringView("header_json")].toString().toUtf8());
    const QByteArray input = codec.signingInput(headerB64, payloadB64);
    QCOMPARE(input, m_a1[QLatin1StringView("signing_input")].toString().toLatin1());
    QCOMPARE(
        codec.signature(input), m_a1[QLatin1StringView("signature_b64")].toString().toLatin1());
    QCOMPARE(QByteArray(input + '.' + codec.signature(input)),
        m_a1[QLatin1StringView("compact")].toString().toLatin1());
}

void TestJwt::verifiesRfc7519ExampleToken()
{
    const JwtCodec codec(m_rfcKey, QStringLiteral("joe"));
    const QJsonObject example = m_examples[QLatin1StringView("section_3_1_example_jwt")].toObject();
    for (const QByteArray &token : {m_a1[QLatin1StringView("compact")].toString().toLatin1(),
             example[QLatin1StringView("compact")].toString().toLatin1()}) {
        const auto claims = codec.verify(token, 1300819300);
        QVERIFY2(claims, qPrintable(claims ? QString() : claims.error().detail));
        QCOMPARE(claims->value(QLatin1StringView("http://example.com/is_root")), QJsonValue(true));
        QCOMPARE(claims->value(QLatin1StringView("iss")), QJsonValue(QStringLiteral("joe")));
        QCOMPARE(claims->value(QLatin1StringView("exp")).toInteger(), rfcExp);
    }
}

void TestJwt::rejectsRfc7519ExampleTokenAfterExpiryAndLeeway()
{
    const JwtCodec codec(m_rfcKey, QStringLiteral("joe"));
    const auto claims =
        codec.verify(m_a1[QLatin1StringView("compact")].toString().toLatin1(), rfcExp + 31);
    QVERIFY(!claims);
    QCOMPARE(claims.error().code, ErrorCode::Unauthorized);
    QCOMPARE(claims.error().detail, QStringLiteral("token expired"));
}

void TestJwt::acceptsRfc7519ExampleTokenWithinLeeway()
{
    const JwtCodec codec(m_rfcKey, QStringLiteral("joe"));
    QVERIFY(codec.verify(m_a1[QLatin1StringView("compact")].toString().toLatin1(), rfcExp + 30));
}

void TestJwt::rejectsRfc7519UnsecuredToken()
{
    const JwtCodec codec(m_rfcKey, QStringLiteral("joe"));
    const QJsonObject example =
        m_examples[QLatin1StringView("section_6_1_unsecured_jwt")].toObject();
    const QByteArray token = example[QLatin1StringView("compact")].toString().toLatin1();
    QVERIFY(token.endsWith('.'));
    const auto claims = codec.verify(token, 1300819300);
    QVERIFY(!claims);
    QCOMPARE(claims.error().code, ErrorCode::Unauthorized);
    QCOMPARE(claims.error().detail, QStringLiteral("invalid token"));
}

void TestJwt::rejectsRfcTokenInStandardBase64Alphabet()
{
    const JwtCodec codec(m_rfcKey, QStringLiteral("joe"));
    const QByteArray token = m_a1[QLatin1StringView("compact")].toString().toLatin1();
    QVERIFY(codec.verify(token, 1300819300));
    const QByteArray standard = toStandardAlphabet(token);
    QVERIFY(standard.contains('+'));
    QVERIFY(standard.contains('/'));
    QVERIFY(!codec.verify(standard, 1300819300));
    QVERIFY(!codec.verify(token + '=', 1300819300));
}

void TestJwt::roundTripsSignedClaims()
{
    const JwtCodec codec(secret, QStringLiteral("outpost"));
    const QJsonObject claims = validClaims();
    const QByteArray token = codec.sign(claims);
    QCOMPARE(token.count('.'), 2);
    QVERIFY(!token.contains('='));
    const auto verified = codec.verify(token, now);
    QVERIFY2(verified, qPrintable(verified ? QString() : verified.error().detail));
    QCOMPARE(*verified, claims);
}

void TestJwt::signsWithFixedCompactHeader()
{
    const JwtCodec codec(secret, QStringLiteral("outpost"));
    const QByteArray token = codec.sign(validClaims());
    const QList<QByteArray> parts = token.split('.');
    QCOMPARE(parts.size(), 3);
    QCOMPARE(Crypto::fromBase64Url(parts[0]), hs256Header);
    QCOMPARE(Crypto::fromBase64Url(parts[1]), json(validClaims()));
    QCOMPARE(parts[2], codec.signature(codec.signingInput(parts[0], parts[1])));
    QCOMPARE(parts[2].size(), 43);
}

void TestJwt::acceptsLowerCaseTyp()
{
    const JwtCodec codec(secret, QStringLiteral("outpost"));
    QVERIFY(codec.verify(signJson(R"({"alg":"HS256","typ":"jwt"})", json(validClaims())), now));
    QVERIFY(codec.verify(signJson(R"({"alg":"HS256"})", json(validClaims())), now));
}

void TestJwt::acceptsTokenWithinLeeway()
{
    const JwtCodec codec(secret, QStringLiteral("outpost"), 30);
    QVERIFY(codec.verify(
        signJson(hs256Header, json(validClaimsWith(QStringLiteral("exp"), now - 30))), now));
    QVERIFY(codec.verify(
        signJson(hs256Header, json(validClaimsWith(QStringLiteral("iat"), now + 30))), now));
    QVERIFY(codec.verify(
        signJson(hs256Header, json(validClaimsWith(QStringLiteral("nbf"), now + 30))), now));
    QVERIFY(codec.verify(
        signJson(hs256Header, json(validClaimsWith(QStringLiteral("iat"), QJsonValue::Undefined))),
        now));
}

void TestJwt::appliesExpiryExactlyWithoutLeeway()
{
    const JwtCodec codec(secret, QStringLiteral("outpost"), 0);
    const QByteArray token =
        signJson(hs256Header, json(validClaimsWith(QStringLiteral("exp"), now)));
    QVERIFY(codec.verify(token, now));
    const auto late = codec.verify(token, now + 1);
    QVERIFY(!late);
    QCOMPARE(late.error().detail, QStringLiteral("token expired"));
}

void TestJwt::ignoresIssuerWhenNoneConfigured()
{
    const JwtCodec codec(secret, QString());
    QVERIFY(codec.verify(signJson(hs256Header,
                             json(validClaimsWith(QStringLiteral("iss"), QStringLiteral("other")))),
        now));
}

void TestJwt::rejectsAttack_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("detail");
    const auto invalid = [](const char *name, const QByteArray &token) {
        QTest::newRow(name) << token << QStringLiteral("invalid token");
    };
    const auto signClaim = [](const QString &key, const QJsonValue &value) {
        return signJson(hs256Header, json(validClaimsWith(key, value)));
    };
    const QByteArray claims = json(validClaims());
    const QByteArray valid = signJson(hs256Header, claims);
    const QList<QByteArray> parts = valid.split('.');
    QVERIFY(JwtCodec(secret, QStringLiteral("outpost")).verify(valid, now));

    // Header: only HS256, whatever else the token says.
    invalid("alg none, empty signature",
        Crypto::base64Url(R"({"alg":"none","typ":"JWT"})") + '.' + parts[1] + '.');
    invalid("alg none, valid HS256 signature", signJson(R"({"alg":"none","typ":"JWT"})", claims));
    invalid("alg HS512, valid HS256 signature", signJson(R"({"alg":"HS512","typ":"JWT"})", claims));
    invalid("alg RS256, valid HS256 signature", signJson(R"({"alg":"RS256","typ":"JWT"})", claims));
    invalid("alg in lower case", signJson(R"({"alg":"hs256","typ":"JWT"})", claims));
    invalid("alg not a string", signJson(R"({"alg":256,"typ":"JWT"})", claims));
    invalid("header without alg", signJson(R"({"typ":"JWT"})", claims));
    invalid("typ not JWT", signJson(R"({"alg":"HS256","typ":"JOSE+JSON"})", claims));
    invalid("crit header", signJson(R"({"alg":"HS256","crit":["exp"],"exp":1})", claims));
    invalid("header not JSON", signJson("alg=HS256", claims));
    invalid("header a JSON array", signJson(R"(["alg","HS256"])", claims));

    // Signature.
    invalid("tampered payload, signature kept",
        parts[0] + '.'
            + Crypto::base64Url(
                json(validClaimsWith(QStringLiteral("role"), QStringLiteral("admin"))))
            + '.' + parts[2]);
    invalid("signature of another secret",
        signJson(hs256Header, claims, QByteArrayLiteral("another-secret-0123456789abcdef")));
    invalid("truncated signature", valid.chopped(1));
    invalid("half a signature", valid.chopped(22));
    invalid("empty signature", parts[0] + '.' + parts[1] + '.');
    invalid("non-canonical signature encoding",
        parts[0] + '.' + parts[1] + '.' + nonCanonical(parts[2]));

    // Structure and encoding.
    invalid("empty token", QByteArray());
    invalid("one segment", parts[0]);
    invalid("two segments", parts[0] + '.' + parts[1]);
    invalid("only dots", "..");
    invalid("extra fourth segment", valid + ".e30");
    invalid("trailing dot", valid + '.');
    invalid("padding on the signature", valid + '=');
    invalid("padding on the payload, signed", signSegments(parts[0], parts[1] + "=="));
    invalid("padding on the header, signed", signSegments(parts[0] + '=', parts[1]));
    // A payload whose base64url text uses '-' or '_', re-signed in the standard alphabet.
    const QByteArray urlPayload = Crypto::base64Url(
        json(validClaimsWith(QStringLiteral("note"), QStringLiteral("?>?~>~?~~>>??"))));
    QVERIFY(urlPayload.contains('-') || urlPayload.contains('_'));
    invalid("'+' or '/' in the payload, signed",
        signSegments(parts[0], toStandardAlphabet(urlPayload)));
    invalid("whitespace in a segment, signed", signSegments(parts[0], parts[1] + ' '));
    invalid("leading whitespace", ' ' + valid);
    invalid("oversized token", signClaim(QStringLiteral("pad"), QString(9000, QLatin1Char('a'))));

    // Payload and claims.
    invalid("payload not JSON", signJson(hs256Header, "not json"));
    invalid("payload a JSON array", signJson(hs256Header, R"([{"exp":1700000900}])"));
    invalid("payload empty", signJson(hs256Header, QByteArray()));
    invalid("missing exp", signClaim(QStringLiteral("exp"), QJsonValue::Undefined));
    invalid("exp as a string", signClaim(QStringLiteral("exp"), QStringLiteral("1700000900")));
    invalid("exp null", signClaim(QStringLiteral("exp"), QJsonValue::Null));
    // Beyond any qint64 a server could convert it to (and past the year 9999).
    invalid("exp 1e300", signClaim(QStringLiteral("exp"), 1e300));
    invalid("exp negative", signClaim(QStringLiteral("exp"), -1));
    QTest::newRow("expired beyond leeway")
        << signClaim(QStringLiteral("exp"), now - 31) << QStringLiteral("token expired");
    invalid("iat in the future beyond leeway", signClaim(QStringLiteral("iat"), now + 31));
    invalid("iat as a string", signClaim(QStringLiteral("iat"), QStringLiteral("0")));
    invalid("nbf in the future beyond leeway", signClaim(QStringLiteral("nbf"), now + 31));
    invalid("wrong issuer", signClaim(QStringLiteral("iss"), QStringLiteral("joe")));
    invalid(
        "issuer differing in case", signClaim(QStringLiteral("iss"), QStringLiteral("Outpost")));
    invalid("missing issuer", signClaim(QStringLiteral("iss"), QJsonValue::Undefined));
}

void TestJwt::rejectsAttack()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, detail);
    const JwtCodec codec(secret, QStringLiteral("outpost"), 30);
    const auto claims = codec.verify(token, now);
    QVERIFY(!claims);
    QCOMPARE(claims.error().code, ErrorCode::Unauthorized);
    // Short and generic: nothing of the token is echoed back.
    QCOMPARE(claims.error().detail, detail);
}

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
