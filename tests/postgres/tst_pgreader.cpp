// The hot reads on PostgreSQL through libpq (server/db/pgreader.h): the placeholders it
// rewrites, the rows it reads against what was written, and the cases where it must not use
// the connection as it finds it: a Qt query still reading, a transaction, a connection the
// server dropped, a statement the session forgot.
#include "db/database.h"
#include "db/migrator.h"
#include "db/pgreader.h"
#include "db/postrepository.h"
#include "db/transaction.h"
#include "db/userrepository.h"
#include "pgdatabase.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace Outpost;
using namespace Outpost::Server;
using Outpost::Test::PgDatabase;

namespace {

Viewer viewerFor(qint64 userId, bool isAdmin = false)
{
    Viewer viewer;
    viewer.userId = userId;
    viewer.isAdmin = isAdmin;
    return viewer;
}

PostWrite write(const QString &title, bool published = true)
{
    PostWrite post;
    post.title = title;
    post.content = QStringLiteral("about ") + title;
    post.published = published;
    return post;
}

} // namespace

class TestPgReader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void placeholdersBecomeNumbers_data();
    void placeholdersBecomeNumbers();
    void readsWhatWasWritten();
    void emptyPageStillHasItsTotal();
    void qtQueryStillReadingIsLeftAlone();
    void transactionSeesItsOwnWrites();
    void droppedConnectionIsReopened();
    void forgottenStatementIsPreparedAgain();
    void sqliteHasNoReader();

private:
    QVariant backendPid();

    PgDatabase m_pg;
    std::unique_ptr<Database> m_db;
    qint64 m_alice = 0;
    qint64 m_bob = 0;
    QList<qint64> m_posts; // alice's: published, unpublished, published
};

void TestPgReader::initTestCase()
{
    if (!Test::PgCluster::isConfigured())
        QSKIP("needs the outpost_pg fixture (OUTPOST_TEST_POSTGRES)");
    QVERIFY2(m_pg.create(PgDatabase::Schema::Migrated), qPrintable(m_pg.error()));
    const auto url = DatabaseUrl::parse(m_pg.url());
    QVERIFY(url);
    m_db = std::make_unique<Database>(*url);
    QVERIFY(Migrator(*m_db).up());
    UserRepository users(*m_db);
    const auto alice = users.insert(QStringLiteral("alice@example.com"), QStringLiteral("Älice"),
        QByteArrayLiteral("hash"), QStringLiteral("user"));
    QVERIFY(alice);
    m_alice = *alice;
    const auto bob = users.insert(
        QStringLiteral("bob@example.com"), QString(), QByteArrayLiteral("hash"), Roles::admin);
    QVERIFY(bob);
    m_bob = *bob;
    PostRepository posts(*m_db);
    for (const auto &post : {write(QStringLiteral("first")), write(QStringLiteral("draft"), false),
             write(QStringLiteral("third ✓"))}) {
        const auto id = posts.insert(m_alice, post);
        QVERIFY(id);
        m_posts.append(id->id);
    }
}

void TestPgReader::cleanupTestCase()
{
    if (m_db)
        m_db->closeThreadConnection();
    m_db.reset();
}

void TestPgReader::placeholdersBecomeNumbers_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("one") << QStringLiteral("SELECT a FROM t WHERE id = :id")
                         << QByteArray("SELECT a FROM t WHERE id = $1")
                         << QStringList {QStringLiteral(":id")};
    QTest::newRow("repeated name, one number")
        << QStringLiteral("SELECT (SELECT n FROM o WHERE o.id = :viewer) FROM p WHERE p.owner = "
                          ":viewer OR p.x = :other_1 LIMIT :limit")
        << QByteArray("SELECT (SELECT n FROM o WHERE o.id = $1) FROM p WHERE p.owner = $1 OR "
                      "p.x = $2 LIMIT $3")
        << QStringList {
               QStringLiteral(":viewer"), QStringLiteral(":other_1"), QStringLiteral(":limit")};
    QTest::newRow("quoted text and casts stay")
        << QStringLiteral("SELECT ':no', \"a:b\", x::text FROM t WHERE y LIKE :p ESCAPE '!'")
        << QByteArray("SELECT ':no', \"a:b\", x::text FROM t WHERE y LIKE $1 ESCAPE '!'")
        << QStringList {QStringLiteral(":p")};
    QTest::newRow("doubled quote inside text")
        << QStringLiteral("SELECT 'it''s :not' WHERE a = :a")
        << QByteArray("SELECT 'it''s :not' WHERE a = $1") << QStringList {QStringLiteral(":a")};
    QTest::newRow("none") << QStringLiteral("SELECT 1") << QByteArray("SELECT 1") << QStringList();
}

