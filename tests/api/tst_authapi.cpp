// Sessions (server/api/authapi.cpp): sign-in by form and JSON, refresh-token rotation and reuse
// detection, sign-out, sign-in throttling, attacks on access tokens, and the constant-cost
// answer for unknown emails.
#include "factories.h"
#include "testserver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Outpost::Test;

namespace {

const QByteArray kSecret = QByteArrayLiteral("test-secret-0123456789abcdef0123456789abcdef");
constexpr int kTokenTtl = 600;

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fromBase64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding);
}

QJsonObject hs256Header()
{
    return {{QStringLiteral("alg"), QStringLiteral("HS256")},
        {QStringLiteral("typ"), QStringLiteral("JWT")}};
}

// A JWT as the server makes them: header.payload.HMAC-SHA256, each base64url without padding.
QByteArray signJwt(const QJsonObject &claims, const QByteArray &secret = kSecret,
    const QJsonObject &header = hs256Header())
{
    const QByteArray input = base64Url(jsonBytes(header)) + '.' + base64Url(jsonBytes(claims));
    return input + '.'
        + base64Url(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

// The claims the server puts into an access token for this user, valid for ten minutes.
QJsonObject claimsFor(qint64 userId, const QString &role = QStringLiteral("user"))
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return {{QStringLiteral("sub"), QString::number(userId)}, {QStringLiteral("role"), role},
        {QStringLiteral("iat"), now}, {QStringLiteral("exp"), now + kTokenTtl},
        {QStringLiteral("iss"), QStringLiteral("outpost")},
        {QStringLiteral("jti"), QStringLiteral("0123456789abcdef0123456789abcdef")},
        {QStringLiteral("ver"), 0}};
}

QJsonObject payloadOf(const QByteArray &token)
{
    return QJsonDocument::fromJson(fromBase64Url(token.split('.').value(1))).object();
}

QByteArray loginBody(const QString &email, const QString &password)
{
    return jsonBytes({{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
}

// A sign-in from a chosen loopback address, so that tests control the per-address count.
HttpResult loginFrom(TestServer &server, const QByteArray &address, const QString &email,
    const QString &password = kPassword)
{
    return httpRequestFrom(QHostAddress(QString::fromLatin1(address)), server.port(), "POST",
        "/v1/login", loginBody(email, password));
}

qint64 median(QList<qint64> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace

class TestAuthApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void formLoginReturnsATokenPair();
    void formLoginDecodesSpecialCharacters();
    void jsonLoginReturnsATokenPair();
    void loginIgnoresEmailCase();
    void wrongPasswordAndUnknownEmailGiveTheSame401();
    void disabledUserGetsTheSame401();
    void loginRejectsMissingFields_data();
    void loginRejectsMissingFields();
    void loginRejectsMalformedJson();

    void failuresThrottleTheAccount();
    void failuresThrottleTheClientAddress();

    void refreshRotatesTheToken();
    void reusingARotatedTokenRevokesTheSession();
    void refreshRejectsBadInput();

    void logoutRevokesThatSessionOnly();
    void logoutRejectsSomeoneElsesToken();
    void logoutNeedsSignIn();

    void selfSignedTokenIsAccepted();
    void forgedTokensAreRejected_data();
    void forgedTokensAreRejected();
    void tamperedPayloadIsRejected();
    void tokenOfADeletedUserIsRejected();
    void tokenOfADeletedUserDoesNotPassToANewUser();
    void otherAuthorizationForms_data();
    void otherAuthorizationForms();
    void bearerSchemeIsCaseInsensitive();

    void unknownEmailCostsAPasswordCheck();

    void openApiDescribesSessionRoutes();

private:
    std::unique_ptr<TestServer> m_server;
    Account m_admin;
};

void TestAuthApi::init()
{
    // A server per test: failed sign-ins from 127.0.0.1 count against that address.
    m_server = std::make_unique<TestServer>();
    m_server->setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), QString::fromLatin1(kSecret));
    m_server->setEnv(QStringLiteral("OUTPOST_ACCESS_TOKEN_TTL"), QString::number(kTokenTtl));
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    m_admin = createAdmin(*m_server);
    QVERIFY(m_admin.ok());
}

void TestAuthApi::cleanup()
{
    m_server.reset();
}

void TestAuthApi::formLoginReturnsATokenPair()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const TokenPair tokens = loginWithForm(*m_server, user.email);
    QCOMPARE(tokens.status, 200);
    QCOMPARE(tokens.result.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(tokens.result.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(tokens.json.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
    QCOMPARE(tokens.json.value(QStringLiteral("expires_in")).toInt(), kTokenTtl);
    QCOMPARE(tokens.accessToken.count('.'), qsizetype(2));
    QVERIFY(tokens.refreshToken.size() >= 32);
    QVERIFY(tokens.refreshToken != tokens.accessToken);

    const QJsonObject claims = payloadOf(tokens.accessToken);
    QCOMPARE(claims.value(QStringLiteral("sub")).toString(), QString::number(user.id));
    QCOMPARE(claims.value(QStringLiteral("iss")).toString(), QStringLiteral("outpost"));
    const qint64 exp = claims.value(QStringLiteral("exp")).toInteger();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QVERIFY2(exp > now + kTokenTtl - 60 && exp <= now + kTokenTtl + 5,
        qPrintable(QString::number(exp - now)));

    const HttpResult me =
        get(*m_server, QStringLiteral("/v1/users/me"), bearer(tokens.accessToken));
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json().object().value(QStringLiteral("email")).toString(), user.email);
}

void TestAuthApi::formLoginDecodesSpecialCharacters()
{
    const QString password = QStringLiteral("Sp ace+Plus&Amp=Eq%1");
    const Account user = createAccount(*m_server, {}, password);
    QVERIFY(user.ok());
    QVERIFY(loginWithForm(*m_server, user.email, password).ok());

    // Browsers send a space as '+' and a '+' as %2B.
    const QByteArray form = "username=" + QUrl::toPercentEncoding(user.email)
        + "&password=Sp+ace%2BPlus%26Amp%3DEq%251&grant_type=password";
    const HttpResult result = httpRequest("POST", m_server->url(QStringLiteral("/v1/login")), form,
        {{QByteArrayLiteral("Content-Type"),
            QByteArrayLiteral("application/x-www-form-urlencoded")}});
    QVERIFY2(result.status == 200, result.body.constData());
}

void TestAuthApi::jsonLoginReturnsATokenPair()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const TokenPair tokens = login(*m_server, user.email);
    QCOMPARE(tokens.status, 200);
    QCOMPARE(tokens.json.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
    QCOMPARE(tokens.json.value(QStringLiteral("expires_in")).toInt(), kTokenTtl);
    QStringList keys = tokens.json.keys();
    keys.sort();
    QCOMPARE(keys,
        (QStringList {QStringLiteral("access_token"), QStringLiteral("expires_in"),
            QStringLiteral("refresh_token"), QStringLiteral("token_type")}));
    // Every sign-in is a session of its own.
    QVERIFY(tokens.refreshToken != user.refreshToken);
    QCOMPARE(
        get(*m_server, QStringLiteral("/v1/users/me"), bearer(tokens.accessToken)).status, 200);
}

void TestAuthApi::loginIgnoresEmailCase()
{
    const QString email = uniqueEmail(QStringLiteral("mixed"));
    QVERIFY(createUser(*m_server, email) > 0);
    QVERIFY(login(*m_server, email.toUpper()).ok());
    QVERIFY(loginWithForm(*m_server, email.toUpper()).ok());
}

void TestAuthApi::wrongPasswordAndUnknownEmailGiveTheSame401()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const TokenPair wrong = login(*m_server, user.email, QStringLiteral("Wrong-Password-1"));
    const TokenPair unknown = login(*m_server, uniqueEmail(QStringLiteral("nobody")));
    OUTPOST_VERIFY_PROBLEM(wrong.result, 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(unknown.result, 401, "Unauthorized");
    QCOMPARE(unknown.result.body, wrong.result.body);
    QVERIFY(!wrong.result.body.contains(user.email.toUtf8()));

    const TokenPair formWrong =
        loginWithForm(*m_server, user.email, QStringLiteral("Wrong-Password-1"));
    QCOMPARE(formWrong.result.body, wrong.result.body);
}

void TestAuthApi::disabledUserGetsTheSame401()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    QCOMPARE(patch(*m_server, QStringLiteral("/v1/users/%1").arg(user.id),
                 {{QStringLiteral("disabled"), true}}, m_admin.auth())
                 .status,
        200);
    const TokenPair disabled = login(*m_server, user.email);
    const TokenPair wrong = login(*m_server, m_admin.email, QStringLiteral("Wrong-Password-1"));
    OUTPOST_VERIFY_PROBLEM(disabled.result, 401, "Unauthorized");
    QCOMPARE(disabled.result.body, wrong.result.body);
}

void TestAuthApi::loginRejectsMissingFields_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    const QByteArray form = QByteArrayLiteral("application/x-www-form-urlencoded");
    const QByteArray json = QByteArrayLiteral("application/json");
    QTest::newRow("form without password")
        << form << QByteArrayLiteral("username=a%40example.test") << QStringLiteral("password");
    QTest::newRow("form with empty password")
        << form << QByteArrayLiteral("username=a%40example.test&password=")
        << QStringLiteral("password");
    QTest::newRow("form without username")
        << form << QByteArrayLiteral("password=Secret-123") << QStringLiteral("username");
    QTest::newRow("json without email")
        << json << QByteArrayLiteral("{\"password\":\"Secret-123\"}") << QStringLiteral("email");
    QTest::newRow("json without password")
        << json << QByteArrayLiteral("{\"email\":\"a@example.test\"}")
        << QStringLiteral("password");
    QTest::newRow("json password not a string")
        << json << QByteArrayLiteral("{\"email\":\"a@example.test\",\"password\":12345678}")
        << QStringLiteral("password");
    QTest::newRow("text/plain") << QByteArrayLiteral("text/plain")
                                << QByteArrayLiteral("a@example.test Secret-123")
                                << QStringLiteral("Content-Type");
    QTest::newRow("multipart") << QByteArrayLiteral("multipart/form-data; boundary=x")
                               << QByteArrayLiteral("--x--") << QStringLiteral("Content-Type");
}

void TestAuthApi::loginRejectsMissingFields()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    const HttpResult result = httpRequest("POST", m_server->url(QStringLiteral("/v1/login")), body,
        {{QByteArrayLiteral("Content-Type"), contentType}});
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(field), result.body.constData());
}

