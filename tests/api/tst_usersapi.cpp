// The users resource (server/api/usersapi.cpp): registration with its rules and the admin
// bootstrap, reading and listing users, changing and deleting them.
#include "factories.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace Outpost::Test;

namespace {

const QByteArray kSetupTokenMarker = QByteArrayLiteral("X-Setup-Token: ");

QString userPath(qint64 id)
{
    return QStringLiteral("/v1/users/%1").arg(id);
}

// The one-time setup token from the server's "no admin yet" log line; empty if none.
QByteArray setupTokenOf(TestServer &server)
{
    if (!server.waitForOutput(kSetupTokenMarker))
        return {};
    const QByteArray output = server.output();
    const qsizetype from = output.indexOf(kSetupTokenMarker) + kSetupTokenMarker.size();
    qsizetype to = from;
    while (to < output.size()
        && (QChar::isLetterOrNumber(uint(uchar(output.at(to)))) || output.at(to) == '-'
            || output.at(to) == '_'))
        ++to;
    return output.mid(from, to - from);
}

QString roleOf(const HttpResult &result)
{
    return result.json().object().value(QStringLiteral("role")).toString();
}

QStringList emailsOf(const HttpResult &result)
{
    QStringList emails;
    for (const QJsonValue &item : itemsOf(result))
        emails.append(item.toObject().value(QStringLiteral("email")).toString());
    return emails;
}

} // namespace

class TestUsersApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void registrationAnswers201WithLocationAndUser();
    void registrationKeepsNoPasswordInTheUser();
    void registrationAcceptsBoundaryValues_data();
    void registrationAcceptsBoundaryValues();
    void registrationRejectsDuplicateEmailInAnyCase_data();
    void registrationRejectsDuplicateEmailInAnyCase();
    void registrationRejectsInvalidFields_data();
    void registrationRejectsInvalidFields();
    void registrationRejectsMalformedJson_data();
    void registrationRejectsMalformedJson();
    void registrationWithInvalidTokenIs401();

    void firstLoopbackRegistrationBecomesAdmin();
    void proxiedRegistrationDoesNotBecomeAdmin_data();
    void proxiedRegistrationDoesNotBecomeAdmin();
    void setupTokenMakesAProxiedRegistrationAdminOnce();
    void setupTokenSurvivesAFailedRegistration();
    void concurrentFirstRegistrationsMakeOneAdmin();
    void closedRegistrationAdmitsOnlyAdmins();

    void meReturnsTheSignedInUser();
    void meWithoutTokenIs401();
    void getUserById();
    void userReadsOnlyThePublicPartOfAnotherUser();
    void userReadsAllOfThemself();
    void getUnknownUserIs404();
    void getUserWithBadIdIs422_data();
    void getUserWithBadIdIs422();

    void listIsAnEnvelopeForAdmins();
    void listIsForbiddenToUsers();
    void listPagesWithLimitAndSkip();
    void listRejectsOutOfRangePaging_data();
    void listRejectsOutOfRangePaging();
    void listSearchesEmailAndUsername();
    void listSearchTreatsWildcardsLiterally();

    void userChangesOwnUsername();
    void userCannotChangeOwnRoleOrDisabled_data();
    void userCannotChangeOwnRoleOrDisabled();
    void userCannotChangeAnotherUser();
    void passwordChangeNeedsTheCurrentPassword();
    void passwordChangeEndsOtherSessions();
    void adminChangingOwnPasswordNeedsTheCurrentOne();
    void adminChangesRoleWithImmediateEffect();
    void disablingAUserEndsTheirTokensAtOnce();
    void lastAdminCannotBeDemotedDisabledOrDeleted();
    void patchRejectsUnknownOrNoFields_data();
    void patchRejectsUnknownOrNoFields();
    void patchUnknownUserIs404();

    void adminDeletesAUser();
    void userCannotDeleteUsers();
    void deleteUnknownUserIs404();

    void openApiDescribesUserRoutes();

private:
    TestServer m_server;
    Account m_admin;
};

// A failure because the shared server went away says so, with its last words.
void TestUsersApi::cleanup()
{
    if (QTest::currentTestFailed() && !m_server.isRunning()) {
        qWarning().noquote() << "the server is not running:" << m_server.processState() << "\n"
                             << QString::fromUtf8(m_server.output().right(2000));
    }
}

void TestUsersApi::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
}

