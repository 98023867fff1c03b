// The migrations on PostgreSQL: up, down and up again; the same tables and columns as on
// SQLite (repositories share their SQL); the triggers that keep counts.
#include "db/database.h"
#include "db/migrator.h"
#include "pgdatabase.h"
#include "sqlitefixture.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using Outpost::Server::Database;
using Outpost::Server::DatabaseUrl;
using Outpost::Server::Migrator;
using Outpost::Test::exec;
using Outpost::Test::PgDatabase;
using Outpost::Test::scalar;

namespace {

// table -> its column names, sorted.
using Columns = QMap<QString, QStringList>;

Columns postgresColumns(const Database &db)
{
    Columns columns;
    QSqlQuery query(db.connection());
    if (!query.exec(QStringLiteral("SELECT table_name, column_name FROM information_schema.columns "
                                   "WHERE table_schema = current_schema() ORDER BY 1, 2"))) {
        qWarning() << query.lastError().text();
        return columns;
    }
    while (query.next())
        columns[query.value(0).toString()].append(query.value(1).toString());
    return columns;
}

Columns sqliteColumns(const Database &db)
{
    Columns columns;
    QSqlQuery tables(db.connection());
    tables.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                               "AND name NOT LIKE '%\\_fts%' ESCAPE '\\'"));
    QStringList names;
    while (tables.next())
        names.append(tables.value(0).toString());
    for (const QString &name : std::as_const(names)) {
        QSqlQuery info(db.connection());
        info.exec(
            QStringLiteral("SELECT name FROM pragma_table_info('%1') ORDER BY name").arg(name));
        while (info.next())
            columns[name].append(info.value(0).toString());
    }
    return columns;
}

// As an int; -1 if the statement failed or gave no row (so that 0 is never a failure).
int number(const Database &db, const QString &sql)
{
    const QVariant value = scalar(db, sql);
    return value.isValid() ? value.toInt() : -1;
}

} // namespace

class TestPgMigrations final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upDownUpOnPostgres();
    void sameTablesAndColumnsAsSqlite();
    void countersFollowVotesAndPosts();
};

void TestPgMigrations::upDownUpOnPostgres()
{
    PgDatabase pg;
    QVERIFY2(pg.create(), qPrintable(pg.error()));
    const auto url = DatabaseUrl::parse(pg.url());
    QVERIFY(url);
    Database db(*url);
    Migrator migrator(db);
    const auto available = migrator.available();
    QVERIFY(available);
    for (const auto &migration : *available)
        QVERIFY2(migration.upFile.contains(QStringLiteral(".postgresql."))
                || !migration.upFile.contains(QStringLiteral(".sqlite.")),
            qPrintable(migration.upFile));

    const auto up = migrator.up();
    QVERIFY(up);
    QCOMPARE(*up, int(available->size()));
    QCOMPARE(*migrator.currentVersion(), available->last().version);
    const Columns first = postgresColumns(db);
    QVERIFY(first.contains(QStringLiteral("users")));

    const auto down = migrator.down(-1);
    QVERIFY(down);
    QCOMPARE(*down, int(available->size()));
    QCOMPARE(*migrator.currentVersion(), 0);
    QCOMPARE(postgresColumns(db).keys(), QStringList {QStringLiteral("schema_migrations")});

    const auto again = migrator.up();
    QVERIFY(again);
    QCOMPARE(*again, int(available->size()));
    QCOMPARE(postgresColumns(db), first);
    db.closeThreadConnection();
}

void TestPgMigrations::sameTablesAndColumnsAsSqlite()
{
    PgDatabase pg;
    QVERIFY2(pg.create(), qPrintable(pg.error()));
    Database postgres(*DatabaseUrl::parse(pg.url()));
    QVERIFY(Migrator(postgres).up());
    QTemporaryDir dir;
    Database sqlite(DatabaseUrl::sqliteFile(dir.filePath(QStringLiteral("outpost.db"))));
    QVERIFY(Migrator(sqlite).up());

    Columns pgColumns = postgresColumns(postgres);
    // PostgreSQL keeps search vectors in the tables themselves; SQLite in FTS5 tables.
    for (const QString &table : {QStringLiteral("posts"), QStringLiteral("files")})
        pgColumns[table].removeAll(QStringLiteral("search_vector"));
    const Columns liteColumns = sqliteColumns(sqlite);
    QCOMPARE(pgColumns.keys(), liteColumns.keys());
    for (auto it = liteColumns.cbegin(); it != liteColumns.cend(); ++it)
        QCOMPARE(pgColumns.value(it.key()), it.value());
    postgres.closeThreadConnection();
    sqlite.closeThreadConnection();
}

void TestPgMigrations::countersFollowVotesAndPosts()
{
    PgDatabase pg;
    QVERIFY2(pg.create(), qPrintable(pg.error()));
    Database db(*DatabaseUrl::parse(pg.url()));
    QVERIFY(Migrator(db).up());
    QVERIFY(exec(db,
        QStringLiteral(
            "INSERT INTO users (email, password_hash) VALUES ('a@x', 'h'), ('b@x', 'h')")));
    QVERIFY(exec(db,
        QStringLiteral("INSERT INTO posts (title, content, owner_id, published) VALUES ('t', 'c', "
                       "1, 1), ('u', 'd', 1, 0)")));
    QCOMPARE(number(db, QStringLiteral("SELECT published FROM post_stats")), 1);
    QCOMPARE(number(db, QStringLiteral("SELECT unpublished FROM post_stats")), 1);
    QVERIFY(exec(db, QStringLiteral("INSERT INTO votes (user_id, post_id) VALUES (1, 1), (2, 1)")));
    QCOMPARE(number(db, QStringLiteral("SELECT votes_count FROM posts WHERE id = 1")), 2);
    QVERIFY(exec(db, QStringLiteral("DELETE FROM users WHERE id = 2"))); // cascades to its vote
    QCOMPARE(number(db, QStringLiteral("SELECT votes_count FROM posts WHERE id = 1")), 1);
    QVERIFY(exec(db, QStringLiteral("UPDATE posts SET published = 1 WHERE id = 2")));
    QCOMPARE(number(db, QStringLiteral("SELECT published FROM post_stats")), 2);
    QVERIFY(exec(db, QStringLiteral("DELETE FROM users WHERE id = 1"))); // and its posts
    QCOMPARE(number(db, QStringLiteral("SELECT published + unpublished FROM post_stats")), 0);
    // Ids are never handed out twice (as AUTOINCREMENT on SQLite).
    QVERIFY(
        exec(db, QStringLiteral("INSERT INTO users (email, password_hash) VALUES ('c@x', 'h')")));
    QCOMPARE(number(db, QStringLiteral("SELECT MAX(id) FROM users")), 3);
    db.closeThreadConnection();
}

QTEST_GUILESS_MAIN(TestPgMigrations)
#include "tst_pgmigrations.moc"