void TestAuthApi::loginRejectsMalformedJson()
{
    const HttpResult result = httpRequest(
        "POST", m_server->url(QStringLiteral("/v1/login")), QByteArrayLiteral("{\"email\":"));
    OUTPOST_VERIFY_PROBLEM(result, 400, "Bad Request");
}

void TestAuthApi::failuresThrottleTheAccount()
{
    const Account target = createAccount(*m_server);
    const Account bystander = createAccount(*m_server);
    QVERIFY(target.ok());
    QVERIFY(bystander.ok());
    // Five failures, each from another address: only the account is common to them.
    for (int i = 0; i < 5; ++i) {
        const HttpResult failed = loginFrom(*m_server, "127.0.0." + QByteArray::number(21 + i),
            target.email, QStringLiteral("Wrong-Password-1"));
        QVERIFY2(failed.status == 401, failed.body.constData());
    }
    // The next attempt is refused even with the right password, from a fresh address.
    const HttpResult throttled = loginFrom(*m_server, "127.0.0.31", target.email);
    OUTPOST_VERIFY_PROBLEM(throttled, 429, "Too Many Requests");
    bool ok = false;
    const int retryAfter = throttled.header("Retry-After").toInt(&ok);
    QVERIFY2(
        ok && retryAfter >= 1 && retryAfter <= 30, throttled.header("Retry-After").constData());
    QVERIFY(!throttled.json().object().contains(QStringLiteral("access_token")));
    // Also in the other form, and from 127.0.0.1.
    QCOMPARE(loginWithForm(*m_server, target.email.toUpper()).status, 429);

    // Other accounts are not affected, from the same fresh address either.
    const HttpResult other = loginFrom(*m_server, "127.0.0.31", bystander.email);
    QVERIFY2(other.status == 200, other.body.constData());
}