void TestUsersApi::registrationAnswers201WithLocationAndUser()
{
    const QString email = uniqueEmail();
    const CreatedUser created = registerUser(m_server, email, kPassword, QStringLiteral("ada_l"));
    QCOMPARE(created.status, 201);
    QVERIFY(created.id > 0);
    QCOMPARE(created.result.header("Location"), userPath(created.id).toUtf8());
    QCOMPARE(created.json.value(QStringLiteral("email")).toString(), email);
    QCOMPARE(created.json.value(QStringLiteral("username")).toString(), QStringLiteral("ada_l"));
    QCOMPARE(created.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    QCOMPARE(created.json.value(QStringLiteral("disabled")), QJsonValue(false));
    static const QRegularExpression rfc3339(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
    QVERIFY2(rfc3339.match(created.json.value(QStringLiteral("created_at")).toString()).hasMatch(),
        created.result.body.constData());

    // Without a username, the member is null.
    const CreatedUser plain = registerUser(m_server, uniqueEmail());
    QCOMPARE(plain.status, 201);
    QCOMPARE(plain.json.value(QStringLiteral("username")), QJsonValue(QJsonValue::Null));
}

void TestUsersApi::registrationKeepsNoPasswordInTheUser()
{
    const CreatedUser created = registerUser(m_server, uniqueEmail());
    QCOMPARE(created.status, 201);
    QStringList keys = created.json.keys();
    keys.sort();
    QCOMPARE(keys,
        (QStringList {QStringLiteral("created_at"), QStringLiteral("disabled"),
            QStringLiteral("email"), QStringLiteral("id"), QStringLiteral("role"),
            QStringLiteral("username")}));
    QVERIFY(!created.result.body.contains(kPassword.toUtf8()));
    QVERIFY(!created.result.body.contains("$2"));

    const HttpResult fetched = get(m_server, userPath(created.id), m_admin.auth());
    QCOMPARE(fetched.status, 200);
    QVERIFY(!fetched.json().object().contains(QStringLiteral("password")));
    QVERIFY(!fetched.json().object().contains(QStringLiteral("password_hash")));
    QVERIFY(!fetched.body.contains("$2"));
}

void TestUsersApi::registrationAcceptsBoundaryValues_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("username");
    QTest::newRow("password of 8") << QStringLiteral("abcdefg1") << QString();
    QTest::newRow("password of 128")
        << (QString(127, QLatin1Char('a')) + QLatin1Char('B')) << QString();
    QTest::newRow("letters and a symbol") << QStringLiteral("abcdefgh!") << QString();
    QTest::newRow("username of 3") << kPassword << QStringLiteral("abc");
    QTest::newRow("username of 32") << kPassword << QString(32, QLatin1Char('z'));
    QTest::newRow("username with _.-") << kPassword << QStringLiteral("a_b.c-d");
}

void TestUsersApi::registrationAcceptsBoundaryValues()
{
    QFETCH(QString, password);
    QFETCH(QString, username);
    const CreatedUser created = registerUser(m_server, uniqueEmail(), password, username);
    QVERIFY2(created.status == 201, created.result.body.constData());
    QVERIFY(login(m_server, created.json.value(QStringLiteral("email")).toString(), password).ok());
}

void TestUsersApi::registrationRejectsDuplicateEmailInAnyCase_data()
{
    QTest::addColumn<QString>("second");
    QTest::newRow("same") << QStringLiteral("dup.case@example.test");
    QTest::newRow("upper case") << QStringLiteral("DUP.Case@Example.TEST");
    QTest::newRow("surrounding spaces") << QStringLiteral("  dup.case@example.test ");
}

void TestUsersApi::registrationRejectsDuplicateEmailInAnyCase()
{
    QFETCH(QString, second);
    const QString first = QStringLiteral("dup.case@example.test");
    const CreatedUser original = registerUser(m_server, first);
    QVERIFY(original.status == 201 || original.status == 409); // made by an earlier row
    const CreatedUser again = registerUser(m_server, second);
    OUTPOST_VERIFY_PROBLEM(again.result, 409, "Conflict");
}

void TestUsersApi::registrationRejectsInvalidFields_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    const QString email = QStringLiteral("valid.one@example.test");
    const auto with = [&](const QString &e, const QString &p) {
        return QJsonObject {{QStringLiteral("email"), e}, {QStringLiteral("password"), p}};
    };
    const auto withName = [&](const QString &name) {
        QJsonObject body = with(email, kPassword);
        body.insert(QStringLiteral("username"), name);
        return body;
    };
    QTest::newRow("email without @")
        << with(QStringLiteral("nobody.example.test"), kPassword) << QStringLiteral("email");
    QTest::newRow("email without domain dot")
        << with(QStringLiteral("a@localhost"), kPassword) << QStringLiteral("email");
    QTest::newRow("email with two @")
        << with(QStringLiteral("a@b@example.test"), kPassword) << QStringLiteral("email");
    QTest::newRow("email with space")
        << with(QStringLiteral("a b@example.test"), kPassword) << QStringLiteral("email");
    QTest::newRow("empty email") << with(QString(), kPassword) << QStringLiteral("email");
    QTest::newRow("email too long")
        << with(QString(250, QLatin1Char('a')) + QStringLiteral("@example.test"), kPassword)
        << QStringLiteral("email");
    QTest::newRow("missing email")
        << QJsonObject {{QStringLiteral("password"), kPassword}} << QStringLiteral("email");
    QTest::newRow("email not a string")
        << QJsonObject {{QStringLiteral("email"), 42}, {QStringLiteral("password"), kPassword}}
        << QStringLiteral("email");
    QTest::newRow("password of 7")
        << with(email, QStringLiteral("abcdef1")) << QStringLiteral("password");
    QTest::newRow("password of 129")
        << with(email, QString(128, QLatin1Char('a')) + QLatin1Char('1'))
        << QStringLiteral("password");
    QTest::newRow("password all lower case")
        << with(email, QStringLiteral("abcdefghij")) << QStringLiteral("password");
    QTest::newRow("password all digits")
        << with(email, QStringLiteral("1234567890")) << QStringLiteral("password");
    QTest::newRow("password all upper case")
        << with(email, QStringLiteral("ABCDEFGHIJ")) << QStringLiteral("password");
    QTest::newRow("missing password")
        << QJsonObject {{QStringLiteral("email"), email}} << QStringLiteral("password");
    QTest::newRow("username of 2") << withName(QStringLiteral("ab")) << QStringLiteral("username");
    QTest::newRow("username of 33")
        << withName(QString(33, QLatin1Char('a'))) << QStringLiteral("username");
    QTest::newRow("username with space")
        << withName(QStringLiteral("ab cd")) << QStringLiteral("username");
    QTest::newRow("username with @")
        << withName(QStringLiteral("ab@cd")) << QStringLiteral("username");
    QJsonObject unknown = with(email, kPassword);
    unknown.insert(QStringLiteral("role"), QStringLiteral("admin"));
    QTest::newRow("unknown field role") << unknown << QStringLiteral("role");
}

