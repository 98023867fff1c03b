#include "db/database.h"
#include "db/migrator.h"
#include "db/sqlscript.h"
#include "sqlitefixture.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

using Outpost::ErrorCode;
using Outpost::Server::Database;
using Outpost::Server::DatabaseUrl;
using Outpost::Server::Migration;
using Outpost::Server::MigrationStatus;
using Outpost::Server::Migrator;
using Outpost::Test::exec;
using Outpost::Test::scalar;
using Outpost::Test::SqliteFixture;
namespace SqlScript = Outpost::Server::SqlScript;

namespace {

const QStringList kSchemaTables {
    QStringLiteral("api_keys"),
    QStringLiteral("audit"),
    QStringLiteral("files"),
    QStringLiteral("files_fts"),
    QStringLiteral("files_fts_config"),
    QStringLiteral("files_fts_data"),
    QStringLiteral("files_fts_docsize"),
    QStringLiteral("files_fts_idx"),
    QStringLiteral("login_attempts"),
    QStringLiteral("oidc_flows"),
    QStringLiteral("oidc_identities"),
    QStringLiteral("password_resets"),
    QStringLiteral("pipelines"),
    QStringLiteral("post_owner_stats"),
    QStringLiteral("post_stats"),
    QStringLiteral("posts"),
    QStringLiteral("posts_fts"),
    QStringLiteral("posts_fts_config"),
    QStringLiteral("posts_fts_data"),
    QStringLiteral("posts_fts_deferred"),
    QStringLiteral("posts_fts_docsize"),
    QStringLiteral("posts_fts_idx"),
    QStringLiteral("refresh_tokens"),
    QStringLiteral("runs"),
    QStringLiteral("schema_migrations"),
    QStringLiteral("stages"),
    QStringLiteral("subscription_deliveries"),
    QStringLiteral("subscription_outbox"),
    QStringLiteral("subscriptions"),
    QStringLiteral("upload_parts"),
    QStringLiteral("uploads"),
    QStringLiteral("users"),
    QStringLiteral("votes"),
    QStringLiteral("webhook_deliveries"),
};

DatabaseUrl sqliteUrl(const QTemporaryDir &dir, const QString &file = QStringLiteral("outpost.db"))
{
    return DatabaseUrl::sqliteFile(dir.filePath(file));
}

QStringList tables(const Database &db)
{
    QSqlQuery query(db.connection());
    QStringList names;
    // sqlite_* tables are SQLite's own bookkeeping (sqlite_sequence for AUTOINCREMENT).
    if (!query.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"))) {
        qWarning() << query.lastError().text();
        return names;
    }
    while (query.next()) {
        names.append(query.value(0).toString());
    }
    return names;
}

bool writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile file(dir.filePath(name));
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

class TestMigrations final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void embedsTheInitialMigration();
    void upAppliesAllAndCreatesEveryTable();
    void upTwiceAppliesNothingTheSecondTime();
    void downThenUpRoundTrips();
    void upAndDownHonourStepCounts();
    void statusListsAppliedAndPending();
    void newerDatabaseIsIncompatible();
    void unknownOlderVersionIsIncompatible();
    void brokenMigrationRollsBackAndNamesTheFile();
    void dialectOverrideFilesArePreferred();
    void versionWithoutUpFileForDialectIsAnError();
    void badlyNamedMigrationFileIsAnError();
    void downWithoutDownFileFails();
    void downRevertsNewerStepsBeforeOneWithoutDownFile();
    void triggerBlocksAreKeptWhole();
    void splitsStatementsAroundCommentsStringsAndBlocks();
    void splitsScriptsIntoStatements_data();
    void splitsScriptsIntoStatements();
    void foreignKeysCascadeUserDeletion();
    void votesCountFollowsVotes();
    void postsIndexStepRevertsCleanly();
    void emailIsUniqueIgnoringCase();
    void sqliteConnectionsUseWalAndPragmas();
    void createsMissingDatabaseDirectory();
    void openFailureIsUnavailableWithoutPath();
    void pingAnswersSelectOne();
    void threadsGetTheirOwnConnections();
    void finishedThreadLosesItsConnection();
    void inMemoryDatabaseIsSharedByThreads();
    void concurrentUpAppliesEachStepOnce();
    void newDatabaseLockedByAnotherConnectionStillOpens();
    void postgresFailureIsUnavailableAndHidesPassword();
};

void TestMigrations::embedsTheInitialMigration()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    const auto available = Migrator(db).available();
    QVERIFY(available);
    QVERIFY(!available->isEmpty());
    const Migration &first = available->first();
    QCOMPARE(first.version, 1);
    QCOMPARE(first.name, QStringLiteral("initial"));
    QCOMPARE(first.upFile, QStringLiteral("0001_initial.sqlite.up.sql"));
    QCOMPARE(first.downFile, QStringLiteral("0001_initial.sqlite.down.sql"));
}