void TestPgReader::placeholdersBecomeNumbers()
{
    QFETCH(QString, sql);
    QFETCH(QByteArray, expected);
    QFETCH(QStringList, names);
    QList<QString> found;
    QCOMPARE(PgReader::positional(sql, &found), expected);
    QCOMPARE(QStringList(found), names);
}

void TestPgReader::readsWhatWasWritten()
{
    QVERIFY(PgReader::forThread(*m_db) != nullptr);
    UserRepository users(*m_db);
    const auto session = users.findSession(m_alice);
    QVERIFY(session);
    QVERIFY(*session);
    QCOMPARE((*session)->email, QStringLiteral("alice@example.com"));
    QCOMPARE((*session)->role, QStringLiteral("user"));
    QCOMPARE((*session)->disabled, false);
    QCOMPARE((*session)->tokenVersion, 0);
    QVERIFY(users.update(m_alice,
        UserChanges {.role = {},
            .disabled = true,
            .username = {},
            .passwordHash = {},
            .bumpTokenVersion = true}));
    const auto changed = users.findSession(m_alice);
    QVERIFY(changed && *changed);
    QCOMPARE((*changed)->disabled, true);
    QCOMPARE((*changed)->tokenVersion, 1);
    QVERIFY(users.update(
        m_alice, UserChanges {.role = {}, .disabled = false, .username = {}, .passwordHash = {}}));
    const auto missing = users.findSession(m_bob + 1000);
    QVERIFY(missing);
    QVERIFY(!*missing);

    PostRepository posts(*m_db);
    // Another user sees the published two, newest first; the admin all three.
    PostQuery query;
    const auto visible = posts.list(query, viewerFor(m_bob + 1000));
    QVERIFY(visible);
    QCOMPARE(visible->total, qint64(2));
    QCOMPARE(visible->items.size(), 2);
    QCOMPARE(visible->items[0].id, m_posts[2]);
    QCOMPARE(visible->items[0].title, QStringLiteral("third ✓"));
    QCOMPARE(visible->items[0].content, QStringLiteral("about third ✓"));
    QCOMPARE(visible->items[0].owner.id, m_alice);
    QCOMPARE(visible->items[0].owner.email, QStringLiteral("alice@example.com"));
    QCOMPARE(visible->items[0].owner.username, QStringLiteral("Älice"));
    QCOMPARE(visible->items[0].published, true);
    QVERIFY(visible->items[0].createdAt.isValid());
    QCOMPARE(visible->items[1].id, m_posts[0]);
    const auto all = posts.list(query, viewerFor(m_bob, true));
    QVERIFY(all);
    QCOMPARE(all->total, qint64(3));
    QCOMPARE(all->items.size(), 3);
    QCOMPARE(all->items[1].published, false);
    // A search (a bound pattern, the total counted) and an owner filter.
    query.search = QStringLiteral("THIRD");
    const auto found = posts.list(query, viewerFor(m_bob + 1000));
    QVERIFY(found);
    QCOMPARE(found->total, qint64(1));
    QCOMPARE(found->items.size(), 1);
    QCOMPARE(found->items[0].id, m_posts[2]);
    query.search.clear();
    query.ownerId = m_alice;
    const auto own = posts.list(query, viewerFor(m_alice));
    QVERIFY(own);
    QCOMPARE(own->total, qint64(3));

    const auto post = posts.find(m_posts[1], viewerFor(m_alice));
    QVERIFY(post && *post);
    QCOMPARE((*post)->title, QStringLiteral("draft"));
    const auto hidden = posts.find(m_posts[1], viewerFor(m_bob + 1000));
    QVERIFY(hidden);
    QVERIFY(!*hidden);
    const auto access = posts.access(m_posts[1]);
    QVERIFY(access && *access);
    QCOMPARE((*access)->ownerId, m_alice);
    QCOMPARE((*access)->published, false);
    const auto none = posts.access(m_posts[2] + 1000);
    QVERIFY(none);
    QVERIFY(!*none);
}

void TestPgReader::emptyPageStillHasItsTotal()
{
    PostQuery query;
    query.skip = 50;
    const auto page = PostRepository(*m_db).list(query, viewerFor(m_bob, true));
    QVERIFY(page);
    QVERIFY(page->items.isEmpty());
    QCOMPARE(page->total, qint64(3));
}

