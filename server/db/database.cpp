#include "database.h"

#include "dblog.h"
#include "pgreader.h"
#include "sqlitereader.h"
#include "sqlsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <atomic>

namespace Outpost::Server {

namespace {

std::atomic<quint64> g_nextDatabaseSerial {1};
std::atomic<quint64> g_nextThreadSerial {1};

// A number for the calling thread that is never reused, unlike QThread pointers, so a new
// thread can never pick up a dead thread's connection name.
quint64 threadSerial()
{
    thread_local const quint64 serial = g_nextThreadSerial.fetch_add(1);
    return serial;
}

constexpr int kBusyTimeoutMs = 5000;
constexpr int kDefaultConnectTimeoutS = 10;

// A value for libpq's conninfo string: single-quoted, with \ and ' escaped.
QString conninfoValue(QString value)
{
    value.replace(u'\\', QStringLiteral("\\\\"));
    value.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + value + u'\'';
}

bool execute(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (query.exec(sql)) {
        return true;
    }
    qCWarning(lcDb).noquote() << "database setup statement failed:" << sql << "-"
                              << query.lastError().text();
    return false;
}

} // namespace

struct Database::Registry
{
    struct Entry
    {
        QString name;
        QMetaObject::Connection finishedHook;
    };
    QMutex mutex;
    QHash<quint64, Entry> entries; // thread serial -> that thread's connection
};

Database::Database(DatabaseUrl url)
    : m_url(std::move(url))
    , m_serial(g_nextDatabaseSerial.fetch_add(1))
    , m_registry(std::make_shared<Registry>())
{ }

Database::~Database()
{
    std::unique_ptr<WriteBatcher> writer;
    {
        std::lock_guard lock(m_writerMutex);
        writer.swap(m_writer);
    }
    writer.reset(); // finishes the queued writes on the writer's own connection
    QHash<quint64, Registry::Entry> entries;
    {
        QMutexLocker lock(&m_registry->mutex);
        entries.swap(m_registry->entries);
    }
    const quint64 self = threadSerial();
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        QObject::disconnect(it->finishedHook);
        if (it.key() != self) {
            qCDebug(lcDb).noquote()
                << "dropping connection" << it->name << "left open by another thread";
        }
        QSqlDatabase::removeDatabase(it->name);
    }
}

QString Database::threadConnectionName() const
{
    // Asked for on every query: remember the last one this thread made (serials never repeat).
    thread_local quint64 cachedSerial = 0;
    thread_local QString cachedName;
    if (cachedSerial != m_serial) {
        cachedName = QStringLiteral("outpost.db.%1.thread%2").arg(m_serial).arg(threadSerial());
        cachedSerial = m_serial;
    }
    return cachedName;
}

QSqlDatabase Database::connection() const
{
    Result<QSqlDatabase> db = open();
    return db ? *db : QSqlDatabase();
}

Result<QSqlDatabase> Database::open() const
{
    const QString name = threadConnectionName();
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (SqlSupport::takeLost(name)) {
            // The server went away under this connection: its prepared statements are gone
            // with it, so drop ours too and reconnect.
            qCInfo(lcDb).noquote() << "reconnecting" << name << "to" << m_url.redacted();
            SqlSupport::forgetStatements(name);
            db.close();
        }
        if (db.isOpen()) {
            return db;
        }
        // An earlier attempt failed or the connection was closed: try again.
        if (Status opened = openConnection(db); !opened) {
            return fail(opened.error());
        }
        return db;
    }

    if (!QSqlDatabase::isDriverAvailable(m_url.qtDriverName())) {
        qCCritical(lcDb).noquote() << "Qt Sql driver" << m_url.qtDriverName() << "is not installed";
        return fail(Error::unavailable(
            QStringLiteral("the %1 database driver is not installed").arg(m_url.dialect())));
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(m_url.qtDriverName(), name);
    configure(db);
    // Registered even when opening fails, so the next call retries and cleanup finds it.
    registerThreadConnection(name);
    if (Status opened = openConnection(db); !opened) {
        return fail(opened.error());
    }
    qCDebug(lcDb).noquote() << "opened connection" << name << "to" << m_url.redacted();
    return db;
}