void TestMigrations::upAppliesAllAndCreatesEveryTable()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db);
    QCOMPARE(migrator.currentVersion().value_or(-1), 0);

    const auto applied = migrator.up();
    QVERIFY2(applied, qPrintable(applied ? QString() : applied.error().detail));
    const auto available = migrator.available();
    QVERIFY(available);
    QCOMPARE(*applied, available->size());
    QCOMPARE(migrator.currentVersion().value_or(-1), available->last().version);
    QCOMPARE(tables(db), kSchemaTables);

    const QString appliedAt =
        scalar(db, QStringLiteral("SELECT applied_at FROM schema_migrations WHERE version = 1"))
            .toString();
    QVERIFY2(QRegularExpression(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$)"))
                 .match(appliedAt)
                 .hasMatch(),
        qPrintable(appliedAt));
}

void TestMigrations::upTwiceAppliesNothingTheSecondTime()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db);
    QVERIFY(migrator.up().value_or(0) > 0);
    const auto again = migrator.up();
    QVERIFY(again);
    QCOMPARE(*again, 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM schema_migrations")).toInt(),
        migrator.available()->size());
}

void TestMigrations::downThenUpRoundTrips()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db);
    const int total = migrator.up().value_or(0);
    QVERIFY(total > 0);

    const auto reverted = migrator.down(-1);
    QVERIFY2(reverted, qPrintable(reverted ? QString() : reverted.error().detail));
    QCOMPARE(*reverted, total);
    QCOMPARE(tables(db), QStringList {QStringLiteral("schema_migrations")});
    QCOMPARE(scalar(db,
                 QStringLiteral("SELECT COUNT(*) FROM sqlite_master "
                                "WHERE name <> 'schema_migrations' AND name <> 'sqlite_sequence'"))
                 .toInt(),
        0); // no index or trigger left behind
    QCOMPARE(migrator.currentVersion().value_or(-1), 0);

    QCOMPARE(migrator.up().value_or(-1), total);
    QCOMPARE(tables(db), kSchemaTables);
}

void TestMigrations::upAndDownHonourStepCounts()
{
    QTemporaryDir migrations;
    for (int i = 1; i <= 3; ++i) {
        const QString base = QStringLiteral("000%1_t%1").arg(i);
        QVERIFY(writeFile(migrations, base + QStringLiteral(".up.sql"),
            QStringLiteral("CREATE TABLE t%1 (id INTEGER);").arg(i).toUtf8()));
        QVERIFY(writeFile(migrations, base + QStringLiteral(".down.sql"),
            QStringLiteral("DROP TABLE t%1;").arg(i).toUtf8()));
    }
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());

    QCOMPARE(migrator.up(2).value_or(-1), 2);
    QCOMPARE(migrator.currentVersion().value_or(-1), 2);
    QCOMPARE(migrator.up(0).value_or(-1), 0);
    QCOMPARE(migrator.up(5).value_or(-1), 1);
    QCOMPARE(migrator.currentVersion().value_or(-1), 3);
    QCOMPARE(migrator.down().value_or(-1), 1);
    QCOMPARE(migrator.currentVersion().value_or(-1), 2);
    QVERIFY(!tables(db).contains(QStringLiteral("t3")));
    QVERIFY(tables(db).contains(QStringLiteral("t2")));
    QCOMPARE(migrator.down(5).value_or(-1), 2);
    QCOMPARE(migrator.currentVersion().value_or(-1), 0);
    QCOMPARE(migrator.down().value_or(-1), 0);
}

void TestMigrations::statusListsAppliedAndPending()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_first.up.sql"), "CREATE TABLE a (x);"));
    QVERIFY(writeFile(migrations, QStringLiteral("0002_second.up.sql"), "CREATE TABLE b (x);"));
    QVERIFY(writeFile(migrations, QStringLiteral("0003_third.up.sql"), "CREATE TABLE c (x);"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());

    const auto before = migrator.status();
    QVERIFY(before);
    QCOMPARE(before->size(), 3);
    for (const MigrationStatus &step : *before) {
        QVERIFY(!step.applied);
        QVERIFY(step.known);
        QVERIFY(!step.appliedAt.isValid());
    }

    QCOMPARE(migrator.up(2).value_or(-1), 2);
    const auto after = migrator.status();
    QVERIFY(after);
    QCOMPARE(after->size(), 3);
    QCOMPARE(after->at(0).version, 1);
    QCOMPARE(after->at(0).name, QStringLiteral("first"));
    QVERIFY(after->at(0).applied);
    QVERIFY(after->at(0).appliedAt.isValid());
    QCOMPARE(after->at(0).appliedAt.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(after->at(0).appliedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QVERIFY(after->at(1).applied);
    QCOMPARE(after->at(2).version, 3);
    QCOMPARE(after->at(2).name, QStringLiteral("third"));
    QVERIFY(!after->at(2).applied);
    QVERIFY(!after->at(2).appliedAt.isValid());
}

void TestMigrations::newerDatabaseIsIncompatible()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db);
    QVERIFY(migrator.up());
    QVERIFY(migrator.checkCompatible());
    const int known = migrator.available()->last().version;
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) "
                       "VALUES (9999, 'future', '2030-01-01T00:00:00Z')")));

    const QString expected = QStringLiteral("database schema version 9999 is newer than this "
                                            "outpost-server knows (%1); upgrade outpost-server")
                                 .arg(known);
    const auto compatible = migrator.checkCompatible();
    QVERIFY(!compatible);
    QCOMPARE(compatible.error().detail, expected);

    const auto up = migrator.up();
    QVERIFY(!up);
    QCOMPARE(up.error().detail, expected);
    QVERIFY(!migrator.down());

    const auto status = migrator.status();
    QVERIFY(status);
    QCOMPARE(status->last().version, 9999);
    QCOMPARE(status->last().name, QStringLiteral("future"));
    QVERIFY(!status->last().known);
    QVERIFY(status->last().applied);
    QCOMPARE(migrator.currentVersion().value_or(-1), 9999);
}

