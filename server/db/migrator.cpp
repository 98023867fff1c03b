#include "migrator.h"

#include "database.h"
#include "dblog.h"
#include "sqlscript.h"

#include <QDir>
#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <array>
#include <ranges>

namespace Outpost::Server {

namespace {

// Key of the session-level advisory lock that serialises migrating replicas ("outpost").
constexpr qint64 kMigrationLockKey = 0x6F7574706F7374;

const std::array<QString, 2> kDialects {QStringLiteral("sqlite"), QStringLiteral("postgresql")};

QString versionName(int version, const QString &name)
{
    return QStringLiteral("%1_%2").arg(version, 4, 10, QLatin1Char('0')).arg(name);
}

// Runs one statement; logs the database's message (which may quote SQL) and returns false.
bool exec(QSqlQuery &query, const QString &sql, const QString &context)
{
    if (query.exec(sql)) {
        return true;
    }
    qCWarning(lcDb).noquote() << context << "failed:" << query.lastError().text();
    qCDebug(lcDb).noquote() << "statement:" << sql;
    return false;
}

} // namespace

Migrator::Migrator(const Database &db, QString directory)
    : m_db(db)
    , m_directory(std::move(directory))
{ }

bool Migrator::isSqlite() const
{
    return m_db.url().driver == DatabaseUrl::Driver::Sqlite;
}

Result<QList<Migration>> Migrator::available() const
{
    const QDir dir(m_directory);
    if (!dir.exists()) {
        qCCritical(lcDb).noquote() << "migration directory" << m_directory << "does not exist";
        return fail(Error::internal(QStringLiteral("the migration directory is missing")));
    }

    static const QRegularExpression pattern(
        QStringLiteral(R"(^(\d{4,})_([A-Za-z0-9_-]+)(?:\.([a-z]+))?\.(up|down)\.sql$)"));

    struct Files
    {
        QString name;
        QString firstFile;         // for the "share a version" message
        std::array<QString, 2> up; // [0] shared, [1] for this dialect
        std::array<QString, 2> down;
    };
    QMap<int, Files> byVersion;
    const QString dialect = m_db.dialect();

    const QStringList entries = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : entries) {
        const QRegularExpressionMatch match = pattern.match(file);
        if (!match.hasMatch()) {
            return fail(Error::internal(
                QStringLiteral("migration file %1 is not named NNNN_name[.dialect].up|down.sql")
                    .arg(file)));
        }
        bool ok = false;
        const int version = match.captured(1).toInt(&ok);
        if (!ok || version <= 0) {
            return fail(Error::internal(
                QStringLiteral("migration file %1 has an invalid version").arg(file)));
        }
        const QString fileDialect = match.captured(3);
        if (!fileDialect.isEmpty() && !std::ranges::count(kDialects, fileDialect)) {
            return fail(Error::internal(
                QStringLiteral("migration file %1 names an unknown dialect").arg(file)));
        }
        Files &files = byVersion[version];
        if (files.name.isEmpty()) {
            files.name = match.captured(2);
            files.firstFile = file;
        } else if (files.name != match.captured(2)) {
            return fail(Error::internal(QStringLiteral("migration files %1 and %2 share version %3")
                                            .arg(files.firstFile, file)
                                            .arg(version)));
        }
        if (!fileDialect.isEmpty() && fileDialect != dialect) {
            continue;
        }
        const int slot = fileDialect.isEmpty() ? 0 : 1;
        (match.captured(4) == u"up" ? files.up : files.down).at(slot) = file;
    }

    QList<Migration> migrations;
    for (auto it = byVersion.cbegin(); it != byVersion.cend(); ++it) {
        const Files &files = it.value();
        Migration migration;
        migration.version = it.key();
        migration.name = files.name;
        migration.upFile = files.up[1].isEmpty() ? files.up[0] : files.up[1];
        migration.downFile = files.down[1].isEmpty() ? files.down[0] : files.down[1];
        if (migration.upFile.isEmpty()) {
            return fail(Error::internal(
                QStringLiteral("migration %1 has no up file for %2 (add %1.up.sql or %1.%2.up.sql)")
                    .arg(versionName(migration.version, migration.name), dialect)));
        }
        migrations.append(migration);
    }
    return migrations;
}

Result<QString> Migrator::readFile(const QString &fileName) const
{
    QFile file(m_directory + u'/' + fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        qCCritical(lcDb).noquote() << "cannot read" << file.fileName() << "-" << file.errorString();
        return fail(Error::internal(QStringLiteral("cannot read migration %1").arg(fileName)));
    }
    QString sql = QString::fromUtf8(file.readAll());
    if (sql.startsWith(QChar::ByteOrderMark)) {
        sql.remove(0, 1);
    }
    return sql;
}

Status Migrator::ensureMigrationTable(QSqlDatabase &db) const
{
    QSqlQuery query(db);
    if (!exec(query,
            QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                           "version INTEGER PRIMARY KEY, "
                           "name TEXT NOT NULL, "
                           "applied_at TEXT NOT NULL)"),
            QStringLiteral("creating schema_migrations"))) {
        return fail(Error::internal(QStringLiteral("cannot create the schema_migrations table")));
    }
    return {};
}