void Database::configure(QSqlDatabase &db) const
{
    if (m_url.driver == DatabaseUrl::Driver::Sqlite) {
        QStringList options {QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs)};
        if (m_url.isInMemory()) {
            // One in-memory database per Database instance, shared by its threads' connections;
            // it lives as long as one of them is open.
            db.setDatabaseName(
                QStringLiteral("file:outpost-memory-%1?mode=memory&cache=shared").arg(m_serial));
            options.append(QStringLiteral("QSQLITE_OPEN_URI"));
        } else {
            db.setDatabaseName(m_url.path);
        }
        db.setConnectOptions(options.join(u';'));
        return;
    }

    db.setHostName(m_url.host);
    db.setPort(m_url.port);
    db.setUserName(m_url.user);
    db.setPassword(m_url.password);
    db.setDatabaseName(m_url.database);
    QMap<QString, QString> options = m_url.options;
    if (!options.contains(QStringLiteral("connect_timeout"))) {
        options.insert(QStringLiteral("connect_timeout"), QString::number(kDefaultConnectTimeoutS));
    }
    QStringList pairs;
    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        pairs.append(it.key() + u'=' + conninfoValue(it.value()));
    }
    db.setConnectOptions(pairs.join(u';'));
}

Status Database::openConnection(QSqlDatabase &db) const
{
    const bool sqlite = m_url.driver == DatabaseUrl::Driver::Sqlite;
    if (sqlite && !m_url.isInMemory()) {
        const QString directory = QFileInfo(m_url.path).absolutePath();
        if (!QDir().mkpath(directory)) {
            qCWarning(lcDb).noquote() << "cannot create the database directory" << directory;
            return fail(Error::unavailable(QStringLiteral("cannot create the database directory")));
        }
    }
    if (!db.open()) {
        qCWarning(lcDb).noquote() << "cannot open" << m_url.redacted() << "-"
                                  << db.lastError().text();
        return fail(Error::unavailable(sqlite ? QStringLiteral("cannot open the SQLite database")
                                              : QStringLiteral("cannot connect to PostgreSQL")));
    }
    if (sqlite) {
        if (Status pragmas = applySqlitePragmas(db); !pragmas) {
            db.close();
            return pragmas;
        }
    }
    return {};
}

Status Database::applySqlitePragmas(QSqlDatabase &db) const
{
    if (!m_url.isInMemory()) {
        QSqlQuery query(db);
        // Switching a new database to WAL needs it to itself for a moment. Connections opening
        // it at the same time (threads or replicas starting together) can find it locked, and
        // SQLite answers BUSY at once rather than wait when waiting could deadlock: try again
        // for as long as the busy timeout.
        QElapsedTimer clock;
        clock.start();
        while (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next()) {
            if (!SqlSupport::isBusy(query.lastError()) || clock.elapsed() > kBusyTimeoutMs) {
                qCWarning(lcDb).noquote() << "cannot switch" << m_url.redacted() << "to WAL mode -"
                                          << query.lastError().text();
                return fail(
                    Error::unavailable(QStringLiteral("cannot configure the SQLite database")));
            }
            query.finish();
            QThread::msleep(5);
        }
        const QString mode = query.value(0).toString();
        if (mode.compare(u"wal", Qt::CaseInsensitive) != 0) {
            // e.g. a file system without shared memory: still usable, just slower under load.
            qCWarning(lcDb).noquote() << "SQLite journal mode is" << mode << "instead of WAL";
        }
    }
    const QStringList pragmas {
        QStringLiteral("PRAGMA foreign_keys=ON"),
        QStringLiteral("PRAGMA busy_timeout=%1").arg(kBusyTimeoutMs),
        QStringLiteral("PRAGMA synchronous=NORMAL"),
    };
    for (const QString &pragma : pragmas) {
        if (!execute(db, pragma)) {
            return fail(Error::unavailable(QStringLiteral("cannot configure the SQLite database")));
        }
    }
    return {};
}

