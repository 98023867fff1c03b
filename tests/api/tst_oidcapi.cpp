// Single sign-on (server/api/oidcapi.cpp, server/services/oidcservice.cpp) against a real
// OpenID provider (panva's oidc-provider, tests/oidc/provider.mjs): the authorization code flow
// with PKCE through Outpost to its own token pair, users matched by sub, linking by verified
// e-mail, groups to roles, key rotation, refusals, machine tokens, password sign-in switched
// off, the audit trail and the OpenAPI description.
#include "factories.h"
#include "oidctestprovider.h"
#include "testserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QScopeGuard>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Outpost::Test;

namespace {

const QString kAudience = QStringLiteral("https://outpost.test/api");
const QString kLoopbackRedirect = QStringLiteral("http://127.0.0.1:53682/callback");

// What a browser sign-in ends with: the callback's answer, and the steps before it.
struct SignIn
{
    HttpResult start;    // GET .../login
    QUrl backAt;         // where the provider sent the browser back
    HttpResult callback; // GET .../callback
    QByteArray accessToken() const
    {
        return callback.json().object().value(QStringLiteral("access_token")).toString().toLatin1();
    }
};

QString loginPath(const QString &provider, const QString &redirect)
{
    return QStringLiteral("/v1/auth/oidc/%1/login?redirect_uri=%2")
        .arg(provider, QString::fromLatin1(QUrl::toPercentEncoding(redirect)));
}

// Through the whole flow as `account`, coming back to a loopback redirect like the desktop app.
SignIn signIn(TestServer &server, OidcTestProvider &provider, const QString &account,
    const QString &providerName = QStringLiteral("default"))
{
    SignIn result;
    result.start = get(server, loginPath(providerName, kLoopbackRedirect));
    if (result.start.status != 302)
        return result;
    result.backAt =
        provider.login(QUrl(QString::fromUtf8(result.start.header("Location"))), account);
    result.callback = get(server,
        QStringLiteral("/v1/auth/oidc/%1/callback?").arg(providerName)
            + result.backAt.query(QUrl::FullyEncoded));
    return result;
}

QJsonObject me(TestServer &server, const QByteArray &token)
{
    return get(server, QStringLiteral("/v1/users/me"), bearer(token)).json().object();
}

QString detailOf(const HttpResult &result)
{
    return result.json().object().value(QStringLiteral("detail")).toString();
}

// The newest audit entries (up to 100) with this action.
QList<QJsonObject> auditEntries(TestServer &server, const Account &admin, const QString &action)
{
    QList<QJsonObject> found;
    const QJsonArray items =
        itemsOf(get(server, QStringLiteral("/v1/admin/audit?limit=100"), admin.auth()));
    for (const QJsonValue &item : items) {
        if (item.toObject().value(QStringLiteral("action")).toString() == action)
            found.append(item.toObject());
    }
    return found;
}

} // namespace

class TestOidcApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void providersAreAdvertised();
    void firstSignInCreatesTheUserAndTheSecondFindsIt();
    void publicClientSignsInWithPkceOnly();
    void groupsClaimSetsTheRoleAtEverySignIn();
    void keyRotationAtTheProviderKeepsSignInWorking();
    void unknownKeyIdsFetchKeysAtMostOnceInAWhile();
    void stateWorksOnce();
    void unknownStateIsRefusedAndChangesNothing();
    void providerErrorIsPassedOn();
    void issuerParameterMustBeTheProvider();
    void redirectUrisAreAllowListed_data();
    void redirectUrisAreAllowListed();
    void unknownProviderIs404();
    void existingUserIsLinkedOnlyWithAVerifiedEmail();
    void disabledUserStaysDisabled();
    void signupOffRefusesUnknownAccounts();
    void machineTokenOfAServiceAccountGetsOnlyApiKeyScopes();
    void machineTokenWithAnotherAudienceIsRefused();
    void machineTokenOfALinkedUserActsAsTheUser();
    void forgedMachineTokensAreRefused_data();
    void forgedMachineTokensAreRefused();
    void passwordLoginOffRefusesPasswordsButNotTheCli();
    void passwordLoginAdminsOnly();
    void logoutRevokesTheSsoSession();
    void endSessionUrlCarriesTheIdTokenHint();
    void claimsComeFromUserInfoWhenTheIdTokenLacksThem();
    void userInfoOfAnotherSubjectIsRefused();
    void openApiDescribesTheRoutes();
    void swaggerUiOffersSingleSignOn();

private:
    bool startServer(TestServer &server, const QMap<QString, QString> &extra = {});

    OidcTestProvider m_provider;
    std::unique_ptr<TestServer> m_server;
    Account m_admin;
};

bool TestOidcApi::startServer(TestServer &server, const QMap<QString, QString> &extra)
{
    server.setEnv(QStringLiteral("OUTPOST_OIDC_ISSUER"), m_provider.issuer());
    server.setEnv(QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("outpost"));
    server.setEnv(QStringLiteral("OUTPOST_OIDC_CLIENT_SECRET"), QStringLiteral("outpost-secret"));
    server.setEnv(QStringLiteral("OUTPOST_OIDC_SCOPES"), QStringLiteral("openid email groups"));
    server.setEnv(QStringLiteral("OUTPOST_OIDC_ADMIN_GROUPS"), QStringLiteral("ops"));
    server.setEnv(QStringLiteral("OUTPOST_OIDC_AUDIENCE"), kAudience);
    server.setEnv(QStringLiteral("OUTPOST_OIDC_DISPLAY_NAME"), QStringLiteral("Test SSO"));
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        server.setEnv(it.key(), it.value());
    if (!server.start()) {
        qWarning("%s", qPrintable(server.lastError()));
        return false;
    }
    return true;
}

