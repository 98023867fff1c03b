#include "writebatcher.h"

#include "core/tracing.h"

#include "database.h"
#include "dblog.h"
#include "postrepository.h"
#include "sqlsupport.h"
#include "transaction.h"

#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>

#include <exception>
#include <vector>

namespace Outpost::Server {

namespace {

// The batch the writer thread is running; null everywhere else.
thread_local WriteBatcher::Deferred *t_deferred = nullptr;

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

WriteBatcher::WriteBatcher(const Database &database, Options options)
    : m_database(database)
    , m_options(options)
{
    Q_ASSERT(options.maxBatch > 0);
    // Both threads exist before either starts: run() reads m_checkpointer.
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("db-writer"));
    if (!database.url().isInMemory()) {
        m_checkpointer = QThread::create([this] { runCheckpoints(); });
        m_checkpointer->setObjectName(QStringLiteral("db-checkpointer"));
    }
    m_thread->start();
    if (m_checkpointer)
        m_checkpointer->start();
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
    if (m_checkpointer) {
        {
            std::lock_guard lock(m_checkpointMutex);
            m_checkpointerStopping = true;
        }
        m_checkpointWake.notify_one();
        m_checkpointer->wait();
        delete m_checkpointer;
    }
    if (m_stats.writes > 0) {
        qCInfo(lcDb).nospace() << "batched writer stopped: " << m_stats.writes << " write(s) in "
                               << m_stats.batches << " transaction(s), at most " << m_stats.largest
                               << " in one, " << m_stats.retried << " run again; "
                               << m_stats.checkpoints << " checkpoint(s), "
                               << m_stats.writerCheckpoints << " by the writer";
    }
}

void WriteBatcher::submit(Write write, Done done)
{
    // A traced request sees its write as a client span: the wait in the queue and the group
    // commit, until the outcome is known. Its completion runs (on the writer thread) with the
    // request's span current, so what it does next (an event published, a webhook queued)
    // stays in the request's trace. Nothing is added when the request is not traced.
    if (const Tracing::SpanContext *parent = Tracing::current()) {
        std::shared_ptr<Tracing::SpanRecord> span;
        if ((parent->flags & 1) != 0 && Tracing::recording()) {
            span = std::make_shared<Tracing::SpanRecord>();
            span->context = Tracing::childOf(*parent);
            span->parentSpanId = parent->spanId;
            span->name = QByteArrayLiteral("db write (group commit)");
            span->kind = Tracing::SpanKind::Client;
            span->startUnixNs = Tracing::unixNowNs();
        }
        done = [trace = *parent, span, done = std::move(done)](const Status &status) {
            if (span) {
                span->endUnixNs = Tracing::unixNowNs();
                span->error = !status;
                Tracing::record(std::move(*span));
            }
            const Tracing::Scope scope(&trace);
            if (done)
                done(status);
        };
    }
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

WriteBatcher::Deferred *WriteBatcher::deferred()
{
    return t_deferred;
}

WriteBatcher::Stats WriteBatcher::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void WriteBatcher::run()
{
    if (m_checkpointer) {
        // Checkpoints are the checkpointer's job (see the class comment). If this fails the
        // writer checkpoints as every connection does: slower, still correct.
        if (Result<QSqlDatabase> db = m_database.open(); db) {
            QSqlQuery query(*db);
            if (!query.exec(QStringLiteral("PRAGMA wal_autocheckpoint=0")))
                qCWarning(lcDb).noquote()
                    << "cannot hand checkpoints to the checkpointer:" << query.lastError().text();
        }
    }
    std::deque<Item> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                break; // stopping, and nothing is left to write
            const auto take = std::min<qsizetype>(m_options.maxBatch, std::ssize(m_queue));
            std::move(m_queue.begin(), m_queue.begin() + take, std::back_inserter(batch));
            m_queue.erase(m_queue.begin(), m_queue.begin() + take);
            ++m_stats.batches;
            m_stats.writes += take;
            m_stats.largest = std::max<qint64>(m_stats.largest, take);
        }
        checkpointIfWalTooLarge();
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
    // The writes add to m_deferred while they run; an attempt starts with nothing deferred,
    // and its end lets go of what it held (a post's text).
    std::vector<Deferred::PostIndexRow> &postIndex = m_deferred.postIndex;
    postIndex.clear();
    t_deferred = &m_deferred;
    const auto cleanUp = qScopeGuard([&postIndex] {
        t_deferred = nullptr;
        postIndex.clear();
    });
    Transaction transaction(m_database);
    QSqlDatabase db = transaction.connection();
    result.batch = transaction.begin();
    for (auto item = batch.begin(); result.batch && item != batch.end(); ++item) {
        if (savepoints) {
            result.batch = control(db, savepoint, "begin a batched write");
            if (!result.batch)
                break;
        }
        const auto deferredBefore = std::ssize(postIndex);
        Status outcome = runGuarded(item->write);
        if (!outcome && !savepoints) {
            result.writeFailed = true;
            return result; // the transaction's destructor rolls everything back
        }
        if (!outcome) {
            // Undo this write alone; if even that fails the transaction is gone (SQLite
            // rolls it back itself on some errors, such as a full or failing disk), and with it
            // the whole batch, for this write's reason: a 507 or 503, not "cannot roll back".
            // What it deferred goes with it.
            postIndex.erase(postIndex.begin() + deferredBefore, postIndex.end());
            result.batch = control(db, rollbackTo, "roll back a batched write");
            if (!result.batch)
                result.batch = fail(outcome.error());
        }
        if (savepoints && result.batch)
            result.batch = control(db, release, "end a batched write");
        result.outcomes.push_back(std::move(outcome));
    }
    t_deferred = nullptr;
    if (result.batch)
        result.batch = finish();
    if (result.batch)
        result.batch = transaction.commit();
    return result;
}

Status WriteBatcher::finish()
{
    // After every write, so that no statement savepoint of the batch comes after the index
    // rows: FTS5 writes them out as one segment (at the commit at the latest).
    if (m_deferred.postIndex.empty())
        return {};
    return PostRepository(m_database).indexDeferred(m_deferred.postIndex);
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
    if (result.batch && m_checkpointer) {
        {
            std::lock_guard lock(m_checkpointMutex);
            m_committed = true;
        }
        m_checkpointWake.notify_one();
    }
    for (qsizetype i = 0; i < std::ssize(batch); ++i) {
        const Item &item = batch[static_cast<size_t>(i)];
        notify(item.done, result.batch ? result.outcomes[static_cast<size_t>(i)] : result.batch);
    }
}

namespace {

// PRAGMA wal_checkpoint(PASSIVE) on the calling thread's connection: the WAL's size in pages
// afterwards, or -1 when it failed.
qint64 checkpoint(const Database &database)
{
    Result<QSqlDatabase> db = database.open();
    if (!db)
        return -1;
    QSqlQuery query(*db);
    if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")) || !query.next()) {
        // Logs it, and counts a failing disk for /readyz (no request sees this error).
        SqlSupport::failure(query.lastError(), *db, "checkpoint", QString());
        return -1;
    }
    // busy, pages in the WAL, pages copied back to the database
    return query.value(1).toLongLong();
}

} // namespace

