#include "db/database.h"
#include "db/sqlsupport.h"
#include "db/writebatcher.h"
#include "sqlitefixture.h"

#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <atomic>
#include <memory>
#include <stdexcept>

using namespace Outpost;
using namespace Outpost::Server;
using namespace Outpost::Test;

namespace {

// Inserts `value` into t(v) on the calling thread's connection (the writer's, inside a batch).
Status insertValue(const Database &database, int value)
{
    Result<QSqlQuery> query = SqlSupport::exec(
        database, QStringLiteral("INSERT INTO t (v) VALUES (:v)"), {{":v", value}}, "insert value");
    return query ? Status() : fail(query.error());
}

// Collects outcomes from the writer thread.
struct Outcomes
{
    QSemaphore done;
    std::mutex mutex;
    QList<std::pair<int, bool>> seen; // (tag, succeeded), in the order `done` was called

    WriteBatcher::Done record(int tag)
    {
        return [this, tag](const Status &outcome) {
            {
                std::lock_guard lock(mutex);
                seen.append({tag, bool(outcome)});
            }
            done.release();
        };
    }
    bool succeeded(int tag)
    {
        std::lock_guard lock(mutex);
        for (const auto &[t, ok] : seen) {
            if (t == tag)
                return ok;
        }
        return false;
    }
};

} // namespace

class TestWriteBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void doneRunsOnlyOnceTheWriteIsCommitted();
    void writesQueuedDuringABatchShareTheNext();
    void batchesHoldAtMostMaxBatchWrites();
    void aFailedWriteIsRolledBackAloneAndTheRestCommit();
    void aThrowingWriteFailsAsInternal();
    void destroyingTheDatabaseRunsQueuedWrites();
    void theCheckpointerCheckpointsInsteadOfTheWriter();
    void theWriterCheckpointsWhenTheWalOutgrowsItsLimit();

private:
    QList<int> values() const;

    SqliteFixture m_sqlite;
};

void TestWriteBatcher::init()
{
    QVERIFY2(m_sqlite.create(SqliteFixture::Schema::Empty, QStringLiteral("t.db")),
        qPrintable(m_sqlite.error()));
    QVERIFY(m_sqlite.exec(QStringLiteral("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")));
}

void TestWriteBatcher::cleanup()
{
    m_sqlite.reset();
}

QList<int> TestWriteBatcher::values() const
{
    QList<int> found;
    QSqlQuery query(m_sqlite.database().connection());
    if (!query.exec(QStringLiteral("SELECT v FROM t ORDER BY v")))
        qWarning() << query.lastError().text();
    while (query.next())
        found.append(query.value(0).toInt());
    return found;
}

void TestWriteBatcher::doneRunsOnlyOnceTheWriteIsCommitted()
{
    // `done` blocks the writer thread until this thread has looked at the table through its own
    // connection: the row must already be there, committed.
    QSemaphore inDone;
    QSemaphore checked;
    std::atomic<bool> succeeded = false;
    m_sqlite.database().submitWrite([this] { return insertValue(m_sqlite.database(), 7); },
        [&](const Status &outcome) {
            succeeded = bool(outcome);
            inDone.release();
            checked.acquire();
        });
    QVERIFY(inDone.tryAcquire(1, 10000));
    const QList<int> seen = values();
    checked.release();
    QVERIFY(succeeded);
    QCOMPARE(seen, QList<int> {7});
}

void TestWriteBatcher::writesQueuedDuringABatchShareTheNext()
{
    Outcomes outcomes;
    constexpr int kWrites = 50;
    {
        // Holding the process's write lock stalls the writer in its first batch, so the other
        // writes pile up behind it as they would behind a slow commit.
        const auto lock = m_sqlite.database().lockForWrite();
        for (int i = 1; i <= kWrites; ++i)
            m_sqlite.database().submitWrite(
                [this, i] { return insertValue(m_sqlite.database(), i); }, outcomes.record(i));
    }
    QVERIFY(outcomes.done.tryAcquire(kWrites, 10000));
    const WriteBatcher::Stats stats = m_sqlite.database().writeStats();
    QCOMPARE(stats.writes, kWrites);
    QVERIFY2(stats.batches <= 2, qPrintable(QString::number(stats.batches)));
    QVERIFY2(stats.largest >= kWrites - 1, qPrintable(QString::number(stats.largest)));
    QCOMPARE(values().size(), kWrites);
    QCOMPARE(stats.retried, 0);
    // Completions come in submission order.
    for (int i = 0; i < kWrites; ++i)
        QCOMPARE(outcomes.seen.at(i), std::make_pair(i + 1, true));
}

void TestWriteBatcher::batchesHoldAtMostMaxBatchWrites()
{
    Outcomes outcomes;
    {
        WriteBatcher batcher(m_sqlite.database(), {.maxBatch = 4});
        {
            const auto lock = m_sqlite.database().lockForWrite();
            for (int i = 1; i <= 10; ++i)
                batcher.submit(
                    [this, i] { return insertValue(m_sqlite.database(), i); }, outcomes.record(i));
        }
        QVERIFY(outcomes.done.tryAcquire(10, 10000));
        const WriteBatcher::Stats stats = batcher.stats();
        QCOMPARE(stats.writes, 10);
        QVERIFY(stats.batches >= 3);
        QVERIFY(stats.largest <= 4);
    }
    QCOMPARE(values().size(), 10);
}

