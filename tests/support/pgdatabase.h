#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Outpost::Test {

// The throwaway PostgreSQL cluster of the CTest fixture `outpost_pg` (tests/postgres/
// pgcluster.sh), found through OUTPOST_TEST_POSTGRES = the fixture's state directory.
struct PgCluster
{
    QString host;
    int port = 0;
    QString user;
    QString passwordFile;
    QString password;
    QString templateDatabase; // migrated to the newest schema; empty when the fixture has none

    // Invalid (port 0) when the suite does not run against PostgreSQL.
    static PgCluster fromEnvironment();
    static bool isConfigured() { return !qEnvironmentVariableIsEmpty("OUTPOST_TEST_POSTGRES"); }
    bool isValid() const { return port > 0; }
    // postgresql://user[:password]@host:port/database
    QString url(const QString &database, bool withPassword = true) const;
};

// A database of its own in the cluster, created by create() and dropped (with any sessions
// still on it) by the destructor, so suites running in parallel never share rows.
class PgDatabase
{
public:
    PgDatabase() = default;
    ~PgDatabase();
    PgDatabase(const PgDatabase &) = delete;
    PgDatabase &operator=(const PgDatabase &) = delete;

    // False with a message in error() when the cluster is missing or refuses. Migrated: a
    // copy of the fixture's migrated template (when it has one), else an empty database.
    enum class Schema { Empty, Migrated };
    bool create(Schema schema = Schema::Empty);
    bool isCreated() const { return !m_name.isEmpty(); }
    QString name() const { return m_name; }
    const PgCluster &cluster() const { return m_cluster; }
    QString url(bool withPassword = true) const { return m_cluster.url(m_name, withPassword); }
    QString error() const { return m_error; }

    // Runs statements on this database (a connection of the calling thread); false and
    // error() on the first that fails.
    bool exec(const QStringList &statements);
    // The first column of the first row, or an invalid QVariant (and error()).
    QVariant scalar(const QString &sql);
    // Drops the database now (also done by the destructor).
    void drop();

private:
    QSqlDatabase connect(const QString &database, const QString &connectionName);

    PgCluster m_cluster;
    QString m_name;
    QString m_error;
    QString m_connectionName;
};

} // namespace Outpost::Test