void TestAuthApi::failuresThrottleTheClientAddress()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    // Five failures from one address, each for another (unknown) account.
    for (int i = 0; i < 5; ++i) {
        const HttpResult failed = loginFrom(*m_server, "127.0.0.41",
            uniqueEmail(QStringLiteral("spray")), QStringLiteral("Guess-123"));
        QVERIFY2(failed.status == 401, failed.body.constData());
    }
    // That address may not try again, not even for a real account with its password ...
    const HttpResult throttled = loginFrom(*m_server, "127.0.0.41", user.email);
    OUTPOST_VERIFY_PROBLEM(throttled, 429, "Too Many Requests");
    bool ok = false;
    const int retryAfter = throttled.header("Retry-After").toInt(&ok);
    QVERIFY2(
        ok && retryAfter >= 1 && retryAfter <= 30, throttled.header("Retry-After").constData());
    // ... while another address signs in to the same account.
    const HttpResult elsewhere = loginFrom(*m_server, "127.0.0.42", user.email);
    QVERIFY2(elsewhere.status == 200, elsewhere.body.constData());
}

void TestAuthApi::refreshRotatesTheToken()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const TokenPair second = refresh(*m_server, user.refreshToken);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.result.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(second.json.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
    QCOMPARE(second.json.value(QStringLiteral("expires_in")).toInt(), kTokenTtl);
    QVERIFY(second.refreshToken != user.refreshToken);
    QVERIFY(second.accessToken != user.accessToken);
    const HttpResult me =
        get(*m_server, QStringLiteral("/v1/users/me"), bearer(second.accessToken));
    QCOMPARE(idOf(me), user.id);

    // The chain goes on with the newest token.
    const TokenPair third = refresh(*m_server, second.refreshToken);
    QCOMPARE(third.status, 200);
    const TokenPair fourth = refresh(*m_server, third.refreshToken);
    QCOMPARE(fourth.status, 200);
}

