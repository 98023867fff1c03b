// The `outpost-server user ...` commands (server/cli/usercommands.cpp) and the admin made from
// OUTPOST_ADMIN_EMAIL at start: each checked through the HTTP API of a server on the same data.
#include "factories.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost::Test;

namespace {

// `outpost-server user <args> --data-dir <dir>`, with `input` on stdin.
TestServer::Run userCommand(
    const TestServer &server, QStringList args, const QByteArray &input = {})
{
    args.prepend(QStringLiteral("user"));
    args << QStringLiteral("--data-dir") << server.dataDir();
    if (!server.databaseUrl().isEmpty())
        args << QStringLiteral("--database") << server.databaseUrl();
    return TestServer::runCliWithInput(args, input);
}

QByteArray describe(const TestServer::Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out
        + "\nstderr: " + run.err;
}

TestServer::Run createWithCli(
    const TestServer &server, const QString &email, const QString &password, bool admin)
{
    QStringList args {QStringLiteral("create"), QStringLiteral("--email"), email,
        QStringLiteral("--password-stdin")};
    if (admin)
        args << QStringLiteral("--admin");
    return userCommand(server, args, password.toUtf8() + '\n');
}

QString roleOf(TestServer &server, const TokenPair &tokens)
{
    return get(server, QStringLiteral("/v1/users/me"), bearer(tokens.accessToken))
        .json()
        .object()
        .value(QStringLiteral("role"))
        .toString();
}

} // namespace

class TestUserCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createdAdminSignsInOverHttp();
    void createdUserIsAPlainUser();
    void createRejectsBadInput_data();
    void createRejectsBadInput();
    void createRefusesADuplicateEmail();
    void listShowsUsers();
    void setRoleRefusesToDemoteTheLastAdmin();
    void setRoleRejectsAnUnknownRole();
    void setRolePromotesAUser();
    void disableStopsSignIn();
    void resetPasswordReplacesThePassword();
    void commandsOnAnUnknownEmailFail();

    void adminEmailSettingCreatesAnAdmin();
    void adminPasswordFileIsRead();
    void adminEmailSettingLeavesAnExistingUserAlone();
    void adminEmailWithoutPasswordRefusesToStart();
};

void TestUserCli::createdAdminSignsInOverHttp()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("cli-admin"));
    const TestServer::Run created = createWithCli(server, email, kPassword, true);
    QVERIFY2(created.exitCode == 0, describe(created).constData());
    QVERIFY2(created.out.contains(email.toUtf8()), describe(created).constData());
    QVERIFY(!created.out.contains(kPassword.toUtf8()));

    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY2(tokens.ok(), tokens.result.body.constData());
    QCOMPARE(roleOf(server, tokens), QStringLiteral("admin"));
    QCOMPARE(get(server, QStringLiteral("/v1/users"), bearer(tokens.accessToken)).status, 200);
    // And the first registration from loopback is no longer made admin.
    const CreatedUser next = registerUser(server, uniqueEmail());
    QCOMPARE(next.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    // An admin existed already: no setup token was offered. The server prints it while it
    // starts, before it handles SIGTERM, so its whole output is in once it has stopped.
    QCOMPARE(server.stop(), 0);
    QVERIFY2(!server.output().contains("X-Setup-Token"), server.output().constData());
}

void TestUserCli::createdUserIsAPlainUser()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("cli-user"));
    const TestServer::Run created = userCommand(server,
        {QStringLiteral("create"), QStringLiteral("--email"), email, QStringLiteral("--username"),
            QStringLiteral("cli_person"), QStringLiteral("--password-stdin")},
        kPassword.toUtf8() + '\n');
    QVERIFY2(created.exitCode == 0, describe(created).constData());

    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY(tokens.ok());
    const QJsonObject me =
        get(server, QStringLiteral("/v1/users/me"), bearer(tokens.accessToken)).json().object();
    QCOMPARE(me.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    QCOMPARE(me.value(QStringLiteral("username")).toString(), QStringLiteral("cli_person"));
}

