#include "pgdatabase.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace Outpost::Test {

namespace {

QAtomicInteger<int> g_serial {0};

} // namespace

PgCluster PgCluster::fromEnvironment()
{
    PgCluster cluster;
    const QString state = qEnvironmentVariable("OUTPOST_TEST_POSTGRES");
    if (state.isEmpty())
        return cluster;
    QFile env(state + QStringLiteral("/cluster.env"));
    if (!env.open(QIODevice::ReadOnly))
        return cluster;
    int port = 0;
    while (!env.atEnd()) {
        const QString line = QString::fromUtf8(env.readLine()).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            continue;
        const QString key = line.left(eq);
        const QString value = line.mid(eq + 1);
        if (key == u"PGHOST")
            cluster.host = value;
        else if (key == u"PGPORT")
            port = value.toInt();
        else if (key == u"PGUSER")
            cluster.user = value;
        else if (key == u"PGPASSWORD_FILE")
            cluster.passwordFile = value;
        else if (key == u"PGTEMPLATE")
            cluster.templateDatabase = value;
    }
    QFile password(cluster.passwordFile);
    if (!password.open(QIODevice::ReadOnly))
        return cluster;
    cluster.password = QString::fromUtf8(password.readAll()).trimmed();
    cluster.port = port;
    return cluster;
}

QString PgCluster::url(const QString &database, bool withPassword) const
{
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    if (withPassword)
        url.setPassword(password);
    url.setPath(u'/' + database);
    return url.toString(QUrl::FullyEncoded);
}

PgDatabase::~PgDatabase()
{
    drop();
}

QSqlDatabase PgDatabase::connect(const QString &database, const QString &connectionName)
{
    QSqlDatabase db = QSqlDatabase::contains(connectionName)
        ? QSqlDatabase::database(connectionName, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    if (db.isOpen())
        return db;
    db.setHostName(m_cluster.host);
    db.setPort(m_cluster.port);
    db.setUserName(m_cluster.user);
    db.setPassword(m_cluster.password);
    db.setDatabaseName(database);
    if (!db.open())
        m_error = QStringLiteral("cannot connect to the test cluster: ") + db.lastError().text();
    return db;
}

bool PgDatabase::create(Schema schema)
{
    m_cluster = PgCluster::fromEnvironment();
    if (!m_cluster.isValid()) {
        m_error = QStringLiteral("no PostgreSQL test cluster (OUTPOST_TEST_POSTGRES and its "
                                 "cluster.env; run through ctest with the outpost_pg fixture)");
        return false;
    }
    const QString name = QStringLiteral("outpost_t%1_%2_%3")
                             .arg(QCoreApplication::applicationPid())
                             .arg(g_serial.fetchAndAddRelaxed(1))
                             .arg(QRandomGenerator::global()->generate() % 100000);
    bool ok = false;
    {
        QSqlDatabase admin = connect(QStringLiteral("postgres"), name + QStringLiteral("_admin"));
        if (admin.isOpen()) {
            QSqlQuery query(admin);
            const bool copy = schema == Schema::Migrated && !m_cluster.templateDatabase.isEmpty();
            ok = query.exec(QStringLiteral("CREATE DATABASE ") + name
                + (copy ? QStringLiteral(" TEMPLATE ") + m_cluster.templateDatabase : QString()));
            if (!ok)
                m_error = QStringLiteral("CREATE DATABASE failed: ") + query.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(name + QStringLiteral("_admin"));
    if (ok)
        m_name = name;
    return ok;
}

bool PgDatabase::exec(const QStringList &statements)
{
    if (m_name.isEmpty())
        return false;
    m_connectionName = m_name + QStringLiteral("_work");
    QSqlDatabase db = connect(m_name, m_connectionName);
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            m_error = statement + QStringLiteral(": ") + query.lastError().text();
            return false;
        }
    }
    return true;
}

QVariant PgDatabase::scalar(const QString &sql)
{
    if (m_name.isEmpty())
        return {};
    m_connectionName = m_name + QStringLiteral("_work");
    QSqlDatabase db = connect(m_name, m_connectionName);
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next()) {
        m_error = sql + QStringLiteral(": ") + query.lastError().text();
        return {};
    }
    return query.value(0);
}

void PgDatabase::drop()
{
    if (m_name.isEmpty())
        return;
    if (!m_connectionName.isEmpty()) {
        QSqlDatabase::removeDatabase(m_connectionName);
        m_connectionName.clear();
    }
    const QString adminName = m_name + QStringLiteral("_drop");
    {
        QSqlDatabase admin = connect(QStringLiteral("postgres"), adminName);
        if (admin.isOpen()) {
            QSqlQuery query(admin);
            if (!query.exec(QStringLiteral("DROP DATABASE IF EXISTS ") + m_name
                    + QStringLiteral(" WITH (FORCE)")))
                qWarning(
                    "dropping the test database failed: %s", qPrintable(query.lastError().text()));
        }
    }
    QSqlDatabase::removeDatabase(adminName);
    m_name.clear();
}

} // namespace Outpost::Test