void TestMigrations::unknownOlderVersionIsIncompatible()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_a.up.sql"), "CREATE TABLE a (x);"));
    QVERIFY(writeFile(migrations, QStringLiteral("0003_c.up.sql"), "CREATE TABLE c (x);"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());
    QCOMPARE(migrator.up(1).value_or(-1), 1);
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) "
                       "VALUES (2, 'branch', '2030-01-01T00:00:00Z')")));
    const auto up = migrator.up();
    QVERIFY(!up);
    QVERIFY2(
        up.error().detail.contains(QStringLiteral("0002_branch")), qPrintable(up.error().detail));
}

void TestMigrations::brokenMigrationRollsBackAndNamesTheFile()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_good.up.sql"),
        "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"));
    QVERIFY(writeFile(migrations, QStringLiteral("0002_broken.up.sql"),
        "CREATE TABLE b (id INTEGER);\n"
        "INSERT INTO a (id) VALUES (1);\n"
        "CREATE TABEL oops (id INTEGER);\n"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());

    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(
            QStringLiteral(R"(^migration 0002_broken\.up\.sql, statement 3 failed: .*syntax)")));
    const auto result = migrator.up();
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Internal);
    QVERIFY2(result.error().detail.contains(QStringLiteral("0002_broken.up.sql")),
        qPrintable(result.error().detail));
    QVERIFY(!result.error().detail.contains(QStringLiteral("syntax")));
    QVERIFY(!result.error().detail.contains(QStringLiteral("oops")));

    QCOMPARE(migrator.currentVersion().value_or(-1), 1);
    QCOMPARE(tables(db), (QStringList {QStringLiteral("a"), QStringLiteral("schema_migrations")}));
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM a")).toInt(), 0);
}

void TestMigrations::dialectOverrideFilesArePreferred()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_pick.up.sql"),
        "CREATE TABLE generic_table (id INTEGER);"));
    QVERIFY(
        writeFile(migrations, QStringLiteral("0001_pick.down.sql"), "DROP TABLE generic_table;"));
    QVERIFY(writeFile(migrations, QStringLiteral("0001_pick.sqlite.up.sql"),
        "CREATE TABLE specific_table (id INTEGER);"));
    QVERIFY(writeFile(
        migrations, QStringLiteral("0001_pick.sqlite.down.sql"), "DROP TABLE specific_table;"));
    QVERIFY(
        writeFile(migrations, QStringLiteral("0001_pick.postgresql.up.sql"), "NOT SQL AT ALL;"));
    QVERIFY(writeFile(migrations, QStringLiteral("0002_shared.up.sql"),
        "CREATE TABLE shared_table (id INTEGER);"));
    QVERIFY(writeFile(migrations, QStringLiteral("0002_shared.postgresql.up.sql"), "NOT SQL;"));
    QVERIFY(writeFile(migrations, QStringLiteral("README.md"), "ignored: not a .sql file"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());

    const auto available = migrator.available();
    QVERIFY2(available, qPrintable(available ? QString() : available.error().detail));
    QCOMPARE(available->size(), 2);
    QCOMPARE(available->at(0).upFile, QStringLiteral("0001_pick.sqlite.up.sql"));
    QCOMPARE(available->at(0).downFile, QStringLiteral("0001_pick.sqlite.down.sql"));
    QCOMPARE(available->at(1).upFile, QStringLiteral("0002_shared.up.sql"));
    QVERIFY(available->at(1).downFile.isEmpty());

    QCOMPARE(migrator.up().value_or(-1), 2);
    QStringList expected {QStringLiteral("schema_migrations"), QStringLiteral("shared_table"),
        QStringLiteral("specific_table")};
    QCOMPARE(tables(db), expected);

    // 0002 has no down step; revert only 0001 by removing 0002 first would fail, so check that.
    const auto down = migrator.down();
    QVERIFY(!down);
    QVERIFY(down.error().detail.contains(QStringLiteral("0002_shared has no down step")));
}