void TestUserCli::createRejectsBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("input");
    const QString email = QStringLiteral("bad-input@example.test");
    QTest::newRow("weak password") << QStringList {QStringLiteral("create"),
        QStringLiteral("--email"), email, QStringLiteral("--password-stdin")}
                                   << QByteArrayLiteral("short\n");
    QTest::newRow("empty password") << QStringList {QStringLiteral("create"),
        QStringLiteral("--email"), email, QStringLiteral("--password-stdin")}
                                    << QByteArrayLiteral("\n");
    QTest::newRow("bad email") << QStringList {QStringLiteral("create"), QStringLiteral("--email"),
        QStringLiteral("not-an-email"), QStringLiteral("--password-stdin")}
                               << (kPassword.toUtf8() + '\n');
    QTest::newRow("no email") << QStringList {QStringLiteral("create"),
        QStringLiteral("--password-stdin")}
                              << (kPassword.toUtf8() + '\n');
    QTest::newRow("bad username") << QStringList {QStringLiteral("create"),
        QStringLiteral("--email"), email, QStringLiteral("--username"), QStringLiteral("a b"),
        QStringLiteral("--password-stdin")}
                                  << (kPassword.toUtf8() + '\n');
    QTest::newRow("unknown action") << QStringList {QStringLiteral("explode")} << QByteArray();
}

void TestUserCli::createRejectsBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, input);
    TestServer server;
    const TestServer::Run run = userCommand(server, args, input);
    QVERIFY2(run.exitCode == 2, describe(run).constData());
    QVERIFY2(!run.err.isEmpty(), describe(run).constData());

    // Nobody was made.
    QVERIFY(userCommand(server,
                {QStringLiteral("create"), QStringLiteral("--email"),
                    QStringLiteral("probe@example.test"), QStringLiteral("--password-stdin")},
                kPassword.toUtf8() + '\n')
                .exitCode
        == 0);
    const TestServer::Run list = userCommand(server, {QStringLiteral("list")});
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(!list.out.contains("bad-input@example.test") && !list.out.contains("not-an-email"),
        describe(list).constData());
}

void TestUserCli::createRefusesADuplicateEmail()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("twice"));
    QCOMPARE(createWithCli(server, email, kPassword, false).exitCode, 0);
    const TestServer::Run again =
        createWithCli(server, email.toUpper(), QStringLiteral("Other-Pass-77"), true);
    QVERIFY2(again.exitCode == 1, describe(again).constData());
    QVERIFY2(again.err.contains("already exists"), describe(again).constData());

    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY(tokens.ok());
    QCOMPARE(roleOf(server, tokens), QStringLiteral("user"));
}

void TestUserCli::listShowsUsers()
{
    TestServer server;
    const QString admin = uniqueEmail(QStringLiteral("list-admin"));
    const QString user = uniqueEmail(QStringLiteral("list-user"));
    QCOMPARE(createWithCli(server, admin, kPassword, true).exitCode, 0);
    QCOMPARE(createWithCli(server, user, kPassword, false).exitCode, 0);

    const TestServer::Run list = userCommand(server, {QStringLiteral("list")});
    QVERIFY2(list.exitCode == 0, describe(list).constData());
    const QList<QByteArray> lines = list.out.split('\n');
    const auto lineOf = [&lines](const QString &email) {
        for (const QByteArray &line : lines) {
            if (line.contains(email.toUtf8()))
                return line;
        }
        return QByteArray();
    };
    QVERIFY2(lineOf(admin).contains(" admin "), describe(list).constData());
    QVERIFY2(lineOf(user).contains(" user "), describe(list).constData());
    QVERIFY(!list.out.contains("$2"));

    const TestServer::Run filtered = userCommand(
        server, {QStringLiteral("list"), QStringLiteral("--search"), QStringLiteral("list-user")});
    QCOMPARE(filtered.exitCode, 0);
    QVERIFY(filtered.out.contains(user.toUtf8()));
    QVERIFY(!filtered.out.contains(admin.toUtf8()));
}

