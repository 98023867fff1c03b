#include "modelchecks.h"
#include "models/apikey.h"
#include "models/audit.h"
#include "models/page.h"
#include "models/user.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

class TestModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // PageRequest
    void pageDefaultsWhenAbsent();
    void pageAcceptsBounds();
    void pageRejectsOutOfRange_data();
    void pageRejectsOutOfRange();
    void pageCollectsBothErrors();
    void pageHonoursMaxLimit();
    void pageEnvelopeJson();

    // UserRules
    void emailRule_data();
    void emailRule();
    void emailIsTrimmedNotLowerCased();
    void passwordRule_data();
    void passwordRule();
    void usernameRule_data();
    void usernameRule();

    // UserCreate
    void userCreateAcceptsValidBody();
    void userCreateUsernameOptional();
    void userCreateCollectsEveryError();
    void userCreateRequiresEmailAndPassword();
    void userCreateRejectsWrongTypes();
    void userCreateRejectsUnknownFields();
    void userCreateRoundTrips();

    // UserUpdate
    void userUpdateAcceptsEachField();
    void userUpdateEmptyBodyIsEmpty();
    void userUpdateNullUsernameClearsIt();
    void userUpdateRejectsBadValues();
    void userUpdateRejectsUnknownFields();
    void userUpdateRoundTrips();

    // User and TokenPair
    void userJsonShape();
    void userJsonNullUsername();
    void userRoundTrips();
    void userFromJsonCollectsErrors();
    void tokenPairJsonShapeAndRoundTrip();
    void tokenPairFromJsonRequiresFields();

    // ApiKey
    void scopesAreTheThreeKnown();
    void apiKeyJsonShape();
    void apiKeyJsonKeyOnlyWhenSet();
    void apiKeyRoundTrips();
    void apiKeyCreateAcceptsValidBody();
    void apiKeyCreateNameRules_data();
    void apiKeyCreateNameRules();
    void apiKeyCreateScopeRules_data();
    void apiKeyCreateScopeRules();
    void apiKeyCreateCollectsEveryError();
    void apiKeyCreateRoundTrips();

    // AuditEntry
    void auditEntryJsonShape();
    void auditEntryAnonymousActorIsNull();
};

// ---- PageRequest --------------------------------------------------------------------------

void TestModels::pageDefaultsWhenAbsent()
{
    const auto page = PageRequest::fromQuery(QString(), QString());
    QVERIFY(page);
    QCOMPARE(page->limit, 10);
    QCOMPARE(page->skip, 0);
}

void TestModels::pageAcceptsBounds()
{
    auto page = PageRequest::fromQuery(QStringLiteral("1"), QStringLiteral("0"));
    QVERIFY(page);
    QCOMPARE(page->limit, 1);
    QCOMPARE(page->skip, 0);
    page = PageRequest::fromQuery(QStringLiteral("100"), QStringLiteral("5000000000"));
    QVERIFY(page);
    QCOMPARE(page->limit, 100);
    QCOMPARE(page->skip, Q_INT64_C(5000000000));
}

void TestModels::pageRejectsOutOfRange_data()
{
    QTest::addColumn<QString>("limit");
    QTest::addColumn<QString>("skip");
    QTest::addColumn<QString>("error");
    const QString limitError = QStringLiteral("limit: must be an integer from 1 to 100");
    const QString skipError = QStringLiteral("skip: must be an integer of 0 or more");
    QTest::newRow("limit 0") << QStringLiteral("0") << QString() << limitError;
    QTest::newRow("limit 101") << QStringLiteral("101") << QString() << limitError;
    QTest::newRow("limit -1") << QStringLiteral("-1") << QString() << limitError;
    QTest::newRow("limit abc") << QStringLiteral("abc") << QString() << limitError;
    QTest::newRow("limit empty") << QStringLiteral("") << QString() << limitError;
    QTest::newRow("limit 10abc") << QStringLiteral("10abc") << QString() << limitError;
    QTest::newRow("limit +5") << QStringLiteral("+5") << QString() << limitError;
    QTest::newRow("limit space") << QStringLiteral(" 5") << QString() << limitError;
    QTest::newRow("limit 1.5") << QStringLiteral("1.5") << QString() << limitError;
    QTest::newRow("limit huge") << QStringLiteral("99999999999999999999") << QString()
                                << limitError;
    QTest::newRow("skip -1") << QString() << QStringLiteral("-1") << skipError;
    QTest::newRow("skip abc") << QString() << QStringLiteral("abc") << skipError;
    QTest::newRow("skip empty") << QString() << QStringLiteral("") << skipError;
    QTest::newRow("skip huge") << QString() << QStringLiteral("99999999999999999999") << skipError;
}