void TestMigrations::versionWithoutUpFileForDialectIsAnError()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(
        migrations, QStringLiteral("0001_pg_only.postgresql.up.sql"), "CREATE EXTENSION pg_trgm;"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    const auto available = Migrator(db, migrations.path()).available();
    QVERIFY(!available);
    QVERIFY2(available.error().detail.contains(QStringLiteral("0001_pg_only has no up file for "
                                                              "sqlite")),
        qPrintable(available.error().detail));
}

void TestMigrations::badlyNamedMigrationFileIsAnError()
{
    for (const QString &name : {QStringLiteral("1_short.up.sql"), QStringLiteral("0001_x.sql"),
             QStringLiteral("0001_x.mysql.up.sql"), QStringLiteral("0001_x.upgrade.sql")}) {
        QTemporaryDir migrations;
        QVERIFY(writeFile(migrations, name, "SELECT 1;"));
        QTemporaryDir dir;
        Database db(sqliteUrl(dir));
        const auto available = Migrator(db, migrations.path()).available();
        QVERIFY2(!available, qPrintable(name));
        QVERIFY2(available.error().detail.contains(name), qPrintable(available.error().detail));
    }

    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_a.up.sql"), "SELECT 1;"));
    QVERIFY(writeFile(migrations, QStringLiteral("0001_b.up.sql"), "SELECT 1;"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    const auto available = Migrator(db, migrations.path()).available();
    QVERIFY(!available);
    QVERIFY2(available.error().detail.contains(QStringLiteral("share version 1")),
        qPrintable(available.error().detail));
}

void TestMigrations::downWithoutDownFileFails()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_oneway.up.sql"), "CREATE TABLE a (x);"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());
    QCOMPARE(migrator.up().value_or(-1), 1);
    const auto down = migrator.down();
    QVERIFY(!down);
    QCOMPARE(down.error().detail, QStringLiteral("migration 0001_oneway has no down step"));
    QCOMPARE(migrator.currentVersion().value_or(-1), 1);
}

void TestMigrations::downRevertsNewerStepsBeforeOneWithoutDownFile()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_oneway.up.sql"), "CREATE TABLE a (x);"));
    QVERIFY(writeFile(migrations, QStringLiteral("0002_b.up.sql"), "CREATE TABLE b (x);"));
    QVERIFY(writeFile(migrations, QStringLiteral("0002_b.down.sql"), "DROP TABLE b;"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());
    QCOMPARE(migrator.up().value_or(-1), 2);
    // Each step is checked when its turn comes: 0002 goes, then 0001 stops the rest.
    const auto down = migrator.down(-1);
    QVERIFY(!down);
    QCOMPARE(down.error().detail, QStringLiteral("migration 0001_oneway has no down step"));
    QCOMPARE(migrator.currentVersion().value_or(-1), 1);
}

void TestMigrations::triggerBlocksAreKeptWhole()
{
    QTemporaryDir migrations;
    QVERIFY(writeFile(migrations, QStringLiteral("0001_trigger.up.sql"),
        "-- a trigger whose body has several statements; and a CASE ... END\n"
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
        "CREATE TABLE item_log (item_id INTEGER, note TEXT);\n"
        "CREATE TRIGGER items_after_insert AFTER INSERT ON items\n"
        "BEGIN\n"
        "    INSERT INTO item_log (item_id, note) VALUES (NEW.id, 'created; ok');\n"
        "    -- a comment; inside the body\n"
        "    INSERT INTO item_log (item_id, note)\n"
        "        VALUES (NEW.id, CASE WHEN NEW.name = 'end' THEN 'named end'\n"
        "                             ELSE 'other' END);\n"
        "END;\n"
        "INSERT INTO items (name) VALUES ('end');\n"));
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    Migrator migrator(db, migrations.path());
    const auto applied = migrator.up();
    QVERIFY2(applied, qPrintable(applied ? QString() : applied.error().detail));

    QSqlQuery query(db.connection());
    QVERIFY(query.exec(QStringLiteral("SELECT item_id, note FROM item_log ORDER BY rowid")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
    QCOMPARE(query.value(1).toString(), QStringLiteral("created; ok"));
    QVERIFY(query.next());
    QCOMPARE(query.value(1).toString(), QStringLiteral("named end"));
    QVERIFY(!query.next());
}

void TestMigrations::splitsStatementsAroundCommentsStringsAndBlocks()
{
    const QString sql = QStringLiteral(
        "-- leading comment; with a semicolon\n"
        "CREATE TABLE a (x TEXT DEFAULT 'a;b'); /* block; comment */ SELECT \"we;ird\" FROM a;\n"
        "\n"
        ";  -- nothing but a comment\n"
        "CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN x; END; $body$ LANGUAGE plpgsql;\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;\n"
        "CREATE TEMP TRIGGER u AFTER DELETE ON a\nBEGIN\n  SELECT CASE WHEN 1 THEN 2 END;\nEND;\n"
        "SELECT 'it''s; fine', $1 -- trailing; comment\n");
    const QStringList statements = SqlScript::splitStatements(sql);
    const QStringList expected {
        QStringLiteral("CREATE TABLE a (x TEXT DEFAULT 'a;b')"),
        QStringLiteral("SELECT \"we;ird\" FROM a"),
        QStringLiteral(
            "CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN x; END; $body$ LANGUAGE plpgsql"),
        QStringLiteral("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END"),
        QStringLiteral("CREATE TEMP TRIGGER u AFTER DELETE ON a\nBEGIN\n  SELECT CASE WHEN 1 THEN "
                       "2 END;\nEND"),
        QStringLiteral("SELECT 'it''s; fine', $1"),
    };
    QCOMPARE(statements, expected);
    QVERIFY(
        SqlScript::splitStatements(QStringLiteral("  -- only; comments\n/* ; */ ;;")).isEmpty());
}

void TestMigrations::splitsScriptsIntoStatements_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("no trailing semicolon")
        << QStringLiteral("SELECT 1;\nSELECT 2")
        << QStringList {QStringLiteral("SELECT 1"), QStringLiteral("SELECT 2")};
    QTest::newRow("block comment becomes a space")
        << QStringLiteral("SELECT/* ; */1;") << QStringList {QStringLiteral("SELECT 1")};
    QTest::newRow("line comment keeps its newline") << QStringLiteral(
        "SELECT 1 -- one; two\n, 2;") << QStringList {QStringLiteral("SELECT 1 \n, 2")};
    QTest::newRow("doubled quotes stay inside the string")
        << QStringLiteral("SELECT 'a'';b', \"x\"\";y\";")
        << QStringList {QStringLiteral("SELECT 'a'';b', \"x\"\";y\"")};
    QTest::newRow("unterminated string runs to the end")
        << QStringLiteral("SELECT 'a;b") << QStringList {QStringLiteral("SELECT 'a;b")};
    QTest::newRow("anonymous dollar quote")
        << QStringLiteral("DO $$ BEGIN x; END $$; SELECT 1;")
        << QStringList {QStringLiteral("DO $$ BEGIN x; END $$"), QStringLiteral("SELECT 1")};
    QTest::newRow("other dollar tags inside a tagged body") << QStringLiteral(
        "SELECT $a$ $$; $b$ $a$;") << QStringList {QStringLiteral("SELECT $a$ $$; $b$ $a$")};
    QTest::newRow("positional parameters are not dollar quotes")
        << QStringLiteral("SELECT $1; SELECT $2;")
        << QStringList {QStringLiteral("SELECT $1"), QStringLiteral("SELECT $2")};
    QTest::newRow("PostgreSQL trigger without a body ends at its semicolon")
        << QStringLiteral("CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f(); "
                          "SELECT 1;")
        << QStringList {QStringLiteral(
                            "CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f()"),
               QStringLiteral("SELECT 1")};
    QTest::newRow("END inside a word or a string does not close a trigger body")
        << QStringLiteral("CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET backend = 'END;'; "
                          "END; SELECT 1;")
        << QStringList {QStringLiteral("CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET "
                                       "backend = 'END;'; END"),
               QStringLiteral("SELECT 1")};
    QTest::newRow("nested CASE in a trigger body")
        << QStringLiteral("create trigger t after insert on a begin select case when 1 then "
                          "case when 2 then 3 end end; end; select 2;")
        << QStringList {QStringLiteral("create trigger t after insert on a begin select case when "
                                       "1 then case when 2 then 3 end end; end"),
               QStringLiteral("select 2")};
    QTest::newRow("TRIGGER later in a statement is not a trigger")
        << QStringLiteral("CREATE TABLE x (a INTEGER); DROP TRIGGER IF EXISTS t; SELECT 1;")
        << QStringList {QStringLiteral("CREATE TABLE x (a INTEGER)"),
               QStringLiteral("DROP TRIGGER IF EXISTS t"), QStringLiteral("SELECT 1")};
    QTest::newRow("empty") << QString() << QStringList();
}

void TestMigrations::splitsScriptsIntoStatements()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, statements);
    QCOMPARE(SqlScript::splitStatements(sql), statements);
}