void TestWriteBatcher::aFailedWriteIsRolledBackAloneAndTheRestCommit()
{
    Outcomes outcomes;
    {
        const auto lock = m_sqlite.database().lockForWrite();
        m_sqlite.database().submitWrite(
            [this] { return insertValue(m_sqlite.database(), 1); }, outcomes.record(1));
        // Two statements: the first succeeds, the second breaks the UNIQUE constraint. The
        // savepoint must take the first one back too.
        m_sqlite.database().submitWrite(
            [this] {
                if (Status first = insertValue(m_sqlite.database(), 2); !first)
                    return first;
                return insertValue(m_sqlite.database(), 1);
            },
            outcomes.record(2));
        m_sqlite.database().submitWrite(
            [this] { return insertValue(m_sqlite.database(), 3); }, outcomes.record(3));
    }
    QVERIFY(outcomes.done.tryAcquire(3, 10000));
    QVERIFY(outcomes.succeeded(1));
    QVERIFY(!outcomes.succeeded(2));
    QVERIFY(outcomes.succeeded(3));
    QCOMPARE(values(), (QList<int> {1, 3}));
    QCOMPARE(m_sqlite.database().writeStats().retried, 1); // run again with savepoints
}

void TestWriteBatcher::aThrowingWriteFailsAsInternal()
{
    QSemaphore done;
    std::optional<Error> error;
    m_sqlite.database().submitWrite(
        [this]() -> Status {
            if (Status inserted = insertValue(m_sqlite.database(), 5); !inserted)
                return inserted;
            throw std::runtime_error("boom");
        },
        [&](const Status &outcome) {
            if (!outcome)
                error = outcome.error();
            done.release();
        });
    QVERIFY(done.tryAcquire(1, 10000));
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::Internal);
    QVERIFY(values().isEmpty());
    // The writer carries on.
    Outcomes outcomes;
    m_sqlite.database().submitWrite(
        [this] { return insertValue(m_sqlite.database(), 6); }, outcomes.record(6));
    QVERIFY(outcomes.done.tryAcquire(1, 10000));
    QCOMPARE(values(), QList<int> {6});
}

void TestWriteBatcher::destroyingTheDatabaseRunsQueuedWrites()
{
    Outcomes outcomes;
    constexpr int kWrites = 200;
    const Database *database = &m_sqlite.database(); // the one reopen() destroys
    for (int i = 1; i <= kWrites; ++i)
        m_sqlite.database().submitWrite(
            [database, i] { return insertValue(*database, i); }, outcomes.record(i));
    m_sqlite.reopen();
    QCOMPARE(outcomes.done.available(), kWrites);
    for (int i = 1; i <= kWrites; ++i)
        QVERIFY(outcomes.succeeded(i));
    QCOMPARE(values().size(), kWrites);
}

namespace {

// `PRAGMA wal_autocheckpoint` as the writer's own connection sees it.
int writersAutoCheckpoint(const Database &database)
{
    QSemaphore done;
    auto pages = std::make_shared<int>(-1);
    database.submitWrite(
        [&database, pages] {
            QSqlQuery query(database.connection());
            if (query.exec(QStringLiteral("PRAGMA wal_autocheckpoint")) && query.next())
                *pages = query.value(0).toInt();
            return Status();
        },
        [&done](const Status &) { done.release(); });
    done.acquire();
    return *pages;
}

} // namespace

void TestWriteBatcher::theCheckpointerCheckpointsInsteadOfTheWriter()
{
    // The writer's COMMITs never checkpoint (that stalled every request of the batch)...
    QCOMPARE(writersAutoCheckpoint(m_sqlite.database()), 0);
    // ...while other connections keep SQLite's default.
    QSqlQuery query(m_sqlite.database().connection());
    QVERIFY(query.exec(QStringLiteral("PRAGMA wal_autocheckpoint")) && query.next());
    QCOMPARE(query.value(0).toInt(), 1000);
    query.finish();

    Outcomes outcomes;
    for (int i = 1; i <= 20; ++i)
        m_sqlite.database().submitWrite(
            [this, i] { return insertValue(m_sqlite.database(), i); }, outcomes.record(i));
    QVERIFY(outcomes.done.tryAcquire(20, 10000));
    // The checkpointer copies the WAL back within its interval: afterwards nothing is left to
    // copy, so a checkpoint from here finds every WAL page already in the database.
    QTRY_VERIFY_WITH_TIMEOUT(m_sqlite.database().writeStats().checkpoints >= 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            QSqlQuery check(m_sqlite.database().connection());
            return check.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")) && check.next()
                && check.value(1).toLongLong() > 0
                && check.value(1).toLongLong() == check.value(2).toLongLong();
        }(),
        10000);
    QCOMPARE(m_sqlite.database().writeStats().writerCheckpoints, 0);
}

void TestWriteBatcher::theWriterCheckpointsWhenTheWalOutgrowsItsLimit()
{
    Outcomes outcomes;
    {
        // A WAL of one page is too large: after the checkpointer has reported on the first
        // batch, the writer checkpoints before the next.
        WriteBatcher batcher(m_sqlite.database(), {.maxWalPages = 1});
        batcher.submit([this] { return insertValue(m_sqlite.database(), 1); }, outcomes.record(1));
        QVERIFY(outcomes.done.tryAcquire(1, 10000));
        QTRY_VERIFY_WITH_TIMEOUT(batcher.stats().checkpoints >= 1, 10000);
        batcher.submit([this] { return insertValue(m_sqlite.database(), 2); }, outcomes.record(2));
        QVERIFY(outcomes.done.tryAcquire(1, 10000));
        QCOMPARE(batcher.stats().writerCheckpoints, 1);
    }
    QCOMPARE(values(), (QList<int> {1, 2}));
}

QTEST_GUILESS_MAIN(TestWriteBatcher)
#include "tst_writebatcher.moc"