void TestOidcApi::initTestCase()
{
    if (!m_provider.start()) {
        if (peersRequired())
            QFAIL(qPrintable(m_provider.lastError()));
        QSKIP(qPrintable(m_provider.lastError()));
    }
    m_server = std::make_unique<TestServer>();
    QVERIFY(startServer(*m_server));
    m_admin = createAdmin(*m_server); // the first registration: an admin, for the audit trail
    QVERIFY(m_admin.ok());
}

void TestOidcApi::providersAreAdvertised()
{
    const HttpResult result = get(*m_server, QStringLiteral("/v1/auth/providers"));
    QCOMPARE(result.status, 200);
    const QJsonObject body = result.json().object();
    QCOMPARE(body.value(QStringLiteral("password_login")).toString(), QStringLiteral("on"));
    const QJsonArray providers = body.value(QStringLiteral("providers")).toArray();
    QCOMPARE(providers.size(), 1);
    const QJsonObject provider = providers.first().toObject();
    QCOMPARE(provider.value(QStringLiteral("name")).toString(), QStringLiteral("default"));
    QCOMPARE(provider.value(QStringLiteral("display_name")).toString(), QStringLiteral("Test SSO"));
    QCOMPARE(provider.value(QStringLiteral("login_url")).toString(),
        QStringLiteral("/v1/auth/oidc/default/login"));
    // From the provider's discovery document, for clients that offer to sign out there too.
    QCOMPARE(provider.value(QStringLiteral("end_session_endpoint")).toString(),
        m_provider.issuer() + QStringLiteral("/session/end"));
}