void TestMigrations::foreignKeysCascadeUserDeletion()
{
    SqliteFixture sqlite;
    QVERIFY2(sqlite.create(), qPrintable(sqlite.error()));
    const Database &db = sqlite.database();
    QCOMPARE(scalar(db, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO users (id, email, password_hash) "
                       "VALUES (1, 'a@example.com', 'x')")));
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO posts (title, content, owner_id) "
                       "VALUES ('t', 'c', 1), ('t2', 'c2', 1)")));
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO refresh_tokens (user_id, token_hash, family_id, "
                       "expires_at) VALUES (1, 'h', 'f', '2030-01-01T00:00:00Z')")));
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM posts")).toInt(), 2);

    QVERIFY(exec(db, QStringLiteral("DELETE FROM users WHERE id = 1")));
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM posts")).toInt(), 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM refresh_tokens")).toInt(), 0);

    // And a dangling reference is refused.
    QSqlQuery query(db.connection());
    QVERIFY(!query.exec(QStringLiteral("INSERT INTO posts (title, content, owner_id) "
                                       "VALUES ('t', 'c', 42)")));
}

void TestMigrations::votesCountFollowsVotes()
{
    SqliteFixture sqlite;
    QVERIFY2(sqlite.create(), qPrintable(sqlite.error()));
    const Database &db = sqlite.database();
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO users (id, email, password_hash) VALUES "
                       "(1, 'a@example.com', 'x'), (2, 'b@example.com', 'x')")));
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO posts (id, title, content, owner_id) "
                       "VALUES (10, 't', 'c', 1)")));
    QVERIFY(
        exec(db, QStringLiteral("INSERT INTO votes (user_id, post_id) VALUES (1, 10), (2, 10)")));
    const QString count = QStringLiteral("SELECT votes_count FROM posts WHERE id = 10");
    QCOMPARE(scalar(db, count).toInt(), 2);

    QVERIFY(exec(db, QStringLiteral("DELETE FROM users WHERE id = 2"))); // cascades to the vote
    QCOMPARE(scalar(db, count).toInt(), 1);
    QVERIFY(exec(db, QStringLiteral("DELETE FROM votes WHERE user_id = 1")));
    QCOMPARE(scalar(db, count).toInt(), 0);
}

