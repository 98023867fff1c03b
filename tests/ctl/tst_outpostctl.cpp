// outpostctl driven as a subprocess against a real outpost-server: every command, its JSON
// output parsed, the exit code of each class of failure, contexts in a temporary
// XDG_CONFIG_HOME, API keys through --token and OUTPOST_TOKEN, and an upload killed midway
// and resumed. The suite runs without a D-Bus session: no keychain answers, so logins need
// --insecure-store, and are refused without it.
#include "factories.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost::Test;

namespace {

struct CtlRun
{
    int code = -1;
    QByteArray out;
    QByteArray err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
    QJsonObject object() const { return json().object(); }
    QJsonArray items() const { return object().value(QStringLiteral("items")).toArray(); }
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(code) + "\nstdout: " + out + "\nstderr: " + err;
    }
};

bool containsId(const QJsonArray &items, qint64 id)
{
    return std::any_of(items.begin(), items.end(), [id](const QJsonValue &item) {
        return item.toObject().value(QStringLiteral("id")).toInteger() == id;
    });
}

} // namespace

class TestOutpostCtl final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    QTemporaryDir m_home; // XDG_CONFIG_HOME and XDG_CACHE_HOME of the commands

    QString url() const { return m_server.url().toString(QUrl::StripTrailingSlash); }

    QProcessEnvironment environment(const QString &home) const
    {
        QProcessEnvironment env = TestServer::cliEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
        // No session bus: the keychain is unavailable, as on a headless server.
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
            QStringLiteral("unix:path=") + home + QStringLiteral("/no-bus"));
        env.remove(QStringLiteral("OUTPOST_URL"));
        env.remove(QStringLiteral("OUTPOST_TOKEN"));
        return env;
    }

    CtlRun ctlIn(const QString &home, const QStringList &arguments, const QByteArray &input = {},
        const QMap<QString, QString> &extra = {})
    {
        QProcess process;
        QProcessEnvironment env = environment(home);
        for (auto it = extra.begin(); it != extra.end(); ++it)
            env.insert(it.key(), it.value());
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(OUTPOSTCTL_BIN), arguments);
        CtlRun run;
        if (!process.waitForStarted(10'000))
            return run;
        process.write(input);
        process.closeWriteChannel();
        // Waits with the event loop running, so the servers' output keeps being read: a
        // server blocked on a full log pipe would stall the command (1024 upload parts log a
        // lot).
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60'000)) {
            process.kill();
            process.waitForFinished();
            return run;
        }
        run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    CtlRun ctl(const QStringList &arguments, const QByteArray &input = {},
        const QMap<QString, QString> &extra = {})
    {
        return ctlIn(m_home.path(), arguments, input, extra);
    }

    CtlRun json(QStringList arguments)
    {
        arguments << QStringLiteral("-o") << QStringLiteral("json");
        return ctl(arguments);
    }

    CtlRun loginIn(const QString &home, const QString &email, const QStringList &extra = {})
    {
        return ctlIn(home,
            QStringList {QStringLiteral("login"), url(), QStringLiteral("--email"), email,
                QStringLiteral("--password-stdin")}
                + extra,
            kPassword.toUtf8() + '\n');
    }

    QString newHome()
    {
        static int serial = 0;
        QString home = m_home.path() + QStringLiteral("/home%1").arg(++serial);
        QDir().mkpath(home);
        return home;
    }

    QByteArray apiKey(const QStringList &scopes)
    {
        const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"),
            {{QStringLiteral("name"), QStringLiteral("test key")},
                {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)}},
            m_admin.auth());
        return objectOf(created).value(QStringLiteral("key")).toString().toUtf8();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_server.setEnv(QStringLiteral("OUTPOST_LOCAL_RUNNERS"), QStringLiteral("on"));
        // No lookups leave this machine: the wiki is switched off (tst_wikiapi covers lookups
        // against a fake wiki), so `wiki` meets the server's "turned off" 404.
        m_server.setEnv(QStringLiteral("OUTPOST_WIKI_URL"), QStringLiteral("off"));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        const CtlRun login =
            loginIn(m_home.path(), m_admin.email, {QStringLiteral("--insecure-store")});
        QVERIFY2(login.code == 0, login.describe());
    }

    void everyCommandHasHelp()
    {
        const CtlRun top = ctl({QStringLiteral("--help")});
        QVERIFY2(top.code == 0, top.describe());
        QVERIFY(top.out.contains("Commands:"));
        QStringList names;
        const QByteArray commands = top.out.mid(top.out.indexOf("Commands:"));
        for (const QByteArray &line : commands.split('\n')) {
            if (!line.startsWith("  "))
                continue;
            QStringList words;
            for (const QByteArray &word : line.trimmed().split(' ')) {
                if (word.isEmpty() || !QChar::fromLatin1(word.at(0)).isLower())
                    break;
                words.append(QString::fromLatin1(word));
            }
            names.append(words.join(QLatin1Char(' ')));
        }
        QVERIFY(names.contains(QStringLiteral("files put")));
        QVERIFY(names.size() >= 30);
        for (const QString &name : std::as_const(names)) {
            const CtlRun help = ctl(name.split(QLatin1Char(' ')) << QStringLiteral("--help"));
            QVERIFY2(help.code == 0, help.describe());
            QVERIFY2(help.out.startsWith(
                         QByteArray("Usage: outpostctl " + name.toUtf8() + " [options]")),
                help.out.constData());
            QVERIFY(help.out.contains("--output"));
        }
    }

    void usageErrorsExitWithTwo()
    {
        QCOMPARE(ctl({QStringLiteral("frobnicate")}).code, 2);
        QCOMPARE(ctl({QStringLiteral("posts"), QStringLiteral("frobnicate")}).code, 2);
        QCOMPARE(
            ctl({QStringLiteral("posts"), QStringLiteral("list"), QStringLiteral("--nope")}).code,
            2);
        QCOMPARE(ctl({QStringLiteral("posts"), QStringLiteral("get")}).code, 2);
        const CtlRun format = ctl({QStringLiteral("posts"), QStringLiteral("list"),
            QStringLiteral("-o"), QStringLiteral("xml")});
        QCOMPARE(format.code, 2);
        QVERIFY(format.err.contains("unknown output format"));
        QCOMPARE(ctl({}).code, 2);
    }

    void loginIsRefusedWithoutAKeychain()
    {
        const QString home = newHome();
        const CtlRun login = loginIn(home, m_admin.email);
        QVERIFY2(login.code == 1, login.describe());
        QVERIFY2(login.err.contains("no keychain"), login.err.constData());
        QVERIFY2(login.err.contains("--insecure-store"), login.err.constData());
        const CtlRun contexts = ctlIn(home,
            {QStringLiteral("context"), QStringLiteral("list"), QStringLiteral("-o"),
                QStringLiteral("json")});
        QCOMPARE(contexts.code, 0);
        QCOMPARE(contexts.json().array().size(), 0);
        QVERIFY(!QFile::exists(home + QStringLiteral("/config/outpostctl/credentials.json")));
        // Nothing stored: commands say so with the authentication code.
        const CtlRun me =
            ctlIn(home, {QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me")});
        QVERIFY2(me.code == 5, me.describe());
        QVERIFY(me.err.contains("not logged in"));
    }

    void insecureStoreKeepsTheSessionInAPrivateFile()
    {
        const QString credentials =
            m_home.path() + QStringLiteral("/config/outpostctl/credentials.json");
        QVERIFY(QFile::exists(credentials));
        QCOMPARE(QFile::permissions(credentials) & 0x0077, QFileDevice::Permissions());
        QCOMPARE(
            QFile::permissions(credentials) & (QFileDevice::ReadOwner | QFileDevice::WriteOwner),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        // Each run rotates the refresh token; the next run signs in with the new one.
        for (int i = 0; i < 3; ++i) {
            const CtlRun me =
                json({QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me")});
            QVERIFY2(me.code == 0, me.describe());
            QCOMPARE(me.object().value(QStringLiteral("email")).toString(), m_admin.email);
        }
    }

    // On a terminal (a pseudo-terminal from util-linux's script(1)) login asks for the e-mail
    // and the password, the password without echo; an upload shows a progress line.
    void terminalPromptsAndProgress()
    {
        const QString scriptTool = QStandardPaths::findExecutable(QStringLiteral("script"));
        if (scriptTool.isEmpty()) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("script(1) from util-linux is missing");
            QSKIP("script(1) from util-linux is missing");
        }
        const QString home = newHome();
        QTemporaryDir dir;
        QFile local(dir.filePath(QStringLiteral("tty.txt")));
        QVERIFY(local.open(QIODevice::WriteOnly));
        local.write(QByteArray(4096, 'x'));
        local.close();
        const auto onTerminal = [&](const QString &command, const QList<QByteArray> &answers) {
            QProcess process;
            process.setProcessEnvironment(environment(home));
            process.setProcessChannelMode(QProcess::MergedChannels);
            process.start(
                scriptTool, {QStringLiteral("-qec"), command, QStringLiteral("/dev/null")});
            QByteArray output;
            bool ok = process.waitForStarted();
            // Each answer is typed once its prompt has appeared (echo is switched off by then).
            for (const QByteArray &prompt : {QByteArray("E-mail: "), QByteArray("Password: ")}) {
                if (!ok || answers.isEmpty())
                    break;
                ok = QTest::qWaitFor(
                    [&] {
                        output += process.readAll();
                        return output.contains(prompt);
                    },
                    20'000);
                if (ok)
                    process.write(answers.at(prompt.startsWith('E') ? 0 : 1) + '\n');
            }
            ok = ok
                && QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60'000);
            output += process.readAll();
            return std::pair {ok && process.exitCode() == 0, output};
        };
        const QString ctlCommand = QStringLiteral(OUTPOSTCTL_BIN);
        const auto [loggedIn, login] =
            onTerminal(ctlCommand + QStringLiteral(" login %1 --insecure-store").arg(url()),
                {m_admin.email.toUtf8(), kPassword.toUtf8()});
        QVERIFY2(loggedIn, login.constData());
        QVERIFY2(login.contains("Logged in to"), login.constData());
        QVERIFY2(login.contains(m_admin.email.toUtf8()), login.constData()); // echoed
        QVERIFY2(!login.contains(kPassword.toUtf8()), login.constData());    // not echoed
        const auto [uploaded, upload] = onTerminal(ctlCommand
                + QStringLiteral(" files put %1 tty/tty.txt --resumable").arg(local.fileName()),
            {});
        QVERIFY2(uploaded, upload.constData());
        QVERIFY2(upload.contains("\r4.0 KiB / 4.0 KiB"), upload.constData());
        QVERIFY2(upload.contains("ETA"), upload.constData());
    }

    void wrongPasswordIsAnAuthFailure()
    {
        const CtlRun login = ctlIn(newHome(),
            {QStringLiteral("login"), url(), QStringLiteral("--email"), m_admin.email,
                QStringLiteral("--password-stdin"), QStringLiteral("--insecure-store")},
            "not-the-password\n");
        QVERIFY2(login.code == 5, login.describe());
        QVERIFY(login.err.startsWith("Error: "));
    }

    void contextsSwitchAndLogOut()
    {
        const QString home = newHome();
        const Account user = createAccount(m_server);
        QVERIFY(user.ok());
        QCOMPARE(loginIn(home, m_admin.email,
                     {QStringLiteral("--insecure-store"), QStringLiteral("--name"),
                         QStringLiteral("admin")})
                     .code,
            0);
        QCOMPARE(loginIn(home, user.email,
                     {QStringLiteral("--insecure-store"), QStringLiteral("--name"),
                         QStringLiteral("plain")})
                     .code,
            0);
        const auto who = [&](const QStringList &extra = {}) {
            const CtlRun me = ctlIn(home,
                QStringList {QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me"),
                    QStringLiteral("-o"), QStringLiteral("json")}
                    + extra);
            return me.object().value(QStringLiteral("email")).toString();
        };
        QCOMPARE(who(), user.email); // the last login is current
        CtlRun list = ctlIn(home,
            {QStringLiteral("context"), QStringLiteral("list"), QStringLiteral("-o"),
                QStringLiteral("json")});
        QCOMPARE(list.json().array().size(), 2);
        QCOMPARE(
            ctlIn(home, {QStringLiteral("context"), QStringLiteral("use"), QStringLiteral("admin")})
                .code,
            0);
        QCOMPARE(who(), m_admin.email);
        QCOMPARE(who({QStringLiteral("--context"), QStringLiteral("plain")}), user.email);
        QCOMPARE(
            ctlIn(home, {QStringLiteral("context"), QStringLiteral("use"), QStringLiteral("nope")})
                .code,
            3);
        QCOMPARE(ctlIn(home,
                     {QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me"),
                         QStringLiteral("--context"), QStringLiteral("nope")})
                     .code,
            3);
        const CtlRun names = ctlIn(home,
            {QStringLiteral("context"), QStringLiteral("list"), QStringLiteral("-o"),
                QStringLiteral("name")});
        QCOMPARE(names.out, QByteArray("admin\nplain\n"));

        // A plain user is refused admin commands: the authentication class.
        const CtlRun forbidden = ctlIn(home,
            {QStringLiteral("admin"), QStringLiteral("info"), QStringLiteral("--context"),
                QStringLiteral("plain")});
        QVERIFY2(forbidden.code == 5, forbidden.describe());

        QCOMPARE(
            ctlIn(home,
                {QStringLiteral("logout"), QStringLiteral("--context"), QStringLiteral("plain")})
                .code,
            0);
        list = ctlIn(home,
            {QStringLiteral("context"), QStringLiteral("list"), QStringLiteral("-o"),
                QStringLiteral("json")});
        QCOMPARE(list.json().array().size(), 1);
        QCOMPARE(list.json().array().at(0).toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("admin"));
        QVERIFY(!QFile(home + QStringLiteral("/config/outpostctl/credentials.json"))
                     .readAll()
                     .contains("plain"));
        // Logging out ended the session on the server too: its refresh token is refused.
        QCOMPARE(ctlIn(home, {QStringLiteral("logout")}).code, 0);
        QCOMPARE(ctlIn(home, {QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me")})
                     .code,
            5);
    }

    void postsCommands()
    {
        const CtlRun created =
            json({QStringLiteral("posts"), QStringLiteral("create"), QStringLiteral("--title"),
                QStringLiteral("Command line tools"), QStringLiteral("--content"),
                QStringLiteral("Rapid automatic keyword extraction finds key phrases")});
        QVERIFY2(created.code == 0, created.describe());
        const qint64 id = created.object().value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        const QString idText = QString::number(id);

        const CtlRun got = json({QStringLiteral("posts"), QStringLiteral("get"), idText});
        QCOMPARE(got.object().value(QStringLiteral("title")).toString(),
            QStringLiteral("Command line tools"));
        // Exactly the API's JSON.
        QCOMPARE(got.out.trimmed(),
            get(m_server, QStringLiteral("/v1/posts/") + idText, m_admin.auth()).body.trimmed());

        const CtlRun list = json({QStringLiteral("posts"), QStringLiteral("list"),
            QStringLiteral("--limit"), QStringLiteral("100")});
        QVERIFY2(list.code == 0, list.describe());
        QVERIFY(containsId(list.items(), id));
        const CtlRun names = ctl({QStringLiteral("posts"), QStringLiteral("list"),
            QStringLiteral("--search"), QStringLiteral("keyword extraction"), QStringLiteral("-o"),
            QStringLiteral("name")});
        QCOMPARE(names.out, idText.toUtf8() + '\n');
        const CtlRun yaml = ctl({QStringLiteral("posts"), QStringLiteral("get"), idText,
            QStringLiteral("-o"), QStringLiteral("yaml")});
        QVERIFY2(yaml.out.contains("\ntitle: Command line tools\n"), yaml.out.constData());
        QVERIFY2(yaml.out.contains("owner:\n  email: "), yaml.out.constData());
        const CtlRun table = ctl({QStringLiteral("posts"), QStringLiteral("list")});
        QVERIFY2(table.out.startsWith("ID "), table.out.constData());
        QVERIFY(table.out.contains("Command line tools"));

        const CtlRun edited = json({QStringLiteral("posts"), QStringLiteral("edit"), idText,
            QStringLiteral("--title"), QStringLiteral("Command-line tools"),
            QStringLiteral("--published"), QStringLiteral("false")});
        QVERIFY2(edited.code == 0, edited.describe());
        QCOMPARE(edited.object().value(QStringLiteral("title")).toString(),
            QStringLiteral("Command-line tools"));
        QCOMPARE(edited.object().value(QStringLiteral("published")).toBool(), false);
        QCOMPARE(edited.object().value(QStringLiteral("content")).toString(),
            QStringLiteral("Rapid automatic keyword extraction finds key phrases"));

        const CtlRun vote = json({QStringLiteral("posts"), QStringLiteral("vote"), idText});
        QVERIFY2(vote.code == 0, vote.describe());
        const CtlRun again = ctl({QStringLiteral("posts"), QStringLiteral("vote"), idText});
        QVERIFY2(again.code == 4, again.describe()); // conflict
        QVERIFY(again.err.startsWith("Error: Conflict"));
        QCOMPARE(json({QStringLiteral("posts"), QStringLiteral("get"), idText})
                     .object()
                     .value(QStringLiteral("votes"))
                     .toInt(),
            1);
        QCOMPARE(
            ctl({QStringLiteral("posts"), QStringLiteral("vote"), idText, QStringLiteral("--undo")})
                .code,
            0);

        // One phrase a line in a table; the API's {"phrases": [...]} in JSON.
        const CtlRun phrases = ctl({QStringLiteral("phrases"), idText});
        QVERIFY2(phrases.code == 0, phrases.describe());
        QVERIFY2(phrases.out.contains("command-line tools\n"), phrases.out.constData());
        const CtlRun phrasesJson = json({QStringLiteral("phrases"), idText});
        QStringList expected;
        for (const auto &phrase : phrasesJson.object().value(QStringLiteral("phrases")).toArray())
            expected.append(phrase.toString());
        QVERIFY(!expected.isEmpty());
        QCOMPARE(
            QString::fromUtf8(phrases.out), expected.join(QLatin1Char('\n')) + QLatin1Char('\n'));

        // A bad value is the server's 422, shown with its fields: the "other" class.
        const CtlRun invalid =
            ctl({QStringLiteral("posts"), QStringLiteral("create"), QStringLiteral("--title"),
                QString(), QStringLiteral("--content"), QStringLiteral("x")});
        QVERIFY2(invalid.code == 1, invalid.describe());
        QVERIFY2(invalid.err.contains("title"), invalid.err.constData());

        QCOMPARE(ctl({QStringLiteral("posts"), QStringLiteral("delete"), idText}).code, 0);
        const CtlRun gone = ctl({QStringLiteral("posts"), QStringLiteral("get"), idText});
        QVERIFY2(gone.code == 3, gone.describe());
        QVERIFY(gone.err.startsWith("Error: Not Found"));
        QCOMPARE(ctl({QStringLiteral("posts"), QStringLiteral("delete"), idText}).code, 3);
    }

    void searchFindsPosts()
    {
        const CreatedPost post = submitPost(m_server, m_admin, QStringLiteral("Xylophone tuning"),
            QStringLiteral("A note on xylophones"));
        QVERIFY(post.id > 0);
        const CtlRun found = json({QStringLiteral("search"), QStringLiteral("xylophone")});
        QVERIFY2(found.code == 0, found.describe());
        QVERIFY(containsId(found.items(), post.id));
        QCOMPARE(ctl({QStringLiteral("search")}).code, 2);
    }

    void usersCommands()
    {
        const CtlRun list = json({QStringLiteral("users"), QStringLiteral("list"),
            QStringLiteral("--limit"), QStringLiteral("100")});
        QVERIFY2(list.code == 0, list.describe());
        QVERIFY(containsId(list.items(), m_admin.id));
        const CtlRun one =
            json({QStringLiteral("users"), QStringLiteral("get"), QString::number(m_admin.id)});
        QCOMPARE(one.object().value(QStringLiteral("email")).toString(), m_admin.email);
        QCOMPARE(
            ctl({QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("999999")}).code,
            3);
    }

    void apiKeysAndTokenOverrides()
    {
        const CtlRun created = json({QStringLiteral("api-keys"), QStringLiteral("create"),
            QStringLiteral("ci"), QStringLiteral("--scope"), QStringLiteral("read")});
        QVERIFY2(created.code == 0, created.describe());
        const QString key = created.object().value(QStringLiteral("key")).toString();
        const qint64 id = created.object().value(QStringLiteral("id")).toInteger();
        QVERIFY(!key.isEmpty());
        QVERIFY(containsId(json({QStringLiteral("api-keys"), QStringLiteral("list")}).items(), id));

        // Scripts: --server and --token, or OUTPOST_URL and OUTPOST_TOKEN, without any context.
        // The server takes API keys where their scope applies (this one: the reads) and
        // refuses them anywhere else, which outpostctl reports as an authentication failure.
        const QString bare = newHome();
        const CtlRun listed = ctlIn(bare,
            {QStringLiteral("posts"), QStringLiteral("list"), QStringLiteral("--server"), url(),
                QStringLiteral("--token"), key, QStringLiteral("-o"), QStringLiteral("json")});
        QVERIFY2(listed.code == 0, listed.describe());
        QVERIFY(listed.object().value(QStringLiteral("items")).isArray());
        const CtlRun envSearch = ctlIn(bare,
            {QStringLiteral("search"), QStringLiteral("anything"), QStringLiteral("-o"),
                QStringLiteral("json")},
            {}, {{QStringLiteral("OUTPOST_URL"), url()}, {QStringLiteral("OUTPOST_TOKEN"), key}});
        QVERIFY2(envSearch.code == 0, envSearch.describe());
        const CtlRun refused = ctlIn(bare,
            {QStringLiteral("posts"), QStringLiteral("create"), QStringLiteral("--title"),
                QStringLiteral("By a key"), QStringLiteral("--content"), QStringLiteral("No."),
                QStringLiteral("--server"), url(), QStringLiteral("--token"), key});
        QVERIFY2(refused.code == 5, refused.describe());
        QVERIFY2(refused.err.contains("API keys cannot be used here"), refused.describe());
        const CtlRun envKey =
            ctlIn(bare, {QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me")}, {},
                {{QStringLiteral("OUTPOST_URL"), url()}, {QStringLiteral("OUTPOST_TOKEN"), key}});
        QVERIFY2(envKey.code == 5, envKey.describe());
        // Any bearer token goes the same way, e.g. an access token, with no context at all.
        const QString token = QString::fromLatin1(m_admin.accessToken);
        const CtlRun flags = ctlIn(bare,
            {QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me"),
                QStringLiteral("--server"), url(), QStringLiteral("--token"), token,
                QStringLiteral("-o"), QStringLiteral("json")});
        QVERIFY2(flags.code == 0, flags.describe());
        QCOMPARE(flags.object().value(QStringLiteral("email")).toString(), m_admin.email);
        const CtlRun env = ctlIn(bare,
            {QStringLiteral("users"), QStringLiteral("get"), QStringLiteral("me"),
                QStringLiteral("-o"), QStringLiteral("json")},
            {}, {{QStringLiteral("OUTPOST_URL"), url()}, {QStringLiteral("OUTPOST_TOKEN"), token}});
        QVERIFY2(env.code == 0, env.describe());
        QCOMPARE(env.object().value(QStringLiteral("email")).toString(), m_admin.email);
        // --server alone signs in with nothing: refused like any anonymous request.
        const CtlRun anonymous = ctlIn(bare,
            {QStringLiteral("posts"), QStringLiteral("list"), QStringLiteral("--server"), url()});
        QVERIFY2(anonymous.code == 5, anonymous.describe());

        QCOMPARE(
            ctl({QStringLiteral("api-keys"), QStringLiteral("revoke"), QString::number(id)}).code,
            0);
        QCOMPARE(
            ctl({QStringLiteral("api-keys"), QStringLiteral("revoke"), QString::number(id)}).code,
            3);
        // A token but no server.
        QCOMPARE(
            ctlIn(bare,
                {QStringLiteral("posts"), QStringLiteral("list"), QStringLiteral("--token"), key})
                .code,
            2);
    }

    void unreachableServerIsOtherFailure()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now
        const CtlRun run = ctlIn(newHome(),
            {QStringLiteral("posts"), QStringLiteral("list"), QStringLiteral("--server"),
                QStringLiteral("http://127.0.0.1:%1").arg(port)});
        QVERIFY2(run.code == 1, run.describe());
        QVERIFY(run.err.contains("no answer"));
    }

    void filesCommands()
    {
        QTemporaryDir dir;
        const QByteArray content = "hello from outpostctl\n";
        QFile local(dir.filePath(QStringLiteral("hello.txt")));
        QVERIFY(local.open(QIODevice::WriteOnly));
        local.write(content);
        local.close();
        const CtlRun put = json({QStringLiteral("files"), QStringLiteral("put"), local.fileName(),
            QStringLiteral("ctl/hello.txt"), QStringLiteral("--content-type"),
            QStringLiteral("text/plain")});
        QVERIFY2(put.code == 0, put.describe());
        QCOMPARE(put.object().value(QStringLiteral("size_bytes")).toInt(), content.size());
        const CtlRun ls =
            json({QStringLiteral("files"), QStringLiteral("ls"), QStringLiteral("ctl")});
        QVERIFY2(ls.code == 0, ls.describe());
        QCOMPARE(ls.object().value(QStringLiteral("files")).toArray().size(), 1);
        QCOMPARE(ctl({QStringLiteral("files"), QStringLiteral("ls"), QStringLiteral("ctl"),
                         QStringLiteral("-o"), QStringLiteral("name")})
                     .out,
            QByteArray("ctl/hello.txt\n"));
        const CtlRun stdoutGet =
            ctl({QStringLiteral("files"), QStringLiteral("get"), QStringLiteral("ctl/hello.txt")});
        QCOMPARE(stdoutGet.out, content);
        const QString copy = dir.filePath(QStringLiteral("copy.txt"));
        QCOMPARE(ctl({QStringLiteral("files"), QStringLiteral("get"),
                         QStringLiteral("ctl/hello.txt"), copy})
                     .code,
            0);
        QFile copied(copy);
        QVERIFY(copied.open(QIODevice::ReadOnly));
        QCOMPARE(copied.readAll(), content);

        // The resumable path for a small file, on request.
        const CtlRun parts = json({QStringLiteral("files"), QStringLiteral("put"), local.fileName(),
            QStringLiteral("ctl/parts.txt"), QStringLiteral("--resumable")});
        QVERIFY2(parts.code == 0, parts.describe());
        QCOMPARE(
            ctl({QStringLiteral("files"), QStringLiteral("get"), QStringLiteral("ctl/parts.txt")})
                .out,
            content);

        QCOMPARE(
            ctl({QStringLiteral("files"), QStringLiteral("rm"), QStringLiteral("ctl/hello.txt")})
                .code,
            0);
        QCOMPARE(
            ctl({QStringLiteral("files"), QStringLiteral("rm"), QStringLiteral("ctl/hello.txt")})
                .code,
            3);
        const CtlRun missing = ctl({QStringLiteral("files"), QStringLiteral("get"),
            QStringLiteral("ctl/hello.txt"), dir.filePath(QStringLiteral("never.txt"))});
        QCOMPARE(missing.code, 3);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("never.txt"))));
        QCOMPARE(ctl({QStringLiteral("files"), QStringLiteral("put"), local.fileName(),
                         QStringLiteral("ctl/none.txt"), QStringLiteral("--resume")})
                     .code,
            3);
    }

    void interruptedUploadResumes()
    {
        // A server whose parts are 1 KiB, so a 1 MiB file takes 1024 of them.
        TestServer small;
        small.setEnv(QStringLiteral("OUTPOST_MAX_BODY_BYTES"), QStringLiteral("1024"));
        QVERIFY2(small.start(), qPrintable(small.lastError()));
        const Account admin = createAdmin(small);
        QVERIFY(admin.ok());
        QTemporaryDir dir;
        QByteArray content(qsizetype(1024) * 1024, Qt::Uninitialized);
        for (char &byte : content)
            byte = char(QRandomGenerator::global()->bounded(256));
        QFile local(dir.filePath(QStringLiteral("big.bin")));
        QVERIFY(local.open(QIODevice::WriteOnly));
        local.write(content);
        local.close();
        const QString home = newHome();
        const QStringList put {QStringLiteral("files"), QStringLiteral("put"), local.fileName(),
            QStringLiteral("big/big.bin"), QStringLiteral("--resumable"),
            QStringLiteral("--server"), small.url().toString(QUrl::StripTrailingSlash),
            QStringLiteral("--token"), QString::fromLatin1(admin.accessToken), QStringLiteral("-o"),
            QStringLiteral("json")};

        QProcess process;
        process.setProcessEnvironment(environment(home));
        process.start(QStringLiteral(OUTPOSTCTL_BIN), put);
        QVERIFY(process.waitForStarted());
        // The upload's id, printed when the server made it.
        QByteArray err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                process.waitForReadyRead(100);
                err += process.readAllStandardError();
                return err.contains("Upload ") && err.contains(':');
            },
            20'000));
        const QByteArray id = err.mid(err.indexOf("Upload ") + 7).split(':').constFirst();
        // Killed once the server has acknowledged a part, by the upload's state on the server.
        int received = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const HttpResult state = get(
                    small, QStringLiteral("/v1/uploads/") + QString::fromLatin1(id), admin.auth());
                received =
                    int(objectOf(state).value(QStringLiteral("received_parts")).toArray().size());
                return received > 0;
            },
            20'000));
        process.kill();
        QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 20'000));
        const HttpResult state =
            get(small, QStringLiteral("/v1/uploads/") + QString::fromLatin1(id), admin.auth());
        received = int(objectOf(state).value(QStringLiteral("received_parts")).toArray().size());
        QVERIFY2(received < 1024, "the upload finished before it could be interrupted");
        QCOMPARE(get(small, QStringLiteral("/v1/files/big/big.bin"), admin.auth()).status, 404);

        QStringList resume = put;
        resume.append(QStringLiteral("--resume"));
        const CtlRun resumed = ctlIn(home, resume);
        QVERIFY2(resumed.code == 0, resumed.describe());
        // It sent only what the server lacked (a part in flight at the kill may have landed
        // after the state was read).
        static const QRegularExpression sent(QStringLiteral(", (\\d+) already sent"));
        const QRegularExpressionMatch match = sent.match(QString::fromUtf8(resumed.err));
        QVERIFY2(match.hasMatch(), resumed.err.constData());
        QVERIFY2(match.captured(1).toInt() >= received && match.captured(1).toInt() < 1024,
            resumed.err.constData());
        QCOMPARE(resumed.object().value(QStringLiteral("size_bytes")).toInteger(), content.size());
        // Standard error is no terminal here: no progress line.
        QVERIFY(!resumed.err.contains('\r'));
        QCOMPARE(get(small, QStringLiteral("/v1/files/big/big.bin"), admin.auth()).body, content);
        // Done: nothing left to resume.
        QCOMPARE(ctlIn(home, resume).code, 3);
    }

    void pipelinesCommands()
    {
        const HttpResult created = post(m_server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("ctl")},
                {QStringLiteral("source"), QStringLiteral("local")},
                {QStringLiteral("definition"),
                    QStringLiteral("stages:\n  - name: greet\n    commands: [\"echo hello from a "
                                   "stage\"]\n")}},
            m_admin.auth());
        QCOMPARE(created.status, 201);
        const QString pipeline = QString::number(idOf(created));
        QVERIFY(containsId(
            json({QStringLiteral("pipelines"), QStringLiteral("ls")}).items(), idOf(created)));

        const CtlRun triggered =
            json({QStringLiteral("pipelines"), QStringLiteral("trigger"), pipeline});
        QVERIFY2(triggered.code == 0, triggered.describe());
        const QString run =
            QString::number(triggered.object().value(QStringLiteral("id")).toInteger());
        // --follow returns when the run has completed, with the whole log.
        const CtlRun logs = ctl(
            {QStringLiteral("pipelines"), QStringLiteral("logs"), run, QStringLiteral("--follow")});
        QVERIFY2(logs.code == 0, logs.describe());
        QVERIFY2(logs.out.contains("hello from a stage"), logs.out.constData());
        const CtlRun runs = json({QStringLiteral("pipelines"), QStringLiteral("runs"), pipeline});
        QVERIFY2(runs.code == 0, runs.describe());
        QCOMPARE(runs.items().at(0).toObject().value(QStringLiteral("status")).toString(),
            QStringLiteral("completed"));
        // A completed run cannot be cancelled: a conflict.
        const CtlRun cancel = ctl({QStringLiteral("pipelines"), QStringLiteral("cancel"), run});
        QVERIFY2(cancel.code == 4, cancel.describe());
        QCOMPARE(
            ctl({QStringLiteral("pipelines"), QStringLiteral("trigger"), QStringLiteral("999999")})
                .code,
            3);
    }

    void cancelStopsARun()
    {
        const HttpResult created = post(m_server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("ctl long")},
                {QStringLiteral("source"), QStringLiteral("local")},
                {QStringLiteral("definition"),
                    QStringLiteral("stages:\n  - name: wait\n    commands: [\"sleep 120\"]\n")}},
            m_admin.auth());
        QCOMPARE(created.status, 201);
        const CtlRun triggered = json({QStringLiteral("pipelines"), QStringLiteral("trigger"),
            QString::number(idOf(created))});
        QVERIFY2(triggered.code == 0, triggered.describe());
        const QString run =
            QString::number(triggered.object().value(QStringLiteral("id")).toInteger());
        const CtlRun cancelled = json({QStringLiteral("pipelines"), QStringLiteral("cancel"), run});
        QVERIFY2(cancelled.code == 0, cancelled.describe());
        // Following a cancelled run ends.
        QCOMPARE(ctl({QStringLiteral("pipelines"), QStringLiteral("logs"), run,
                         QStringLiteral("--follow")})
                     .code,
            0);
        QCOMPARE(json({QStringLiteral("pipelines"), QStringLiteral("runs"),
                          QString::number(idOf(created))})
                     .items()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("conclusion"))
                     .toString(),
            QStringLiteral("cancelled"));
    }

    void eventsTailPrintsChanges()
    {
        QProcess process;
        process.setProcessEnvironment(environment(m_home.path()));
        process.start(QStringLiteral(OUTPOSTCTL_BIN),
            {QStringLiteral("events"), QStringLiteral("tail"), QStringLiteral("--type"),
                QStringLiteral("post.created"), QStringLiteral("--count"), QStringLiteral("1"),
                QStringLiteral("-o"), QStringLiteral("json")});
        QVERIFY(process.waitForStarted());
        QByteArray err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                process.waitForReadyRead(100);
                err += process.readAllStandardError();
                return err.contains("Watching events");
            },
            20'000));
        // The event the filter lets through.
        const CreatedPost post =
            submitPost(m_server, m_admin, QStringLiteral("Live"), QStringLiteral("news"));
        QVERIFY(post.id > 0);
        // (Not waitForFinished(): the command may have ended while the post was being made.)
        QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 20'000));
        QCOMPARE(process.exitCode(), 0);
        const QJsonObject event = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(event.value(QStringLiteral("type")).toString(), QStringLiteral("post.created"));
        QCOMPARE(event.value(QStringLiteral("id")).toInteger(), post.id);
    }

    void adminCommands()
    {
        const CtlRun info = json({QStringLiteral("admin"), QStringLiteral("info")});
        QVERIFY2(info.code == 0, info.describe());
        QVERIFY(info.object()
                    .value(QStringLiteral("counts"))
                    .toObject()
                    .value(QStringLiteral("users"))
                    .toInt()
            >= 1);
        const CtlRun audit = json({QStringLiteral("admin"), QStringLiteral("audit"),
            QStringLiteral("--limit"), QStringLiteral("5")});
        QVERIFY2(audit.code == 0, audit.describe());
        QVERIFY(!audit.items().isEmpty());
        QVERIFY(audit.items().size() <= 5);
    }

    void wikiSaysWhenTheLookupIsOff()
    {
        const CtlRun run = ctl({QStringLiteral("wiki"), QStringLiteral("Qt")});
        QVERIFY2(run.code == 3 && run.err.startsWith("Error: "), run.describe());
        QVERIFY2(run.err.contains("off"), run.describe());
    }

    void completionScripts()
    {
        for (const QString &shell :
            {QStringLiteral("bash"), QStringLiteral("zsh"), QStringLiteral("fish")}) {
            const CtlRun script = ctl({QStringLiteral("completion"), shell});
            QVERIFY2(script.code == 0, script.describe());
            QVERIFY(script.out.contains("complete"));
            QVERIFY(script.out.contains("api-keys"));
        }
        const CtlRun bash = ctl({QStringLiteral("completion"), QStringLiteral("bash")});
        QProcess check;
        check.start(QStringLiteral("bash"), {QStringLiteral("-n")});
        QVERIFY(check.waitForStarted());
        check.write(bash.out);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished());
        QVERIFY2(check.exitCode() == 0, check.readAllStandardError().constData());
        QCOMPARE(ctl({QStringLiteral("completion"), QStringLiteral("tcsh")}).code, 2);
    }

    // What zsh itself completes with the native script (compinit, then source), typed and
    // Tab-completed in an interactive zsh (tests/ctl/zsh-complete.zsh drives it in a pty).
    void zshCompletesNatively_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("commands") << QStringLiteral("outpostctl ")
                                  << QStringList {QStringLiteral("admin"),
                                         QStringLiteral("api-keys"), QStringLiteral("completion"),
                                         QStringLiteral("context"), QStringLiteral("events"),
                                         QStringLiteral("files"), QStringLiteral("login"),
                                         QStringLiteral("logout"), QStringLiteral("phrases"),
                                         QStringLiteral("pipelines"), QStringLiteral("posts"),
                                         QStringLiteral("search"), QStringLiteral("users"),
                                         QStringLiteral("wiki")};
        QTest::newRow("a prefix") << QStringLiteral("outpostctl pi")
                                  << QStringList {QStringLiteral("pipelines")};
        QTest::newRow("verbs") << QStringLiteral("outpostctl posts ")
                               << QStringList {QStringLiteral("create"), QStringLiteral("delete"),
                                      QStringLiteral("edit"), QStringLiteral("get"),
                                      QStringLiteral("list"), QStringLiteral("vote")};
        QTest::newRow("verbs after global options")
            << QStringLiteral("outpostctl -o json --server http://127.0.0.1:1 files ")
            << QStringList {QStringLiteral("get"), QStringLiteral("ls"), QStringLiteral("put"),
                   QStringLiteral("rm")};
        QTest::newRow("global options")
            << QStringLiteral("outpostctl --")
            << QStringList {QStringLiteral("--context"), QStringLiteral("--help"),
                   QStringLiteral("--output"), QStringLiteral("--server"),
                   QStringLiteral("--token"), QStringLiteral("--version")};
        QTest::newRow("a command's options")
            << QStringLiteral("outpostctl posts list --")
            << QStringList {QStringLiteral("--help"), QStringLiteral("--limit"),
                   QStringLiteral("--owner"), QStringLiteral("--search"), QStringLiteral("--skip"),
                   QStringLiteral("--sort")};
        QTest::newRow("shells") << QStringLiteral("outpostctl completion ")
                                << QStringList {QStringLiteral("bash"), QStringLiteral("fish"),
                                       QStringLiteral("zsh")};
    }

    void zshCompletesNatively()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, expected);
        const QString zsh = QStandardPaths::findExecutable(QStringLiteral("zsh"));
        if (zsh.isEmpty()) {
            if (qEnvironmentVariable("CI") == u"true")
                QFAIL("zsh is missing (make deps installs it)");
            QSKIP("zsh is missing (make deps installs it)");
        }
        const CtlRun script = ctl({QStringLiteral("completion"), QStringLiteral("zsh")});
        QVERIFY2(script.code == 0, script.describe());
        // Native compsys, not bash's completion through bashcompinit.
        QVERIFY(script.out.startsWith("#compdef outpostctl\n"));
        QVERIFY(script.out.contains("_arguments") && script.out.contains("_describe"));
        QVERIFY(!script.out.contains("bashcompinit") && !script.out.contains("COMPREPLY"));
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("_outpostctl")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(script.out);
        file.close();

        const QString harness = QFINDTESTDATA("zsh-complete.zsh");
        QVERIFY(!harness.isEmpty());
        QProcess complete;
        complete.start(zsh, {QStringLiteral("-f"), harness, file.fileName(), line});
        QVERIFY(complete.waitForStarted());
        if (!complete.waitForFinished(30'000)) {
            complete.kill();
            QFAIL("zsh did not finish completing");
        }
        QVERIFY2(complete.exitCode() == 0, complete.readAllStandardError().constData());
        const QStringList matches =
            QString::fromUtf8(complete.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(matches, expected);
    }
};

QTEST_GUILESS_MAIN(TestOutpostCtl)
#include "tst_outpostctl.moc"