void TestOidcApi::firstSignInCreatesTheUserAndTheSecondFindsIt()
{
    QVERIFY(
        m_provider.setAccount(QStringLiteral("sub-alice"), QStringLiteral("alice@sso.test"), true));
    const SignIn first = signIn(*m_server, m_provider, QStringLiteral("sub-alice"));
    QCOMPARE(first.start.status, 302);
    // The authorization request: code flow, PKCE S256, state and nonce, our redirect.
    const QUrlQuery asked(QUrl(QString::fromUtf8(first.start.header("Location"))));
    QCOMPARE(asked.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
    QCOMPARE(asked.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    QCOMPARE(asked.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
    QVERIFY(asked.queryItemValue(QStringLiteral("state")).size() >= 43);
    QVERIFY(asked.queryItemValue(QStringLiteral("nonce")).size() >= 43);
    QCOMPARE(asked.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
        kLoopbackRedirect);
    QCOMPARE(first.start.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(first.backAt.toString(QUrl::RemoveQuery), kLoopbackRedirect);

    QVERIFY2(first.callback.status == 200, first.callback.body.constData());
    const QJsonObject pair = first.callback.json().object();
    QCOMPARE(pair.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
    QVERIFY(!pair.value(QStringLiteral("refresh_token")).toString().isEmpty());
    QCOMPARE(first.callback.header("Cache-Control"), QByteArray("no-store"));
    const QJsonObject user = me(*m_server, first.accessToken());
    QCOMPARE(user.value(QStringLiteral("email")).toString(), QStringLiteral("alice@sso.test"));
    QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    // The refresh token works like a password sign-in's.
    const TokenPair rotated =
        refresh(*m_server, pair.value(QStringLiteral("refresh_token")).toString().toLatin1());
    QVERIFY(rotated.ok());

    const SignIn second = signIn(*m_server, m_provider, QStringLiteral("sub-alice"));
    QVERIFY2(second.callback.status == 200, second.callback.body.constData());
    QCOMPARE(me(*m_server, second.accessToken()).value(QStringLiteral("id")),
        user.value(QStringLiteral("id")));

    const auto signups = auditEntries(*m_server, m_admin, QStringLiteral("oidc.signup"));
    QVERIFY(std::any_of(signups.cbegin(), signups.cend(), [&](const QJsonObject &entry) {
        return entry.value(QStringLiteral("target_id")).toString()
            == QString::number(user.value(QStringLiteral("id")).toInteger());
    }));
    const auto logins = auditEntries(*m_server, m_admin, QStringLiteral("login.succeeded"));
    const auto ssoLogins = std::count_if(logins.cbegin(), logins.cend(), [&](const QJsonObject &e) {
        const QJsonObject detail = e.value(QStringLiteral("detail")).toObject();
        return detail.value(QStringLiteral("method")).toString() == u"oidc"
            && detail.value(QStringLiteral("provider")).toString() == u"default"
            && e.value(QStringLiteral("actor_id")).toInteger()
            == user.value(QStringLiteral("id")).toInteger();
    });
    QCOMPARE(ssoLogins, 2);
}

void TestOidcApi::publicClientSignsInWithPkceOnly()
{
    TestServer server;
    QVERIFY(startServer(server,
        {{QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("outpost-public")},
            {QStringLiteral("OUTPOST_OIDC_CLIENT_SECRET"), QString()}}));
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-pat"), QStringLiteral("pat@sso.test"), true));
    const SignIn done = signIn(server, m_provider, QStringLiteral("sub-pat"));
    QVERIFY2(done.callback.status == 200, done.callback.body.constData());
    QCOMPARE(me(server, done.accessToken()).value(QStringLiteral("email")).toString(),
        QStringLiteral("pat@sso.test"));
}

void TestOidcApi::groupsClaimSetsTheRoleAtEverySignIn()
{
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-bob"), QStringLiteral("bob@sso.test"), true,
        {QStringLiteral("staff"), QStringLiteral("ops")}));
    SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-bob"));
    QVERIFY2(done.callback.status == 200, done.callback.body.constData());
    QCOMPARE(me(*m_server, done.accessToken()).value(QStringLiteral("role")).toString(),
        QStringLiteral("admin"));
    // Admin routes answer.
    QCOMPARE(
        get(*m_server, QStringLiteral("/v1/admin/info"), bearer(done.accessToken())).status, 200);

    QVERIFY(m_provider.setAccount(QStringLiteral("sub-bob"), QStringLiteral("bob@sso.test"), true,
        {QStringLiteral("staff")}));
    done = signIn(*m_server, m_provider, QStringLiteral("sub-bob"));
    QVERIFY2(done.callback.status == 200, done.callback.body.constData());
    QCOMPARE(me(*m_server, done.accessToken()).value(QStringLiteral("role")).toString(),
        QStringLiteral("user"));
    QVERIFY(!auditEntries(*m_server, m_admin, QStringLiteral("oidc.role_changed")).isEmpty());
}

void TestOidcApi::keyRotationAtTheProviderKeepsSignInWorking()
{
    QVERIFY(
        m_provider.setAccount(QStringLiteral("sub-carl"), QStringLiteral("carl@sso.test"), true));
    const int before = m_provider.keySetFetches();
    const QString kid = m_provider.rotateKey();
    QVERIFY(!kid.isEmpty());
    const SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-carl"));
    QVERIFY2(done.callback.status == 200, done.callback.body.constData());
    // The ID token named a kid the server did not have: it fetched the keys once more.
    QCOMPARE(m_provider.keySetFetches(), before + 1);
    // And the next sign-in uses the keys it has.
    const SignIn again = signIn(*m_server, m_provider, QStringLiteral("sub-carl"));
    QVERIFY2(again.callback.status == 200, again.callback.body.constData());
    QCOMPARE(m_provider.keySetFetches(), before + 1);
}

void TestOidcApi::unknownKeyIdsFetchKeysAtMostOnceInAWhile()
{
    // A fresh server: no unknown-kid fetch made yet.
    TestServer server;
    QVERIFY(startServer(server));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject claims {{QStringLiteral("sub"), QStringLiteral("x")},
        {QStringLiteral("aud"), kAudience}, {QStringLiteral("exp"), now + 300}};
    const int before = m_provider.keySetFetches();
    for (int i = 0; i < 3; ++i) {
        const QByteArray junk = m_provider.sign(
            claims, {{QStringLiteral("kid"), QStringLiteral("no-such-key-%1").arg(i)}});
        const HttpResult result = get(server, QStringLiteral("/v1/users/me"), bearer(junk));
        OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
        QCOMPARE(detailOf(result), QStringLiteral("token signed with an unknown key"));
    }
    QCOMPARE(m_provider.keySetFetches(), before + 1);
}

void TestOidcApi::stateWorksOnce()
{
    QVERIFY(
        m_provider.setAccount(QStringLiteral("sub-dora"), QStringLiteral("dora@sso.test"), true));
    const SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-dora"));
    QCOMPARE(done.callback.status, 200);
    const HttpResult replay = get(*m_server,
        QStringLiteral("/v1/auth/oidc/default/callback?") + done.backAt.query(QUrl::FullyEncoded));
    OUTPOST_VERIFY_PROBLEM(replay, 401, "Unauthorized");
    QCOMPARE(detailOf(replay),
        QStringLiteral("unknown, used or expired sign-in state; start the sign-in again"));
}

void TestOidcApi::unknownStateIsRefusedAndChangesNothing()
{
    const int usersBefore =
        int(totalOf(get(*m_server, QStringLiteral("/v1/users"), m_admin.auth())));
    const HttpResult result = get(*m_server,
        QStringLiteral("/v1/auth/oidc/default/callback?state=forged-state&code=forged-code"));
    OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
    QCOMPARE(totalOf(get(*m_server, QStringLiteral("/v1/users"), m_admin.auth())), usersBefore);
    const HttpResult missing = get(*m_server, QStringLiteral("/v1/auth/oidc/default/callback"));
    OUTPOST_VERIFY_PROBLEM(missing, 422, "Unprocessable Content");
    QCOMPARE(errorFields(missing), (QStringList {QStringLiteral("state"), QStringLiteral("code")}));
}

void TestOidcApi::providerErrorIsPassedOn()
{
    const HttpResult result = get(*m_server,
        QStringLiteral("/v1/auth/oidc/default/"
                       "callback?error=access_denied&error_description=no+thanks&state=x"));
    OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
    QCOMPARE(detailOf(result),
        QStringLiteral("the provider refused the sign-in: access_denied (no thanks)"));
}

void TestOidcApi::issuerParameterMustBeTheProvider()
{
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-eve"), QStringLiteral("eve@sso.test"), true));
    const HttpResult start =
        get(*m_server, loginPath(QStringLiteral("default"), kLoopbackRedirect));
    QCOMPARE(start.status, 302);
    const QUrl back = m_provider.login(
        QUrl(QString::fromUtf8(start.header("Location"))), QStringLiteral("sub-eve"));
    QUrlQuery query(back);
    QCOMPARE(query.queryItemValue(QStringLiteral("iss"), QUrl::FullyDecoded), m_provider.issuer());
    query.removeAllQueryItems(QStringLiteral("iss"));
    query.addQueryItem(QStringLiteral("iss"), QStringLiteral("https%3A%2F%2Fevil.example"));
    const HttpResult result = get(*m_server,
        QStringLiteral("/v1/auth/oidc/default/callback?") + query.query(QUrl::FullyEncoded));
    OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
    QCOMPARE(detailOf(result),
        QStringLiteral("the answer comes from another issuer than this provider"));
}

void TestOidcApi::redirectUrisAreAllowListed_data()
{
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<int>("status");
    QTest::newRow("loopback v4") << QStringLiteral("http://127.0.0.1:8123/cb") << 302;
    QTest::newRow("loopback v6") << QStringLiteral("http://[::1]:8123/cb") << 302;
    QTest::newRow("elsewhere") << QStringLiteral("https://evil.example/cb") << 422;
    QTest::newRow("localhost by name") << QStringLiteral("http://localhost:8123/cb") << 422;
    QTest::newRow("no port") << QStringLiteral("http://127.0.0.1/cb") << 422;
    QTest::newRow("https loopback") << QStringLiteral("https://127.0.0.1:8123/cb") << 422;
    QTest::newRow("with query") << QStringLiteral("http://127.0.0.1:8123/cb?x=1") << 422;
    QTest::newRow("user info") << QStringLiteral("http://u@127.0.0.1:8123/cb") << 422;
    // Without OUTPOST_PUBLIC_URL the server's own callback cannot be named.
    QTest::newRow("none") << QString() << 422;
}

void TestOidcApi::redirectUrisAreAllowListed()
{
    QFETCH(QString, redirect);
    QFETCH(int, status);
    const HttpResult result = get(*m_server,
        redirect.isNull() ? QStringLiteral("/v1/auth/oidc/default/login")
                          : loginPath(QStringLiteral("default"), redirect));
    QCOMPARE(result.status, status);
    if (status == 422)
        QCOMPARE(errorFields(result), QStringList {QStringLiteral("redirect_uri")});
}

void TestOidcApi::unknownProviderIs404()
{
    OUTPOST_VERIFY_PROBLEM(
        get(*m_server, loginPath(QStringLiteral("nope"), kLoopbackRedirect)), 404, "Not Found");
}

void TestOidcApi::existingUserIsLinkedOnlyWithAVerifiedEmail()
{
    const QString email = uniqueEmail(QStringLiteral("carol"));
    const Account carol = createAccount(*m_server, email);
    QVERIFY(carol.ok());
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-carol"), email, false));
    const SignIn unverified = signIn(*m_server, m_provider, QStringLiteral("sub-carol"));
    OUTPOST_VERIFY_PROBLEM(unverified.callback, 409, "Conflict");
    QVERIFY(detailOf(unverified.callback).contains(QStringLiteral("has not verified the address")));

    QVERIFY(m_provider.setAccount(QStringLiteral("sub-carol"), email, true));
    const SignIn verified = signIn(*m_server, m_provider, QStringLiteral("sub-carol"));
    QVERIFY2(verified.callback.status == 200, verified.callback.body.constData());
    QCOMPARE(
        me(*m_server, verified.accessToken()).value(QStringLiteral("id")).toInteger(), carol.id);
    const auto links = auditEntries(*m_server, m_admin, QStringLiteral("oidc.linked"));
    QVERIFY(std::any_of(links.cbegin(), links.cend(), [&](const QJsonObject &entry) {
        return entry.value(QStringLiteral("target_id")).toString() == QString::number(carol.id)
            && entry.value(QStringLiteral("detail")).toObject().value(QStringLiteral("subject"))
            == QStringLiteral("sub-carol");
    }));
    // Her password still works: linking adds a way in.
    QVERIFY(login(*m_server, email).ok());
}

void TestOidcApi::disabledUserStaysDisabled()
{
    QVERIFY(m_provider.setAccount(
        QStringLiteral("sub-dan"), QStringLiteral("dan@sso.test"), true, {QStringLiteral("ops")}));
    const SignIn first = signIn(*m_server, m_provider, QStringLiteral("sub-dan"));
    QCOMPARE(first.callback.status, 200);
    const qint64 id = me(*m_server, first.accessToken()).value(QStringLiteral("id")).toInteger();
    QCOMPARE(patch(*m_server, QStringLiteral("/v1/users/%1").arg(id),
                 {{QStringLiteral("disabled"), true}}, m_admin.auth())
                 .status,
        200);
    const SignIn refused = signIn(*m_server, m_provider, QStringLiteral("sub-dan"));
    OUTPOST_VERIFY_PROBLEM(refused.callback, 401, "Unauthorized");
    QCOMPARE(detailOf(refused.callback), QStringLiteral("this account is disabled"));
}

void TestOidcApi::signupOffRefusesUnknownAccounts()
{
    TestServer server;
    QVERIFY(startServer(
        server, {{QStringLiteral("OUTPOST_OIDC_ALLOW_SIGNUP"), QStringLiteral("false")}}));
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-fay"), QStringLiteral("fay@sso.test"), true));
    const SignIn refused = signIn(server, m_provider, QStringLiteral("sub-fay"));
    OUTPOST_VERIFY_PROBLEM(refused.callback, 403, "Forbidden");
    QCOMPARE(detailOf(refused.callback),
        QStringLiteral("there is no account for this sign-in, and sign-up with Test SSO is off"));
}

void TestOidcApi::machineTokenOfAServiceAccountGetsOnlyApiKeyScopes()
{
    const QByteArray token =
        m_provider.clientCredentialsToken(QStringLiteral("read pipelines:write"), kAudience);
    QVERIFY(!token.isEmpty());
    // pipelines:write is an API-key scope: the route runs (and finds no such pipeline).
    const HttpResult allowed = post(*m_server, QStringLiteral("/v1/pipelines/999999/runs"),
        {{QStringLiteral("status"), QStringLiteral("queued")}}, bearer(token));
    QVERIFY2(allowed.status == 404 || allowed.status == 422, allowed.body.constData());
    // Routes API keys may not use stay closed to it.
    const HttpResult me = get(*m_server, QStringLiteral("/v1/users/me"), bearer(token));
    OUTPOST_VERIFY_PROBLEM(me, 403, "Forbidden");
    QCOMPARE(detailOf(me), QStringLiteral("API keys cannot be used here"));

    const QByteArray readOnly =
        m_provider.clientCredentialsToken(QStringLiteral("read"), kAudience);
    const HttpResult denied = post(*m_server, QStringLiteral("/v1/pipelines/999999/runs"),
        {{QStringLiteral("status"), QStringLiteral("queued")}}, bearer(readOnly));
    OUTPOST_VERIFY_PROBLEM(denied, 403, "Forbidden");
    QCOMPARE(detailOf(denied), QStringLiteral("this API key lacks the pipelines:write scope"));
}

void TestOidcApi::machineTokenWithAnotherAudienceIsRefused()
{
    const QByteArray token = m_provider.clientCredentialsToken(
        QStringLiteral("read pipelines:write"), QStringLiteral("https://other.test/api"));
    QVERIFY(!token.isEmpty());
    const HttpResult result = post(*m_server, QStringLiteral("/v1/pipelines/999999/runs"),
        {{QStringLiteral("status"), QStringLiteral("queued")}}, bearer(token));
    OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
    QCOMPARE(detailOf(result), QStringLiteral("token audience is not this server"));
}

void TestOidcApi::machineTokenOfALinkedUserActsAsTheUser()
{
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-gil"), QStringLiteral("gil@sso.test"), true));
    const SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-gil"));
    QCOMPARE(done.callback.status, 200);
    const QByteArray token = m_provider.sign({{QStringLiteral("sub"), QStringLiteral("sub-gil")},
        {QStringLiteral("aud"), kAudience}, {QStringLiteral("scope"), QStringLiteral("read")}});
    const HttpResult result = get(*m_server, QStringLiteral("/v1/users/me"), bearer(token));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().object().value(QStringLiteral("email")).toString(),
        QStringLiteral("gil@sso.test"));
}

void TestOidcApi::forgedMachineTokensAreRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("detail");
    QTest::newRow("expired") << QStringLiteral("expired") << QStringLiteral("token expired");
    QTest::newRow("not yet valid")
        << QStringLiteral("nbf") << QStringLiteral("token is not valid yet");
    QTest::newRow("alg none") << QStringLiteral("none")
                              << QStringLiteral("token algorithm not accepted");
    QTest::newRow("HS256 with the public key")
        << QStringLiteral("hs256") << QStringLiteral("token algorithm not accepted");
    QTest::newRow("no kid") << QStringLiteral("nokid") << QStringLiteral("token has no key id");
    QTest::newRow("tampered") << QStringLiteral("tampered")
                              << QStringLiteral("token signature is not valid");
    QTest::newRow("other issuer") << QStringLiteral("issuer") << QStringLiteral("invalid token");
}

void TestOidcApi::forgedMachineTokensAreRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, detail);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims {{QStringLiteral("sub"), QStringLiteral("svc")},
        {QStringLiteral("aud"), kAudience}, {QStringLiteral("scope"), QStringLiteral("read")}};
    QJsonObject header;
    if (kind == u"expired")
        claims.insert(QStringLiteral("exp"), now - 3600);
    if (kind == u"nbf")
        claims.insert(QStringLiteral("nbf"), now + 3600);
    if (kind == u"issuer")
        claims.insert(QStringLiteral("iss"), QStringLiteral("https://evil.example"));
    QByteArray token = m_provider.sign(claims, header);
    QList<QByteArray> parts = token.split('.');
    const auto b64 = [](const QByteArray &bytes) {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QJsonObject realHeader =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding))
            .object();
    if (kind == u"none" || kind == u"hs256" || kind == u"nokid") {
        QJsonObject forged = realHeader;
        if (kind == u"nokid")
            forged.remove(QStringLiteral("kid"));
        else
            forged.insert(QStringLiteral("alg"),
                kind == u"none" ? QStringLiteral("none") : QStringLiteral("HS256"));
        parts[0] = b64(QJsonDocument(forged).toJson(QJsonDocument::Compact));
        // HS256 keyed with the provider's published key set, as a confused verifier would.
        const HttpResult jwks =
            httpRequest("GET", QUrl(m_provider.issuer() + QStringLiteral("/jwks")));
        parts[2] = kind == u"none" ? QByteArray("AAAA")
                                   : b64(QMessageAuthenticationCode::hash(parts[0] + '.' + parts[1],
                                       jwks.body, QCryptographicHash::Sha256));
    }
    if (kind == u"tampered") {
        QJsonObject body =
            QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
                .object();
        body.insert(QStringLiteral("scope"), QStringLiteral("read pipelines:write files:write"));
        parts[1] = b64(QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    token = parts.join('.');
    const HttpResult result = get(*m_server, QStringLiteral("/v1/runs/1"), bearer(token));
    OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
    QCOMPARE(detailOf(result), detail);
}

void TestOidcApi::passwordLoginOffRefusesPasswordsButNotTheCli()
{
    TestServer server;
    QVERIFY(
        startServer(server, {{QStringLiteral("OUTPOST_PASSWORD_LOGIN"), QStringLiteral("off")}}));
    const QString email = uniqueEmail(QStringLiteral("pw"));
    // Registering with a password is refused too, even what would bootstrap the first admin
    // (loopback, no admin yet): nobody could sign in with that password.
    const CreatedUser registered = registerUser(server, email);
    OUTPOST_VERIFY_PROBLEM(registered.result, 403, "Forbidden");
    QCOMPARE(detailOf(registered.result),
        QStringLiteral("registration with a password is turned off on this server; sign up with "
                       "single sign-on"));
    QCOMPARE(get(server, QStringLiteral("/v1/auth/providers"))
                 .json()
                 .object()
                 .value(QStringLiteral("password_login"))
                 .toString(),
        QStringLiteral("off"));

    // The command line's user commands still work (recovery), and the refused registration
    // left nothing behind.
    server.stop();
    QProcessEnvironment env = TestServer::cliEnvironment();
    env.insert(QStringLiteral("OUTPOST_DATA_DIR"), server.dataDir());
    if (TestServer::onPostgres())
        env.insert(QStringLiteral("OUTPOST_DATABASE_URL"), server.databaseUrl());
    env.insert(QStringLiteral("OUTPOST_PASSWORD_LOGIN"), QStringLiteral("off"));
    env.insert(QStringLiteral("OUTPOST_OIDC_ISSUER"), m_provider.issuer());
    env.insert(QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("outpost"));
    const TestServer::Run listed =
        TestServer::runCliWithInput({QStringLiteral("user"), QStringLiteral("list")}, {}, env);
    QVERIFY2(listed.exitCode == 0, listed.err.constData());
    QVERIFY2(!listed.out.contains(email.toUtf8()), listed.out.constData());
    const QString cliEmail = uniqueEmail(QStringLiteral("cli"));
    const TestServer::Run made = TestServer::runCliWithInput(
        {QStringLiteral("user"), QStringLiteral("create"), QStringLiteral("--email"), cliEmail,
            QStringLiteral("--admin"), QStringLiteral("--password-stdin")},
        kPassword.toUtf8() + '\n', env);
    QVERIFY2(made.exitCode == 0, made.err.constData());

    // The password of a user made there does not sign in over HTTP.
    QVERIFY(server.start());
    const TokenPair refused = login(server, cliEmail);
    OUTPOST_VERIFY_PROBLEM(refused.result, 403, "Forbidden");
    QCOMPARE(detailOf(refused.result),
        QStringLiteral(
            "password sign-in is turned off on this server; sign in with single sign-on"));
    // Registering from loopback is still refused now that an admin exists.
    OUTPOST_VERIFY_PROBLEM(
        registerUser(server, uniqueEmail(QStringLiteral("late"))).result, 403, "Forbidden");

    // An admin (here one the provider's groups make) may still register users, accounts that
    // SSO links by verified e-mail.
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-offadmin"),
        QStringLiteral("offadmin@sso.test"), true, {QStringLiteral("ops")}));
    const SignIn done = signIn(server, m_provider, QStringLiteral("sub-offadmin"));
    QVERIFY2(done.callback.status == 200, done.callback.body.constData());
    const CreatedUser provisioned = registerUser(
        server, uniqueEmail(QStringLiteral("prov")), kPassword, {}, bearer(done.accessToken()));
    QVERIFY2(provisioned.result.status == 201, provisioned.result.body.constData());
}

