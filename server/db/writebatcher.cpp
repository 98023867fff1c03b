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

void WriteBatcher::runBatch(std::deque<Item> &batch)
{
    static const QString savepoint = QStringLiteral("SAVEPOINT batched_write");
    static const QString release = QStringLiteral("RELEASE batched_write");
    static const QString rollbackTo = QStringLiteral("ROLLBACK TO batched_write");

    std::vector<Status> outcomes;
    outcomes.reserve(batch.size());
    Status batchStatus;
    {
        const auto writeLock = m_database.lockForWrite();
        Transaction transaction(m_database);
        QSqlDatabase db = transaction.connection();
        batchStatus = transaction.begin();
        for (auto item = batch.begin(); batchStatus && item != batch.end(); ++item) {
            batchStatus = control(db, savepoint, "begin a batched write");
            if (!batchStatus)
                break;
            Status outcome = runGuarded(item->write);
            if (!outcome) {
                // Undo this write alone; if even that fails the transaction is gone (SQLite
                // rolls it back itself on some errors), and with it the whole batch.
                batchStatus = control(db, rollbackTo, "roll back a batched write");
            }
            if (batchStatus)
                batchStatus = control(db, release, "end a batched write");
            outcomes.push_back(std::move(outcome));
        }
        if (batchStatus)
            batchStatus = transaction.commit();
        // Otherwise the transaction's destructor rolls everything back.
    }
    for (qsizetype i = 0; i < std::ssize(batch); ++i) {
        const Item &item = batch[static_cast<size_t>(i)];
        notify(item.done, batchStatus ? outcomes[static_cast<size_t>(i)] : batchStatus);
    }
}

} // namespace Outpost::Server