void TestAuthApi::reusingARotatedTokenRevokesTheSession()
{
    const Account user = createAccount(*m_server);
    const TokenPair otherSession = login(*m_server, user.email);
    QVERIFY(user.ok());
    QVERIFY(otherSession.ok());
    const TokenPair second = refresh(*m_server, user.refreshToken);
    QCOMPARE(second.status, 200);
    const TokenPair third = refresh(*m_server, second.refreshToken);
    QCOMPARE(third.status, 200);

    // The first token was rotated: it no longer works ...
    const TokenPair reused = refresh(*m_server, user.refreshToken);
    OUTPOST_VERIFY_PROBLEM(reused.result, 401, "Unauthorized");
    // ... and its reuse ended the session, newest token included.
    OUTPOST_VERIFY_PROBLEM(refresh(*m_server, third.refreshToken).result, 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(refresh(*m_server, second.refreshToken).result, 401, "Unauthorized");
    // Another session of the same user lives on.
    QCOMPARE(refresh(*m_server, otherSession.refreshToken).status, 200);
}

void TestAuthApi::refreshRejectsBadInput()
{
    const QUrl url = m_server->url(QStringLiteral("/v1/token/refresh"));
    OUTPOST_VERIFY_PROBLEM(refresh(*m_server, QByteArrayLiteral("not-a-real-refresh-token")).result,
        401, "Unauthorized");
    const HttpResult missing = httpRequest("POST", url, QByteArrayLiteral("{}"));
    OUTPOST_VERIFY_PROBLEM(missing, 422, "Unprocessable Content");
    QVERIFY(errorFields(missing).contains(QStringLiteral("refresh_token")));
    const HttpResult number = httpRequest("POST", url, QByteArrayLiteral("{\"refresh_token\":5}"));
    OUTPOST_VERIFY_PROBLEM(number, 422, "Unprocessable Content");
    OUTPOST_VERIFY_PROBLEM(
        httpRequest("POST", url, QByteArrayLiteral("{\"refresh_token\"")), 400, "Bad Request");
    // An access token is not a refresh token.
    OUTPOST_VERIFY_PROBLEM(refresh(*m_server, m_admin.accessToken).result, 401, "Unauthorized");
}

void TestAuthApi::logoutRevokesThatSessionOnly()
{
    const Account user = createAccount(*m_server);
    const TokenPair otherSession = login(*m_server, user.email);
    QVERIFY(user.ok());
    QVERIFY(otherSession.ok());
    const HttpResult out = post(*m_server, QStringLiteral("/v1/logout"),
        {{QStringLiteral("refresh_token"), QString::fromLatin1(user.refreshToken)}}, user.auth());
    QCOMPARE(out.status, 204);
    QVERIFY(out.body.isEmpty());
    OUTPOST_VERIFY_PROBLEM(refresh(*m_server, user.refreshToken).result, 401, "Unauthorized");
    QCOMPARE(refresh(*m_server, otherSession.refreshToken).status, 200);
}

void TestAuthApi::logoutRejectsSomeoneElsesToken()
{
    const Account alice = createAccount(*m_server);
    const Account bob = createAccount(*m_server);
    QVERIFY(alice.ok());
    QVERIFY(bob.ok());
    const HttpResult result = post(*m_server, QStringLiteral("/v1/logout"),
        {{QStringLiteral("refresh_token"), QString::fromLatin1(bob.refreshToken)}}, alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY(errorFields(result).contains(QStringLiteral("refresh_token")));
    // Bob's session is untouched; an unknown token gets the same answer.
    QCOMPARE(refresh(*m_server, bob.refreshToken).status, 200);
    const HttpResult unknown = post(*m_server, QStringLiteral("/v1/logout"),
        {{QStringLiteral("refresh_token"), QStringLiteral("no-such-token")}}, alice.auth());
    OUTPOST_VERIFY_PROBLEM(unknown, 422, "Unprocessable Content");
    QCOMPARE(unknown.body, result.body);
}

void TestAuthApi::logoutNeedsSignIn()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const HttpResult result = post(*m_server, QStringLiteral("/v1/logout"),
        {{QStringLiteral("refresh_token"), QString::fromLatin1(user.refreshToken)}});
    OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
    QCOMPARE(refresh(*m_server, user.refreshToken).status, 200);
}

void TestAuthApi::selfSignedTokenIsAccepted()
{
    // Proves this test's signer matches the server's, so the rejections below are for the
    // reason they name.
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const HttpResult me =
        get(*m_server, QStringLiteral("/v1/users/me"), bearer(signJwt(claimsFor(user.id))));
    QVERIFY2(me.status == 200, me.body.constData());
    QCOMPARE(idOf(me), user.id);
}

void TestAuthApi::forgedTokensAreRejected_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("adminRoute");
    // The admin is user 1 on this fresh server; the attacks aim at it.
    const qint64 adminId = 1;
    const QJsonObject valid = claimsFor(adminId, QStringLiteral("admin"));
    const auto with = [&](const QString &claim, const QJsonValue &value) {
        QJsonObject claims = valid;
        if (value.isUndefined())
            claims.remove(claim);
        else
            claims.insert(claim, value);
        return claims;
    };
    const QJsonObject noneHeader {{QStringLiteral("alg"), QStringLiteral("none")},
        {QStringLiteral("typ"), QStringLiteral("JWT")}};
    const QByteArray unsignedToken =
        base64Url(jsonBytes(noneHeader)) + '.' + base64Url(jsonBytes(valid)) + '.';
    const qint64 now = QDateTime::currentSecsSinceEpoch();

    QTest::newRow("alg none, no signature") << unsignedToken << true;
    QTest::newRow("alg none, signed") << signJwt(valid, kSecret, noneHeader) << true;
    QTest::newRow("alg HS512 header")
        << signJwt(valid, kSecret, {{QStringLiteral("alg"), QStringLiteral("HS512")}}) << true;
    QTest::newRow("other secret") << signJwt(
        valid, QByteArrayLiteral("another-secret-entirely-0123456789abcdef"))
                                  << true;
    QTest::newRow("expired") << signJwt(with(QStringLiteral("exp"), now - 3600)) << false;
    QTest::newRow("no exp") << signJwt(with(QStringLiteral("exp"), QJsonValue::Undefined)) << false;
    QTest::newRow("issued in the future")
        << signJwt(with(QStringLiteral("iat"), now + 3600)) << false;
    QTest::newRow("wrong issuer") << signJwt(
        with(QStringLiteral("iss"), QStringLiteral("someone-else")))
                                  << false;
    QTest::newRow("no issuer") << signJwt(with(QStringLiteral("iss"), QJsonValue::Undefined))
                               << false;
    QTest::newRow("old token version") << signJwt(with(QStringLiteral("ver"), 1)) << false;
    QTest::newRow("no token version")
        << signJwt(with(QStringLiteral("ver"), QJsonValue::Undefined)) << false;
    QTest::newRow("unknown user") << signJwt(with(QStringLiteral("sub"), QStringLiteral("999999")))
                                  << false;
    QTest::newRow("sub not a number")
        << signJwt(with(QStringLiteral("sub"), QStringLiteral("admin"))) << false;
    QTest::newRow("signature cut off") << signJwt(valid).chopped(4) << false;
    QTest::newRow("two parts") << signJwt(valid).left(signJwt(valid).lastIndexOf('.')) << false;
    QTest::newRow("garbage") << QByteArrayLiteral("garbage") << false;
}

