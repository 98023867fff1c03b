#pragma once

#include "core/result.h"

#include <QString>

#include <QThread>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace Outpost::Server {

class Database;

struct WriteBatcherOptions
{
    int maxBatch = 256;                                 // writes per transaction
    std::chrono::milliseconds checkpointInterval {100}; // between passive checkpoints
    qint64 maxWalPages = 16384;                         // 64 MiB of 4 KiB pages
};

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
//
// Checkpoints (copying the WAL back into the database file, with an fsync) would otherwise run
// inside the COMMIT of every batch that takes the WAL past 1000 pages, and stall every request
// waiting on that batch: the create benchmark's p99 went from 16 to 25 ms with them. The
// writer's connection turns automatic checkpoints off, and a checkpointer thread of its own
// runs passive ones (which never block the writer or readers) at most every
// checkpointInterval after commits. Should the WAL still outgrow maxWalPages (passive
// checkpoints cannot finish while the writer keeps appending), the writer checkpoints once
// itself between two batches, which lets the next batch start the WAL over.
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

    using Options = WriteBatcherOptions;

    // Work the writes of a batch leave for its end, done once after all of them and before the
    // commit. A post's FTS5 index row is one: written by the insert's trigger, each post of a
    // batch would write an index segment of its own (see PostRepository::insert and migration
    // 0011). Only rows of posts created in this batch may be here: a batched write must not
    // change or delete such a post before the batch's end has indexed it.
    struct Deferred
    {
        struct PostIndexRow
        {
            qint64 id = 0;
            QString title;
            QString content;
        };
        std::vector<PostIndexRow> postIndex; // the batch's posts, in insert order
    };
    // The batch the calling thread is running (a Write may add to it), or null: outside a
    // write, on other threads, and on PostgreSQL, where writes are not batched.
    static Deferred *deferred();

    explicit WriteBatcher(const Database &database, Options options = {});
    // Runs every write queued so far, then stops the thread and closes its connection.
    ~WriteBatcher();
    WriteBatcher(const WriteBatcher &) = delete;
    WriteBatcher &operator=(const WriteBatcher &) = delete;

    // Thread-safe. `done` is always called exactly once.
    void submit(Write write, Done done);

    struct Stats
    {
        qint64 batches = 0;           // transactions committed or attempted
        qint64 writes = 0;            // writes run
        qint64 largest = 0;           // the most writes one batch held
        qint64 retried = 0;           // batches run again because one of their writes failed
        qint64 checkpoints = 0;       // passive checkpoints by the checkpointer
        qint64 writerCheckpoints = 0; // checkpoints the writer had to run (WAL too large)
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
    void runCheckpoints();
    void checkpointIfWalTooLarge();
    void runBatch(const std::deque<Item> &batch);
    Attempt attempt(const std::deque<Item> &batch, bool savepoints);
    Status finish(); // m_deferred's work, at the end of an attempt

    Deferred m_deferred; // the running batch's, on the writer thread only

    const Database &m_database;
    const Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Item> m_queue;
    bool m_stopping = false;
    Stats m_stats;
    QThread *m_thread = nullptr;

    // The checkpointer's side, under m_checkpointMutex.
    std::mutex m_checkpointMutex;
    std::condition_variable m_checkpointWake;
    bool m_committed = false; // since the last checkpoint
    bool m_checkpointerStopping = false;
    std::atomic<qint64> m_walPages {0}; // WAL size the last checkpoint saw
    QThread *m_checkpointer = nullptr;  // none for in-memory databases
};

} // namespace Outpost::Server