void TestUserCli::setRoleRefusesToDemoteTheLastAdmin()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("last"));
    QCOMPARE(createWithCli(server, email, kPassword, true).exitCode, 0);
    const TestServer::Run demote = userCommand(server,
        {QStringLiteral("set-role"), QStringLiteral("--email"), email, QStringLiteral("--role"),
            QStringLiteral("user")});
    QVERIFY2(demote.exitCode == 1, describe(demote).constData());
    QVERIFY2(demote.err.contains("last admin"), describe(demote).constData());
    const TestServer::Run disable =
        userCommand(server, {QStringLiteral("disable"), QStringLiteral("--email"), email});
    QVERIFY2(disable.exitCode == 1, describe(disable).constData());
    QVERIFY2(disable.err.contains("last admin"), describe(disable).constData());

    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY(tokens.ok());
    QCOMPARE(roleOf(server, tokens), QStringLiteral("admin"));
}

void TestUserCli::setRoleRejectsAnUnknownRole()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("role"));
    QCOMPARE(createWithCli(server, email, kPassword, false).exitCode, 0);
    const QStringList roles {QStringLiteral("root"), QStringLiteral("ADMIN"), QString()};
    for (const QString &role : roles) {
        const TestServer::Run run = userCommand(server,
            {QStringLiteral("set-role"), QStringLiteral("--email"), email, QStringLiteral("--role"),
                role});
        QVERIFY2(run.exitCode == 2, describe(run).constData());
    }
    const TestServer::Run missing =
        userCommand(server, {QStringLiteral("set-role"), QStringLiteral("--email"), email});
    QVERIFY2(missing.exitCode == 2, describe(missing).constData());
    const TestServer::Run list = userCommand(server, {QStringLiteral("list")});
    QVERIFY2(list.out.contains(" user "), describe(list).constData());
    QVERIFY2(!list.out.contains(" admin "), describe(list).constData());
}

void TestUserCli::setRolePromotesAUser()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("promoted"));
    QCOMPARE(createWithCli(server, email, kPassword, false).exitCode, 0);
    const TestServer::Run run = userCommand(server,
        {QStringLiteral("set-role"), QStringLiteral("--email"), email, QStringLiteral("--role"),
            QStringLiteral("admin")});
    QVERIFY2(run.exitCode == 0, describe(run).constData());
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY(tokens.ok());
    QCOMPARE(roleOf(server, tokens), QStringLiteral("admin"));
}

void TestUserCli::disableStopsSignIn()
{
    TestServer server;
    const QString admin = uniqueEmail(QStringLiteral("keeper"));
    const QString user = uniqueEmail(QStringLiteral("disabled"));
    const QString back = uniqueEmail(QStringLiteral("reenabled"));
    QCOMPARE(createWithCli(server, admin, kPassword, true).exitCode, 0);
    QCOMPARE(createWithCli(server, user, kPassword, false).exitCode, 0);
    QCOMPARE(createWithCli(server, back, kPassword, false).exitCode, 0);

    const TestServer::Run disabled =
        userCommand(server, {QStringLiteral("disable"), QStringLiteral("--email"), user});
    QVERIFY2(disabled.exitCode == 0, describe(disabled).constData());
    QVERIFY2(disabled.out.contains("disabled"), describe(disabled).constData());
    QCOMPARE(
        userCommand(server, {QStringLiteral("disable"), QStringLiteral("--email"), back}).exitCode,
        0);
    const TestServer::Run enabled = userCommand(server,
        {QStringLiteral("disable"), QStringLiteral("--email"), back, QStringLiteral("--enable")});
    QVERIFY2(enabled.exitCode == 0, describe(enabled).constData());

    QVERIFY2(server.start(), qPrintable(server.lastError()));
    OUTPOST_VERIFY_PROBLEM(login(server, user).result, 401, "Unauthorized");
    QVERIFY(login(server, back).ok());
    const TokenPair adminTokens = login(server, admin);
    QVERIFY(adminTokens.ok());
    const HttpResult found = get(server,
        QStringLiteral("/v1/users?search=")
            + QString(user).replace(QLatin1Char('@'), QStringLiteral("%40")),
        bearer(adminTokens.accessToken));
    const QJsonArray items = itemsOf(found);
    QCOMPARE(items.size(), qsizetype(1));
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("disabled")), QJsonValue(true));
}