// 0011_posts_index_in_batch: outside the batched writer the trigger still indexes every post,
// on the way up and after the way down, and the index stays whole across both.
void TestMigrations::postsIndexStepRevertsCleanly()
{
    SqliteFixture sqlite;
    QVERIFY2(sqlite.create(), qPrintable(sqlite.error()));
    const Database &db = sqlite.database();
    const QString matches =
        QStringLiteral("SELECT group_concat(rowid) FROM posts_fts WHERE posts_fts MATCH '%1'");
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO users (id, email, password_hash) "
                       "VALUES (1, 'a@example.com', 'x')")));
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO posts (id, title, content, owner_id) "
                       "VALUES (1, 'upword', 'c', 1)")));
    QCOMPARE(scalar(db, matches.arg(QStringLiteral("upword"))).toString(), QStringLiteral("1"));

    Migrator migrator(db);
    const auto available = migrator.available();
    QVERIFY(available);
    const auto step = std::ranges::find_if(
        *available, [](const Migration &m) { return m.name == u"posts_index_in_batch"; });
    QVERIFY(step != available->end());
    const int newest = migrator.currentVersion().value_or(-1);
    const int above = int(std::ranges::count_if(
        *available, [&](const Migration &m) { return m.version > step->version; }));
    QCOMPARE(migrator.down(above + 1).value_or(-1), above + 1);
    QVERIFY(!tables(db).contains(QStringLiteral("posts_fts_deferred")));
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO posts (id, title, content, owner_id) "
                       "VALUES (2, 'downword', 'c', 1)")));
    QCOMPARE(scalar(db, matches.arg(QStringLiteral("downword"))).toString(), QStringLiteral("2"));
    QCOMPARE(scalar(db, matches.arg(QStringLiteral("upword"))).toString(), QStringLiteral("1"));

    QCOMPARE(migrator.up().value_or(-1), above + 1);
    QCOMPARE(migrator.currentVersion().value_or(-1), newest);
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO posts (id, title, content, owner_id) "
                       "VALUES (3, 'againword', 'c', 1)")));
    QCOMPARE(scalar(db, matches.arg(QStringLiteral("againword"))).toString(), QStringLiteral("3"));
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM posts_fts_docsize")).toInt(), 3);
    // A post deleted through the trigger that removes it from the index too.
    QVERIFY(exec(db, QStringLiteral("DELETE FROM posts WHERE id = 2")));
    QVERIFY(scalar(db, matches.arg(QStringLiteral("downword"))).isNull());
    QVERIFY(
        exec(db, QStringLiteral("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')")));
}

void TestMigrations::emailIsUniqueIgnoringCase()
{
    SqliteFixture sqlite;
    QVERIFY2(sqlite.create(), qPrintable(sqlite.error()));
    const Database &db = sqlite.database();
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO users (email, password_hash) "
                       "VALUES ('Alice@Example.com', 'x')")));
    QSqlQuery query(db.connection());
    QVERIFY(!query.exec(QStringLiteral("INSERT INTO users (email, password_hash) "
                                       "VALUES ('alice@example.COM', 'x')")));
    QVERIFY(!query.exec(QStringLiteral("INSERT INTO users (email, password_hash, role) "
                                       "VALUES ('bob@example.com', 'x', 'root')")));
    QCOMPARE(scalar(db,
                 QStringLiteral("SELECT role FROM users WHERE lower(email) = "
                                "lower('ALICE@example.com')"))
                 .toString(),
        QStringLiteral("user"));
}