void TestAuthApi::forgedTokensAreRejected()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, adminRoute);
    const QString path = adminRoute ? QStringLiteral("/v1/users") : QStringLiteral("/v1/users/me");
    // The same claims, properly signed, work (the rows change one thing each).
    QCOMPARE(get(*m_server, path, bearer(signJwt(claimsFor(m_admin.id, QStringLiteral("admin")))))
                 .status,
        200);
    QCOMPARE(m_admin.id, qint64(1));
    OUTPOST_VERIFY_PROBLEM(get(*m_server, path, bearer(token)), 401, "Unauthorized");
}

void TestAuthApi::tamperedPayloadIsRejected()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const QList<QByteArray> parts = user.accessToken.split('.');
    QCOMPARE(parts.size(), 3);

    QJsonObject claims = payloadOf(user.accessToken);
    claims.insert(QStringLiteral("role"), QStringLiteral("admin"));
    const QByteArray asAdmin = parts.at(0) + '.' + base64Url(jsonBytes(claims)) + '.' + parts.at(2);
    OUTPOST_VERIFY_PROBLEM(
        get(*m_server, QStringLiteral("/v1/users"), bearer(asAdmin)), 401, "Unauthorized");

    claims = payloadOf(user.accessToken);
    claims.insert(QStringLiteral("sub"), QString::number(m_admin.id));
    const QByteArray otherSub =
        parts.at(0) + '.' + base64Url(jsonBytes(claims)) + '.' + parts.at(2);
    OUTPOST_VERIFY_PROBLEM(
        get(*m_server, QStringLiteral("/v1/users/me"), bearer(otherSub)), 401, "Unauthorized");

    claims = payloadOf(user.accessToken);
    claims.insert(QStringLiteral("exp"), claims.value(QStringLiteral("exp")).toInteger() + 86400);
    const QByteArray longer = parts.at(0) + '.' + base64Url(jsonBytes(claims)) + '.' + parts.at(2);
    OUTPOST_VERIFY_PROBLEM(
        get(*m_server, QStringLiteral("/v1/users/me"), bearer(longer)), 401, "Unauthorized");

    // Untouched, it works.
    QCOMPARE(get(*m_server, QStringLiteral("/v1/users/me"), user.auth()).status, 200);
}