void WriteBatcher::runCheckpoints()
{
    for (;;) {
        {
            std::unique_lock lock(m_checkpointMutex);
            m_checkpointWake.wait(lock, [this] { return m_checkpointerStopping || m_committed; });
            if (m_checkpointerStopping)
                break; // closing the last connection checkpoints anyway
            m_committed = false;
        }
        if (const qint64 pages = checkpoint(m_database); pages >= 0)
            m_walPages.store(pages, std::memory_order_relaxed);
        {
            std::lock_guard lock(m_mutex);
            ++m_stats.checkpoints;
        }
        // Let commits gather before the next one; stop at once when asked to.
        std::unique_lock lock(m_checkpointMutex);
        m_checkpointWake.wait_for(
            lock, m_options.checkpointInterval, [this] { return m_checkpointerStopping; });
    }
    m_database.closeThreadConnection();
}

void WriteBatcher::checkpointIfWalTooLarge()
{
    if (!m_checkpointer || m_walPages.load(std::memory_order_relaxed) < m_options.maxWalPages)
        return;
    qCInfo(lcDb) << "the WAL has grown to" << m_walPages.load(std::memory_order_relaxed)
                 << "pages under constant writes; checkpointing before the next batch";
    const auto writeLock = m_database.lockForWrite();
    checkpoint(m_database);
    // Done with nothing else writing, so the next batch starts the WAL over (unless a reader
    // still holds an old snapshot; the checkpointer's next report says).
    m_walPages.store(0, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    ++m_stats.writerCheckpoints;
}

} // namespace Outpost::Server
