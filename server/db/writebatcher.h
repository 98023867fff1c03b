#pragma once

#include "core/result.h"

#include <QThread>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace Outpost::Server {

class Database;

// Group commit for SQLite. A commit costs far more than the small writes of a request: the WAL
// frames of every page touched, the FTS5 index flushing a new segment, the counters the
// triggers keep. So writes queued by many requests run one after another on one thread, inside
// one BEGIN IMMEDIATE ... COMMIT per batch. A write that fails is undone alone and the rest of
// the batch commits: the batch is rolled back and run again with a savepoint around each write
// (see runBatch()), so a write may run twice. Every write's `done` is called once
// the batch has committed (or failed), never before, so a client is answered only once its
// change is as durable as an unbatched commit would make it. While one batch runs, the next
// gathers; under no load a batch is a single write, committed at once.
//
// The batch holds Database::lockForWrite(), so it is serialised with the process's other
// writers exactly as they are with each other.
class WriteBatcher
{
public:
    // Runs on the writer thread, on that thread's connection, inside the batch's transaction.
    // It must not begin or commit a transaction and must not block on other requests. It may
    // run more than once (the batch's first run was rolled back): keep its effects to the
    // database and to what it records for `done`, and let each run overwrite the last.
    using Write = std::function<Status()>;
    // Runs on the writer thread once the batch has committed: Write's own outcome, or the error
    // that stopped the batch (then nothing of it was written). Keep it short, and hand heavy
    // work (a response, a re-read) to another thread.
    using Done = std::function<void(const Status &)>;

    static constexpr int kDefaultMaxBatch = 256;

    explicit WriteBatcher(const Database &database, int maxBatch = kDefaultMaxBatch);
    // Runs every write queued so far, then stops the thread and closes its connection.
    ~WriteBatcher();
    WriteBatcher(const WriteBatcher &) = delete;
    WriteBatcher &operator=(const WriteBatcher &) = delete;

    // Thread-safe. `done` is always called exactly once.
    void submit(Write write, Done done);

    struct Stats
    {
        qint64 batches = 0; // transactions committed or attempted
        qint64 writes = 0;  // writes run
        qint64 largest = 0; // the most writes one batch held
        qint64 retried = 0; // batches run again because one of their writes failed
    };
    Stats stats() const;

private:
    struct Item
    {
        Write write;
        Done done;
    };

    struct Attempt
    {
        Status batch;                 // the transaction's own outcome
        std::vector<Status> outcomes; // one per write, when `batch` succeeded
        bool writeFailed = false;     // without savepoints: a write failed, nothing committed
    };

    void run();
    void runBatch(const std::deque<Item> &batch);
    Attempt attempt(const std::deque<Item> &batch, bool savepoints);

    const Database &m_database;
    const int m_maxBatch;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Item> m_queue;
    bool m_stopping = false;
    Stats m_stats;
    QThread *m_thread = nullptr;
};

} // namespace Outpost::Server