void TestUserCli::resetPasswordReplacesThePassword()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("reset"));
    const QString next = QStringLiteral("Reset-By-Cli-88");
    QCOMPARE(createWithCli(server, email, kPassword, false).exitCode, 0);

    const TestServer::Run weak = userCommand(server,
        {QStringLiteral("reset-password"), QStringLiteral("--email"), email,
            QStringLiteral("--password-stdin")},
        "weak\n");
    QVERIFY2(weak.exitCode == 2, describe(weak).constData());

    const TestServer::Run reset = userCommand(server,
        {QStringLiteral("reset-password"), QStringLiteral("--email"), email,
            QStringLiteral("--password-stdin")},
        next.toUtf8() + '\n');
    QVERIFY2(reset.exitCode == 0, describe(reset).constData());
    QVERIFY(!reset.out.contains(next.toUtf8()));

    QVERIFY2(server.start(), qPrintable(server.lastError()));
    QVERIFY(login(server, email, next).ok());
    OUTPOST_VERIFY_PROBLEM(login(server, email, kPassword).result, 401, "Unauthorized");
}

void TestUserCli::commandsOnAnUnknownEmailFail()
{
    TestServer server;
    const QString nobody = QStringLiteral("nobody@example.test");
    const QList<QStringList> commands {
        {QStringLiteral("set-role"), QStringLiteral("--email"), nobody, QStringLiteral("--role"),
            QStringLiteral("admin")},
        {QStringLiteral("disable"), QStringLiteral("--email"), nobody},
        {QStringLiteral("reset-password"), QStringLiteral("--email"), nobody,
            QStringLiteral("--password-stdin")},
    };
    for (const QStringList &command : commands) {
        const TestServer::Run run = userCommand(server, command, kPassword.toUtf8() + '\n');
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains("nobody@example.test"), describe(run).constData());
    }
}

void TestUserCli::adminEmailSettingCreatesAnAdmin()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("env-admin"));
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_EMAIL"), email);
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_PASSWORD"), kPassword);
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY2(tokens.ok(), tokens.result.body.constData());
    QCOMPARE(roleOf(server, tokens), QStringLiteral("admin"));
    // The first registration is not made admin.
    const CreatedUser next = registerUser(server, uniqueEmail());
    QCOMPARE(next.json.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    // Neither the password nor a setup token was printed: all of the output is in once the
    // server has stopped.
    QCOMPARE(server.stop(), 0);
    QVERIFY2(!server.output().contains(kPassword.toUtf8()), server.output().constData());
    QVERIFY2(!server.output().contains("X-Setup-Token"), server.output().constData());
}

void TestUserCli::adminPasswordFileIsRead()
{
    QTemporaryDir secrets;
    QVERIFY(secrets.isValid());
    QFile file(secrets.filePath(QStringLiteral("admin-password")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kPassword.toUtf8() + '\n'); // as `echo` writes it
    file.close();

    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("file-admin"));
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_EMAIL"), email);
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_PASSWORD_FILE"), file.fileName());
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY2(tokens.ok(), tokens.result.body.constData());
    QCOMPARE(roleOf(server, tokens), QStringLiteral("admin"));
}

void TestUserCli::adminEmailSettingLeavesAnExistingUserAlone()
{
    TestServer server;
    const QString email = uniqueEmail(QStringLiteral("existing"));
    QCOMPARE(createWithCli(server, email, kPassword, false).exitCode, 0);
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_EMAIL"), email);
    server.setEnv(QStringLiteral("OUTPOST_ADMIN_PASSWORD"), QStringLiteral("Env-Password-55"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair tokens = login(server, email);
    QVERIFY(tokens.ok());
    QCOMPARE(roleOf(server, tokens), QStringLiteral("user"));
    QCOMPARE(login(server, email, QStringLiteral("Env-Password-55")).status, 401);
}

void TestUserCli::adminEmailWithoutPasswordRefusesToStart()
{
    TestServer server;
    server.setEnv(
        QStringLiteral("OUTPOST_ADMIN_EMAIL"), uniqueEmail(QStringLiteral("no-password")));
    QVERIFY(!server.start());
    const int code = server.stop();
    QVERIFY2(code != 0, server.output().constData());
    QVERIFY2(server.output().contains("OUTPOST_ADMIN_PASSWORD"), server.output().constData());
    QVERIFY(!server.output().contains("listening on"));
}

QTEST_GUILESS_MAIN(TestUserCli)
#include "tst_usercli.moc"
