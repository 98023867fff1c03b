// export / import between SQLite and PostgreSQL, and import-fastapi from the original FastAPI
// posts service's tables: every user still signs in with the same password.
#include "auth/passwordhasher.h"
#include "factories.h"
#include "pgdatabase.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost::Test;

namespace {

QString sqliteUrl(const QString &dir)
{
    return QStringLiteral("sqlite:///") + dir + QStringLiteral("/outpost.db");
}

TestServer::Run command(const QStringList &arguments)
{
    return TestServer::runCli(arguments, TestServer::cliEnvironment());
}

QByteArray describe(const TestServer::Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out
        + "\nstderr: " + run.err;
}

} // namespace

class TestDataCommands final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportFromSqliteImportIntoPostgres();
    void importRefusesANonEmptyDatabase();
    void badInputImportsNothing();
    void importFastApiKeepsPasswords();
    void importFastApiNeedsItsTables();
};

void TestDataCommands::exportFromSqliteImportIntoPostgres()
{
    // A SQLite instance with users of their own passwords, posts and votes.
    TestServer lite;
    lite.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), sqliteUrl(lite.dataDir()));
    QVERIFY2(lite.start(), qPrintable(lite.lastError()));
    QList<Account> accounts;
    for (int i = 0; i < 3; ++i) {
        accounts.append(createAccount(
            lite, uniqueEmail(QStringLiteral("moved")), QStringLiteral("Own-Password-%1x").arg(i)));
        QVERIFY(accounts.last().ok());
    }
    const qint64 post = createPost(lite, accounts[0], QStringLiteral("Moving house"));
    const qint64 draft =
        createPost(lite, accounts[1], QStringLiteral("Draft"), QStringLiteral("x"), false);
    QVERIFY(post > 0 && draft > 0);
    QCOMPARE(vote(lite, accounts[1], post, 1).status, 201);
    QCOMPARE(vote(lite, accounts[2], post, 1).status, 201);
    QCOMPARE(lite.stop(), 0);

    QTemporaryDir work;
    const QString file = work.filePath(QStringLiteral("outpost.jsonl"));
    const TestServer::Run exported = command({QStringLiteral("export"), QStringLiteral("--output"),
        file, QStringLiteral("--database"), sqliteUrl(lite.dataDir())});
    QVERIFY2(exported.exitCode == 0, describe(exported).constData());
    QFile jsonl(file);
    QVERIFY(jsonl.open(QIODevice::ReadOnly));
    const QByteArray text = jsonl.readAll();
    QVERIFY(text.startsWith("{\"format\":\"outpost-export\""));
    QVERIFY(text.contains("\"password_hash\":\"$2b$"));

    PgDatabase target;
    QVERIFY2(target.create(), qPrintable(target.error()));
    const TestServer::Run imported = command({QStringLiteral("import"), QStringLiteral("--input"),
        file, QStringLiteral("--database"), target.url()});
    QVERIFY2(imported.exitCode == 0, describe(imported).constData());

    TestServer pg;
    pg.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), target.url());
    QVERIFY2(pg.start(), qPrintable(pg.lastError()));
    QList<Account> signedIn;
    for (const Account &account : std::as_const(accounts)) {
        const TokenPair tokens = login(pg, account.email, account.password);
        QVERIFY2(tokens.ok(), tokens.result.body.constData());
        QVERIFY(login(pg, account.email, kPassword).status == 401);
        Account again = account;
        again.accessToken = tokens.accessToken;
        signedIn.append(again);
    }
    const HttpResult moved = get(pg, postPath(post), signedIn[0].auth());
    QCOMPARE(moved.status, 200);
    QCOMPARE(moved.json().object().value(QStringLiteral("votes")).toInteger(), 2);
    QCOMPARE(moved.json()
                 .object()
                 .value(QStringLiteral("owner"))
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toInteger(),
        accounts[0].id);
    // The draft is still a draft: its owner (and the admin, the first account) sees it.
    QCOMPARE(get(pg, postPath(draft), signedIn[2].auth()).status, 404);
    QCOMPARE(get(pg, postPath(draft), signedIn[1].auth()).status, 200);
    // New rows get new ids after the imported ones.
    const qint64 fresh = createPost(pg, signedIn[2], QStringLiteral("After the move"));
    QVERIFY(fresh > draft);
    QVERIFY(createUser(pg, uniqueEmail()) > accounts.last().id);
    QCOMPARE(totalOf(get(pg, QStringLiteral("/v1/posts"), signedIn[1].auth())), 3);

    // And back: PostgreSQL -> SQLite gives the same rows.
    QCOMPARE(pg.stop(), 0);
    const QString again = work.filePath(QStringLiteral("again.jsonl"));
    QVERIFY(command({QStringLiteral("export"), QStringLiteral("--output"), again,
                        QStringLiteral("--database"), target.url()})
                .exitCode
        == 0);
    QTemporaryDir liteAgain;
    const TestServer::Run back = command({QStringLiteral("import"), QStringLiteral("--input"),
        again, QStringLiteral("--database"), sqliteUrl(liteAgain.path())});
    QVERIFY2(back.exitCode == 0, describe(back).constData());
    // 4 users, 3 posts, 2 votes.
    QVERIFY2(back.out.contains("imported 9 row(s)"), describe(back).constData());
}