void TestOidcApi::passwordLoginAdminsOnly()
{
    TestServer server;
    QVERIFY(startServer(
        server, {{QStringLiteral("OUTPOST_PASSWORD_LOGIN"), QStringLiteral("admins-only")}}));
    // The bootstrap of the first admin still works: an admin may use a password.
    const Account admin = createAdmin(server);
    QVERIFY(admin.ok());

    // Anyone else registering with a password is refused, and nothing is made.
    const QString stranger = uniqueEmail(QStringLiteral("stranger"));
    const CreatedUser registered = registerUser(server, stranger);
    OUTPOST_VERIFY_PROBLEM(registered.result, 403, "Forbidden");
    QCOMPARE(detailOf(registered.result),
        QStringLiteral("registration with a password is for admins only on this server; sign up "
                       "with single sign-on"));
    const HttpResult found = get(server,
        QStringLiteral("/v1/users?search=%1")
            .arg(QString::fromLatin1(QUrl::toPercentEncoding(stranger))),
        admin.auth());
    QCOMPARE(found.status, 200);
    QVERIFY2(itemsOf(found).isEmpty(), found.body.constData());
    QVERIFY(auditEntries(server, admin, QStringLiteral("user.registered")).isEmpty());

    // An admin registers a plain user; that user's password does not sign in.
    const QString email = uniqueEmail(QStringLiteral("plain"));
    QVERIFY(createUser(server, email, kPassword, {}, admin.auth()) > 0);
    const TokenPair refused = login(server, email);
    OUTPOST_VERIFY_PROBLEM(refused.result, 403, "Forbidden");
    QCOMPARE(detailOf(refused.result),
        QStringLiteral(
            "password sign-in is for admins only on this server; sign in with single sign-on"));
    // A wrong password is still the usual 401: the role is not told to strangers.
    OUTPOST_VERIFY_PROBLEM(
        login(server, email, QStringLiteral("Wrong-Password-1")).result, 401, "Unauthorized");
}

