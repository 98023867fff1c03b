#include "db/databaseurl.h"

#include <QTest>

using Outpost::ErrorCode;
using Outpost::Server::DatabaseUrl;

class TestDatabaseUrl final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsSqliteAbsolutePath();
    void decodesPercentEncodedSqlitePath();
    void acceptsSqliteInMemoryForms();
    void acceptsPostgresqlUrl();
    void acceptsPostgresAliasAndDefaultsPortTo5432();
    void acceptsUpperCaseScheme();
    void acceptsIpv6Host();
    void percentDecodesCredentials();
    void splitsCredentialsOnLastAt();
    void rejects_data();
    void rejects();
    void rejectionNeverEchoesThePassword_data();
    void rejectionNeverEchoesThePassword();
    void redactsThePassword();
    void redactionWithoutPasswordShowsNoStars();
    void namesDriverAndDialect();
    void buildsSqliteUrlFromPath();
};

void TestDatabaseUrl::acceptsSqliteAbsolutePath()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///var/lib/outpost/outpost.db"));
    QVERIFY(url);
    QCOMPARE(url->driver, DatabaseUrl::Driver::Sqlite);
    QCOMPARE(url->path, QStringLiteral("/var/lib/outpost/outpost.db"));
    QVERIFY(!url->isInMemory());
    QVERIFY(url->password.isEmpty());
}

void TestDatabaseUrl::decodesPercentEncodedSqlitePath()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("  sqlite:///data/my%20files/out.db \n"));
    QVERIFY(url);
    QCOMPARE(url->path, QStringLiteral("/data/my files/out.db"));
}

void TestDatabaseUrl::acceptsSqliteInMemoryForms()
{
    for (const QString &text :
        {QStringLiteral("sqlite::memory:"), QStringLiteral("sqlite:///:memory:")}) {
        const auto url = DatabaseUrl::parse(text);
        QVERIFY2(url, qPrintable(text));
        QVERIFY(url->isInMemory());
        QCOMPARE(url->path, QStringLiteral(":memory:"));
    }
}

void TestDatabaseUrl::acceptsPostgresqlUrl()
{
    const auto url =
        DatabaseUrl::parse(QStringLiteral("postgresql://outpost:s3cret@db.example.com:6543/"
                                          "outpost?sslmode=require&connect_timeout=5"));
    QVERIFY(url);
    QCOMPARE(url->driver, DatabaseUrl::Driver::Postgres);
    QCOMPARE(url->user, QStringLiteral("outpost"));
    QCOMPARE(url->password, QStringLiteral("s3cret"));
    QCOMPARE(url->host, QStringLiteral("db.example.com"));
    QCOMPARE(url->port, 6543);
    QCOMPARE(url->database, QStringLiteral("outpost"));
    QCOMPARE(url->options.value(QStringLiteral("sslmode")), QStringLiteral("require"));
    QCOMPARE(url->options.value(QStringLiteral("connect_timeout")), QStringLiteral("5"));
    QCOMPARE(url->options.size(), 2);
}

void TestDatabaseUrl::acceptsPostgresAliasAndDefaultsPortTo5432()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("postgres://app@localhost/outpost"));
    QVERIFY(url);
    QCOMPARE(url->driver, DatabaseUrl::Driver::Postgres);
    QCOMPARE(url->user, QStringLiteral("app"));
    QVERIFY(url->password.isEmpty());
    QCOMPARE(url->host, QStringLiteral("localhost"));
    QCOMPARE(url->port, 5432);
    QCOMPARE(url->database, QStringLiteral("outpost"));
    QVERIFY(url->options.isEmpty());

    const auto noUser = DatabaseUrl::parse(QStringLiteral("postgresql://db:5433/outpost"));
    QVERIFY(noUser);
    QVERIFY(noUser->user.isEmpty());
    QCOMPARE(noUser->port, 5433);
}

void TestDatabaseUrl::acceptsUpperCaseScheme()
{
    QVERIFY(DatabaseUrl::parse(QStringLiteral("SQLite:///x.db")));
    QVERIFY(DatabaseUrl::parse(QStringLiteral("PostgreSQL://u@h/d")));
}

void TestDatabaseUrl::acceptsIpv6Host()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("postgresql://u:p@[::1]:5433/d"));
    QVERIFY(url);
    QCOMPARE(url->host, QStringLiteral("::1"));
    QCOMPARE(url->port, 5433);
    QCOMPARE(url->redacted(), QStringLiteral("postgresql://u:***@[::1]:5433/d"));
}