void TestModels::pageRejectsOutOfRange()
{
    QFETCH(QString, limit);
    QFETCH(QString, skip);
    QFETCH(QString, error);
    const auto page = PageRequest::fromQuery(limit, skip);
    QVERIFY(!page);
    QCOMPARE(page.error().code, ErrorCode::Validation);
    QCOMPARE(fieldErrors(page), QStringList {error});
}

void TestModels::pageCollectsBothErrors()
{
    const auto page = PageRequest::fromQuery(QStringLiteral("0"), QStringLiteral("-1"));
    QVERIFY(!page);
    QCOMPARE(errorFields(page), (QStringList {QStringLiteral("limit"), QStringLiteral("skip")}));
}

void TestModels::pageHonoursMaxLimit()
{
    QVERIFY(PageRequest::fromQuery(QStringLiteral("1000"), QString(), 1000));
    const auto page = PageRequest::fromQuery(QStringLiteral("1001"), QString(), 1000);
    QCOMPARE(fieldErrors(page),
        QStringList {QStringLiteral("limit: must be an integer from 1 to 1000")});
}

void TestModels::pageEnvelopeJson()
{
    Page<User> page;
    User user;
    user.id = 3;
    user.email = QStringLiteral("a@example.com");
    page.items = {user};
    page.total = 41;
    page.limit = 20;
    page.skip = 40;
    const QJsonObject json = page.toJson();
    QCOMPARE(json.value(QStringLiteral("total")).toInteger(), 41);
    QCOMPARE(json.value(QStringLiteral("limit")).toInt(), 20);
    QCOMPARE(json.value(QStringLiteral("skip")).toInteger(), 40);
    QCOMPARE(json.value(QStringLiteral("items")).toArray().size(), 1);
    QCOMPARE(json.value(QStringLiteral("items")).toArray().first().toObject(), user.toJson());
}

// ---- UserRules ----------------------------------------------------------------------------

void TestModels::emailRule_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("valid");
    const auto row = [](const char *name, const QString &email, bool valid) {
        QTest::newRow(name) << email << valid;
    };
    row("plain", QStringLiteral("alice@example.com"), true);
    row("subdomain", QStringLiteral("a.b+tag@mail.example.co.uk"), true);
    row("upper case", QStringLiteral("Alice@Example.COM"), true);
    row("digits and hyphen", QStringLiteral("x_1@my-host1.example"), true);
    row("surrounding spaces", QStringLiteral("  bob@example.com \n"), true);
    row("unicode local part", QStringLiteral("j\u00fcrgen@example.de"), true);
    row("local part of 64", QString(64, u'a') + QStringLiteral("@example.com"), true);
    row("254 characters",
        QString(64, u'a') + u'@' + QString(63, u'b') + u'.' + QString(63, u'c') + u'.'
            + QString(57, u'd') + QStringLiteral(".com"),
        true);

    row("empty", QString(), false);
    row("only spaces", QStringLiteral("   "), false);
    row("no at", QStringLiteral("alice.example.com"), false);
    row("two ats", QStringLiteral("a@b@example.com"), false);
    row("empty local part", QStringLiteral("@example.com"), false);
    row("local part of 65", QString(65, u'a') + QStringLiteral("@example.com"), false);
    row("255 characters",
        QString(64, u'a') + u'@' + QString(63, u'b') + u'.' + QString(63, u'c') + u'.'
            + QString(58, u'd') + QStringLiteral(".com"),
        false);
    row("no dot in domain", QStringLiteral("alice@localhost"), false);
    row("empty domain", QStringLiteral("alice@"), false);
    row("leading dot in domain", QStringLiteral("alice@.example.com"), false);
    row("trailing dot in domain", QStringLiteral("alice@example.com."), false);
    row("double dot in domain", QStringLiteral("alice@example..com"), false);
    row("label starts with hyphen", QStringLiteral("alice@-example.com"), false);
    row("label ends with hyphen", QStringLiteral("alice@example-.com"), false);
    row("underscore in domain", QStringLiteral("alice@ex_ample.com"), false);
    row("unicode domain", QStringLiteral("alice@b\u00fccher.de"), false);
    row("label of 64", QStringLiteral("alice@") + QString(64, u'a') + QStringLiteral(".com"),
        false);
    row("space in local part", QStringLiteral("al ice@example.com"), false);
    row("space in domain", QStringLiteral("alice@exa mple.com"), false);
    row("tab inside", QStringLiteral("alice\t@example.com"), false);
    row("leading dot in local part", QStringLiteral(".alice@example.com"), false);
    row("double dot in local part", QStringLiteral("al..ice@example.com"), false);
    row("angle brackets", QStringLiteral("<alice@example.com>"), false);
    row("quoted local part", QStringLiteral("\"al ice\"@example.com"), false);
}