void TestDataCommands::importRefusesANonEmptyDatabase()
{
    QTemporaryDir work;
    const QString file = work.filePath(QStringLiteral("one.jsonl"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(
        "{\"format\":\"outpost-export\",\"version\":1,\"schema_version\":2}\n"
        "{\"table\":\"users\",\"row\":{\"id\":7,\"email\":\"seven@example.test\","
        "\"password_hash\":\"$2b$04$abcdefghijklmnopqrstuuJ3OlgtG2dDGqVhP0rY9gm2sF9m7Zz2S\"}}\n");
    out.close();
    PgDatabase target;
    QVERIFY2(target.create(), qPrintable(target.error()));
    const QStringList args {QStringLiteral("import"), QStringLiteral("--input"), file,
        QStringLiteral("--database"), target.url()};
    QCOMPARE(command(args).exitCode, 0);
    const TestServer::Run again = command(args);
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("import only into an empty database"), describe(again).constData());
    QCOMPARE(target.scalar(QStringLiteral("SELECT COUNT(*) FROM users")).toInt(), 1);
}

void TestDataCommands::badInputImportsNothing()
{
    const QByteArray header =
        "{\"format\":\"outpost-export\",\"version\":1,\"schema_version\":2}\n";
    const QByteArray user = "{\"table\":\"users\",\"row\":{\"id\":1,\"email\":\"a@example.test\","
                            "\"password_hash\":\"x\"}}\n";
    const struct
    {
        const char *name;
        QByteArray content;
        QByteArray message;
    } cases[] = {
        {"not an export", "{\"hello\":1}\n", "line 1 is not an outpost-server export header"},
        {"broken JSON", header + user + "{\"table\":\n", "line 3 is not a JSON object"},
        {"unknown table", header + user + "{\"table\":\"audit\",\"row\":{\"id\":1}}\n", "line 3"},
        {"unknown column", header + "{\"table\":\"users\",\"row\":{\"id\":1,\"is_admin\":1}}\n",
            "is_admin"},
        {"dangling reference",
            header + user
                + "{\"table\":\"posts\",\"row\":{\"id\":1,\"title\":\"t\",\"content\":\"c\","
                  "\"owner_id\":99}}\n",
            "line 3"},
        {"duplicate email", header + user + user, "line 3"},
        {"SQL as a column",
            header + "{\"table\":\"users\",\"row\":{\"id) VALUES (1); DROP TABLE users; --\":1}}\n",
            "line 2"},
    };
    QTemporaryDir work;
    for (const auto &c : cases) {
        const QString file = work.filePath(QStringLiteral("bad.jsonl"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(c.content);
        out.close();
        PgDatabase target;
        QVERIFY2(target.create(), qPrintable(target.error()));
        const TestServer::Run run = command({QStringLiteral("import"), QStringLiteral("--input"),
            file, QStringLiteral("--database"), target.url()});
        QVERIFY2(run.exitCode == 1, c.name);
        QVERIFY2(run.err.contains(c.message) && run.err.contains("nothing was imported"),
            QByteArray(QByteArray(c.name) + ": " + describe(run)).constData());
        QVERIFY2(!run.err.contains('\n') || run.err.count('\n') == 1, run.err.constData());
        QCOMPARE(target.scalar(QStringLiteral("SELECT COUNT(*) FROM users")).toInt(), 0);
    }
}

void TestDataCommands::importFastApiKeepsPasswords()
{
    // The FastAPI service's tables, as its SQLAlchemy models make them, with passlib-style
    // bcrypt hashes.
    PgDatabase fastapi;
    QVERIFY2(fastapi.create(), qPrintable(fastapi.error()));
    const Outpost::Server::PasswordHasher hasher(4);
    const QByteArray first = *hasher.hash("first-Password-1");
    const QByteArray second = *hasher.hash("second-Password-2");
    QVERIFY2(fastapi.exec({
                 QStringLiteral("CREATE TABLE users (id SERIAL PRIMARY KEY, email VARCHAR NOT NULL "
                                "UNIQUE, password VARCHAR NOT NULL, created_at TIMESTAMP WITH "
                                "TIME ZONE NOT NULL DEFAULT now())"),
                 QStringLiteral("CREATE TABLE posts (id SERIAL PRIMARY KEY, title VARCHAR NOT "
                                "NULL, content VARCHAR NOT NULL, published BOOLEAN NOT NULL "
                                "DEFAULT TRUE, created_at TIMESTAMP WITH TIME ZONE NOT NULL "
                                "DEFAULT now(), owner_id INTEGER NOT NULL REFERENCES users (id) "
                                "ON DELETE CASCADE)"),
                 QStringLiteral("CREATE TABLE votes (user_id INTEGER REFERENCES users (id) ON "
                                "DELETE CASCADE, post_id INTEGER REFERENCES posts (id) ON DELETE "
                                "CASCADE, PRIMARY KEY (user_id, post_id))"),
                 QStringLiteral("INSERT INTO users (email, password, created_at) VALUES "
                                "('first@example.test', '%1', '2024-03-01 12:00:00+02'), "
                                "('second@example.test', '%2', now())")
                     .arg(QString::fromLatin1(first), QString::fromLatin1(second)),
                 QStringLiteral("INSERT INTO posts (title, content, published, owner_id) VALUES "
                                "('Hello', 'From FastAPI', true, 1), ('Hidden', 'x', false, 2)"),
                 QStringLiteral("INSERT INTO votes VALUES (1, 1), (2, 1)"),
             }),
        qPrintable(fastapi.error()));

    PgDatabase target;
    QVERIFY2(target.create(), qPrintable(target.error()));
    const TestServer::Run run = command({QStringLiteral("import-fastapi"), QStringLiteral("--from"),
        fastapi.url(), QStringLiteral("--database"), target.url()});
    QVERIFY2(run.exitCode == 0, describe(run).constData());
    QVERIFY2(run.out.contains("imported 6 row(s)"), describe(run).constData());

    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), target.url());
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const TokenPair one =
        login(server, QStringLiteral("first@example.test"), QStringLiteral("first-Password-1"));
    QVERIFY2(one.ok(), one.result.body.constData());
    const TokenPair two =
        login(server, QStringLiteral("second@example.test"), QStringLiteral("second-Password-2"));
    QVERIFY2(two.ok(), two.result.body.constData());
    QCOMPARE(
        login(server, QStringLiteral("first@example.test"), QStringLiteral("second-Password-2"))
            .status,
        401);

    const HttpResult hello = get(server, postPath(1), bearer(one.accessToken));
    QCOMPARE(hello.status, 200);
    const QJsonObject post = hello.json().object();
    QCOMPARE(post.value(QStringLiteral("votes")).toInteger(), 2);
    QCOMPARE(post.value(QStringLiteral("title")).toString(), QStringLiteral("Hello"));
    QCOMPARE(get(server, postPath(2), bearer(one.accessToken)).status, 404); // unpublished
    QCOMPARE(get(server, postPath(2), bearer(two.accessToken)).status, 200);
    const HttpResult me = get(server, QStringLiteral("/v1/users/1"), bearer(one.accessToken));
    QCOMPARE(me.json().object().value(QStringLiteral("created_at")).toString(),
        QStringLiteral("2024-03-01T10:00:00Z"));
}

void TestDataCommands::importFastApiNeedsItsTables()
{
    PgDatabase empty;
    QVERIFY2(empty.create(), qPrintable(empty.error()));
    PgDatabase target;
    QVERIFY2(target.create(), qPrintable(target.error()));
    const TestServer::Run run = command({QStringLiteral("import-fastapi"), QStringLiteral("--from"),
        empty.url(), QStringLiteral("--database"), target.url()});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("FastAPI") && run.err.contains("nothing was imported"),
        describe(run).constData());
    QVERIFY2(!run.err.contains(empty.cluster().password.toUtf8()), run.err.constData());
    QCOMPARE(target.scalar(QStringLiteral("SELECT COUNT(*) FROM users")).toInt(), 0);
}

QTEST_MAIN(TestDataCommands)
#include "tst_datacommands.moc"