void TestOidcApi::logoutRevokesTheSsoSession()
{
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-hal"), QStringLiteral("hal@sso.test"), true));
    const SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-hal"));
    QCOMPARE(done.callback.status, 200);
    const QJsonObject answer = done.callback.json().object();
    const QByteArray refreshToken =
        answer.value(QStringLiteral("refresh_token")).toString().toLatin1();
    QCOMPARE(post(*m_server, QStringLiteral("/v1/logout"),
                 {{QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken)}},
                 bearer(done.accessToken()))
                 .status,
        204);
    OUTPOST_VERIFY_PROBLEM(refresh(*m_server, refreshToken).result, 401, "Unauthorized");
}

void TestOidcApi::endSessionUrlCarriesTheIdTokenHint()
{
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-ida"), QStringLiteral("ida@sso.test"), true));
    const SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-ida"));
    QCOMPARE(done.callback.status, 200);
    const QJsonObject answer = done.callback.json().object();
    const QString idToken = answer.value(QStringLiteral("id_token")).toString();
    QCOMPARE(idToken.count(u'.'), 2);
    const QUrl endSession(answer.value(QStringLiteral("end_session_url")).toString());
    QVERIFY2(endSession.isValid(), done.callback.body.constData());

    // The provider's end_session_endpoint, as /v1/auth/providers lists it, with the hint.
    const QJsonArray providers = get(*m_server, QStringLiteral("/v1/auth/providers"))
                                     .json()
                                     .object()
                                     .value(QStringLiteral("providers"))
                                     .toArray();
    QCOMPARE(providers.size(), 1);
    QUrl bare = endSession;
    bare.setQuery(QString());
    QCOMPARE(bare.toString(),
        providers.first().toObject().value(QStringLiteral("end_session_endpoint")).toString());
    const QUrlQuery query(endSession);
    QCOMPARE(query.queryItemValue(QStringLiteral("id_token_hint"), QUrl::FullyDecoded), idToken);
    QCOMPARE(query.queryItemValue(QStringLiteral("client_id")), QStringLiteral("outpost"));

    // The real provider accepts it: its logout page (the confirmation a browser shows) ...
    const HttpResult accepted = httpRequest("GET", endSession);
    QVERIFY2(accepted.status == 200, accepted.body.left(500).constData());
    QVERIFY2(accepted.body.contains("<form"), accepted.body.left(500).constData());
    // ... while a forged hint (another signature) is refused there.
    QUrl forged = endSession;
    QUrlQuery forgedQuery(endSession);
    QString tampered = idToken;
    tampered.chop(4);
    tampered += QStringLiteral("AAAA");
    forgedQuery.removeQueryItem(QStringLiteral("id_token_hint"));
    forgedQuery.addQueryItem(QStringLiteral("id_token_hint"), tampered);
    forged.setQuery(forgedQuery);
    const HttpResult refused = httpRequest("GET", forged);
    QVERIFY2(refused.status == 400, refused.body.left(500).constData());
}