void TestModels::emailRule()
{
    QFETCH(QString, email);
    QFETCH(bool, valid);
    const std::optional<QString> problem = UserRules::emailProblem(email);
    QVERIFY2(problem.has_value() != valid, qPrintable(problem.value_or(QStringLiteral("none"))));
}

void TestModels::emailIsTrimmedNotLowerCased()
{
    QCOMPARE(UserRules::normalizedEmail(QStringLiteral("  Alice@Example.com ")),
        QStringLiteral("Alice@Example.com"));
    const auto create =
        UserCreate::fromJson(parse(R"({"email": " Alice@Example.com ", "password": "Secret123"})"));
    QVERIFY(create);
    QCOMPARE(create->email, QStringLiteral("Alice@Example.com"));
}

void TestModels::passwordRule_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("problem"); // empty: accepted
    const QString tooShort = QStringLiteral("must be at least 8 characters");
    const QString tooLong = QStringLiteral("must be at most 128 characters");
    const QString oneClass = QStringLiteral(
        "must mix at least two kinds of characters (lower case, upper case, digits, others)");
    QTest::newRow("lower and digit") << QStringLiteral("abcdefg1") << QString();
    QTest::newRow("upper and lower") << QStringLiteral("ABCDefgh") << QString();
    QTest::newRow("digits and symbol") << QStringLiteral("1234567!") << QString();
    QTest::newRow("with spaces") << QStringLiteral("correct horse battery") << QString();
    QTest::newRow("128 characters") << QString(QString(127, u'a') + u'1') << QString();
    QTest::newRow("lower only") << QStringLiteral("abcdefgh") << oneClass;
    QTest::newRow("digits only") << QStringLiteral("12345678") << oneClass;
    QTest::newRow("upper only") << QStringLiteral("ABCDEFGHIJ") << oneClass;
    QTest::newRow("symbols only") << QStringLiteral("!@#$%^&*") << oneClass;
    QTest::newRow("7 characters") << QStringLiteral("abcde1!") << tooShort;
    QTest::newRow("empty") << QString() << tooShort;
    QTest::newRow("129 characters") << QString(QString(128, u'a') + u'1') << tooLong;
    // Code points, not UTF-16 units: 4 emoji are 8 units but 4 characters.
    QTest::newRow("4 emoji") << QStringLiteral("\U0001F600\U0001F601\U0001F602\U0001F603")
                             << tooShort;
    QTest::newRow("8 characters with emoji") << QStringLiteral("abcdefg\U0001F600") << QString();
    QTest::newRow("unicode lower and upper")
        << QStringLiteral("\u00e9\u00e9\u00e9\u00e9\u00c9\u00c9\u00c9\u00c9") << QString();
    QTest::newRow("128 emoji") << [] {
        QString text;
        for (int i = 0; i < 127; ++i)
            text.append(QStringLiteral("\U0001F600"));
        text.append(u'a');
        return text;
    }() << QString();
}

void TestModels::passwordRule()
{
    QFETCH(QString, password);
    QFETCH(QString, problem);
    QCOMPARE(UserRules::passwordProblem(password).value_or(QString()), problem);
}

void TestModels::usernameRule_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("valid");
    QTest::newRow("3 letters") << QStringLiteral("bob") << true;
    QTest::newRow("all allowed") << QStringLiteral("A.b_c-9") << true;
    QTest::newRow("32 characters") << QString(32, u'x') << true;
    QTest::newRow("2 characters") << QStringLiteral("bo") << false;
    QTest::newRow("33 characters") << QString(33, u'x') << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << QStringLiteral("bob smith") << false;
    QTest::newRow("at sign") << QStringLiteral("bob@home") << false;
    QTest::newRow("non-ascii letter") << QStringLiteral("j\u00fcrgen") << false;
}