void TestMigrations::sqliteConnectionsUseWalAndPragmas()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    QCOMPARE(db.dialect(), QStringLiteral("sqlite"));
    QCOMPARE(scalar(db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(scalar(db, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(scalar(db, QStringLiteral("PRAGMA busy_timeout")).toInt(), 5000);
    QCOMPARE(scalar(db, QStringLiteral("PRAGMA synchronous")).toInt(), 1); // NORMAL
}

void TestMigrations::createsMissingDatabaseDirectory()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir, QStringLiteral("nested/deeper/outpost.db")));
    QVERIFY(db.open());
    QVERIFY(exec(db, QStringLiteral("CREATE TABLE t (x)")));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("nested/deeper/outpost.db"))));
}

void TestMigrations::openFailureIsUnavailableWithoutPath()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir, QStringLiteral("blocker"), "a file where a directory should be"));
    Database db(sqliteUrl(dir, QStringLiteral("blocker/sub/outpost.db")));

    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("cannot create the database directory")));
    const auto opened = db.open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QVERIFY(!opened.error().detail.isEmpty());
    QVERIFY2(!opened.error().detail.contains(dir.path()), qPrintable(opened.error().detail));
    QVERIFY(!opened.error().detail.contains(QStringLiteral("blocker")));

    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("cannot create the database directory")));
    QVERIFY(!db.connection().isOpen());

    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("cannot create the database directory")));
    const auto ping = db.ping();
    QVERIFY(!ping);
    QCOMPARE(ping.error().code, ErrorCode::Unavailable);
}

void TestMigrations::pingAnswersSelectOne()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    QVERIFY(db.ping());
    // A connection closed behind our back is reopened.
    db.connection().close();
    QVERIFY(db.ping());
    QVERIFY(db.connection().isOpen());
}

void TestMigrations::threadsGetTheirOwnConnections()
{
    SqliteFixture sqlite;
    QVERIFY2(sqlite.create(), qPrintable(sqlite.error()));
    const Database &db = sqlite.database();
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO users (id, email, password_hash) "
                       "VALUES (1, 'a@example.com', 'x')")));
    const QString mainName = db.connection().connectionName();
    QCOMPARE(db.connection().connectionName(), mainName); // stable within a thread

    struct Outcome
    {
        QString name;
        bool stillRegistered = false;
        int inserted = 0;
        int users = -1;
    };
    std::array<Outcome, 2> outcomes;
    const auto work = [&db](Outcome *outcome) {
        {
            QSqlDatabase connection = db.connection();
            outcome->name = connection.connectionName();
            QSqlQuery query(connection);
            for (int i = 0; i < 25; ++i) {
                query.prepare(QStringLiteral("INSERT INTO posts (title, content, owner_id) "
                                             "VALUES (?, 'c', 1)"));
                query.addBindValue(outcome->name);
                outcome->inserted += query.exec() ? 1 : 0;
            }
            if (query.exec(QStringLiteral("SELECT COUNT(*) FROM users")) && query.next()) {
                outcome->users = query.value(0).toInt();
            }
        }
        db.closeThreadConnection();
        outcome->stillRegistered = QSqlDatabase::contains(outcome->name);
    };
    std::unique_ptr<QThread> first(QThread::create(work, &outcomes.front()));
    std::unique_ptr<QThread> second(QThread::create(work, &outcomes.back()));
    first->start();
    second->start();
    QVERIFY(first->wait(30000));
    QVERIFY(second->wait(30000));

    QVERIFY(!outcomes[0].name.isEmpty());
    QVERIFY(!outcomes[1].name.isEmpty());
    QVERIFY(outcomes[0].name != outcomes[1].name);
    QVERIFY(outcomes[0].name != mainName);
    QVERIFY(outcomes[1].name != mainName);
    for (const Outcome &outcome : outcomes) {
        QCOMPARE(outcome.inserted, 25);
        QCOMPARE(outcome.users, 1);
        QVERIFY(!outcome.stillRegistered);
    }
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM posts")).toInt(), 50);

    db.closeThreadConnection();
    QVERIFY(!QSqlDatabase::contains(mainName));
    QVERIFY(db.connection().isOpen()); // reopened on demand
}

void TestMigrations::finishedThreadLosesItsConnection()
{
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));
    QString name;
    bool openInThread = false;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        const QSqlDatabase connection = db.connection();
        name = connection.connectionName();
        openInThread = connection.isOpen();
        // No closeThreadConnection(): the finished() hook must clean up.
    }));
    thread->start();
    QVERIFY(thread->wait(30000));
    QVERIFY(openInThread);
    QVERIFY(!name.isEmpty());
    QVERIFY(!QSqlDatabase::contains(name));
}