Result<QList<MigrationStatus>> Migrator::appliedSteps(QSqlDatabase &db) const
{
    const Error readError = Error::internal(QStringLiteral("cannot read schema_migrations"));
    QSqlQuery query(db);
    const QString existsSql = isSqlite()
        ? QStringLiteral("SELECT 1 FROM sqlite_master "
                         "WHERE type = 'table' AND name = 'schema_migrations'")
        : QStringLiteral("SELECT 1 FROM information_schema.tables "
                         "WHERE table_schema = current_schema() "
                         "AND table_name = 'schema_migrations'");
    if (!exec(query, existsSql, QStringLiteral("looking for schema_migrations"))) {
        return fail(readError);
    }
    QList<MigrationStatus> applied;
    if (!query.next()) {
        return applied; // a fresh database
    }
    if (!exec(query,
            QStringLiteral("SELECT version, name, applied_at FROM schema_migrations "
                           "ORDER BY version"),
            QStringLiteral("reading schema_migrations"))) {
        return fail(readError);
    }
    while (query.next()) {
        MigrationStatus step;
        step.version = query.value(0).toInt();
        step.name = query.value(1).toString();
        step.applied = true;
        step.appliedAt = QDateTime::fromString(query.value(2).toString(), Qt::ISODate);
        applied.append(step);
    }
    return applied;
}

Result<int> Migrator::currentVersion() const
{
    Result<QSqlDatabase> db = m_db.open();
    if (!db) {
        return fail(db.error());
    }
    const Result<QList<MigrationStatus>> applied = appliedSteps(*db);
    if (!applied) {
        return fail(applied.error());
    }
    return applied->isEmpty() ? 0 : applied->last().version;
}

Result<QList<MigrationStatus>> Migrator::status() const
{
    const Result<QList<Migration>> known = available();
    if (!known) {
        return fail(known.error());
    }
    Result<QSqlDatabase> db = m_db.open();
    if (!db) {
        return fail(db.error());
    }
    const Result<QList<MigrationStatus>> applied = appliedSteps(*db);
    if (!applied) {
        return fail(applied.error());
    }

    QMap<int, MigrationStatus> steps;
    for (const Migration &migration : *known) {
        steps.insert(migration.version, {migration.version, migration.name, true, false, {}});
    }
    for (const MigrationStatus &done : *applied) {
        auto it = steps.find(done.version);
        if (it == steps.end()) {
            MigrationStatus unknown = done;
            unknown.known = false;
            steps.insert(done.version, unknown);
        } else {
            it->applied = true;
            it->appliedAt = done.appliedAt;
        }
    }
    return steps.values();
}

Status Migrator::checkCompatible(
    const QList<Migration> &known, const QList<MigrationStatus> &applied)
{
    QSet<int> knownVersions;
    int newestKnown = 0;
    for (const Migration &migration : known) {
        knownVersions.insert(migration.version);
        newestKnown = std::max(newestKnown, migration.version);
    }
    for (const MigrationStatus &step : applied) {
        if (knownVersions.contains(step.version)) {
            continue;
        }
        if (step.version > newestKnown) {
            const int newestApplied = applied.last().version;
            return fail(Error::unavailable(
                QStringLiteral("database schema version %1 is newer than this outpost-server "
                               "knows (%2); upgrade outpost-server")
                    .arg(newestApplied)
                    .arg(newestKnown)));
        }
        return fail(Error::unavailable(
            QStringLiteral("database has migration %1 applied, which this outpost-server does not "
                           "know; run the outpost-server that applied it")
                .arg(versionName(step.version, step.name))));
    }
    return {};
}

Status Migrator::checkCompatible() const
{
    const Result<QList<Migration>> known = available();
    if (!known) {
        return fail(known.error());
    }
    Result<QSqlDatabase> db = m_db.open();
    if (!db) {
        return fail(db.error());
    }
    const Result<QList<MigrationStatus>> applied = appliedSteps(*db);
    if (!applied) {
        return fail(applied.error());
    }
    return checkCompatible(*known, *applied);
}