void TestModels::usernameRule()
{
    QFETCH(QString, username);
    QFETCH(bool, valid);
    QCOMPARE(!UserRules::usernameProblem(username).has_value(), valid);
}

// ---- UserCreate ---------------------------------------------------------------------------

void TestModels::userCreateAcceptsValidBody()
{
    const auto create = UserCreate::fromJson(
        parse(R"({"email": "alice@example.com", "password": "Secret123", "username": "alice"})"));
    QVERIFY2(create, qPrintable(fieldErrors(create).join(u';')));
    QCOMPARE(create->email, QStringLiteral("alice@example.com"));
    QCOMPARE(create->password, QStringLiteral("Secret123"));
    QCOMPARE(create->username, QStringLiteral("alice"));
}

void TestModels::userCreateUsernameOptional()
{
    auto create =
        UserCreate::fromJson(parse(R"({"email": "alice@example.com", "password": "Secret123"})"));
    QVERIFY(create);
    QVERIFY(create->username.isEmpty());
    create = UserCreate::fromJson(
        parse(R"({"email": "alice@example.com", "password": "Secret123", "username": null})"));
    QVERIFY(create);
    QVERIFY(create->username.isEmpty());
    create = UserCreate::fromJson(
        parse(R"({"email": "alice@example.com", "password": "Secret123", "username": ""})"));
    QCOMPARE(errorFields(create), QStringList {QStringLiteral("username")});
}

void TestModels::userCreateCollectsEveryError()
{
    auto create = UserCreate::fromJson(parse(R"({"email": "not-an-email", "password": "short"})"));
    QVERIFY(!create);
    QCOMPARE(create.error().code, ErrorCode::Validation);
    QCOMPARE(fieldErrors(create),
        (QStringList {QStringLiteral("email: not a valid email address"),
            QStringLiteral("password: must be at least 8 characters")}));

    create = UserCreate::fromJson(
        parse(R"({"email": "x@y", "password": "abcdefgh", "username": "a b", "admin": true})"));
    QCOMPARE(errorFields(create),
        (QStringList {QStringLiteral("email"), QStringLiteral("password"),
            QStringLiteral("username"), QStringLiteral("admin")}));
}

void TestModels::userCreateRequiresEmailAndPassword()
{
    const auto create = UserCreate::fromJson(QJsonObject());
    QCOMPARE(fieldErrors(create),
        (QStringList {
            QStringLiteral("email: is required"), QStringLiteral("password: is required")}));
}

void TestModels::userCreateRejectsWrongTypes()
{
    const auto create =
        UserCreate::fromJson(parse(R"({"email": 42, "password": ["x"], "username": true})"));
    QCOMPARE(fieldErrors(create),
        (QStringList {QStringLiteral("email: must be a string"),
            QStringLiteral("password: must be a string"),
            QStringLiteral("username: must be a string")}));
    QCOMPARE(
        fieldErrors(UserCreate::fromJson(parse(R"({"email": null, "password": "Secret123"})"))),
        QStringList {QStringLiteral("email: must be a string")});
}

void TestModels::userCreateRejectsUnknownFields()
{
    const auto create = UserCreate::fromJson(
        parse(R"({"email": "alice@example.com", "password": "Secret123", "role": "admin"})"));
    QCOMPARE(fieldErrors(create), QStringList {QStringLiteral("role: unknown field")});
}

void TestModels::userCreateRoundTrips()
{
    UserCreate create;
    create.email = QStringLiteral("alice@example.com");
    create.password = QStringLiteral("Secret123");
    QVERIFY(!create.toJson().contains(QStringLiteral("username")));
    create.username = QStringLiteral("alice");
    const auto back = UserCreate::fromJson(create.toJson());
    QVERIFY(back);
    QCOMPARE(back->email, create.email);
    QCOMPARE(back->password, create.password);
    QCOMPARE(back->username, create.username);
}

// ---- UserUpdate ---------------------------------------------------------------------------