void TestUsersApi::registrationRejectsInvalidFields()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    const HttpResult result = post(m_server, QStringLiteral("/v1/users"), body);
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(field), result.body.constData());
    // Nothing was created.
    const QString email = body.value(QStringLiteral("email")).toString();
    if (!email.isEmpty()) {
        const HttpResult list = get(m_server,
            QStringLiteral("/v1/users?search=")
                + QString::fromLatin1(QUrl::toPercentEncoding(email)),
            m_admin.auth());
        QCOMPARE(list.status, 200);
        QCOMPARE(totalOf(list), 0);
    }
}

void TestUsersApi::registrationRejectsMalformedJson_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("truncated") << QByteArrayLiteral("{\"email\": \"a@example.test\"");
    QTest::newRow("not json") << QByteArrayLiteral("email=a@example.test");
    QTest::newRow("array") << QByteArrayLiteral("[]");
    QTest::newRow("trailing comma") << QByteArrayLiteral("{\"email\": \"a@example.test\",}");
}

void TestUsersApi::registrationRejectsMalformedJson()
{
    QFETCH(QByteArray, body);
    const HttpResult result = httpRequest("POST", m_server.url(QStringLiteral("/v1/users")), body);
    OUTPOST_VERIFY_PROBLEM(result, 400, "Bad Request");
}

void TestUsersApi::registrationWithInvalidTokenIs401()
{
    // Credentials are optional here, but sent ones must be valid.
    const CreatedUser created = registerUser(
        m_server, uniqueEmail(), kPassword, {}, bearer(QByteArrayLiteral("not-a-token")));
    OUTPOST_VERIFY_PROBLEM(created.result, 401, "Unauthorized");
}

void TestUsersApi::firstLoopbackRegistrationBecomesAdmin()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const CreatedUser first = registerUser(server, uniqueEmail());
    QCOMPARE(first.status, 201);
    QCOMPARE(first.json.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));

    // Once there is an admin, nobody else becomes one by registering.
    const CreatedUser second = registerUser(server, uniqueEmail());
    QCOMPARE(second.status, 201);
    QCOMPARE(second.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

    // The admin can do admin things.
    const TokenPair admin = login(server, first.json.value(QStringLiteral("email")).toString());
    QVERIFY(admin.ok());
    QCOMPARE(get(server, QStringLiteral("/v1/users"), bearer(admin.accessToken)).status, 200);
}

void TestUsersApi::proxiedRegistrationDoesNotBecomeAdmin_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("X-Forwarded-For")
        << QByteArrayLiteral("X-Forwarded-For") << QByteArrayLiteral("203.0.113.9");
    QTest::newRow("Forwarded") << QByteArrayLiteral("Forwarded")
                               << QByteArrayLiteral("for=203.0.113.9");
    QTest::newRow("X-Real-IP") << QByteArrayLiteral("X-Real-IP")
                               << QByteArrayLiteral("203.0.113.9");
}

void TestUsersApi::proxiedRegistrationDoesNotBecomeAdmin()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const CreatedUser proxied =
        registerUser(server, uniqueEmail(), kPassword, {}, {{header, value}});
    QCOMPARE(proxied.status, 201);
    QCOMPARE(proxied.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

    // The instance still has no admin: a direct registration now becomes it.
    const CreatedUser direct = registerUser(server, uniqueEmail());
    QCOMPARE(direct.status, 201);
    QCOMPARE(direct.json.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
}

void TestUsersApi::setupTokenMakesAProxiedRegistrationAdminOnce()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const QByteArray token = setupTokenOf(server);
    QVERIFY2(token.size() >= 16, server.output().constData());
    const QByteArray proxy = QByteArrayLiteral("X-Forwarded-For");
    const QByteArray client = QByteArrayLiteral("198.51.100.7");

    const CreatedUser wrong = registerUser(server, uniqueEmail(), kPassword, {},
        {{proxy, client}, {QByteArrayLiteral("X-Setup-Token"), token + "x"}});
    QCOMPARE(wrong.status, 201);
    QCOMPARE(wrong.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

    const CreatedUser right = registerUser(server, uniqueEmail(), kPassword, {},
        {{proxy, client}, {QByteArrayLiteral("X-Setup-Token"), token}});
    QCOMPARE(right.status, 201);
    QCOMPARE(right.json.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));

    const CreatedUser again = registerUser(server, uniqueEmail(), kPassword, {},
        {{proxy, client}, {QByteArrayLiteral("X-Setup-Token"), token}});
    QCOMPARE(again.status, 201);
    QCOMPARE(again.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

    const CreatedUser direct = registerUser(server, uniqueEmail());
    QCOMPARE(direct.status, 201);
    QCOMPARE(direct.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
}

void TestUsersApi::setupTokenSurvivesAFailedRegistration()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const QByteArray token = setupTokenOf(server);
    QVERIFY2(token.size() >= 16, server.output().constData());
    const Headers proxied {
        {QByteArrayLiteral("X-Forwarded-For"), QByteArrayLiteral("198.51.100.7")}};
    Headers withToken = proxied;
    withToken.insert(QByteArrayLiteral("X-Setup-Token"), token);

    const QString taken = uniqueEmail(QStringLiteral("taken"));
    QCOMPARE(registerUser(server, taken, kPassword, {}, proxied).status, 201);
    // A registration that fails (the email is taken) creates nobody: the token is not used up.
    const CreatedUser failed = registerUser(server, taken, kPassword, {}, withToken);
    OUTPOST_VERIFY_PROBLEM(failed.result, 409, "Conflict");

    const CreatedUser admin = registerUser(server, uniqueEmail(), kPassword, {}, withToken);
    QCOMPARE(admin.status, 201);
    QCOMPARE(admin.json.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
}

void TestUsersApi::concurrentFirstRegistrationsMakeOneAdmin()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    constexpr int kCount = 6;
    QNetworkAccessManager manager;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < kCount; ++i) {
        QNetworkRequest request(server.url(QStringLiteral("/v1/users")));
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        replies.append(manager.post(request,
            jsonBytes({{QStringLiteral("email"), uniqueEmail(QStringLiteral("racer"))},
                {QStringLiteral("password"), kPassword}})));
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(),
                                 [](const QNetworkReply *reply) { return reply->isFinished(); }),
        15'000);
    int admins = 0;
    for (QNetworkReply *reply : replies) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        QVERIFY2(status == 201, body.constData());
        admins += QJsonDocument::fromJson(body).object().value(QStringLiteral("role")).toString()
            == QLatin1String("admin");
        reply->deleteLater();
    }
    QCOMPARE(admins, 1);
}