void TestPgReader::qtQueryStillReadingIsLeftAlone()
{
    const QVariant pid = backendPid();
    QVERIFY(pid.isValid());
    // A forward-only Qt query reads row by row (libpq's single-row mode): its rows are still
    // coming when the reader is asked for something on the same connection. libpq would drop
    // them under Qt's feet; the reads go through Qt Sql instead, which ends the open query
    // first, as it always did, and the session stays (no error taken for a lost connection).
    QSqlQuery open(m_db->connection());
    open.setForwardOnly(true);
    QVERIFY2(open.exec(QStringLiteral("SELECT generate_series(1, 5000)")),
        qPrintable(open.lastError().text()));
    QVERIFY(open.next());
    QCOMPARE(open.value(0).toInt(), 1);

    const auto session = UserRepository(*m_db).findSession(m_alice);
    QVERIFY(session);
    QVERIFY(*session);
    QCOMPARE((*session)->email, QStringLiteral("alice@example.com"));
    const auto post = PostRepository(*m_db).find(m_posts[0], viewerFor(m_alice));
    QVERIFY(post && *post);
    QCOMPARE((*post)->title, QStringLiteral("first"));
    open.finish();
    QCOMPARE(backendPid(), pid);
}

void TestPgReader::transactionSeesItsOwnWrites()
{
    qint64 id = 0;
    {
        Transaction transaction(*m_db);
        QVERIFY(transaction.begin());
        const auto inserted = PostRepository(*m_db).insert(m_alice, write(QStringLiteral("tx")));
        QVERIFY(inserted);
        id = inserted->id;
        const auto seen = PostRepository(*m_db).find(id, viewerFor(m_alice));
        QVERIFY(seen && *seen);
        QCOMPARE((*seen)->title, QStringLiteral("tx"));
        // Not committed: rolled back when `transaction` goes.
    }
    const auto gone = PostRepository(*m_db).find(id, viewerFor(m_alice));
    QVERIFY(gone);
    QVERIFY(!*gone);
}

QVariant TestPgReader::backendPid()
{
    QSqlQuery query(m_db->connection());
    if (!query.exec(QStringLiteral("SELECT pg_backend_pid()")) || !query.next())
        return {};
    return query.value(0);
}

void TestPgReader::droppedConnectionIsReopened()
{
    QVERIFY(UserRepository(*m_db).findSession(m_alice)); // statements prepared
    const QVariant before = backendPid();
    QVERIFY(before.isValid());
    // The server ends this thread's session (as a restart or an administrator would).
    QVERIFY2(m_pg.exec({QStringLiteral("SELECT pg_terminate_backend(%1)").arg(before.toInt())}),
        qPrintable(m_pg.error()));
    // The next read finds the connection gone, reconnects and is retried once on the new one.
    const auto session = UserRepository(*m_db).findSession(m_alice);
    QVERIFY(session);
    QVERIFY(*session);
    QCOMPARE((*session)->email, QStringLiteral("alice@example.com"));
    const QVariant after = backendPid();
    QVERIFY(after.isValid());
    QVERIFY(after != before);
    // And the statements are prepared again on it.
    const auto page = PostRepository(*m_db).list(PostQuery(), viewerFor(m_bob, true));
    QVERIFY(page);
    QCOMPARE(page->total, qint64(3));
}

void TestPgReader::forgottenStatementIsPreparedAgain()
{
    QVERIFY(UserRepository(*m_db).findSession(m_alice));
    // What a pooler's DISCARD ALL does to the session's prepared statements.
    QSqlQuery discard(m_db->connection());
    QVERIFY2(
        discard.exec(QStringLiteral("DEALLOCATE ALL")), qPrintable(discard.lastError().text()));
    discard.finish();
    const auto session = UserRepository(*m_db).findSession(m_alice);
    QVERIFY(session);
    QVERIFY(*session);
    QCOMPARE((*session)->role, QStringLiteral("user"));
}

void TestPgReader::sqliteHasNoReader()
{
    const auto url = DatabaseUrl::parse(QStringLiteral("sqlite:///:memory:"));
    QVERIFY(url);
    Database sqlite(*url);
    QCOMPARE(PgReader::forThread(sqlite), nullptr);
    QVERIFY(PgReader::forThread(*m_db) != nullptr);
}

QTEST_GUILESS_MAIN(TestPgReader)
#include "tst_pgreader.moc"