void TestModels::userUpdateAcceptsEachField()
{
    const auto update =
        UserUpdate::fromJson(parse(R"({"role": "admin", "disabled": true, "username": "new.name",
                  "password": "NewSecret1", "current_password": "old"})"));
    QVERIFY2(update, qPrintable(fieldErrors(update).join(u';')));
    QCOMPARE(update->role, std::optional<QString>(QStringLiteral("admin")));
    QCOMPARE(update->disabled, std::optional<bool>(true));
    QCOMPARE(update->username, std::optional<QString>(QStringLiteral("new.name")));
    QCOMPARE(update->password, std::optional<QString>(QStringLiteral("NewSecret1")));
    QCOMPARE(update->currentPassword, std::optional<QString>(QStringLiteral("old")));
    QVERIFY(!update->isEmpty());

    const auto roleOnly = UserUpdate::fromJson(parse(R"({"role": "user"})"));
    QVERIFY(roleOnly);
    QCOMPARE(roleOnly->role, std::optional<QString>(QStringLiteral("user")));
    QVERIFY(!roleOnly->disabled && !roleOnly->username && !roleOnly->password);

    const auto enable = UserUpdate::fromJson(parse(R"({"disabled": false})"));
    QVERIFY(enable);
    QCOMPARE(enable->disabled, std::optional<bool>(false));
}

void TestModels::userUpdateEmptyBodyIsEmpty()
{
    const auto update = UserUpdate::fromJson(QJsonObject());
    QVERIFY(update);
    QVERIFY(update->isEmpty());
    // current_password alone changes nothing.
    const auto onlyCurrent = UserUpdate::fromJson(parse(R"({"current_password": "x"})"));
    QVERIFY(onlyCurrent);
    QVERIFY(onlyCurrent->isEmpty());
}

void TestModels::userUpdateNullUsernameClearsIt()
{
    const auto update = UserUpdate::fromJson(parse(R"({"username": null})"));
    QVERIFY(update);
    QVERIFY(update->username.has_value());
    QVERIFY(update->username->isEmpty());
    QVERIFY(!update->isEmpty());
}

void TestModels::userUpdateRejectsBadValues()
{
    const auto update = UserUpdate::fromJson(
        parse(R"({"role": "root", "disabled": "yes", "username": "x", "password": "abcdefgh",
                  "current_password": 5})"));
    QCOMPARE(fieldErrors(update),
        (QStringList {
            QStringLiteral("role: must be \"admin\" or \"user\""),
            QStringLiteral("disabled: must be true or false"),
            QStringLiteral("username: must be 3 to 32 characters"),
            QStringLiteral("password: must mix at least two kinds of characters (lower "
                           "case, upper case, digits, others)"),
            QStringLiteral("current_password: must be a string"),
        }));
    QCOMPARE(fieldErrors(UserUpdate::fromJson(parse(R"({"role": 1, "disabled": null})"))),
        (QStringList {QStringLiteral("role: must be a string"),
            QStringLiteral("disabled: must be true or false")}));
    QCOMPARE(fieldErrors(UserUpdate::fromJson(parse(R"({"password": null})"))),
        QStringList {QStringLiteral("password: must be a string")});
    QCOMPARE(fieldErrors(UserUpdate::fromJson(parse(R"({"role": "Admin"})"))),
        QStringList {QStringLiteral("role: must be \"admin\" or \"user\"")});
}

void TestModels::userUpdateRejectsUnknownFields()
{
    const auto update =
        UserUpdate::fromJson(parse(R"({"role": "user", "email": "x@example.com", "id": 3})"));
    QCOMPARE(fieldErrors(update),
        (QStringList {
            QStringLiteral("email: unknown field"), QStringLiteral("id: unknown field")}));
}

void TestModels::userUpdateRoundTrips()
{
    UserUpdate update;
    QCOMPARE(update.toJson(), QJsonObject());
    update.role = Roles::admin;
    update.disabled = false;
    update.username = QString(); // clear
    update.password = QStringLiteral("NewSecret1");
    update.currentPassword = QStringLiteral("OldSecret1");
    const QJsonObject json = update.toJson();
    QVERIFY(json.value(QStringLiteral("username")).isNull());
    const auto back = UserUpdate::fromJson(json);
    QVERIFY(back);
    QCOMPARE(back->role, update.role);
    QCOMPARE(back->disabled, update.disabled);
    QCOMPARE(back->username, update.username);
    QCOMPARE(back->password, update.password);
    QCOMPARE(back->currentPassword, update.currentPassword);
}

// ---- User and TokenPair -------------------------------------------------------------------

void TestModels::userJsonShape()
{
    User user;
    user.id = 7;
    user.email = QStringLiteral("alice@example.com");
    user.username = QStringLiteral("alice");
    user.role = Roles::admin;
    user.disabled = true;
    user.createdAt = utc("2026-11-22T10:00:00Z");
    const QJsonObject expected = parse(R"({"id": 7, "email": "alice@example.com",
        "username": "alice", "role": "admin", "disabled": true,
        "created_at": "2026-11-22T10:00:00Z"})");
    QCOMPARE(user.toJson(), expected);
    QVERIFY(!user.toJson().contains(QStringLiteral("password_hash")));
}

