#pragma once

#include "core/error.h"
#include "db/database.h"

#include <QString>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>

namespace Outpost::Test {

// A bcrypt hash in the form the users table takes, for rows made directly.
inline const QByteArray kPasswordHash =
    QByteArrayLiteral("$2b$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234");

// A SQLite database of its own in a temporary directory, for the suites that drive server/db
// directly: made by each test's init() (create()), closed and removed by its cleanup()
// (reset()) or the destructor, the database before its directory.
class SqliteFixture
{
public:
    SqliteFixture() = default;
    ~SqliteFixture() { reset(); }
    SqliteFixture(const SqliteFixture &) = delete;
    SqliteFixture &operator=(const SqliteFixture &) = delete;

    enum class Schema { Empty, Migrated };
    // A new directory and the database `fileName` in it, with every migration applied unless
    // Empty. False, with error(), if any step failed.
    bool create(
        Schema schema = Schema::Migrated, const QString &fileName = QStringLiteral("outpost.db"));
    void reset();
    // Closes the database, which runs the writes still queued (as a server's shutdown does),
    // and opens the same file again.
    void reopen();

    Server::Database &database() const { return *m_database; }
    // A path in the fixture's directory.
    QString filePath(const QString &name) const { return m_dir->filePath(name); }
    QString error() const { return m_error; }

    // scalar() and exec() below on this database.
    QVariant scalar(const QString &sql) const;
    bool exec(const QString &sql) const;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Server::Database> m_database;
    QString m_error;
};

// Runs one statement on the calling thread's connection to `db`; false (and a warning with the
// statement and the driver's error) if it failed.
bool exec(const Server::Database &db, const QString &sql);
// The first column of the first row of `sql`; an invalid QVariant (and a warning) if the
// statement failed or gave no row.
QVariant scalar(const Server::Database &db, const QString &sql);
// "code detail" of a domain error, for failure messages.
QString describe(const Error &error);

} // namespace Outpost::Test
