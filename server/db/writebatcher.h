#pragma once

#include "core/result.h"

#include <QThread>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace Outpost::Server {

class Database;

// Group commit for SQLite. A commit costs far more than the small writes of a request: the WAL
// frames of every page touched, the FTS5 index flushing a new segment, the counters the
// triggers keep. So writes queued by many requests run one after another on one thread, inside
// one BEGIN IMMEDIATE ... COMMIT per batch, each in a savepoint of its own: a write that fails
// is rolled back alone and the rest of the batch commits. Every write's `done` is called once
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
    // It must not begin or commit a transaction and must not block on other requests.
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
    };
    Stats stats() const;

private:
    struct Item
    {
        Write write;
        Done done;
    };

    void run();
    void runBatch(std::deque<Item> &batch);

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