void TestDatabaseUrl::percentDecodesCredentials()
{
    const auto url = DatabaseUrl::parse(
        QStringLiteral("postgresql://us%40er%3Ax:p%40ss%3Aw%2Fo%3Fr%23d%25%C3%A9@host/db"));
    QVERIFY(url);
    QCOMPARE(url->user, QStringLiteral("us@er:x"));
    QCOMPARE(url->password, QStringView(u"p@ss:w/o?r#d%\u00e9").toString());
    QCOMPARE(url->host, QStringLiteral("host"));
}

void TestDatabaseUrl::splitsCredentialsOnLastAt()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("postgresql://user:p@ss@host/db"));
    QVERIFY(url);
    QCOMPARE(url->password, QStringLiteral("p@ss"));
    QCOMPARE(url->host, QStringLiteral("host"));
}

void TestDatabaseUrl::rejects_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("empty") << QString() << QStringLiteral("must not be empty");
    QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("must not be empty");
    QTest::newRow("no scheme") << QStringLiteral("/var/lib/outpost.db")
                               << QStringLiteral("is not a URL");
    QTest::newRow("mysql") << QStringLiteral("mysql://u:p@h/d")
                           << QStringLiteral("unsupported scheme \"mysql\"");
    QTest::newRow("sqlite relative")
        << QStringLiteral("sqlite://outpost.db") << QStringLiteral("three slashes");
    QTest::newRow("sqlite no slashes")
        << QStringLiteral("sqlite:outpost.db") << QStringLiteral("absolute path");
    QTest::newRow("sqlite host") << QStringLiteral("sqlite://host/var/outpost.db")
                                 << QStringLiteral("takes no host");
    QTest::newRow("sqlite no file")
        << QStringLiteral("sqlite:///") << QStringLiteral("needs a file name");
    QTest::newRow("sqlite directory")
        << QStringLiteral("sqlite:///var/lib/") << QStringLiteral("needs a file name");
    QTest::newRow("sqlite options")
        << QStringLiteral("sqlite:///x.db?mode=ro") << QStringLiteral("takes no options");
    QTest::newRow("sqlite bad escape")
        << QStringLiteral("sqlite:///x%zz.db") << QStringLiteral("invalid percent-encoding");
    QTest::newRow("pg no slashes")
        << QStringLiteral("postgresql:u@h/d") << QStringLiteral("postgresql://user:password@host");
    QTest::newRow("pg no host") << QStringLiteral("postgresql://u:p@/d")
                                << QStringLiteral("needs a host");
    QTest::newRow("pg no database")
        << QStringLiteral("postgresql://u:p@h:5432") << QStringLiteral("needs a database name");
    QTest::newRow("pg empty database")
        << QStringLiteral("postgresql://u:p@h:5432/") << QStringLiteral("needs a database name");
    QTest::newRow("pg port text") << QStringLiteral("postgresql://u:p@h:abc/d")
                                  << QStringLiteral("port must be a number");
    QTest::newRow("pg port zero") << QStringLiteral("postgresql://u:p@h:0/d")
                                  << QStringLiteral("port must be a number");
    QTest::newRow("pg port big") << QStringLiteral("postgresql://u:p@h:70000/d")
                                 << QStringLiteral("port must be a number");
    QTest::newRow("pg bad escape")
        << QStringLiteral("postgresql://u:p%4@h/d") << QStringLiteral("invalid percent-encoding");
    QTest::newRow("pg fragment") << QStringLiteral("postgresql://u:p@h/d#x")
                                 << QStringLiteral("no fragment");
    QTest::newRow("pg sslmode") << QStringLiteral("postgresql://u@h/d?sslmode=always")
                                << QStringLiteral("sslmode must be one of");
    QTest::newRow("pg timeout") << QStringLiteral("postgresql://u@h/d?connect_timeout=soon")
                                << QStringLiteral("connect_timeout must be");
    QTest::newRow("pg option shape")
        << QStringLiteral("postgresql://u@h/d?sslmode") << QStringLiteral("name=value");
    QTest::newRow("pg option name") << QStringLiteral("postgresql://u@h/d?SSL-Mode=x")
                                    << QStringLiteral("option name is not valid");
    QTest::newRow("pg password option")
        << QStringLiteral("postgresql://u@h/d?password=x") << QStringLiteral("in the URL itself");
    QTest::newRow("pg semicolon") << QStringLiteral("postgresql://u@h/d?application_name=a%3Bb")
                                  << QStringLiteral("must not contain ';'");
    QTest::newRow("pg bad ipv6") << QStringLiteral("postgresql://u@[::1/d")
                                 << QStringLiteral("IPv6");
}