void TestModels::userJsonNullUsername()
{
    User user;
    user.id = 1;
    user.email = QStringLiteral("a@example.com");
    user.createdAt = utc("2026-01-02T03:04:05Z");
    const QJsonObject json = user.toJson();
    QVERIFY(json.value(QStringLiteral("username")).isNull());
    QCOMPARE(json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    QCOMPARE(json.value(QStringLiteral("disabled")).toBool(true), false);
}

void TestModels::userRoundTrips()
{
    User user;
    user.id = 42;
    user.email = QStringLiteral("bob@example.com");
    user.role = Roles::user;
    user.createdAt = utc("2026-11-22T10:00:00Z");
    auto back = User::fromJson(user.toJson());
    QVERIFY2(back, qPrintable(fieldErrors(back).join(u';')));
    QCOMPARE(back->id, user.id);
    QCOMPARE(back->email, user.email);
    QVERIFY(back->username.isEmpty());
    QCOMPARE(back->role, user.role);
    QCOMPARE(back->disabled, false);
    QCOMPARE(back->createdAt, user.createdAt);
    QCOMPARE(back->createdAt.timeSpec(), Qt::UTC);

    user.username = QStringLiteral("bob");
    back = User::fromJson(user.toJson());
    QVERIFY(back);
    QCOMPARE(back->username, user.username);

    // Clients tolerate members a newer server adds.
    QJsonObject extended = user.toJson();
    extended.insert(QStringLiteral("avatar"), QStringLiteral("x"));
    QVERIFY(User::fromJson(extended));
}

void TestModels::userFromJsonCollectsErrors()
{
    const auto user = User::fromJson(
        parse(R"({"id": 1.5, "email": 3, "role": "root", "disabled": 0, "created_at": "nope"})"));
    QCOMPARE(errorFields(user),
        (QStringList {QStringLiteral("id"), QStringLiteral("email"), QStringLiteral("role"),
            QStringLiteral("disabled"), QStringLiteral("created_at")}));
}

void TestModels::tokenPairJsonShapeAndRoundTrip()
{
    TokenPair pair;
    pair.accessToken = QStringLiteral("eyJ.a.b");
    pair.expiresIn = 900;
    pair.refreshToken = QStringLiteral("r-token");
    const QJsonObject expected = parse(R"({"access_token": "eyJ.a.b", "token_type": "bearer",
        "expires_in": 900, "refresh_token": "r-token"})");
    QCOMPARE(pair.toJson(), expected);
    const auto back = TokenPair::fromJson(expected);
    QVERIFY(back);
    QCOMPARE(back->accessToken, pair.accessToken);
    QCOMPARE(back->tokenType, pair.tokenType);
    QCOMPARE(back->expiresIn, pair.expiresIn);
    QCOMPARE(back->refreshToken, pair.refreshToken);
}

void TestModels::tokenPairFromJsonRequiresFields()
{
    const auto pair =
        TokenPair::fromJson(parse(R"({"token_type": "bearer", "expires_in": "900"})"));
    QCOMPARE(fieldErrors(pair),
        (QStringList {QStringLiteral("access_token: is required"),
            QStringLiteral("expires_in: must be a non-negative integer"),
            QStringLiteral("refresh_token: is required")}));
}

// ---- ApiKey -------------------------------------------------------------------------------

void TestModels::scopesAreTheThreeKnown()
{
    QCOMPARE(Scopes::all(),
        (QStringList {QStringLiteral("pipelines:write"), QStringLiteral("files:write"),
            QStringLiteral("read")}));
}

void TestModels::apiKeyJsonShape()
{
    ApiKey key;
    key.id = 5;
    key.name = QStringLiteral("ci");
    key.scopes = {Scopes::pipelinesWrite, Scopes::read};
    key.prefix = QStringLiteral("opk_AbC1");
    key.createdAt = utc("2026-11-22T10:00:00Z");
    const QJsonObject expected = parse(R"({"id": 5, "name": "ci",
        "scopes": ["pipelines:write", "read"], "prefix": "opk_AbC1",
        "created_at": "2026-11-22T10:00:00Z", "last_used_at": null, "created_by": null})");
    QCOMPARE(key.toJson(), expected);

    key.lastUsedAt = utc("2026-11-23T08:30:00Z");
    key.createdBy = 2;
    const QJsonObject used = key.toJson();
    QCOMPARE(used.value(QStringLiteral("last_used_at")).toString(),
        QStringLiteral("2026-11-23T08:30:00Z"));
    QCOMPARE(used.value(QStringLiteral("created_by")).toInteger(), 2);
}

