#include "writebatcher.h"

#include "database.h"
#include "dblog.h"
#include "sqlsupport.h"
#include "transaction.h"

#include <QSqlError>
#include <QSqlQuery>

#include <exception>
#include <vector>

namespace Outpost::Server {

namespace {

// Runs a savepoint statement (prepared once for the writer thread).
Status control(QSqlDatabase &db, const QString &sql, const char *what)
{
    Result<QSqlQuery *> query = SqlSupport::cached(db, sql, what);
    if (!query)
        return fail(query.error());
    const bool ran = (*query)->exec();
    const QSqlError error = (*query)->lastError();
    (*query)->finish();
    if (!ran)
        return fail(SqlSupport::failure(error, db, what, sql));
    return {};
}

Status runGuarded(const WriteBatcher::Write &write)
{
    try {
        return write();
    } catch (const std::exception &e) {
        qCCritical(lcDb).noquote() << "a batched write threw:" << e.what();
    } catch (...) {
        qCCritical(lcDb).noquote() << "a batched write threw";
    }
    return fail(Error::internal(QStringLiteral("database error")));
}

void notify(const WriteBatcher::Done &done, const Status &outcome)
{
    try {
        done(outcome);
    } catch (const std::exception &e) {
        qCCritical(lcDb).noquote() << "a batched write's completion threw:" << e.what();
    } catch (...) {
        qCCritical(lcDb).noquote() << "a batched write's completion threw";
    }
}

} // namespace

WriteBatcher::WriteBatcher(const Database &database, int maxBatch)
    : m_database(database)
    , m_maxBatch(qMax(1, maxBatch))
{
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("db-writer"));
    m_thread->start();
}

WriteBatcher::~WriteBatcher()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait();
    delete m_thread;
    if (m_stats.writes > 0) {
        qCInfo(lcDb).nospace() << "batched writer stopped: " << m_stats.writes << " write(s) in "
                               << m_stats.batches << " transaction(s), at most " << m_stats.largest
                               << " in one, " << m_stats.retried << " run again";
    }
}

void WriteBatcher::submit(Write write, Done done)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back({std::move(write), std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    notify(done, fail(Error::unavailable(QStringLiteral("the server is shutting down"))));
}

WriteBatcher::Stats WriteBatcher::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void WriteBatcher::run()
{
    std::deque<Item> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                break; // stopping, and nothing is left to write
            const auto take = std::min<qsizetype>(m_maxBatch, std::ssize(m_queue));
            std::move(m_queue.begin(), m_queue.begin() + take, std::back_inserter(batch));
            m_queue.erase(m_queue.begin(), m_queue.begin() + take);
            ++m_stats.batches;
            m_stats.writes += take;
            m_stats.largest = std::max<qint64>(m_stats.largest, take);
        }
        runBatch(batch);
        batch.clear();
    }
    m_database.closeThreadConnection();
}

WriteBatcher::Attempt WriteBatcher::attempt(const std::deque<Item> &batch, bool savepoints)
{
    static const QString savepoint = QStringLiteral("SAVEPOINT batched_write");
    static const QString release = QStringLiteral("RELEASE batched_write");
    static const QString rollbackTo = QStringLiteral("ROLLBACK TO batched_write");

    Attempt result;
    result.outcomes.reserve(batch.size());
    Transaction transaction(m_database);
    QSqlDatabase db = transaction.connection();
    result.batch = transaction.begin();
    for (auto item = batch.begin(); result.batch && item != batch.end(); ++item) {
        if (savepoints) {
            result.batch = control(db, savepoint, "begin a batched write");
            if (!result.batch)
                break;
        }
        Status outcome = runGuarded(item->write);
        if (!outcome && !savepoints) {
            result.writeFailed = true;
            return result; // the transaction's destructor rolls everything back
        }
        if (!outcome) {
            // Undo this write alone; if even that fails the transaction is gone (SQLite
            // rolls it back itself on some errors), and with it the whole batch.
            result.batch = control(db, rollbackTo, "roll back a batched write");
        }
        if (savepoints && result.batch)
            result.batch = control(db, release, "end a batched write");
        result.outcomes.push_back(std::move(outcome));
    }
    if (result.batch)
        result.batch = transaction.commit();
    return result;
}

void WriteBatcher::runBatch(const std::deque<Item> &batch)
{
    Attempt result;
    {
        const auto writeLock = m_database.lockForWrite();
        // Savepoints are not free: FTS5 flushes its pending index data at each one, which
        // nearly doubled the cost of a batched post insert. So a batch first runs without
        // them; only if a write fails is it rolled back and run again with one savepoint per
        // write, so that the failed write is undone alone. The outcomes are those of the
        // run that committed.
        result = attempt(batch, false);
        if (result.writeFailed) {
            {
                std::lock_guard lock(m_mutex);
                ++m_stats.retried;
            }
            result = attempt(batch, true);
        }
    }
    for (qsizetype i = 0; i < std::ssize(batch); ++i) {
        const Item &item = batch[static_cast<size_t>(i)];
        notify(item.done, result.batch ? result.outcomes[static_cast<size_t>(i)] : result.batch);
    }
}

} // namespace Outpost::Server