void Database::registerThreadConnection(const QString &name) const
{
    const quint64 serial = threadSerial();
    QMutexLocker lock(&m_registry->mutex);
    if (m_registry->entries.contains(serial)) {
        return;
    }
    Registry::Entry entry {name, {}};
    // When a QThread finishes, close its connection in that thread (the only one allowed to),
    // even if this Database is gone by then: the hook holds only a weak reference.
    QThread *thread = QThread::currentThread();
    std::weak_ptr<Registry> weak = m_registry;
    entry.finishedHook = QObject::connect(
        thread, &QThread::finished, thread,
        [weak, serial, name] {
            if (const std::shared_ptr<Registry> registry = weak.lock()) {
                QMutexLocker hookLock(&registry->mutex);
                registry->entries.remove(serial);
            }
            QSqlDatabase::removeDatabase(name);
        },
        Qt::DirectConnection);
    m_registry->entries.insert(serial, entry);
}

void Database::closeThreadConnection() const
{
    SqliteReader::closeForThread(*this);
    PgReader::closeForThread(*this);
    Registry::Entry entry;
    {
        QMutexLocker lock(&m_registry->mutex);
        const auto it = m_registry->entries.find(threadSerial());
        if (it == m_registry->entries.end()) {
            return;
        }
        entry = it.value();
        m_registry->entries.erase(it);
    }
    QObject::disconnect(entry.finishedHook);
    QSqlDatabase::removeDatabase(entry.name);
}

Status Database::ping() const
{
    Result<QSqlDatabase> db = open();
    if (!db) {
        return fail(db.error());
    }
    const auto selectOne = [&db] {
        QSqlQuery query(*db);
        if (query.exec(QStringLiteral("SELECT 1")) && query.next()) {
            return true;
        }
        qCWarning(lcDb).noquote() << "ping failed -" << query.lastError().text();
        return false;
    };
    if (selectOne()) {
        return {};
    }
    // The server may have dropped the connection (PostgreSQL restart): reconnect once.
    SqlSupport::markLost(db->connectionName());
    db = open();
    if (!db) {
        return fail(db.error());
    }
    if (selectOne()) {
        return {};
    }
    return fail(Error::unavailable(QStringLiteral("the database does not answer")));
}

std::unique_lock<std::mutex> Database::lockForWrite() const
{
    if (m_url.driver == DatabaseUrl::Driver::Sqlite)
        return std::unique_lock<std::mutex>(m_writeMutex);
    return {};
}

void Database::submitWrite(WriteBatcher::Write write, WriteBatcher::Done done) const
{
    if (m_url.driver == DatabaseUrl::Driver::Sqlite) {
        WriteBatcher *writer = nullptr;
        {
            std::lock_guard lock(m_writerMutex);
            if (!m_writer)
                m_writer = std::make_unique<WriteBatcher>(*this);
            writer = m_writer.get();
        }
        writer->submit(std::move(write), std::move(done));
        return;
    }
    // No advisory lock as in Transaction: these writes need no more isolation than a
    // transaction of their own gives.
    Result<QSqlDatabase> db = open();
    if (!db) {
        done(fail(db.error()));
        return;
    }
    if (!db->transaction()) {
        done(fail(SqlSupport::failure(db->lastError(), *db, "BEGIN", QString())));
        return;
    }
    SqlSupport::enterTransaction();
    Status outcome = write();
    if (outcome && !db->commit())
        outcome = fail(SqlSupport::failure(db->lastError(), *db, "COMMIT", QString()));
    if (!outcome && !db->rollback())
        qCWarning(lcDb).noquote() << "ROLLBACK failed:" << db->lastError().text();
    SqlSupport::leaveTransaction();
    done(outcome);
}

WriteBatcher::Stats Database::writeStats() const
{
    std::lock_guard lock(m_writerMutex);
    return m_writer ? m_writer->stats() : WriteBatcher::Stats {};
}

} // namespace Outpost::Server