void TestOidcApi::claimsComeFromUserInfoWhenTheIdTokenLacksThem()
{
    QVERIFY(m_provider.setConformIdTokenClaims(true));
    const auto restore = qScopeGuard([this] { m_provider.setConformIdTokenClaims(false); });
    QVERIFY(m_provider.setAccount(
        QStringLiteral("sub-uma"), QStringLiteral("uma@sso.test"), true, {QStringLiteral("ops")}));
    const int before = m_provider.userInfoFetches();
    const SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-uma"));
    QVERIFY2(done.callback.status == 200, done.callback.body.constData());
    // The ID token really lacks them ...
    const QList<QByteArray> parts = done.callback.json()
                                        .object()
                                        .value(QStringLiteral("id_token"))
                                        .toString()
                                        .toLatin1()
                                        .split('.');
    QCOMPARE(parts.size(), 3);
    const QJsonObject idClaims =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(idClaims.value(QStringLiteral("sub")).toString(), QStringLiteral("sub-uma"));
    QVERIFY(!idClaims.contains(QStringLiteral("email")));
    QVERIFY(!idClaims.contains(QStringLiteral("groups")));
    // ... so they came from userinfo: the account has the e-mail, and the groups made it admin.
    QCOMPARE(m_provider.userInfoFetches(), before + 1);
    const QJsonObject user = me(*m_server, done.accessToken());
    QCOMPARE(user.value(QStringLiteral("email")).toString(), QStringLiteral("uma@sso.test"));
    QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
}