void TestUsersApi::closedRegistrationAdmitsOnlyAdmins()
{
    TestServer server;
    const QString adminEmail = uniqueEmail(QStringLiteral("closed-admin"));
    server.setEnv(QStringLiteral("OUTPOST_REGISTRATION"), QStringLiteral("closed"));
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_EMAIL"), adminEmail);
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_PASSWORD"), kPassword);
    QVERIFY2(server.start(), qPrintable(server.lastError()));

    const CreatedUser anonymous = registerUser(server, uniqueEmail());
    OUTPOST_VERIFY_PROBLEM(anonymous.result, 403, "Forbidden");

    const TokenPair admin = login(server, adminEmail);
    QVERIFY(admin.ok());
    const CreatedUser byAdmin =
        registerUser(server, uniqueEmail(), kPassword, {}, bearer(admin.accessToken));
    QCOMPARE(byAdmin.status, 201);
    QCOMPARE(byAdmin.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

    const TokenPair user = login(server, byAdmin.json.value(QStringLiteral("email")).toString());
    QVERIFY(user.ok());
    const CreatedUser byUser =
        registerUser(server, uniqueEmail(), kPassword, {}, bearer(user.accessToken));
    OUTPOST_VERIFY_PROBLEM(byUser.result, 403, "Forbidden");
}

void TestUsersApi::meReturnsTheSignedInUser()
{
    const Account user = createAccount(m_server, {}, kPassword, QStringLiteral("me_myself"));
    QVERIFY(user.ok());
    const HttpResult me = get(m_server, QStringLiteral("/v1/users/me"), user.auth());
    QCOMPARE(me.status, 200);
    const QJsonObject json = me.json().object();
    QCOMPARE(json.value(QStringLiteral("id")).toInteger(), user.id);
    QCOMPARE(json.value(QStringLiteral("email")).toString(), user.email);
    QCOMPARE(json.value(QStringLiteral("username")).toString(), QStringLiteral("me_myself"));
    QCOMPARE(json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

    const HttpResult adminMe = get(m_server, QStringLiteral("/v1/users/me"), m_admin.auth());
    QCOMPARE(idOf(adminMe), m_admin.id);
    QCOMPARE(roleOf(adminMe), QStringLiteral("admin"));
}

void TestUsersApi::meWithoutTokenIs401()
{
    OUTPOST_VERIFY_PROBLEM(get(m_server, QStringLiteral("/v1/users/me")), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(get(m_server, userPath(m_admin.id)), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(get(m_server, QStringLiteral("/v1/users")), 401, "Unauthorized");
}

void TestUsersApi::getUserById()
{
    // Admins see the whole user.
    const CreatedUser other =
        registerUser(m_server, uniqueEmail(), kPassword, QStringLiteral("other"));
    QCOMPARE(other.status, 201);
    const HttpResult result = get(m_server, userPath(other.id), m_admin.auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().object(), other.json);
}

// OWASP API3, tried as an attacker: user B, signed in, reads user A by id and learns only what
// A shows everyone.
void TestUsersApi::userReadsOnlyThePublicPartOfAnotherUser()
{
    const CreatedUser victim =
        registerUser(m_server, uniqueEmail(), kPassword, QStringLiteral("victim_a"));
    QCOMPARE(victim.status, 201);
    const Account attacker = createAccount(m_server);
    QVERIFY(attacker.ok());
    const HttpResult result = get(m_server, userPath(victim.id), attacker.auth());
    QCOMPARE(result.status, 200);
    const QJsonObject user = result.json().object();
    QCOMPARE(user,
        (QJsonObject {{QStringLiteral("id"), victim.id},
            {QStringLiteral("username"), QStringLiteral("victim_a")},
            {QStringLiteral("created_at"), victim.json.value(QStringLiteral("created_at"))}}));
    QVERIFY(!result.body.contains(victim.json.value(QStringLiteral("email")).toString().toUtf8()));
    // The admin is another user too: no e-mail, no role.
    const QJsonObject admin = get(m_server, userPath(m_admin.id), attacker.auth()).json().object();
    QVERIFY(!admin.contains(QStringLiteral("email")));
    QVERIFY(!admin.contains(QStringLiteral("role")));
    QCOMPARE(admin.value(QStringLiteral("id")).toInteger(), m_admin.id);
    // The list stays admin-only.
    QCOMPARE(get(m_server, QStringLiteral("/v1/users"), attacker.auth()).status, 403);
}

void TestUsersApi::userReadsAllOfThemself()
{
    const Account self = createAccount(m_server);
    QVERIFY(self.ok());
    const QJsonObject byId = get(m_server, userPath(self.id), self.auth()).json().object();
    QCOMPARE(byId, get(m_server, QStringLiteral("/v1/users/me"), self.auth()).json().object());
    QVERIFY(byId.contains(QStringLiteral("email")));
    QVERIFY(byId.contains(QStringLiteral("role")));
}

void TestUsersApi::getUnknownUserIs404()
{
    OUTPOST_VERIFY_PROBLEM(get(m_server, userPath(987654321), m_admin.auth()), 404, "Not Found");
}

void TestUsersApi::getUserWithBadIdIs422_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("letters") << QStringLiteral("abc");
    QTest::newRow("zero") << QStringLiteral("0");
    QTest::newRow("negative") << QStringLiteral("-3");
    QTest::newRow("decimal") << QStringLiteral("1.5");
}

void TestUsersApi::getUserWithBadIdIs422()
{
    QFETCH(QString, id);
    const HttpResult result = get(m_server, QStringLiteral("/v1/users/") + id, m_admin.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(QStringLiteral("id")), result.body.constData());
}

void TestUsersApi::listIsAnEnvelopeForAdmins()
{
    const CreatedUser created = registerUser(m_server, uniqueEmail(QStringLiteral("listed")));
    QCOMPARE(created.status, 201);
    const HttpResult result = get(m_server, QStringLiteral("/v1/users?limit=100"), m_admin.auth());
    QCOMPARE(result.status, 200);
    const QJsonObject page = result.json().object();
    QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 100);
    QCOMPARE(page.value(QStringLiteral("skip")).toInt(), 0);
    const QJsonArray items = page.value(QStringLiteral("items")).toArray();
    QVERIFY(!items.isEmpty());
    QVERIFY(page.value(QStringLiteral("total")).toInt() >= items.size());
    QVERIFY(emailsOf(result).contains(created.json.value(QStringLiteral("email")).toString()));
    QVERIFY(!result.body.contains("$2"));

    // Defaults: limit 10, skip 0.
    const HttpResult defaults = get(m_server, QStringLiteral("/v1/users"), m_admin.auth());
    QCOMPARE(defaults.json().object().value(QStringLiteral("limit")).toInt(), 10);
    QCOMPARE(defaults.json().object().value(QStringLiteral("skip")).toInt(), 0);
    QVERIFY(itemsOf(defaults).size() <= 10);
}

void TestUsersApi::listIsForbiddenToUsers()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users"), user.auth()), 403, "Forbidden");
}

void TestUsersApi::listPagesWithLimitAndSkip()
{
    for (int i = 0; i < 3; ++i)
        QCOMPARE(registerUser(m_server, uniqueEmail(QStringLiteral("pager"))).status, 201);
    const HttpResult all = get(m_server, QStringLiteral("/v1/users?limit=100"), m_admin.auth());
    const QStringList emails = emailsOf(all);
    const qint64 total = totalOf(all);
    QVERIFY(emails.size() >= 4);
    QCOMPARE(emails.size(), qMin(total, 100));

    const HttpResult page =
        get(m_server, QStringLiteral("/v1/users?limit=2&skip=1"), m_admin.auth());
    QCOMPARE(page.status, 200);
    QCOMPARE(emailsOf(page), emails.mid(1, 2));
    QCOMPARE(totalOf(page), total);
    QCOMPARE(page.json().object().value(QStringLiteral("limit")).toInt(), 2);
    QCOMPARE(page.json().object().value(QStringLiteral("skip")).toInt(), 1);

    const HttpResult beyond =
        get(m_server, QStringLiteral("/v1/users?skip=%1").arg(total), m_admin.auth());
    QCOMPARE(beyond.status, 200);
    QVERIFY(emailsOf(beyond).isEmpty());
    QCOMPARE(totalOf(beyond), total);
}

void TestUsersApi::listRejectsOutOfRangePaging_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << QStringLiteral("limit");
    QTest::newRow("limit 101") << QStringLiteral("limit=101") << QStringLiteral("limit");
    QTest::newRow("limit -1") << QStringLiteral("limit=-1") << QStringLiteral("limit");
    QTest::newRow("limit abc") << QStringLiteral("limit=abc") << QStringLiteral("limit");
    QTest::newRow("limit empty") << QStringLiteral("limit=") << QStringLiteral("limit");
    QTest::newRow("skip -1") << QStringLiteral("skip=-1") << QStringLiteral("skip");
    QTest::newRow("skip 1.5") << QStringLiteral("skip=1.5") << QStringLiteral("skip");
}