void TestModels::apiKeyJsonKeyOnlyWhenSet()
{
    ApiKey key;
    key.id = 1;
    QVERIFY(!key.toJson().contains(QStringLiteral("key")));
    key.key = QStringLiteral("opk_secret");
    QCOMPARE(key.toJson().value(QStringLiteral("key")).toString(), QStringLiteral("opk_secret"));
}

void TestModels::apiKeyRoundTrips()
{
    ApiKey key;
    key.id = 9;
    key.name = QStringLiteral("deploy bot");
    key.scopes = {Scopes::filesWrite};
    key.prefix = QStringLiteral("opk_xyz1");
    key.createdAt = utc("2026-11-22T10:00:00Z");
    key.lastUsedAt = utc("2026-11-22T11:00:00Z");
    key.createdBy = 3;
    key.key = QStringLiteral("opk_xyz1secret");
    const auto back = ApiKey::fromJson(key.toJson());
    QVERIFY2(back, qPrintable(fieldErrors(back).join(u';')));
    QCOMPARE(back->id, key.id);
    QCOMPARE(back->name, key.name);
    QCOMPARE(back->scopes, key.scopes);
    QCOMPARE(back->prefix, key.prefix);
    QCOMPARE(back->createdAt, key.createdAt);
    QCOMPARE(back->lastUsedAt, key.lastUsedAt);
    QCOMPARE(back->createdBy, key.createdBy);
    QCOMPARE(back->key, key.key);

    ApiKey unused = key;
    unused.lastUsedAt = QDateTime();
    unused.createdBy = 0;
    unused.key.clear();
    const auto backUnused = ApiKey::fromJson(unused.toJson());
    QVERIFY(backUnused);
    QVERIFY(!backUnused->lastUsedAt.isValid());
    QCOMPARE(backUnused->createdBy, 0);
    QVERIFY(backUnused->key.isEmpty());
}

void TestModels::apiKeyCreateAcceptsValidBody()
{
    const auto create = ApiKeyCreate::fromJson(
        parse(R"({"name": "  ci runner ", "scopes": ["read", "files:write"]})"));
    QVERIFY2(create, qPrintable(fieldErrors(create).join(u';')));
    QCOMPARE(create->name, QStringLiteral("ci runner"));
    QCOMPARE(create->scopes, (QStringList {Scopes::read, Scopes::filesWrite}));
}

void TestModels::apiKeyCreateNameRules_data()
{
    QTest::addColumn<QJsonValue>("name");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::newRow("one character") << QJsonValue(QStringLiteral("x")) << QString();
    QTest::newRow("100 characters") << QJsonValue(QString(100, u'n')) << QString();
    QTest::newRow("100 emoji") << QJsonValue([] {
        QString text;
        for (int i = 0; i < 100; ++i)
            text.append(QStringLiteral("\U0001F511"));
        return text;
    }()) << QString();
    QTest::newRow("101 characters")
        << QJsonValue(QString(101, u'n')) << QStringLiteral("name: must be at most 100 characters");
    QTest::newRow("empty") << QJsonValue(QString()) << QStringLiteral("name: must not be empty");
    QTest::newRow("blank") << QJsonValue(QStringLiteral("   "))
                           << QStringLiteral("name: must not be empty");
    QTest::newRow("control character") << QJsonValue(
        QStringLiteral("a\u0001b")) << QStringLiteral("name: must not contain control characters");
    QTest::newRow("number") << QJsonValue(7) << QStringLiteral("name: must be a string");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null)
                          << QStringLiteral("name: must be a string");
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined)
                            << QStringLiteral("name: is required");
}

void TestModels::apiKeyCreateNameRules()
{
    QFETCH(QJsonValue, name);
    QFETCH(QString, error);
    QJsonObject json {{QStringLiteral("scopes"), QJsonArray {Scopes::read}}};
    if (!name.isUndefined())
        json.insert(QStringLiteral("name"), name);
    const auto create = ApiKeyCreate::fromJson(json);
    QCOMPARE(fieldErrors(create), error.isEmpty() ? QStringList() : QStringList {error});
}