void TestOidcApi::userInfoOfAnotherSubjectIsRefused()
{
    QVERIFY(m_provider.setConformIdTokenClaims(true));
    QVERIFY(m_provider.setAccount(QStringLiteral("sub-mal"), QStringLiteral("mal@sso.test"), true));
    // The userinfo endpoint speaks of another user, one who is an admin with a known address:
    // its claims must not be taken for the ID token's subject.
    QVERIFY(m_provider.setUserInfoAnswer({{QStringLiteral("sub"), QStringLiteral("sub-victim")},
        {QStringLiteral("email"), m_admin.email}, {QStringLiteral("email_verified"), true},
        {QStringLiteral("groups"), QJsonArray {QStringLiteral("ops")}}}));
    const auto restore = qScopeGuard([this] {
        m_provider.setUserInfoAnswer({});
        m_provider.setConformIdTokenClaims(false);
    });
    const int linksBefore = auditEntries(*m_server, m_admin, QStringLiteral("oidc.linked")).size();
    const SignIn done = signIn(*m_server, m_provider, QStringLiteral("sub-mal"));
    OUTPOST_VERIFY_PROBLEM(done.callback, 401, "Unauthorized");
    QCOMPARE(detailOf(done.callback),
        QStringLiteral("the provider's userinfo answer is about another user"));
    // Nothing was linked or made.
    QCOMPARE(auditEntries(*m_server, m_admin, QStringLiteral("oidc.linked")).size(), linksBefore);
    const HttpResult found =
        get(*m_server, QStringLiteral("/v1/users?search=mal%40sso.test"), m_admin.auth());
    QCOMPARE(found.status, 200);
    QVERIFY2(itemsOf(found).isEmpty(), found.body.constData());
}