void TestUsersApi::listRejectsOutOfRangePaging()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    const HttpResult result = get(m_server, QStringLiteral("/v1/users?") + query, m_admin.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(field), result.body.constData());
}

void TestUsersApi::listSearchesEmailAndUsername()
{
    const QString byEmail =
        QStringLiteral("zebra-stripes-%1@example.test").arg(QCoreApplication::applicationPid());
    QCOMPARE(registerUser(m_server, byEmail).status, 201);
    const CreatedUser byName =
        registerUser(m_server, uniqueEmail(), kPassword, QStringLiteral("Quokka_Smiles"));
    QCOMPARE(byName.status, 201);

    const HttpResult emailHit =
        get(m_server, QStringLiteral("/v1/users?search=ZEBRA-stripes"), m_admin.auth());
    QCOMPARE(emailHit.status, 200);
    QCOMPARE(emailsOf(emailHit), QStringList {byEmail});
    QCOMPARE(totalOf(emailHit), 1);

    const HttpResult nameHit =
        get(m_server, QStringLiteral("/v1/users?search=quokka"), m_admin.auth());
    QCOMPARE(
        emailsOf(nameHit), QStringList {byName.json.value(QStringLiteral("email")).toString()});

    const HttpResult none =
        get(m_server, QStringLiteral("/v1/users?search=no-such-person-anywhere"), m_admin.auth());
    QCOMPARE(none.status, 200);
    QVERIFY(emailsOf(none).isEmpty());
    QCOMPARE(totalOf(none), 0);
}

