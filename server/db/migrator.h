#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

class QSqlDatabase;

namespace Outpost::Server {

class Database;

// One schema step as this binary knows it, with the files chosen for the database's dialect.
struct Migration
{
    int version = 0;
    QString name;     // "initial" for 0001_initial.up.sql
    QString upFile;   // file name inside the migration directory
    QString downFile; // empty when the step cannot be reverted
};

struct MigrationStatus
{
    int version = 0;
    QString name;
    bool known = true; // false: applied by a newer (or different) outpost-server
    bool applied = false;
    QDateTime appliedAt; // UTC; invalid when not applied
};

// Versioned schema migrations, recorded in schema_migrations.
//
// Files are NNNN_name.up.sql and NNNN_name.down.sql, shared by both dialects;
// NNNN_name.sqlite.up.sql or NNNN_name.postgresql.up.sql (and .down) replace them for one
// dialect. Every version needs an up file for the database's dialect (an empty file makes a
// step a no-op there). Each step runs in its own transaction, so a failing step leaves the
// schema at the previous version.
class Migrator
{
public:
    explicit Migrator(const Database &db, QString directory = QStringLiteral(":/migrations"));

    // The steps in the directory, ordered by version, resolved for the database's dialect.
    Result<QList<Migration>> available() const;
    // The newest applied version; 0 for an empty database.
    Result<int> currentVersion() const;
    // Every known step, applied or pending, plus applied versions this binary does not know.
    Result<QList<MigrationStatus>> status() const;
    // Fails when the database has steps this binary does not know (it is newer than us).
    Status checkCompatible() const;

    // Applies up to `steps` pending steps in version order (all when negative); returns how
    // many this call applied. Steps already applied by a concurrent process are skipped.
    Result<int> up(int steps = -1);
    // Reverts the `steps` newest applied steps (all when negative); returns how many.
    Result<int> down(int steps = 1);

private:
    enum class Direction { Up, Down };

    // Serialises migrating processes: pg_advisory_lock on PostgreSQL; nothing on SQLite, where
    // each step's BEGIN IMMEDIATE does that job.
    Status lockForMigration(QSqlDatabase &db) const;
    void unlockForMigration(QSqlDatabase &db) const;

    Result<QList<MigrationStatus>> appliedSteps(QSqlDatabase &db) const;
    Status ensureMigrationTable(QSqlDatabase &db) const;
    Result<QString> readFile(const QString &fileName) const;
    // up() and down(): the same steps, each way.
    Result<int> migrate(Direction direction, int steps);
    // The steps `direction` runs, in order: the pending ones by version going up, the applied
    // ones newest first going down.
    static QList<Migration> plan(
        Direction direction, const QList<Migration> &known, const QList<MigrationStatus> &applied);
    // Runs one step in a transaction; false when another process had already done it.
    Result<bool> runStep(QSqlDatabase &db, const Migration &migration, Direction direction) const;
    bool isSqlite() const;

    static Status checkCompatible(
        const QList<Migration> &known, const QList<MigrationStatus> &applied);

    const Database &m_db;
    QString m_directory;
};

} // namespace Outpost::Server