Status Migrator::lockForMigration(QSqlDatabase &db) const
{
    if (isSqlite()) {
        return {};
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT pg_advisory_lock(?)"));
    query.addBindValue(kMigrationLockKey);
    if (!query.exec()) {
        qCWarning(lcDb).noquote() << "cannot take the migration lock -" << query.lastError().text();
        return fail(Error::unavailable(QStringLiteral("cannot take the migration lock")));
    }
    return {};
}

void Migrator::unlockForMigration(QSqlDatabase &db) const
{
    if (isSqlite()) {
        return;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT pg_advisory_unlock(?)"));
    query.addBindValue(kMigrationLockKey);
    if (!query.exec()) {
        // The lock is per session; it goes away with the connection at the latest.
        qCWarning(lcDb).noquote() << "cannot release the migration lock -"
                                  << query.lastError().text();
    }
}

Result<bool> Migrator::runStep(
    QSqlDatabase &db, const Migration &migration, Direction direction) const
{
    const bool up = direction == Direction::Up;
    const QString file = up ? migration.upFile : migration.downFile;
    if (file.isEmpty()) {
        return fail(Error::internal(QStringLiteral("migration %1 has no %2 step")
                                        .arg(versionName(migration.version, migration.name),
                                            up ? QStringLiteral("up") : QStringLiteral("down"))));
    }
    const Result<QString> sql = readFile(file);
    if (!sql) {
        return fail(sql.error());
    }
    const QStringList statements = SqlScript::splitStatements(*sql);
    const Error failed = Error::internal(QStringLiteral("migration %1 failed").arg(file));

    QSqlQuery query(db);
    // BEGIN IMMEDIATE takes SQLite's write lock now, so two processes cannot both pass the
    // version check below; PostgreSQL is serialised by the advisory lock.
    if (!exec(query, isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"),
            QStringLiteral("starting the transaction for %1").arg(file))) {
        return fail(failed);
    }
    bool committed = false;
    const auto rollback = qScopeGuard([&] {
        if (committed) {
            return;
        }
        QSqlQuery rollbackQuery(db);
        if (!rollbackQuery.exec(QStringLiteral("ROLLBACK"))) {
            qCDebug(lcDb).noquote() << "rollback:" << rollbackQuery.lastError().text();
        }
    });

    query.prepare(QStringLiteral("SELECT 1 FROM schema_migrations WHERE version = ?"));
    query.addBindValue(migration.version);
    if (!query.exec()) {
        qCWarning(lcDb).noquote() << "checking schema_migrations for" << file
                                  << "failed:" << query.lastError().text();
        return fail(failed);
    }
    const bool isApplied = query.next();
    query.finish();
    if (isApplied == up) {
        qCInfo(lcDb).noquote() << "migration" << file << "was already run by another process";
        return false;
    }

    for (qsizetype i = 0; i < statements.size(); ++i) {
        if (!exec(query, statements.at(i),
                QStringLiteral("migration %1, statement %2").arg(file).arg(i + 1))) {
            return fail(failed);
        }
        query.finish();
    }

    if (up) {
        query.prepare(QStringLiteral(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"));
        query.addBindValue(migration.version);
        query.addBindValue(migration.name);
        query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    } else {
        query.prepare(QStringLiteral("DELETE FROM schema_migrations WHERE version = ?"));
        query.addBindValue(migration.version);
    }
    if (!query.exec()) {
        qCWarning(lcDb).noquote() << "recording" << file
                                  << "in schema_migrations failed:" << query.lastError().text();
        return fail(failed);
    }
    query.finish();

    if (!exec(query, QStringLiteral("COMMIT"), QStringLiteral("committing %1").arg(file))) {
        return fail(failed);
    }
    committed = true;
    qCInfo(lcDb).noquote() << (up ? "applied migration" : "reverted migration") << file;
    return true;
}

QList<Migration> Migrator::plan(
    Direction direction, const QList<Migration> &known, const QList<MigrationStatus> &applied)
{
    QList<Migration> steps;
    if (direction == Direction::Up) {
        QSet<int> done;
        for (const MigrationStatus &step : applied) {
            done.insert(step.version);
        }
        for (const Migration &migration : known) {
            if (!done.contains(migration.version)) {
                steps.append(migration);
            }
        }
        return steps;
    }
    // checkCompatible() has made sure that every applied step is known.
    QMap<int, Migration> byVersion;
    for (const Migration &migration : known) {
        byVersion.insert(migration.version, migration);
    }
    for (const MigrationStatus &step : std::views::reverse(applied)) {
        steps.append(byVersion.value(step.version));
    }
    return steps;
}

Result<int> Migrator::migrate(Direction direction, int steps)
{
    if (steps == 0) {
        return 0;
    }
    const Result<QList<Migration>> known = available();
    if (!known) {
        return fail(known.error());
    }
    Result<QSqlDatabase> db = m_db.open();
    if (!db) {
        return fail(db.error());
    }
    if (Status locked = lockForMigration(*db); !locked) {
        return fail(locked.error());
    }
    const auto unlock = qScopeGuard([&] { unlockForMigration(*db); });

    if (direction == Direction::Up) {
        if (Status table = ensureMigrationTable(*db); !table) {
            return fail(table.error());
        }
    }
    const Result<QList<MigrationStatus>> applied = appliedSteps(*db);
    if (!applied) {
        return fail(applied.error());
    }
    if (Status compatible = checkCompatible(*known, *applied); !compatible) {
        return fail(compatible.error());
    }

    // A step another process ran meanwhile is skipped and does not count.
    int count = 0;
    for (const Migration &migration : plan(direction, *known, *applied)) {
        if (steps > 0 && count >= steps) {
            break;
        }
        const Result<bool> ran = runStep(*db, migration, direction);
        if (!ran) {
            return fail(ran.error());
        }
        count += *ran ? 1 : 0;
    }
    return count;
}

Result<int> Migrator::up(int steps)
{
    return migrate(Direction::Up, steps);
}

Result<int> Migrator::down(int steps)
{
    return migrate(Direction::Down, steps);
}

} // namespace Outpost::Server
