// Disk errors without libfiu (tst_diskfaults has the real thing): SQLite's own page limit
// stands in for a full disk (SQLITE_FULL, as ENOSPC gives), and a rename onto a directory for a
// rename the disk refuses. A full database must be 507's InsufficientStorage, not Internal, in
// a plain statement and in the group-commit writer, which keeps working afterwards; a failed
// write to the local file store must leave no temporary file and the object as it was.
#include "core/diskfaults.h"
#include "db/sqlsupport.h"
#include "sqlitefixture.h"
#include "storage/localfilestore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <future>

using namespace Outpost;
using namespace Outpost::Server;
using namespace Outpost::Test;

class TestDiskErrors final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void errnoDecidesTheKind();
    void fullDatabaseIsInsufficientStorage();
    void fullDatabaseInTheWriterIsInsufficientStorageAndTheWriterGoesOn();
    void failedRenameLeavesNoTemporaryFileAndTheOldObject();

private:
    // Limits this thread's connection to the pages the database has now plus `extra`.
    bool limitPages(int extra);

    SqliteFixture m_sqlite;
};

void TestDiskErrors::init()
{
    QVERIFY2(m_sqlite.create(SqliteFixture::Schema::Empty), qPrintable(m_sqlite.error()));
    QVERIFY(m_sqlite.exec(QStringLiteral("CREATE TABLE t (x BLOB)")));
}

void TestDiskErrors::cleanup()
{
    m_sqlite.reset();
}

bool TestDiskErrors::limitPages(int extra)
{
    const qint64 pages = m_sqlite.scalar(QStringLiteral("PRAGMA page_count")).toLongLong();
    return pages > 0
        && m_sqlite.exec(QStringLiteral("PRAGMA max_page_count=%1").arg(pages + extra));
}

void TestDiskErrors::errnoDecidesTheKind()
{
    QCOMPARE(DiskFaults::kindOf(ENOSPC), DiskFaults::Kind::Full);
    QCOMPARE(DiskFaults::kindOf(EDQUOT), DiskFaults::Kind::Full);
    QCOMPARE(DiskFaults::kindOf(EIO), DiskFaults::Kind::Io);
    QCOMPARE(DiskFaults::error(DiskFaults::Kind::Full, QStringLiteral("x")).code,
        ErrorCode::InsufficientStorage);
    QCOMPARE(
        DiskFaults::error(DiskFaults::Kind::Io, QStringLiteral("x")).code, ErrorCode::Unavailable);
}

void TestDiskErrors::fullDatabaseIsInsufficientStorage()
{
    QVERIFY(limitPages(2));
    const qint64 before = DiskFaults::last() ? DiskFaults::last()->count : 0;
    const Database &db = m_sqlite.database();
    Status outcome;
    for (int i = 0; i < 20 && outcome; ++i) {
        const auto inserted =
            SqlSupport::exec(db, QStringLiteral("INSERT INTO t VALUES (zeroblob(16384))"),
                SqlSupport::BindingList {}, "insert");
        if (!inserted)
            outcome = fail(inserted.error());
    }
    QVERIFY2(!outcome, "the page limit did not fill the database");
    QCOMPARE(outcome.error().code, ErrorCode::InsufficientStorage);
    QVERIFY2(outcome.error().detail.contains(u"disk is full"), qPrintable(outcome.error().detail));
    // Counted for /readyz.
    QVERIFY(DiskFaults::last());
    QCOMPARE(DiskFaults::last()->kind, DiskFaults::Kind::Full);
    QCOMPARE(DiskFaults::last()->count, before + 1);
}

void TestDiskErrors::fullDatabaseInTheWriterIsInsufficientStorageAndTheWriterGoesOn()
{
    const Database &db = m_sqlite.database();
    const auto submit = [&db](int pagesAllowed, int bytes) {
        auto done = std::make_shared<std::promise<Status>>();
        std::future<Status> outcome = done->get_future();
        db.submitWrite(
            [&db, pagesAllowed, bytes]() -> Status {
                // On the writer's own connection: the limit is per connection.
                const QString limit = pagesAllowed > 0
                    ? QStringLiteral("PRAGMA max_page_count=%1").arg(pagesAllowed)
                    : QStringLiteral("PRAGMA max_page_count=1073741823");
                if (auto set = SqlSupport::exec(db, limit, SqlSupport::BindingList {}, "limit");
                    !set)
                    return fail(set.error());
                auto inserted = SqlSupport::exec(db,
                    QStringLiteral("INSERT INTO t VALUES (zeroblob(%1))").arg(bytes),
                    SqlSupport::BindingList {}, "insert");
                return inserted ? Status {} : Status(fail(inserted.error()));
            },
            [done](const Status &status) { done->set_value(status); });
        return outcome.get();
    };
    const qint64 pages = m_sqlite.scalar(QStringLiteral("PRAGMA page_count")).toLongLong();
    const Status full = submit(int(pages) + 1, 256 * 1024);
    QVERIFY2(!full, "the page limit did not fill the database");
    QCOMPARE(full.error().code, ErrorCode::InsufficientStorage);
    // Nothing of it was written, and the next write (with room again) commits.
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 0);
    const Status next = submit(0, 100);
    QVERIFY2(next, next ? "" : qPrintable(describe(next.error())));
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 1);
}

void TestDiskErrors::failedRenameLeavesNoTemporaryFileAndTheOldObject()
{
    QTemporaryDir root;
    LocalFileStore store(root.path());
    // rename(2) cannot replace a directory that holds a file: it fails after the temporary
    // file was written and synced, as a rename on a failing disk does.
    const QString key = QStringLiteral("ab/abcdef");
    const QString target = root.filePath(QStringLiteral("objects/") + key);
    QVERIFY(QDir().mkpath(target));
    QFile keep(target + QStringLiteral("/keep"));
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.write("old");
    keep.close();

    const auto put = store.put(key, QByteArray(4096, 'n'), QStringLiteral("text/plain"));
    QVERIFY(!put);
    QCOMPARE(put.error().code, ErrorCode::Unavailable);
    QVERIFY2(!put.error().detail.contains(root.path()), qPrintable(put.error().detail));
    QVERIFY(QDir(root.filePath(QStringLiteral("tmp"))).isEmpty(QDir::Files | QDir::Hidden));
    QVERIFY(QFile::exists(target + QStringLiteral("/keep")));
}

QTEST_GUILESS_MAIN(TestDiskErrors)
#include "tst_diskerrors.moc"