void TestMigrations::inMemoryDatabaseIsSharedByThreads()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("sqlite::memory:"));
    QVERIFY(url);
    Database db(*url);
    QVERIFY(Migrator(db).up());
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO users (email, password_hash) "
                       "VALUES ('a@example.com', 'x')")));
    int users = -1;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        {
            QSqlQuery query(db.connection());
            if (query.exec(QStringLiteral("SELECT COUNT(*) FROM users")) && query.next()) {
                users = query.value(0).toInt();
            }
        }
        db.closeThreadConnection();
    }));
    thread->start();
    QVERIFY(thread->wait(30000));
    QCOMPARE(users, 1);

    // A second in-memory Database is a different database.
    Database other(*url);
    QCOMPARE(tables(other), QStringList());
}

void TestMigrations::concurrentUpAppliesEachStepOnce()
{
    QTemporaryDir migrations;
    for (int i = 1; i <= 6; ++i) {
        // Not "IF NOT EXISTS": applying a step twice would fail.
        QVERIFY(writeFile(migrations, QStringLiteral("000%1_t%1.up.sql").arg(i),
            QStringLiteral("CREATE TABLE t%1 (id INTEGER);").arg(i).toUtf8()));
    }
    QTemporaryDir dir;
    Database db(sqliteUrl(dir));

    struct Outcome
    {
        bool ok = false;
        int applied = 0;
        QString error;
    };
    std::array<Outcome, 3> outcomes;
    const auto work = [&db, &migrations](Outcome *outcome) {
        Migrator migrator(db, migrations.path());
        const auto applied = migrator.up();
        outcome->ok = applied.has_value();
        outcome->applied = applied.value_or(0);
        outcome->error = applied ? QString() : applied.error().detail;
        db.closeThreadConnection();
    };
    std::vector<std::unique_ptr<QThread>> threads;
    threads.reserve(outcomes.size());
    for (Outcome &outcome : outcomes) {
        threads.emplace_back(QThread::create(work, &outcome));
    }
    for (const auto &thread : threads) {
        thread->start();
    }
    int total = 0;
    for (std::size_t i = 0; i < threads.size(); ++i) {
        QVERIFY(threads[i]->wait(60000));
        QVERIFY2(outcomes.at(i).ok, qPrintable(outcomes.at(i).error));
        total += outcomes.at(i).applied;
    }
    QCOMPARE(total, 6);
    QCOMPARE(Migrator(db, migrations.path()).currentVersion().value_or(-1), 6);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM schema_migrations")).toInt(), 6);
}

// Switching a new database to WAL needs it alone for a moment; SQLite answers BUSY at once,
// without waiting, while another connection holds a lock on it. Opening must wait for the
// lock (up to the busy timeout), not fail: threads and replicas start together.
void TestMigrations::newDatabaseLockedByAnotherConnectionStillOpens()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outpost.db"));
    // Another thread creates the database and holds a write transaction open for a while (as a
    // migrator starting first does).
    QSemaphore locked;
    bool holderOk = false;
    std::unique_ptr<QThread> holder(QThread::create([&path, &locked, &holderOk] {
        const QString name = QStringLiteral("lock-holder");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            QSqlQuery query(db);
            holderOk = db.open() && query.exec(QStringLiteral("CREATE TABLE held (id INTEGER)"))
                && query.exec(QStringLiteral("BEGIN IMMEDIATE"))
                && query.exec(QStringLiteral("INSERT INTO held VALUES (1)"));
            locked.release();
            QThread::msleep(300);
            holderOk = query.exec(QStringLiteral("COMMIT")) && holderOk;
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }));
    holder->start();
    QVERIFY(locked.tryAcquire(1, 10000));

    Database db(DatabaseUrl::sqliteFile(path));
    const auto opened = db.open();
    QVERIFY(holder->wait(10000));
    QVERIFY(holderOk);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().detail));
    QCOMPARE(scalar(db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestMigrations::postgresFailureIsUnavailableAndHidesPassword()
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        QSKIP("the QPSQL driver is not installed");
    }
    // Port 1 on loopback refuses at once; the options must reach libpq intact (a malformed
    // conninfo would fail with "invalid connection option" instead).
    const auto url = DatabaseUrl::parse(QStringLiteral(
        "postgresql://outpost:Hunter2@127.0.0.1:1/outpost?sslmode=disable&connect_timeout=2"));
    QVERIFY(url);
    Database db(*url);
    QCOMPARE(db.dialect(), QStringLiteral("postgresql"));
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral(
            R"(^cannot open postgresql://outpost:\*\*\*@127\.0\.0\.1:1/outpost\?)"
            R"(connect_timeout=2&sslmode=disable - (?!.*Hunter2)(?!.*invalid connection option))"
            R"(.*(refused|failed))")));
    const auto opened = db.open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QCOMPARE(opened.error().detail, QStringLiteral("cannot connect to PostgreSQL"));
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