void TestDatabaseUrl::rejects()
{
    QFETCH(QString, url);
    QFETCH(QString, messagePart);

    const auto parsed = DatabaseUrl::parse(url);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, ErrorCode::Validation);
    QCOMPARE(parsed.error().fields.size(), 1);
    QCOMPARE(parsed.error().fields.first().field, QStringLiteral("OUTPOST_DATABASE_URL"));
    QVERIFY2(parsed.error().fields.first().message.contains(messagePart),
        qPrintable(parsed.error().fields.first().message));
}

void TestDatabaseUrl::rejectionNeverEchoesThePassword_data()
{
    QTest::addColumn<QString>("url");
    // Each of these fails after (or because of) a password that must not show up anywhere.
    QTest::newRow("slash in password") << QStringLiteral("postgresql://u:Hunter2/x@h/d");
    QTest::newRow("question mark") << QStringLiteral("postgresql://u:Hunter2?x@h/d");
    QTest::newRow("hash") << QStringLiteral("postgresql://u:Hunter2#x@h/d");
    QTest::newRow("no host") << QStringLiteral("postgresql://u:Hunter2@/d");
    QTest::newRow("bad port") << QStringLiteral("postgresql://u:Hunter2@h:x/d");
    QTest::newRow("bad option") << QStringLiteral("postgresql://u:Hunter2@h/d?sslmode=x");
    QTest::newRow("wrong scheme") << QStringLiteral("mysql://u:Hunter2@h/d");
    QTest::newRow("no scheme") << QStringLiteral("u:Hunter2@h/d");
}

void TestDatabaseUrl::rejectionNeverEchoesThePassword()
{
    QFETCH(QString, url);
    const auto parsed = DatabaseUrl::parse(url);
    QVERIFY(!parsed);
    QVERIFY2(!parsed.error().detail.contains(QStringLiteral("Hunter2")),
        qPrintable(parsed.error().detail));
    for (const auto &field : parsed.error().fields) {
        QVERIFY(!field.message.contains(QStringLiteral("Hunter2")));
    }
}

void TestDatabaseUrl::redactsThePassword()
{
    const auto url = DatabaseUrl::parse(
        QStringLiteral("postgresql://outpost:Hunter2%2F@db:5432/outpost?sslmode=require"));
    QVERIFY(url);
    const QString redacted = url->redacted();
    QCOMPARE(redacted, QStringLiteral("postgresql://outpost:***@db:5432/outpost?sslmode=require"));
    QVERIFY(!redacted.contains(QStringLiteral("Hunter2")));
}

void TestDatabaseUrl::redactionWithoutPasswordShowsNoStars()
{
    const auto pg = DatabaseUrl::parse(QStringLiteral("postgres://outpost@db/outpost"));
    QVERIFY(pg);
    QCOMPARE(pg->redacted(), QStringLiteral("postgresql://outpost@db:5432/outpost"));

    const auto sqlite = DatabaseUrl::parse(QStringLiteral("sqlite:///data/my%20files/out.db"));
    QVERIFY(sqlite);
    QCOMPARE(sqlite->redacted(), QStringLiteral("sqlite:///data/my%20files/out.db"));

    const auto memory = DatabaseUrl::parse(QStringLiteral("sqlite:///:memory:"));
    QVERIFY(memory);
    QCOMPARE(memory->redacted(), QStringLiteral("sqlite::memory:"));
}

void TestDatabaseUrl::namesDriverAndDialect()
{
    const auto sqlite = DatabaseUrl::parse(QStringLiteral("sqlite:///x.db"));
    const auto pg = DatabaseUrl::parse(QStringLiteral("postgres://u@h/d"));
    QVERIFY(sqlite && pg);
    QCOMPARE(sqlite->qtDriverName(), QStringLiteral("QSQLITE"));
    QCOMPARE(sqlite->dialect(), QStringLiteral("sqlite"));
    QCOMPARE(pg->qtDriverName(), QStringLiteral("QPSQL"));
    QCOMPARE(pg->dialect(), QStringLiteral("postgresql"));
}

void TestDatabaseUrl::buildsSqliteUrlFromPath()
{
    const DatabaseUrl url = DatabaseUrl::sqliteFile(QStringLiteral("/home/a b/./outpost.db"));
    QCOMPARE(url.driver, DatabaseUrl::Driver::Sqlite);
    QCOMPARE(url.path, QStringLiteral("/home/a b/outpost.db"));
    const auto reparsed = DatabaseUrl::parse(url.redacted());
    QVERIFY(reparsed);
    QCOMPARE(reparsed->path, url.path);
}

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