void TestUsersApi::listSearchTreatsWildcardsLiterally()
{
    const CreatedUser underscore =
        registerUser(m_server, uniqueEmail(), kPassword, QStringLiteral("wild_card"));
    const CreatedUser letter =
        registerUser(m_server, uniqueEmail(), kPassword, QStringLiteral("wildXcard"));
    QCOMPARE(underscore.status, 201);
    QCOMPARE(letter.status, 201);
    const HttpResult result =
        get(m_server, QStringLiteral("/v1/users?search=wild_card"), m_admin.auth());
    QCOMPARE(
        emailsOf(result), QStringList {underscore.json.value(QStringLiteral("email")).toString()});
    const HttpResult percent =
        get(m_server, QStringLiteral("/v1/users?search=wild%25card"), m_admin.auth());
    QCOMPARE(percent.status, 200);
    QVERIFY(emailsOf(percent).isEmpty());

    // The server's own LIKE escape character is literal too.
    const QString bang =
        QStringLiteral("bang!x-%1@example.test").arg(QCoreApplication::applicationPid());
    QCOMPARE(registerUser(m_server, bang).status, 201);
    QCOMPARE(registerUser(m_server, uniqueEmail(QStringLiteral("bangx"))).status, 201);
    const HttpResult escaped =
        get(m_server, QStringLiteral("/v1/users?search=g!x"), m_admin.auth());
    QCOMPARE(emailsOf(escaped), QStringList {bang});
}

void TestUsersApi::userChangesOwnUsername()
{
    const Account user = createAccount(m_server, {}, kPassword, QStringLiteral("before"));
    QVERIFY(user.ok());
    const HttpResult result = patch(m_server, userPath(user.id),
        {{QStringLiteral("username"), QStringLiteral("after")}}, user.auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().object().value(QStringLiteral("username")).toString(),
        QStringLiteral("after"));
    const HttpResult me = get(m_server, QStringLiteral("/v1/users/me"), user.auth());
    QCOMPARE(
        me.json().object().value(QStringLiteral("username")).toString(), QStringLiteral("after"));

    const HttpResult bad = patch(m_server, userPath(user.id),
        {{QStringLiteral("username"), QStringLiteral("x")}}, user.auth());
    OUTPOST_VERIFY_PROBLEM(bad, 422, "Unprocessable Content");
    QVERIFY(errorFields(bad).contains(QStringLiteral("username")));
}

void TestUsersApi::userCannotChangeOwnRoleOrDisabled_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::newRow("role admin") << QJsonObject {{QStringLiteral("role"), QStringLiteral("admin")}};
    QTest::newRow("role user") << QJsonObject {{QStringLiteral("role"), QStringLiteral("user")}};
    QTest::newRow("disabled") << QJsonObject {{QStringLiteral("disabled"), true}};
    QTest::newRow("enabled") << QJsonObject {{QStringLiteral("disabled"), false}};
}

void TestUsersApi::userCannotChangeOwnRoleOrDisabled()
{
    QFETCH(QJsonObject, body);
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    OUTPOST_VERIFY_PROBLEM(patch(m_server, userPath(user.id), body, user.auth()), 403, "Forbidden");
    const HttpResult me = get(m_server, QStringLiteral("/v1/users/me"), user.auth());
    QCOMPARE(me.status, 200);
    QCOMPARE(roleOf(me), QStringLiteral("user"));
    QCOMPARE(me.json().object().value(QStringLiteral("disabled")), QJsonValue(false));
}

void TestUsersApi::userCannotChangeAnotherUser()
{
    const Account mallory = createAccount(m_server);
    const CreatedUser victim =
        registerUser(m_server, uniqueEmail(), kPassword, QStringLiteral("victim"));
    QVERIFY(mallory.ok());
    QCOMPARE(victim.status, 201);
    OUTPOST_VERIFY_PROBLEM(
        patch(m_server, userPath(victim.id),
            {{QStringLiteral("username"), QStringLiteral("pwned")}}, mallory.auth()),
        403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(
        patch(m_server, userPath(victim.id),
            {{QStringLiteral("password"), QStringLiteral("Taken-Over-1")}}, mallory.auth()),
        403, "Forbidden");
    const HttpResult unchanged = get(m_server, userPath(victim.id), m_admin.auth());
    QCOMPARE(unchanged.json().object().value(QStringLiteral("username")).toString(),
        QStringLiteral("victim"));
    QVERIFY(login(m_server, victim.json.value(QStringLiteral("email")).toString()).ok());
}

void TestUsersApi::passwordChangeNeedsTheCurrentPassword()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const QString next = QStringLiteral("Brand-New-Pass-2");

    const HttpResult missing =
        patch(m_server, userPath(user.id), {{QStringLiteral("password"), next}}, user.auth());
    OUTPOST_VERIFY_PROBLEM(missing, 422, "Unprocessable Content");
    QVERIFY2(errorFields(missing).contains(QStringLiteral("current_password")),
        missing.body.constData());

    const HttpResult wrong = patch(m_server, userPath(user.id),
        {{QStringLiteral("password"), next},
            {QStringLiteral("current_password"), QStringLiteral("Not-It-123")}},
        user.auth());
    OUTPOST_VERIFY_PROBLEM(wrong, 422, "Unprocessable Content");
    QVERIFY2(
        errorFields(wrong).contains(QStringLiteral("current_password")), wrong.body.constData());

    const HttpResult weak = patch(m_server, userPath(user.id),
        {{QStringLiteral("password"), QStringLiteral("short")},
            {QStringLiteral("current_password"), kPassword}},
        user.auth());
    OUTPOST_VERIFY_PROBLEM(weak, 422, "Unprocessable Content");
    QVERIFY(errorFields(weak).contains(QStringLiteral("password")));

    // None of that changed anything.
    QVERIFY(login(m_server, user.email, kPassword).ok());
    QCOMPARE(login(m_server, user.email, next).status, 401);
}

