#pragma once

#include "core/result.h"
#include "databaseurl.h"
#include "writebatcher.h"

#include <QSqlDatabase>

#include <memory>
#include <mutex>

namespace Outpost::Server {

// The database the server talks to, shared by all threads.
//
// Qt Sql lets a connection be used only by the thread that opened it, so Database hands every
// thread its own QSqlDatabase, opened on first use under a name unique to this instance and that
// thread. All members are thread-safe.
//
// Lifetime: a thread should call closeThreadConnection() before it ends (a QThread's connection
// is also closed when it emits finished()). The destructor removes every connection this
// instance still has, including those of other threads; a thread that is still running a query
// on one at that moment races with it, so stop worker threads before destroying the Database.
class Database
{
public:
    explicit Database(DatabaseUrl url);
    ~Database();

    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    Database(Database &&) = delete;
    Database &operator=(Database &&) = delete;

    // The calling thread's open connection; opens it on first use. On failure it logs to
    // outpost.db and returns a connection that is not open (queries on it fail cleanly).
    QSqlDatabase connection() const;
    // The same, with the failure as Error::unavailable (no SQL or paths in the detail).
    Result<QSqlDatabase> open() const;
    // Closes and forgets the calling thread's connection. The caller must hold no copy of it.
    void closeThreadConnection() const;

    // SELECT 1 on this thread's connection, reconnecting once if it was lost; for /readyz.
    Status ping() const;

    // SQLite allows one writer at a time, and its busy handler waits by sleeping (1, 2, 5,
    // 10 ms ...), which shows up as tail latency. Writers in this process take this lock
    // first, so they queue on a mutex instead. A no-op for PostgreSQL.
    std::unique_lock<std::mutex> lockForWrite() const;

    // A write batched with others into one transaction (see WriteBatcher) on SQLite; `done`
    // runs on the writer thread after the commit. On PostgreSQL, which commits concurrent
    // transactions in parallel, it runs at once on the calling thread in a transaction of its
    // own, and `done` is called before this returns. Either way `done` is called exactly once.
    void submitWrite(WriteBatcher::Write write, WriteBatcher::Done done) const;
    // The SQLite writer's counters; all zero on PostgreSQL or before the first write.
    WriteBatcher::Stats writeStats() const;

    QString dialect() const { return m_url.dialect(); }
    const DatabaseUrl &url() const { return m_url; }

    // For per-thread state kept beside the connections (SqliteReader): a number no other
    // instance has, and a token that expires with this instance.
    quint64 serial() const { return m_serial; }
    std::weak_ptr<const void> lifetime() const { return m_registry; }

private:
    struct Registry;

    QString threadConnectionName() const;
    void configure(QSqlDatabase &db) const;
    Status openConnection(QSqlDatabase &db) const;
    Status applySqlitePragmas(QSqlDatabase &db) const;
    void registerThreadConnection(const QString &name) const;

    DatabaseUrl m_url;
    mutable std::mutex m_writeMutex;
    quint64 m_serial;
    std::shared_ptr<Registry> m_registry;
    mutable std::mutex m_writerMutex;               // guards m_writer's creation
    mutable std::unique_ptr<WriteBatcher> m_writer; // SQLite only, started by the first write
};

} // namespace Outpost::Server