void TestAuthApi::tokenOfADeletedUserIsRejected()
{
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    const QByteArray selfSigned = signJwt(claimsFor(user.id));
    QCOMPARE(get(*m_server, QStringLiteral("/v1/users/me"), bearer(selfSigned)).status, 200);
    QCOMPARE(
        del(*m_server, QStringLiteral("/v1/users/%1").arg(user.id), m_admin.auth()).status, 204);
    OUTPOST_VERIFY_PROBLEM(
        get(*m_server, QStringLiteral("/v1/users/me"), user.auth()), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(
        get(*m_server, QStringLiteral("/v1/users/me"), bearer(selfSigned)), 401, "Unauthorized");
}

void TestAuthApi::tokenOfADeletedUserDoesNotPassToANewUser()
{
    // The newest user is deleted and someone registers after: the old token must not
    // authenticate the newcomer (who may get the same id if ids are reused).
    const Account user = createAccount(*m_server);
    QVERIFY(user.ok());
    QCOMPARE(
        del(*m_server, QStringLiteral("/v1/users/%1").arg(user.id), m_admin.auth()).status, 204);
    const QString newcomer = uniqueEmail(QStringLiteral("newcomer"));
    const CreatedUser created = registerUser(*m_server, newcomer);
    QCOMPARE(created.status, 201);
    const HttpResult me = get(*m_server, QStringLiteral("/v1/users/me"), user.auth());
    QVERIFY2(me.status == 401,
        qPrintable(QStringLiteral("deleted user %1's token answered %2 as user %3: %4")
                       .arg(user.id)
                       .arg(me.status)
                       .arg(created.id)
                       .arg(QString::fromUtf8(me.body))));
    OUTPOST_VERIFY_PROBLEM(me, 401, "Unauthorized");
}

void TestAuthApi::otherAuthorizationForms_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("basic") << QByteArrayLiteral("Basic YWRtaW46cGFzc3dvcmQ=");
    QTest::newRow("bearer without token") << QByteArrayLiteral("Bearer");
    QTest::newRow("bearer with blank token") << QByteArrayLiteral("Bearer    ");
    QTest::newRow("token without scheme") << QByteArrayLiteral("TOKEN");
    QTest::newRow("token scheme") << QByteArrayLiteral("Token TOKEN");
}