void TestUsersApi::passwordChangeEndsOtherSessions()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const TokenPair otherSession = login(m_server, user.email);
    QVERIFY(otherSession.ok());
    const QString next = QStringLiteral("Brand-New-Pass-3");

    const HttpResult changed = patch(m_server, userPath(user.id),
        {{QStringLiteral("password"), next}, {QStringLiteral("current_password"), kPassword}},
        user.auth());
    QCOMPARE(changed.status, 200);
    QVERIFY(!changed.body.contains(next.toUtf8()));

    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users/me"), user.auth()), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users/me"), bearer(otherSession.accessToken)), 401,
        "Unauthorized");
    QCOMPARE(refresh(m_server, otherSession.refreshToken).status, 401);
    QCOMPARE(login(m_server, user.email, kPassword).status, 401);
    const TokenPair fresh = login(m_server, user.email, next);
    QVERIFY(fresh.ok());
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(fresh.accessToken)).status, 200);

    // An admin resets a password without the current one.
    const QString reset = QStringLiteral("Admin-Reset-4");
    const HttpResult byAdmin =
        patch(m_server, userPath(user.id), {{QStringLiteral("password"), reset}}, m_admin.auth());
    QCOMPARE(byAdmin.status, 200);
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(fresh.accessToken)).status, 401);
    QVERIFY(login(m_server, user.email, reset).ok());
}

void TestUsersApi::adminChangingOwnPasswordNeedsTheCurrentOne()
{
    // Admins reset other people's passwords without knowing them; their own needs the current
    // one like anyone's, so a stolen admin token cannot lock the admin out.
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account admin = createAdmin(server);
    QVERIFY(admin.ok());
    const QString next = QStringLiteral("Admin-Own-New-5");

    const HttpResult missing =
        patch(server, userPath(admin.id), {{QStringLiteral("password"), next}}, admin.auth());
    OUTPOST_VERIFY_PROBLEM(missing, 422, "Unprocessable Content");
    QVERIFY2(errorFields(missing).contains(QStringLiteral("current_password")),
        missing.body.constData());
    const HttpResult wrong = patch(server, userPath(admin.id),
        {{QStringLiteral("password"), next},
            {QStringLiteral("current_password"), QStringLiteral("Not-It-123")}},
        admin.auth());
    OUTPOST_VERIFY_PROBLEM(wrong, 422, "Unprocessable Content");

    const HttpResult right = patch(server, userPath(admin.id),
        {{QStringLiteral("password"), next}, {QStringLiteral("current_password"), kPassword}},
        admin.auth());
    QCOMPARE(right.status, 200);
    QVERIFY(login(server, admin.email, next).ok());
}

void TestUsersApi::adminChangesRoleWithImmediateEffect()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    QCOMPARE(get(m_server, QStringLiteral("/v1/users"), user.auth()).status, 403);

    const HttpResult promoted = patch(m_server, userPath(user.id),
        {{QStringLiteral("role"), QStringLiteral("admin")}}, m_admin.auth());
    QCOMPARE(promoted.status, 200);
    QCOMPARE(roleOf(promoted), QStringLiteral("admin"));
    // The token from before the promotion now carries the new role.
    QCOMPARE(get(m_server, QStringLiteral("/v1/users"), user.auth()).status, 200);

    const HttpResult demoted = patch(m_server, userPath(user.id),
        {{QStringLiteral("role"), QStringLiteral("user")}}, m_admin.auth());
    QCOMPARE(demoted.status, 200);
    QCOMPARE(roleOf(demoted), QStringLiteral("user"));
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users"), user.auth()), 403, "Forbidden");

    const HttpResult badRole = patch(m_server, userPath(user.id),
        {{QStringLiteral("role"), QStringLiteral("root")}}, m_admin.auth());
    OUTPOST_VERIFY_PROBLEM(badRole, 422, "Unprocessable Content");
    QVERIFY(errorFields(badRole).contains(QStringLiteral("role")));
}

void TestUsersApi::disablingAUserEndsTheirTokensAtOnce()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), user.auth()).status, 200);

    const HttpResult disabled =
        patch(m_server, userPath(user.id), {{QStringLiteral("disabled"), true}}, m_admin.auth());
    QCOMPARE(disabled.status, 200);
    QCOMPARE(disabled.json().object().value(QStringLiteral("disabled")), QJsonValue(true));
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users/me"), user.auth()), 401, "Unauthorized");
    QCOMPARE(refresh(m_server, user.refreshToken).status, 401);
    const TokenPair refused = login(m_server, user.email);
    OUTPOST_VERIFY_PROBLEM(refused.result, 401, "Unauthorized");

    const HttpResult enabled =
        patch(m_server, userPath(user.id), {{QStringLiteral("disabled"), false}}, m_admin.auth());
    QCOMPARE(enabled.status, 200);
    QCOMPARE(enabled.json().object().value(QStringLiteral("disabled")), QJsonValue(false));
    // The old token stays dead; a new sign-in works.
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), user.auth()).status, 401);
    const TokenPair again = login(m_server, user.email);
    QVERIFY(again.ok());
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(again.accessToken)).status, 200);
}