void TestModels::apiKeyCreateScopeRules_data()
{
    QTest::addColumn<QByteArray>("scopes"); // JSON text, empty: absent
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("all three") << QByteArray(R"(["pipelines:write", "files:write", "read"])")
                               << QStringList();
    QTest::newRow("one") << QByteArray(R"(["pipelines:write"])") << QStringList();
    QTest::newRow("absent") << QByteArray() << QStringList {QStringLiteral("scopes: is required")};
    QTest::newRow("empty") << QByteArray("[]")
                           << QStringList {QStringLiteral("scopes: must name at least one scope")};
    QTest::newRow("string") << QByteArray(R"("read")")
                            << QStringList {QStringLiteral("scopes: must be an array of strings")};
    QTest::newRow("number inside") << QByteArray(
        R"(["read", 1])") << QStringList {QStringLiteral("scopes: must be an array of strings")};
    QTest::newRow("unknown") << QByteArray(R"(["admin"])")
                             << QStringList {QStringLiteral(
                                    "scopes: \"admin\" is not a scope (known: pipelines:write, "
                                    "files:write, read)")};
    QTest::newRow("wrong case") << QByteArray(R"(["READ"])")
                                << QStringList {QStringLiteral(
                                       "scopes: \"READ\" is not a scope (known: pipelines:write, "
                                       "files:write, read)")};
    QTest::newRow("duplicate") << QByteArray(R"(["read", "read"])")
                               << QStringList {
                                      QStringLiteral("scopes: names \"read\" more than once")};
}

void TestModels::apiKeyCreateScopeRules()
{
    QFETCH(QByteArray, scopes);
    QFETCH(QStringList, errors);
    QByteArray body = R"({"name": "k")";
    if (!scopes.isEmpty())
        body += R"(, "scopes": )" + scopes;
    body += '}';
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    QVERIFY(!json.isEmpty());
    QCOMPARE(fieldErrors(ApiKeyCreate::fromJson(json)), errors);
}

void TestModels::apiKeyCreateCollectsEveryError()
{
    const auto create =
        ApiKeyCreate::fromJson(parse(R"({"name": "", "scopes": ["x", "read", "read"], "ttl": 5})"));
    QVERIFY(!create);
    QCOMPARE(create.error().code, ErrorCode::Validation);
    QCOMPARE(errorFields(create),
        (QStringList {QStringLiteral("name"), QStringLiteral("scopes"), QStringLiteral("scopes"),
            QStringLiteral("ttl")}));
}

void TestModels::apiKeyCreateRoundTrips()
{
    ApiKeyCreate create;
    create.name = QStringLiteral("ci");
    create.scopes = {Scopes::pipelinesWrite, Scopes::read};
    const auto back = ApiKeyCreate::fromJson(create.toJson());
    QVERIFY(back);
    QCOMPARE(back->name, create.name);
    QCOMPARE(back->scopes, create.scopes);
}

// ---- AuditEntry ---------------------------------------------------------------------------

void TestModels::auditEntryJsonShape()
{
    AuditEntry entry;
    entry.id = 11;
    entry.at = QDateTime::fromString(QStringLiteral("2026-11-22T10:00:00.250Z"), Qt::ISODateWithMs);
    entry.actorId = 2;
    entry.actorLabel = QStringLiteral("admin@example.com");
    entry.action = QStringLiteral("user.deleted");
    entry.targetType = QStringLiteral("user");
    entry.targetId = QStringLiteral("7");
    entry.clientAddress = QStringLiteral("203.0.113.7");
    entry.detail = {{QStringLiteral("email"), QStringLiteral("bob@example.com")}};
    const QJsonObject expected = parse(R"({"id": 11, "at": "2026-11-22T10:00:00Z",
        "actor_id": 2, "actor": "admin@example.com", "action": "user.deleted",
        "target_type": "user", "target_id": "7", "client_address": "203.0.113.7",
        "detail": {"email": "bob@example.com"}})");
    QCOMPARE(entry.toJson(), expected);
}

void TestModels::auditEntryAnonymousActorIsNull()
{
    AuditEntry entry;
    entry.action = QStringLiteral("login.failed");
    const QJsonObject json = entry.toJson();
    QVERIFY(json.value(QStringLiteral("actor_id")).isNull());
    QVERIFY(json.value(QStringLiteral("detail")).isObject());
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