void TestOidcApi::openApiDescribesTheRoutes()
{
    const HttpResult result = get(*m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject paths = result.json().object().value(QStringLiteral("paths")).toObject();
    const auto operationId = [&](const QString &path) {
        return paths.value(path)
            .toObject()
            .value(QStringLiteral("get"))
            .toObject()
            .value(QStringLiteral("operationId"))
            .toString();
    };
    QCOMPARE(
        operationId(QStringLiteral("/v1/auth/providers")), QStringLiteral("listAuthProviders"));
    QCOMPARE(operationId(QStringLiteral("/v1/auth/oidc/{provider}/login")),
        QStringLiteral("startOidcLogin"));
    QCOMPARE(operationId(QStringLiteral("/v1/auth/oidc/{provider}/callback")),
        QStringLiteral("finishOidcLogin"));
    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

void TestOidcApi::swaggerUiOffersSingleSignOn()
{
    const HttpResult result = get(*m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject document = result.json().object();
    const QJsonObject scheme = document.value(QStringLiteral("components"))
                                   .toObject()
                                   .value(QStringLiteral("securitySchemes"))
                                   .toObject()
                                   .value(QStringLiteral("oidc_default"))
                                   .toObject();
    QCOMPARE(scheme.value(QStringLiteral("type")).toString(), QStringLiteral("openIdConnect"));
    const QString discoveryUrl = scheme.value(QStringLiteral("openIdConnectUrl")).toString();
    QCOMPARE(
        discoveryUrl, m_provider.issuer() + QStringLiteral("/.well-known/openid-configuration"));

    // Offered wherever a bearer token is, and nowhere else.
    const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
    const auto security = [&](const QString &path, const QString &method) {
        return paths.value(path)
            .toObject()
            .value(method)
            .toObject()
            .value(QStringLiteral("security"))
            .toArray();
    };
    const QJsonArray me = security(QStringLiteral("/v1/users/me"), QStringLiteral("get"));
    QVERIFY2(me.contains(QJsonObject {{QStringLiteral("oidc_default"), QJsonArray {}}}),
        QJsonDocument(me).toJson().constData());
    QVERIFY(me.contains(QJsonObject {{QStringLiteral("bearer"), QJsonArray {}}}));
    QVERIFY(security(QStringLiteral("/v1/auth/providers"), QStringLiteral("get")).isEmpty());

    // What Swagger UI reads there: the real provider's discovery, with the code flow and S256.
    const HttpResult discovery = httpRequest("GET", QUrl(discoveryUrl));
    QCOMPARE(discovery.status, 200);
    const QJsonObject configuration = discovery.json().object();
    QVERIFY(!configuration.value(QStringLiteral("authorization_endpoint")).toString().isEmpty());
    QVERIFY(configuration.value(QStringLiteral("code_challenge_methods_supported"))
                .toArray()
                .contains(QStringLiteral("S256")));

    // The page may fetch from the provider (connect-src), the redirect page is bundled, and
    // the initializer asks for PKCE.
    const HttpResult page = get(*m_server, QStringLiteral("/docs"));
    QCOMPARE(page.status, 200);
    const QByteArray policy = page.header("Content-Security-Policy");
    const QByteArray allowed = QByteArray("connect-src 'self' ") + m_provider.issuer().toLatin1();
    QVERIFY2(
        policy.contains(QByteArray(allowed + ';')) || policy.contains(QByteArray(allowed + ' ')),
        policy.constData());
    QCOMPARE(get(*m_server, QStringLiteral("/docs/oauth2-redirect.html")).status, 200);
    const HttpResult initializer = get(*m_server, QStringLiteral("/docs/swagger-initializer.js"));
    QCOMPARE(initializer.status, 200);
    QVERIFY(initializer.body.contains("usePkceWithAuthorizationCodeGrant: true"));

    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

QTEST_GUILESS_MAIN(TestOidcApi)
#include "tst_oidcapi.moc"