void TestUsersApi::lastAdminCannotBeDemotedDisabledOrDeleted()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account admin = createAdmin(server);
    QVERIFY(admin.ok());
    const QString self = userPath(admin.id);

    OUTPOST_VERIFY_PROBLEM(
        patch(server, self, {{QStringLiteral("role"), QStringLiteral("user")}}, admin.auth()), 409,
        "Conflict");
    OUTPOST_VERIFY_PROBLEM(
        patch(server, self, {{QStringLiteral("disabled"), true}}, admin.auth()), 409, "Conflict");
    OUTPOST_VERIFY_PROBLEM(del(server, self, admin.auth()), 409, "Conflict");
    const HttpResult still = get(server, QStringLiteral("/v1/users/me"), admin.auth());
    QCOMPARE(still.status, 200);
    QCOMPARE(roleOf(still), QStringLiteral("admin"));

    // A disabled admin does not count: promoting a user and disabling them leaves one.
    const Account second = createAccount(server);
    QVERIFY(second.ok());
    QCOMPARE(patch(server, userPath(second.id), {{QStringLiteral("role"), QStringLiteral("admin")}},
                 admin.auth())
                 .status,
        200);
    QCOMPARE(patch(server, userPath(second.id), {{QStringLiteral("disabled"), true}}, admin.auth())
                 .status,
        200);
    OUTPOST_VERIFY_PROBLEM(
        patch(server, self, {{QStringLiteral("role"), QStringLiteral("user")}}, admin.auth()), 409,
        "Conflict");

    // With a second enabled admin, the first may step down.
    QCOMPARE(patch(server, userPath(second.id), {{QStringLiteral("disabled"), false}}, admin.auth())
                 .status,
        200);
    const HttpResult stepDown =
        patch(server, self, {{QStringLiteral("role"), QStringLiteral("user")}}, admin.auth());
    QCOMPARE(stepDown.status, 200);
    QCOMPARE(roleOf(stepDown), QStringLiteral("user"));
}

void TestUsersApi::patchRejectsUnknownOrNoFields_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    QTest::newRow("empty object") << QJsonObject {} << QString();
    QTest::newRow("email") << QJsonObject {{QStringLiteral("email"),
        QStringLiteral("x@example.test")}}
                           << QStringLiteral("email");
    QTest::newRow("id") << QJsonObject {{QStringLiteral("id"), 1}} << QStringLiteral("id");
    QTest::newRow("disabled as string")
        << QJsonObject {{QStringLiteral("disabled"), QStringLiteral("yes")}}
        << QStringLiteral("disabled");
}

void TestUsersApi::patchRejectsUnknownOrNoFields()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    const CreatedUser target = registerUser(m_server, uniqueEmail());
    QCOMPARE(target.status, 201);
    const HttpResult result = patch(m_server, userPath(target.id), body, m_admin.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    if (!field.isEmpty())
        QVERIFY2(errorFields(result).contains(field), result.body.constData());
    const HttpResult unchanged = get(m_server, userPath(target.id), m_admin.auth());
    QCOMPARE(unchanged.json().object(), target.json);
}

void TestUsersApi::patchUnknownUserIs404()
{
    OUTPOST_VERIFY_PROBLEM(
        patch(m_server, userPath(987654321),
            {{QStringLiteral("username"), QStringLiteral("ghost")}}, m_admin.auth()),
        404, "Not Found");
}

void TestUsersApi::adminDeletesAUser()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const HttpResult deleted = del(m_server, userPath(user.id), m_admin.auth());
    QCOMPARE(deleted.status, 204);
    QVERIFY(deleted.body.isEmpty());
    OUTPOST_VERIFY_PROBLEM(get(m_server, userPath(user.id), m_admin.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(del(m_server, userPath(user.id), m_admin.auth()), 404, "Not Found");
    // Their sessions and sign-in are gone, and the email is free again.
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users/me"), user.auth()), 401, "Unauthorized");
    QCOMPARE(refresh(m_server, user.refreshToken).status, 401);
    QCOMPARE(login(m_server, user.email).status, 401);
    QCOMPARE(registerUser(m_server, user.email).status, 201);
}

void TestUsersApi::userCannotDeleteUsers()
{
    const Account user = createAccount(m_server);
    const CreatedUser other = registerUser(m_server, uniqueEmail());
    QVERIFY(user.ok());
    QCOMPARE(other.status, 201);
    OUTPOST_VERIFY_PROBLEM(del(m_server, userPath(other.id), user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(del(m_server, userPath(user.id), user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(del(m_server, userPath(other.id)), 401, "Unauthorized");
    QCOMPARE(get(m_server, userPath(other.id), m_admin.auth()).status, 200);
    QCOMPARE(get(m_server, userPath(user.id), m_admin.auth()).status, 200);
}

void TestUsersApi::deleteUnknownUserIs404()
{
    OUTPOST_VERIFY_PROBLEM(del(m_server, userPath(987654321), m_admin.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(del(m_server, QStringLiteral("/v1/users/abc"), m_admin.auth()), 422,
        "Unprocessable Content");
}

void TestUsersApi::openApiDescribesUserRoutes()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject paths = result.json().object().value(QStringLiteral("paths")).toObject();
    const QList<QPair<QString, QStringList>> expected {
        {QStringLiteral("/v1/users"), {QStringLiteral("get"), QStringLiteral("post")}},
        {QStringLiteral("/v1/users/me"), {QStringLiteral("get")}},
        {QStringLiteral("/v1/users/{id}"),
            {QStringLiteral("get"), QStringLiteral("patch"), QStringLiteral("delete")}},
    };
    for (const auto &[path, methods] : expected) {
        QVERIFY2(paths.contains(path), qPrintable(path));
        for (const QString &method : methods)
            QVERIFY2(paths.value(path).toObject().contains(method),
                qPrintable(path + QLatin1Char(' ') + method));
    }
    const QJsonObject schemas = result.json()
                                    .object()
                                    .value(QStringLiteral("components"))
                                    .toObject()
                                    .value(QStringLiteral("schemas"))
                                    .toObject();
    for (const QString &schema :
        {QStringLiteral("User"), QStringLiteral("UserCreate"), QStringLiteral("UserUpdate"),
            QStringLiteral("UserPage"), QStringLiteral("PublicUser")})
        QVERIFY2(schemas.contains(schema), qPrintable(schema));
}

QTEST_GUILESS_MAIN(TestUsersApi)
#include "tst_usersapi.moc"