void TestAuthApi::otherAuthorizationForms()
{
    QFETCH(QByteArray, authorization);
    authorization.replace("TOKEN", m_admin.accessToken);
    const HttpResult result = get(*m_server, QStringLiteral("/v1/users/me"),
        {{QByteArrayLiteral("Authorization"), authorization}});
    OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
}

void TestAuthApi::bearerSchemeIsCaseInsensitive()
{
    // RFC 9110: the scheme name is case-insensitive.
    const HttpResult result = get(*m_server, QStringLiteral("/v1/users/me"),
        {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("bearer ") + m_admin.accessToken}});
    QCOMPARE(result.status, 200);
}

void TestAuthApi::unknownEmailCostsAPasswordCheck()
{
    // A wrong password costs one bcrypt verification at cost 12 (hundreds of ms); an unknown
    // email must cost about as much, or response times tell which emails have accounts.
    TestServer slow;
    slow.setEnv(QStringLiteral("OUTPOST_BCRYPT_COST"), QStringLiteral("12"));
    QVERIFY2(slow.start(), qPrintable(slow.lastError()));
    const QString email = uniqueEmail(QStringLiteral("timed"));
    QVERIFY(createUser(slow, email) > 0);

    QList<qint64> wrongMs;
    QList<qint64> unknownMs;
    for (int i = 0; i < 3; ++i) {
        // Addresses per kind keep both under the throttle's five free failures.
        QElapsedTimer timer;
        timer.start();
        const HttpResult wrong =
            loginFrom(slow, "127.0.0.61", email, QStringLiteral("Wrong-Password-1"));
        wrongMs.append(timer.elapsed());
        QCOMPARE(wrong.status, 401);

        timer.restart();
        const HttpResult unknown = loginFrom(slow, "127.0.0.62",
            uniqueEmail(QStringLiteral("ghost")), QStringLiteral("Wrong-Password-1"));
        unknownMs.append(timer.elapsed());
        QCOMPARE(unknown.status, 401);
    }
    const qint64 wrong = median(wrongMs);
    const qint64 unknown = median(unknownMs);
    const QByteArray times = "wrong password " + QByteArray::number(wrong) + " ms, unknown email "
        + QByteArray::number(unknown) + " ms";
    qInfo("%s", times.constData());
    QVERIFY2(wrong >= 20, QByteArray("cost 12 should take far longer: " + times).constData());
    QVERIFY2(unknown * 2 >= wrong, times.constData());
}

void TestAuthApi::openApiDescribesSessionRoutes()
{
    const HttpResult result = get(*m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject paths = result.json().object().value(QStringLiteral("paths")).toObject();
    for (const QString &path : {QStringLiteral("/v1/login"), QStringLiteral("/v1/token/refresh"),
             QStringLiteral("/v1/logout")})
        QVERIFY2(paths.value(path).toObject().contains(QStringLiteral("post")), qPrintable(path));
    const QJsonObject loginBodyTypes = paths.value(QStringLiteral("/v1/login"))
                                           .toObject()
                                           .value(QStringLiteral("post"))
                                           .toObject()
                                           .value(QStringLiteral("requestBody"))
                                           .toObject()
                                           .value(QStringLiteral("content"))
                                           .toObject();
    QVERIFY(loginBodyTypes.contains(QStringLiteral("application/x-www-form-urlencoded")));
    QVERIFY(loginBodyTypes.contains(QStringLiteral("application/json")));
}

QTEST_GUILESS_MAIN(TestAuthApi)
#include "tst_authapi.moc"
