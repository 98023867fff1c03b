#include "db/database.h"
#include "db/migrator.h"
#include "db/postrepository.h"
#include "db/searchrepository.h"
#include "db/sqlsupport.h"
#include "db/transaction.h"
#include "db/userrepository.h"
#include "db/voterepository.h"
#include "sqlitefixture.h"

#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <atomic>
#include <memory>
#include <mutex>

using namespace Outpost;
using namespace Outpost::Server;
using namespace Outpost::Test;

namespace {

Viewer viewerFor(qint64 userId, bool isAdmin = false)
{
    Viewer viewer;
    viewer.userId = userId;
    viewer.isAdmin = isAdmin;
    return viewer;
}

PostQuery postQuery(int limit = 10, qint64 skip = 0, PostSort sort = PostSort::NewestFirst)
{
    PostQuery query;
    query.limit = limit;
    query.skip = skip;
    query.sort = sort;
    return query;
}

PageRequest page(int limit = 10, qint64 skip = 0)
{
    PageRequest request;
    request.limit = limit;
    request.skip = skip;
    return request;
}

PostWrite write(const QString &title, const QString &content, bool published = true)
{
    PostWrite post;
    post.title = title;
    post.content = content;
    post.published = published;
    return post;
}

QList<qint64> ids(const Page<Post> &page)
{
    QList<qint64> result;
    for (const Post &post : page.items)
        result.append(post.id);
    return result;
}

QList<qint64> postIds(const Page<SearchHit> &page)
{
    QList<qint64> result;
    for (const SearchHit &hit : page.items) {
        if (hit.kind == u"post")
            result.append(hit.id);
    }
    return result;
}

const QRegularExpression kRfc3339(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$)"));

} // namespace

class TestPostRepository final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // PostRepository
    void insertsAndFindsPostWithOwner();
    void findHidesOthersUnpublishedPosts();
    void listJoinsOwnersAndPages();
    void listHidesOthersUnpublishedPosts();
    void listSortsThreeWays();
    void listSearchIsCaseInsensitiveSubstring();
    void listSearchTreatsWildcardsLiterally();
    void listFiltersByOwner();
    void listTotalComesFromPostStats();
    void postStatsMatchCountAfterChanges();
    void updatesPostAndReportsMissing();
    void removesPostAndReportsMissing();
    void accessIgnoresVisibility();

    // VoteRepository
    void votesOncePerUserAndPost();
    void removingAbsentVoteReportsFalse();
    void votesCountFollowsVotes();
    void deletingPostDeletesItsVotes();

    // SearchRepository
    void searchFindsInsertedPost();
    void searchFollowsUpdatesAndDeletes();
    void searchHonoursVisibility();
    void hostileQueriesMatchLiterally_data();
    void hostileQueriesMatchLiterally();
    void snippetsMarkMatchesAndEscapeHtml();
    void titleMatchFallsBackToTitleSnippet();
    void searchFindsFilePaths();
    void searchMergesRanksAndPages();
    void emptySearchIsValidationError_data();
    void emptySearchIsValidationError();
    void searchFailureHidesSql();

    // Migration 0002
    void migrationDownThenUpRebuildsSearchAndStats();

    // Prepared statement cache
    void statementCacheReusesStatements();
    void cachedReadsSeeOtherConnectionsWrites();
    void statementCacheSurvivesReopenedConnection();
    void hotReadsSkipQtSqlOnAFile();
    void readsInATransactionSeeItsOwnWrites();
    void readerAndQtSqlReadTheSameRows();
    void insertReturnsThePostAsFindReadsIt();
    void postsOfABatchAreIndexedAtItsEnd();

private:
    qint64 createUser(const QString &email, const QString &username = QString());
    qint64 createPost(qint64 ownerId, const QString &title, const QString &content = QString(),
        bool published = true);
    qint64 createFile(const QString &path);
    // Checks that the list total of every kind of viewer equals a COUNT(*) of what it sees.
    void verifyTotals(const QList<qint64> &users);

    SqliteFixture m_sqlite;
};

void TestPostRepository::init()
{
    QVERIFY2(m_sqlite.create(), qPrintable(m_sqlite.error()));
}

void TestPostRepository::cleanup()
{
    m_sqlite.reset();
}

qint64 TestPostRepository::createUser(const QString &email, const QString &username)
{
    const auto id =
        UserRepository(m_sqlite.database()).insert(email, username, kPasswordHash, Roles::user);
    if (!id) {
        qWarning() << "createUser failed:" << describe(id.error());
        return 0;
    }
    return *id;
}

qint64 TestPostRepository::createPost(
    qint64 ownerId, const QString &title, const QString &content, bool published)
{
    const auto post =
        PostRepository(m_sqlite.database()).insert(ownerId, write(title, content, published));
    if (!post) {
        qWarning() << "createPost failed:" << describe(post.error());
        return 0;
    }
    return post->id;
}

qint64 TestPostRepository::createFile(const QString &path)
{
    QSqlQuery query(m_sqlite.database().connection());
    query.prepare(QStringLiteral("INSERT INTO files (path, size_bytes, content_type, etag, "
                                 "storage_key) VALUES (:path, 1, 'text/plain', 'e', :key)"));
    query.bindValue(QStringLiteral(":path"), path);
    query.bindValue(QStringLiteral(":key"), QString(QStringLiteral("key-") + path));
    if (!query.exec()) {
        qWarning() << "createFile failed:" << query.lastError().text();
        return 0;
    }
    return query.lastInsertId().toLongLong();
}

void TestPostRepository::verifyTotals(const QList<qint64> &users)
{
    PostRepository posts(m_sqlite.database());
    const qint64 all = m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts")).toLongLong();
    const auto admin = posts.list(postQuery(), viewerFor(999, true));
    QVERIFY(admin);
    QCOMPARE(admin->total, all);
    for (const qint64 user : users) {
        const qint64 visible =
            m_sqlite
                .scalar(QStringLiteral(
                    "SELECT COUNT(*) FROM posts WHERE published = 1 OR owner_id = %1")
                            .arg(user))
                .toLongLong();
        const auto listed = posts.list(postQuery(), viewerFor(user));
        QVERIFY(listed);
        QCOMPARE(listed->total, visible);
        // The owner filter, as the owner, as an admin and as somebody else.
        for (const qint64 owner : users) {
            const qint64 owned =
                m_sqlite
                    .scalar(QStringLiteral("SELECT COUNT(*) FROM posts WHERE "
                                           "owner_id = %1 AND (published = 1 OR %2)")
                                .arg(owner)
                                .arg(owner == user ? 1 : 0))
                    .toLongLong();
            PostQuery byOwner = postQuery();
            byOwner.ownerId = owner;
            const auto filtered = posts.list(byOwner, viewerFor(user));
            QVERIFY(filtered);
            QCOMPARE(filtered->total, owned);
            QCOMPARE(filtered->items.size(), qMin<qsizetype>(owned, byOwner.limit));
        }
        PostQuery byOwner = postQuery();
        byOwner.ownerId = user;
        const auto asAdmin = posts.list(byOwner, viewerFor(999, true));
        QVERIFY(asAdmin);
        QCOMPARE(asAdmin->total,
            m_sqlite
                .scalar(QStringLiteral("SELECT COUNT(*) FROM posts WHERE owner_id = %1").arg(user))
                .toLongLong());
    }
    // Every owner's counters equal a count of their posts (and no owner without posts has any).
    QCOMPARE(
        m_sqlite
            .scalar(QStringLiteral(
                "SELECT COUNT(*) FROM post_owner_stats o WHERE o.published <> (SELECT COUNT(*) "
                "FROM posts p WHERE p.owner_id = o.owner_id AND p.published = 1) OR "
                "o.unpublished <> (SELECT COUNT(*) FROM posts p WHERE p.owner_id = o.owner_id "
                "AND p.published = 0)"))
            .toInt(),
        0);
    QCOMPARE(
        m_sqlite
            .scalar(QStringLiteral("SELECT COUNT(DISTINCT owner_id) FROM posts WHERE owner_id NOT "
                                   "IN (SELECT owner_id FROM post_owner_stats)"))
            .toInt(),
        0);
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT published FROM post_stats")).toLongLong(),
        m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts WHERE published = 1"))
            .toLongLong());
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT unpublished FROM post_stats")).toLongLong(),
        m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts WHERE published = 0"))
            .toLongLong());
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM post_stats")).toInt(), 1);
}

void TestPostRepository::insertsAndFindsPostWithOwner()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"), QStringLiteral("ann"));
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const qint64 id = createPost(ann, QStringLiteral("Hello"), QStringLiteral("World ✓"), false);
    QVERIFY(id > 0);

    const auto found = PostRepository(m_sqlite.database()).find(id, viewerFor(ann));
    QVERIFY2(found, qPrintable(found ? QString() : describe(found.error())));
    QVERIFY(found->has_value());
    const Post &post = **found;
    QCOMPARE(post.id, id);
    QCOMPARE(post.title, QStringLiteral("Hello"));
    QCOMPARE(post.content, QStringLiteral("World ✓"));
    QCOMPARE(post.published, false);
    QCOMPARE(post.votes, 0);
    QCOMPARE(post.owner.id, ann);
    QCOMPARE(post.owner.email, QStringLiteral("ann@example.com"));
    QCOMPARE(post.owner.username, QStringLiteral("ann"));
    QVERIFY(post.createdAt >= before);
    QVERIFY(post.createdAt <= QDateTime::currentDateTimeUtc().addSecs(1));
    QCOMPARE(post.updatedAt, post.createdAt);

    const QString stored =
        m_sqlite
            .scalar(
                QStringLiteral("SELECT created_at || ' ' || updated_at FROM posts WHERE id = %1")
                    .arg(id))
            .toString();
    for (const QString &time : stored.split(u' '))
        QVERIFY2(kRfc3339.match(time).hasMatch(), qPrintable(stored));

    // An owner without a username has an empty one.
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 bobsPost = createPost(bob, QStringLiteral("By Bob"));
    const auto bobs = PostRepository(m_sqlite.database()).find(bobsPost, viewerFor(ann));
    QVERIFY(bobs && bobs->has_value());
    QVERIFY((*bobs)->owner.username.isEmpty());
    QCOMPARE((*bobs)->owner.email, QStringLiteral("bob@example.com"));
}

void TestPostRepository::findHidesOthersUnpublishedPosts()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 draft = createPost(ann, QStringLiteral("Draft"), {}, false);
    const qint64 published = createPost(ann, QStringLiteral("Out"));
    PostRepository posts(m_sqlite.database());

    QVERIFY(posts.find(draft, viewerFor(ann)).value().has_value());
    QVERIFY(!posts.find(draft, viewerFor(bob)).value().has_value());
    QVERIFY(posts.find(draft, viewerFor(bob, true)).value().has_value());
    QVERIFY(posts.find(published, viewerFor(bob)).value().has_value());
    QVERIFY(!posts.find(published + 100, viewerFor(ann, true)).value().has_value());
}

void TestPostRepository::listJoinsOwnersAndPages()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"), QStringLiteral("ann"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"), QStringLiteral("bob"));
    QList<qint64> created;
    for (int i = 0; i < 5; ++i)
        created.append(createPost(i % 2 == 0 ? ann : bob, QStringLiteral("Post %1").arg(i)));

    const auto listed = PostRepository(m_sqlite.database()).list(postQuery(2, 1), viewerFor(ann));
    QVERIFY2(listed, qPrintable(listed ? QString() : describe(listed.error())));
    QCOMPARE(listed->total, 5);
    QCOMPARE(listed->limit, 2);
    QCOMPARE(listed->skip, 1);
    QCOMPARE(ids(*listed), (QList<qint64> {created.at(3), created.at(2)}));
    QCOMPARE(listed->items.at(0).owner.id, bob);
    QCOMPARE(listed->items.at(0).owner.email, QStringLiteral("bob@example.com"));
    QCOMPARE(listed->items.at(0).owner.username, QStringLiteral("bob"));
    QCOMPARE(listed->items.at(1).owner.id, ann);
    QCOMPARE(listed->items.at(1).owner.username, QStringLiteral("ann"));
    QCOMPARE(listed->items.at(1).title, QStringLiteral("Post 2"));

    const auto pastTheEnd =
        PostRepository(m_sqlite.database()).list(postQuery(10, 50), viewerFor(ann));
    QVERIFY(pastTheEnd);
    QVERIFY(pastTheEnd->items.isEmpty());
    QCOMPARE(pastTheEnd->total, 5);
}

void TestPostRepository::listHidesOthersUnpublishedPosts()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 annsDraft = createPost(ann, QStringLiteral("Ann's draft"), {}, false);
    const qint64 annsPost = createPost(ann, QStringLiteral("Ann's post"));
    const qint64 bobsDraft = createPost(bob, QStringLiteral("Bob's draft"), {}, false);
    PostRepository posts(m_sqlite.database());

    const auto asAnn = posts.list(postQuery(), viewerFor(ann));
    QVERIFY(asAnn);
    QCOMPARE(ids(*asAnn), (QList<qint64> {annsPost, annsDraft}));
    QCOMPARE(asAnn->total, 2);

    const auto asBob = posts.list(postQuery(), viewerFor(bob));
    QVERIFY(asBob);
    QCOMPARE(ids(*asBob), (QList<qint64> {bobsDraft, annsPost}));
    QCOMPARE(asBob->total, 2);

    const auto asAdmin = posts.list(postQuery(), viewerFor(bob, true));
    QVERIFY(asAdmin);
    QCOMPARE(ids(*asAdmin), (QList<qint64> {bobsDraft, annsPost, annsDraft}));
    QCOMPARE(asAdmin->total, 3);

    // The same with a filter (counted with COUNT(*) rather than post_stats).
    PostQuery byAnn = postQuery();
    byAnn.ownerId = ann;
    const auto annsAsBob = posts.list(byAnn, viewerFor(bob));
    QVERIFY(annsAsBob);
    QCOMPARE(ids(*annsAsBob), QList<qint64> {annsPost});
    QCOMPARE(annsAsBob->total, 1);
    PostQuery searched = postQuery();
    searched.search = QStringLiteral("draft");
    const auto draftsAsBob = posts.list(searched, viewerFor(bob));
    QVERIFY(draftsAsBob);
    QCOMPARE(ids(*draftsAsBob), QList<qint64> {bobsDraft});
    QCOMPARE(draftsAsBob->total, 1);
}

void TestPostRepository::listSortsThreeWays()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 a = createPost(ann, QStringLiteral("A"));
    const qint64 b = createPost(ann, QStringLiteral("B"));
    const qint64 c = createPost(ann, QStringLiteral("C"));
    VoteRepository votes(m_sqlite.database());
    QList<qint64> voters;
    for (int i = 0; i < 2; ++i)
        voters.append(createUser(QStringLiteral("voter%1@example.com").arg(i)));
    QVERIFY(votes.insert(voters.at(0), a).value_or(false));
    QVERIFY(votes.insert(voters.at(0), b).value_or(false));
    QVERIFY(votes.insert(voters.at(1), b).value_or(false));
    QVERIFY(votes.insert(voters.at(1), c).value_or(false));
    PostRepository posts(m_sqlite.database());

    const auto newest = posts.list(postQuery(), viewerFor(ann));
    QVERIFY(newest);
    QCOMPARE(ids(*newest), (QList<qint64> {c, b, a}));
    const auto oldest = posts.list(postQuery(10, 0, PostSort::OldestFirst), viewerFor(ann));
    QVERIFY(oldest);
    QCOMPARE(ids(*oldest), (QList<qint64> {a, b, c}));
    // b has 2 votes; a and c have 1 each, the newer first.
    const auto mostVoted = posts.list(postQuery(10, 0, PostSort::MostVotes), viewerFor(ann));
    QVERIFY(mostVoted);
    QCOMPARE(ids(*mostVoted), (QList<qint64> {b, c, a}));
    QCOMPARE(mostVoted->items.at(0).votes, 2);
    QCOMPARE(mostVoted->items.at(1).votes, 1);
}

void TestPostRepository::listSearchIsCaseInsensitiveSubstring()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 inTitle =
        createPost(ann, QStringLiteral("The HELLOWORLD show"), QStringLiteral("x"));
    const qint64 inContent =
        createPost(ann, QStringLiteral("Other"), QStringLiteral("say helloWorld"));
    createPost(ann, QStringLiteral("Nothing"), QStringLiteral("hello world"));
    PostQuery query = postQuery();
    query.search = QStringLiteral("HelloWorld");
    const auto listed = PostRepository(m_sqlite.database()).list(query, viewerFor(ann));
    QVERIFY(listed);
    QCOMPARE(ids(*listed), (QList<qint64> {inContent, inTitle}));
    QCOMPARE(listed->total, 2);
}

void TestPostRepository::listSearchTreatsWildcardsLiterally()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 percent = createPost(ann, QStringLiteral("Now 50% off"));
    createPost(ann, QStringLiteral("Now 5000 off"));
    const qint64 underscore = createPost(ann, QStringLiteral("snake_case"));
    createPost(ann, QStringLiteral("snakeXcase"));
    const qint64 bang = createPost(ann, QStringLiteral("wow!"));
    createPost(ann, QStringLiteral("wow"));
    PostRepository posts(m_sqlite.database());

    PostQuery query = postQuery();
    query.search = QStringLiteral("50%");
    QCOMPARE(ids(posts.list(query, viewerFor(ann)).value()), QList<qint64> {percent});
    query.search = QStringLiteral("e_c");
    QCOMPARE(ids(posts.list(query, viewerFor(ann)).value()), QList<qint64> {underscore});
    query.search = QStringLiteral("w!");
    QCOMPARE(ids(posts.list(query, viewerFor(ann)).value()), QList<qint64> {bang});
    query.search = QStringLiteral("%");
    QCOMPARE(ids(posts.list(query, viewerFor(ann)).value()), QList<qint64> {percent});
    QCOMPARE(posts.list(query, viewerFor(ann)).value().total, 1);
}

void TestPostRepository::listFiltersByOwner()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 annsPost = createPost(ann, QStringLiteral("A"));
    createPost(bob, QStringLiteral("B"));
    const qint64 annsDraft = createPost(ann, QStringLiteral("C"), {}, false);
    PostQuery query = postQuery();
    query.ownerId = ann;
    const auto own = PostRepository(m_sqlite.database()).list(query, viewerFor(ann));
    QVERIFY(own);
    QCOMPARE(ids(*own), (QList<qint64> {annsDraft, annsPost}));
    QCOMPARE(own->total, 2);
    query.ownerId = 12345;
    const auto nobody = PostRepository(m_sqlite.database()).list(query, viewerFor(ann));
    QVERIFY(nobody);
    QVERIFY(nobody->items.isEmpty());
    QCOMPARE(nobody->total, 0);
}

void TestPostRepository::listTotalComesFromPostStats()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    createPost(ann, QStringLiteral("A"));
    createPost(ann, QStringLiteral("B"), {}, false);
    // Proves the unfiltered total reads post_stats instead of counting rows.
    QVERIFY(m_sqlite.exec(QStringLiteral("UPDATE post_stats SET published = 40, unpublished = 2")));
    PostRepository posts(m_sqlite.database());
    QCOMPARE(posts.list(postQuery(), viewerFor(ann, true)).value().total, 42);
    QCOMPARE(posts.list(postQuery(), viewerFor(ann)).value().total, 41); // + her one draft
    QCOMPARE(posts.list(postQuery(), viewerFor(ann + 1)).value().total, 40);
}

void TestPostRepository::postStatsMatchCountAfterChanges()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 cid = createUser(QStringLiteral("cid@example.com"));
    const QList<qint64> users {ann, bob, cid};
    verifyTotals(users);

    QList<qint64> created;
    for (int i = 0; i < 9; ++i)
        created.append(createPost(users.at(i % 3), QStringLiteral("P%1").arg(i), {}, i % 2 == 0));
    verifyTotals(users);

    PostRepository posts(m_sqlite.database());
    QVERIFY(posts.remove(created.at(0)).value_or(false)); // published
    QVERIFY(posts.remove(created.at(1)).value_or(false)); // unpublished
    verifyTotals(users);

    // Unpublish, publish, and an update that keeps the state.
    QVERIFY(posts.update(created.at(2), write(QStringLiteral("x"), {}, false)).value_or(false));
    QVERIFY(posts.update(created.at(3), write(QStringLiteral("y"), {}, true)).value_or(false));
    QVERIFY(posts.update(created.at(4), write(QStringLiteral("z"), {}, true)).value_or(false));
    verifyTotals(users);

    // Posts going with their owner (ON DELETE CASCADE) are counted out too.
    QVERIFY(UserRepository(m_sqlite.database()).remove(bob));
    verifyTotals({ann, cid});
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT published + unpublished FROM post_stats"))
                 .toLongLong(),
        m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts")).toLongLong());
}

void TestPostRepository::updatesPostAndReportsMissing()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 id = createPost(ann, QStringLiteral("Old"), QStringLiteral("old text"));
    QVERIFY(m_sqlite.exec(QStringLiteral("UPDATE posts SET created_at = '2020-01-01T00:00:00Z', "
                                         "updated_at = '2020-01-01T00:00:00Z' WHERE id = %1")
                              .arg(id)));
    PostRepository posts(m_sqlite.database());
    const auto updated =
        posts.update(id, write(QStringLiteral("New"), QStringLiteral("new"), false));
    QVERIFY2(updated, qPrintable(updated ? QString() : describe(updated.error())));
    QVERIFY(*updated);

    const auto found = posts.find(id, viewerFor(ann));
    QVERIFY(found && found->has_value());
    QCOMPARE((*found)->title, QStringLiteral("New"));
    QCOMPARE((*found)->content, QStringLiteral("new"));
    QCOMPARE((*found)->published, false);
    QCOMPARE((*found)->createdAt,
        QDateTime::fromString(QStringLiteral("2020-01-01T00:00:00Z"), Qt::ISODate));
    QVERIFY((*found)->updatedAt > QDateTime::currentDateTimeUtc().addSecs(-60));
    QVERIFY(
        kRfc3339
            .match(m_sqlite
                       .scalar(QStringLiteral("SELECT updated_at FROM posts WHERE id = %1").arg(id))
                       .toString())
            .hasMatch());

    const auto missing = posts.update(id + 100, write(QStringLiteral("X"), {}));
    QVERIFY(missing);
    QVERIFY(!*missing);
}

void TestPostRepository::removesPostAndReportsMissing()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 id = createPost(ann, QStringLiteral("Bye"));
    PostRepository posts(m_sqlite.database());
    const auto removed = posts.remove(id);
    QVERIFY(removed);
    QVERIFY(*removed);
    QVERIFY(!posts.find(id, viewerFor(ann, true)).value().has_value());
    const auto again = posts.remove(id);
    QVERIFY(again);
    QVERIFY(!*again);
}

void TestPostRepository::accessIgnoresVisibility()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 draft = createPost(ann, QStringLiteral("Draft"), {}, false);
    const auto access = PostRepository(m_sqlite.database()).access(draft);
    QVERIFY(access && access->has_value());
    QCOMPARE((*access)->ownerId, ann);
    QCOMPARE((*access)->published, false);
    const auto missing = PostRepository(m_sqlite.database()).access(draft + 1);
    QVERIFY(missing);
    QVERIFY(!missing->has_value());

    // Read through SqliteReader above; inside a transaction through Qt Sql: the same answers.
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 published = createPost(bob, QStringLiteral("Out"));
    const auto viaReader = PostRepository(m_sqlite.database()).access(published);
    QVERIFY(viaReader && viaReader->has_value());
    QCOMPARE((*viaReader)->ownerId, bob);
    QCOMPARE((*viaReader)->published, true);
    Transaction transaction(m_sqlite.database());
    QVERIFY(transaction.begin());
    for (const qint64 id : {draft, published, draft + 100}) {
        const auto inside = PostRepository(m_sqlite.database()).access(id);
        QVERIFY(inside);
        QCOMPARE(inside->has_value(), id != draft + 100);
        if (inside->has_value()) {
            QCOMPARE((*inside)->ownerId, id == draft ? ann : bob);
            QCOMPARE((*inside)->published, id == published);
        }
    }
}

void TestPostRepository::votesOncePerUserAndPost()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 id = createPost(ann, QStringLiteral("Vote me"));
    VoteRepository votes(m_sqlite.database());
    const auto first = votes.insert(bob, id);
    QVERIFY2(first, qPrintable(first ? QString() : describe(first.error())));
    QVERIFY(*first);
    const auto second = votes.insert(bob, id);
    QVERIFY(second);
    QVERIFY(!*second);
    QVERIFY(votes.insert(ann, id).value_or(false)); // another user may
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM votes")).toInt(), 2);
}

void TestPostRepository::removingAbsentVoteReportsFalse()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 id = createPost(ann, QStringLiteral("Vote me"));
    VoteRepository votes(m_sqlite.database());
    const auto absent = votes.remove(ann, id);
    QVERIFY(absent);
    QVERIFY(!*absent);
    QVERIFY(votes.insert(ann, id).value_or(false));
    QVERIFY(votes.remove(ann, id).value_or(false));
    QVERIFY(!votes.remove(ann, id).value_or(true));
}

void TestPostRepository::votesCountFollowsVotes()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 id = createPost(ann, QStringLiteral("Vote me"));
    VoteRepository votes(m_sqlite.database());
    PostRepository posts(m_sqlite.database());
    const auto votesOf = [&] { return posts.find(id, viewerFor(ann)).value().value().votes; };

    QVERIFY(votes.insert(ann, id).value_or(false));
    QCOMPARE(votesOf(), 1);
    QVERIFY(votes.insert(bob, id).value_or(false));
    QVERIFY(!votes.insert(bob, id).value_or(true)); // no double count
    QCOMPARE(votesOf(), 2);
    QVERIFY(votes.remove(ann, id).value_or(false));
    QVERIFY(!votes.remove(ann, id).value_or(true));
    QCOMPARE(votesOf(), 1);
    QCOMPARE(posts.list(postQuery(), viewerFor(ann)).value().items.at(0).votes, 1);
}

void TestPostRepository::deletingPostDeletesItsVotes()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 gone = createPost(ann, QStringLiteral("Gone"));
    const qint64 kept = createPost(ann, QStringLiteral("Kept"));
    VoteRepository votes(m_sqlite.database());
    QVERIFY(votes.insert(ann, gone).value_or(false));
    QVERIFY(votes.insert(ann, kept).value_or(false));
    QVERIFY(PostRepository(m_sqlite.database()).remove(gone).value_or(false));
    QCOMPARE(
        m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM votes WHERE post_id = %1").arg(gone))
            .toInt(),
        0);
    QCOMPARE(
        m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM votes WHERE post_id = %1").arg(kept))
            .toInt(),
        1);
}

void TestPostRepository::searchFindsInsertedPost()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    createPost(ann, QStringLiteral("Unrelated"), QStringLiteral("nothing here"));
    const qint64 id = createPost(
        ann, QStringLiteral("Rocket launch"), QStringLiteral("The Falcon lifted off at dawn."));
    const auto found = SearchRepository(m_sqlite.database())
                           .search(QStringLiteral("falcon"), page(), viewerFor(ann));
    QVERIFY2(found, qPrintable(found ? QString() : describe(found.error())));
    QCOMPARE(found->total, 1);
    QCOMPARE(found->items.size(), 1);
    const SearchHit &hit = found->items.first();
    QCOMPARE(hit.kind, QStringLiteral("post"));
    QCOMPARE(hit.id, id);
    QCOMPARE(hit.title, QStringLiteral("Rocket launch"));
    QVERIFY(hit.score > 0);
    QVERIFY2(hit.snippet.contains(QStringLiteral("<mark>Falcon</mark>")), qPrintable(hit.snippet));

    // Diacritics and case do not matter; several words must all match.
    const qint64 cafe = createPost(ann, QStringLiteral("Café Müller"), QStringLiteral("coffee"));
    QCOMPARE(postIds(SearchRepository(m_sqlite.database())
                         .search(QStringLiteral("CAFE muller"), page(), viewerFor(ann))
                         .value()),
        QList<qint64> {cafe});
    QCOMPARE(SearchRepository(m_sqlite.database())
                 .search(QStringLiteral("cafe falcon"), page(), viewerFor(ann))
                 .value()
                 .total,
        0);
}

void TestPostRepository::searchFollowsUpdatesAndDeletes()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 id = createPost(ann, QStringLiteral("Alpha"), QStringLiteral("first version"));
    SearchRepository search(m_sqlite.database());
    QCOMPARE(postIds(search.search(QStringLiteral("alpha"), page(), viewerFor(ann)).value()),
        QList<qint64> {id});

    QVERIFY(PostRepository(m_sqlite.database())
                .update(id, write(QStringLiteral("Beta"), QStringLiteral("second version")))
                .value_or(false));
    QCOMPARE(postIds(search.search(QStringLiteral("beta"), page(), viewerFor(ann)).value()),
        QList<qint64> {id});
    QCOMPARE(postIds(search.search(QStringLiteral("second"), page(), viewerFor(ann)).value()),
        QList<qint64> {id});
    QCOMPARE(search.search(QStringLiteral("alpha"), page(), viewerFor(ann)).value().total, 0);
    QCOMPARE(search.search(QStringLiteral("first"), page(), viewerFor(ann)).value().total, 0);

    // A vote updates the row (votes_count) without touching the index.
    QVERIFY(VoteRepository(m_sqlite.database()).insert(ann, id).value_or(false));
    QCOMPARE(search.search(QStringLiteral("beta"), page(), viewerFor(ann)).value().total, 1);

    QVERIFY(PostRepository(m_sqlite.database()).remove(id).value_or(false));
    QCOMPARE(search.search(QStringLiteral("beta"), page(), viewerFor(ann)).value().total, 0);
    QCOMPARE(
        m_sqlite
            .scalar(QStringLiteral("SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH 'beta'"))
            .toInt(),
        0);
}

void TestPostRepository::searchHonoursVisibility()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    const qint64 draft =
        createPost(ann, QStringLiteral("Secret plan"), QStringLiteral("zebra"), false);
    const qint64 open = createPost(bob, QStringLiteral("Open plan"), QStringLiteral("zebra"));
    SearchRepository search(m_sqlite.database());

    const auto asAnn = search.search(QStringLiteral("zebra"), page(), viewerFor(ann));
    QVERIFY(asAnn);
    QCOMPARE(asAnn->total, 2);
    QVERIFY(postIds(*asAnn).contains(draft));

    const auto asBob = search.search(QStringLiteral("zebra"), page(), viewerFor(bob));
    QVERIFY(asBob);
    QCOMPARE(asBob->total, 1);
    QCOMPARE(postIds(*asBob), QList<qint64> {open});
    QCOMPARE(search.search(QStringLiteral("secret"), page(), viewerFor(bob)).value().total, 0);

    const auto asAdmin = search.search(QStringLiteral("zebra"), page(), viewerFor(bob, true));
    QVERIFY(asAdmin);
    QCOMPARE(asAdmin->total, 2);
}

void TestPostRepository::hostileQueriesMatchLiterally_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("matching"); // titles of the posts it must find, in any order

    // The posts, by title, are in hostileQueriesMatchLiterally. Each "trap" would match if the
    // query were read as FTS5 syntax: Bravo for NEAR, Delta for OR, "qq" for a column filter,
    // Hotel for a prefix query.
    QTest::newRow("quote") << QStringLiteral("\"") << QStringList {};
    QTest::newRow("quotes") << QStringLiteral("\"\" \"x")
                            << QStringList {QStringLiteral("Charlie"), QStringLiteral("Delta")};
    QTest::newRow("star") << QStringLiteral("*") << QStringList {};
    QTest::newRow("prefix") << QStringLiteral("star*") << QStringList {QStringLiteral("Golf")};
    QTest::newRow("near") << QStringLiteral("NEAR(a b)") << QStringList {QStringLiteral("Alpha")};
    QTest::newRow("sql") << QStringLiteral("'; DROP TABLE posts; --")
                         << QStringList {QStringLiteral("Foxtrot")};
    QTest::newRow("or") << QStringLiteral("x OR y") << QStringList {QStringLiteral("Charlie")};
    QTest::newRow("and not") << QStringLiteral("x AND NOT y") << QStringList {};
    QTest::newRow("column") << QStringLiteral("title:qq") << QStringList {QStringLiteral("Echo")};
    QTest::newRow("paren") << QStringLiteral("(") << QStringList {};
    QTest::newRow("parens") << QStringLiteral("(x")
                            << QStringList {QStringLiteral("Charlie"), QStringLiteral("Delta")};
    QTest::newRow("caret minus") << QStringLiteral("^x -y +")
                                 << QStringList {QStringLiteral("Charlie")};
    QTest::newRow("cjk") << QStringLiteral("日本語") << QStringList {QStringLiteral("India")};
    QTest::newRow("emoji") << QStringLiteral("🙂 smile")
                           << QStringList {QStringLiteral("Juliet")};
    QTest::newRow("nul") << QStringLiteral("smile") + QChar(u'\0') + QStringLiteral("\" face")
                         << QStringList {QStringLiteral("Juliet")};
    QTest::newRow("lone surrogate")
        << QString(QChar(0xD83D)) + QStringLiteral(" x")
        << QStringList {QStringLiteral("Charlie"), QStringLiteral("Delta")};
    QTest::newRow("lone surrogate in term") << QStringLiteral("x")
            + QChar(0xDC00) << QStringList {QStringLiteral("Charlie"), QStringLiteral("Delta")};
    QTest::newRow("lone surrogate at end")
        << QStringLiteral("smile") + QChar(0xD83D) << QStringList {QStringLiteral("Juliet")};
}

void TestPostRepository::hostileQueriesMatchLiterally()
{
    QFETCH(QString, query);
    QFETCH(QStringList, matching);
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const QList<std::pair<QString, QString>> posts {
        {QStringLiteral("Alpha"), QStringLiteral("use NEAR(a b) literally")},
        {QStringLiteral("Bravo"), QStringLiteral("a b")},
        {QStringLiteral("Charlie"), QStringLiteral("x or y")},
        {QStringLiteral("Delta"), QStringLiteral("x alone")},
        {QStringLiteral("Echo"), QStringLiteral("content says title: qq")},
        {QStringLiteral("qq"), QStringLiteral("no such word")},
        {QStringLiteral("Foxtrot"), QStringLiteral("'; DROP TABLE posts; --")},
        {QStringLiteral("Golf"), QStringLiteral("star* here")},
        {QStringLiteral("Hotel"), QStringLiteral("starship")},
        {QStringLiteral("India"), QStringLiteral("日本語 text")},
        {QStringLiteral("Juliet"), QStringLiteral("smile 🙂 face")},
    };
    for (const auto &[title, content] : posts)
        QVERIFY(createPost(ann, title, content) > 0);

    const auto found =
        SearchRepository(m_sqlite.database()).search(query, page(100), viewerFor(ann));
    QVERIFY2(found, qPrintable(found ? QString() : describe(found.error())));
    QStringList titles;
    for (const SearchHit &hit : found->items)
        titles.append(hit.title);
    titles.sort();
    matching.sort();
    QCOMPARE(titles, matching);
    QCOMPARE(found->total, matching.size());
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts")).toInt(), posts.size());
}

void TestPostRepository::snippetsMarkMatchesAndEscapeHtml()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    createPost(ann, QStringLiteral("<b>Bold</b> title"),
        QStringLiteral("<script>alert(\"x\")</script> hello & goodbye 'quoted' \uE000"));
    const auto found = SearchRepository(m_sqlite.database())
                           .search(QStringLiteral("hello"), page(), viewerFor(ann));
    QVERIFY(found);
    QCOMPARE(found->items.size(), 1);
    const QString snippet = found->items.first().snippet;
    QVERIFY2(snippet.contains(QStringLiteral("<mark>hello</mark>")), qPrintable(snippet));
    QVERIFY2(snippet.contains(QStringLiteral("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")),
        qPrintable(snippet));
    QVERIFY2(
        snippet.contains(QStringLiteral("&amp; goodbye &#39;quoted&#39;")), qPrintable(snippet));
    // Our <mark> elements are the only markup, balanced, even with a marker character in the text.
    QString rest = snippet;
    QCOMPARE(rest.count(QStringLiteral("<mark>")), rest.count(QStringLiteral("</mark>")));
    rest.remove(QStringLiteral("<mark>")).remove(QStringLiteral("</mark>"));
    QVERIFY2(
        !rest.contains(u'<') && !rest.contains(u'>') && !rest.contains(u'"'), qPrintable(snippet));
    QCOMPARE(found->items.first().title, QStringLiteral("<b>Bold</b> title")); // plain text
}

void TestPostRepository::titleMatchFallsBackToTitleSnippet()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 empty = createPost(ann, QStringLiteral("Quarterly report"), QString());
    const qint64 other = createPost(
        ann, QStringLiteral("Quarterly <numbers>"), QStringLiteral("unrelated body text"));
    const auto found = SearchRepository(m_sqlite.database())
                           .search(QStringLiteral("quarterly"), page(), viewerFor(ann));
    QVERIFY(found);
    QCOMPARE(found->items.size(), 2);
    for (const SearchHit &hit : found->items) {
        if (hit.id == empty) {
            QCOMPARE(hit.snippet, QStringLiteral("<mark>Quarterly</mark> report"));
        } else if (hit.id == other) {
            QCOMPARE(hit.snippet, QStringLiteral("<mark>Quarterly</mark> &lt;numbers&gt;"));
        } else {
            QFAIL("unexpected hit");
        }
    }
}

void TestPostRepository::searchFindsFilePaths()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 file = createFile(QStringLiteral("reports/2026/annual-report.pdf"));
    QVERIFY(file > 0);
    createFile(QStringLiteral("images/cat.png"));
    SearchRepository search(m_sqlite.database());

    const auto found = search.search(QStringLiteral("annual"), page(), viewerFor(ann));
    QVERIFY2(found, qPrintable(found ? QString() : describe(found.error())));
    QCOMPARE(found->total, 1);
    QCOMPARE(found->items.size(), 1);
    const SearchHit &hit = found->items.first();
    QCOMPARE(hit.kind, QStringLiteral("file"));
    QCOMPARE(hit.filePath, QStringLiteral("reports/2026/annual-report.pdf"));
    QCOMPARE(hit.title, QStringLiteral("reports/2026/annual-report.pdf"));
    QCOMPARE(hit.snippet, QStringLiteral("reports/2026/<mark>annual</mark>-report.pdf"));
    QVERIFY(hit.score > 0);
    QCOMPARE(hit.toJson().value(QStringLiteral("file_path")).toString(), hit.filePath);

    QVERIFY(m_sqlite.exec(
        QStringLiteral("UPDATE files SET path = 'reports/2026/summary.pdf' WHERE id = %1")
            .arg(file)));
    QCOMPARE(search.search(QStringLiteral("annual"), page(), viewerFor(ann)).value().total, 0);
    QCOMPARE(search.search(QStringLiteral("summary"), page(), viewerFor(ann)).value().total, 1);
    QVERIFY(m_sqlite.exec(QStringLiteral("DELETE FROM files WHERE id = %1").arg(file)));
    QCOMPARE(search.search(QStringLiteral("summary"), page(), viewerFor(ann)).value().total, 0);
}

void TestPostRepository::searchMergesRanksAndPages()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    for (int i = 0; i < 4; ++i) {
        createPost(ann, QStringLiteral("Orbit %1").arg(i),
            QStringLiteral("orbit ") + QStringLiteral("filler ").repeated(i * 5LL));
        createFile(QStringLiteral("orbit/%1/").arg(i) + QStringLiteral("deep/").repeated(i)
            + QStringLiteral("x.txt"));
    }
    SearchRepository search(m_sqlite.database());
    const auto all = search.search(QStringLiteral("orbit"), page(100), viewerFor(ann));
    QVERIFY(all);
    QCOMPARE(all->total, 8);
    QCOMPARE(all->items.size(), 8);
    int posts = 0;
    for (qsizetype i = 0; i < all->items.size(); ++i) {
        if (all->items.at(i).kind == u"post")
            ++posts;
        if (i > 0)
            QVERIFY(all->items.at(i - 1).score >= all->items.at(i).score);
    }
    QCOMPARE(posts, 4);

    // Pages are slices of the merged ranking.
    QList<SearchHit> paged;
    for (int skip = 0; skip < 8; skip += 3) {
        const auto part = search.search(QStringLiteral("orbit"), page(3, skip), viewerFor(ann));
        QVERIFY(part);
        QCOMPARE(part->total, 8);
        QCOMPARE(part->skip, skip);
        QCOMPARE(part->limit, 3);
        paged.append(part->items);
    }
    QCOMPARE(paged.size(), 8);
    for (qsizetype i = 0; i < paged.size(); ++i) {
        QCOMPARE(paged.at(i).kind, all->items.at(i).kind);
        QCOMPARE(paged.at(i).id, all->items.at(i).id);
        QCOMPARE(paged.at(i).filePath, all->items.at(i).filePath);
    }
    const auto beyond = search.search(QStringLiteral("orbit"), page(10, 8), viewerFor(ann));
    QVERIFY(beyond);
    QVERIFY(beyond->items.isEmpty());
    QCOMPARE(beyond->total, 8);
}

void TestPostRepository::emptySearchIsValidationError_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("   ");
    QTest::newRow("whitespace") << QStringLiteral("\t\n \u00A0");
}

void TestPostRepository::emptySearchIsValidationError()
{
    QFETCH(QString, text);
    const auto found = SearchRepository(m_sqlite.database()).search(text, page(), viewerFor(1));
    QVERIFY(!found);
    QCOMPARE(found.error().code, ErrorCode::Validation);
    QCOMPARE(found.error().fields,
        (QList<FieldError> {{QStringLiteral("q"), QStringLiteral("is required")}}));
}

void TestPostRepository::searchFailureHidesSql()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    createPost(ann, QStringLiteral("x"));
    QVERIFY(m_sqlite.exec(QStringLiteral("DROP TABLE files_fts")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^count files failed: ")));
    const auto found =
        SearchRepository(m_sqlite.database()).search(QStringLiteral("x"), page(), viewerFor(ann));
    QVERIFY(!found);
    QCOMPARE(found.error().code, ErrorCode::Internal);
    QCOMPARE(found.error().detail, QStringLiteral("database error"));
}

void TestPostRepository::migrationDownThenUpRebuildsSearchAndStats()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 kept = createPost(ann, QStringLiteral("Survivor"), QStringLiteral("penguin"));
    createPost(ann, QStringLiteral("Draft"), QStringLiteral("penguin"), false);
    createFile(QStringLiteral("docs/penguin.txt"));

    Migrator migrator(m_sqlite.database());
    // Back to 0001 alone: 0002 and every later migration (which may build on 0002).
    const auto available = migrator.available();
    QVERIFY(available);
    const int steps = int(available->size()) - 1;
    const auto down = migrator.down(steps);
    QVERIFY2(down, qPrintable(down ? QString() : describe(down.error())));
    QCOMPARE(*down, steps);
    QCOMPARE(m_sqlite
                 .scalar(QStringLiteral(
                     "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'posts_fts%' "
                     "OR name LIKE 'files_fts%' OR name LIKE 'post_stats%' "
                     "OR name IN ('posts_owner_published_idx', 'posts_votes_id_idx')"))
                 .toInt(),
        0);
    QCOMPARE(m_sqlite
                 .scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                                        "('posts_owner_idx', 'posts_votes_idx')"))
                 .toInt(),
        2);
    // Posts still work without 0002's triggers.
    const qint64 added =
        createPost(ann, QStringLiteral("Added while down"), QStringLiteral("penguin"));
    QVERIFY(added > 0);

    const auto up = migrator.up();
    QVERIFY2(up, qPrintable(up ? QString() : describe(up.error())));
    QCOMPARE(*up, steps);
    const auto found = SearchRepository(m_sqlite.database())
                           .search(QStringLiteral("penguin"), page(), viewerFor(ann));
    QVERIFY(found);
    QCOMPARE(found->total, 4); // three posts, rebuilt from the table, and one file
    QVERIFY(postIds(*found).contains(kept));
    QVERIFY(postIds(*found).contains(added));
    verifyTotals({ann, ann + 1});
}

void TestPostRepository::statementCacheReusesStatements()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    PostRepository posts(m_sqlite.database());
    const SqlSupport::StatementCacheStats before = SqlSupport::statementCacheStats();
    for (int i = 0; i < 50; ++i) {
        const qint64 id = createPost(ann, QStringLiteral("Post %1").arg(i));
        QVERIFY(posts.update(id, write(QStringLiteral("Post %1, edited").arg(i), {})).value());
        const auto listed = posts.list(postQuery(100), viewerFor(ann));
        QVERIFY(listed);
        QCOMPARE(listed->total, i + 1);
        QCOMPARE(listed->items.size(), i + 1);
        QCOMPARE(listed->items.first().id, id);
        QCOMPARE(listed->items.first().title, QStringLiteral("Post %1, edited").arg(i));
        QVERIFY(posts.find(id, viewerFor(ann)).value().has_value());
    }
    const SqlSupport::StatementCacheStats after = SqlSupport::statementCacheStats();
    // insert and update prepared once each (list and find read through SqliteReader).
    QCOMPARE(after.prepares - before.prepares, 2);
    QVERIFY(after.reuses - before.reuses >= 50 * 2 - 2);
}

void TestPostRepository::cachedReadsSeeOtherConnectionsWrites()
{
    // A cached SELECT left unreset would pin this connection's read snapshot (WAL).
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    createPost(ann, QStringLiteral("First"));
    PostRepository posts(m_sqlite.database());
    QCOMPARE(posts.list(postQuery(), viewerFor(ann)).value().total, 1);
    QCOMPARE(posts.list(postQuery(1), viewerFor(ann)).value().items.size(), 1);

    Database other(DatabaseUrl::sqliteFile(m_sqlite.filePath(QStringLiteral("outpost.db"))));
    const auto added = PostRepository(other).insert(ann, write(QStringLiteral("Second"), {}));
    QVERIFY2(added, qPrintable(added ? QString() : describe(added.error())));

    const auto listed = posts.list(postQuery(1), viewerFor(ann));
    QVERIFY(listed);
    QCOMPARE(listed->total, 2);
    QCOMPARE(ids(*listed), QList<qint64> {added->id});
    QVERIFY(posts.find(added->id, viewerFor(ann)).value().has_value());
}

void TestPostRepository::statementCacheSurvivesReopenedConnection()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 first = createPost(ann, QStringLiteral("First"));
    PostRepository posts(m_sqlite.database());
    QCOMPARE(posts.list(postQuery(), viewerFor(ann)).value().total, 1);

    // Removed and added again (a new driver under the same connection name); the thread's
    // SQLite reader is closed with it.
    m_sqlite.database().closeThreadConnection();
    const SqlSupport::StatementCacheStats before = SqlSupport::statementCacheStats();
    const auto afterRemoval = posts.list(postQuery(), viewerFor(ann));
    QVERIFY2(afterRemoval, qPrintable(afterRemoval ? QString() : describe(afterRemoval.error())));
    QCOMPARE(ids(*afterRemoval), QList<qint64> {first});
    QVERIFY(posts.update(first, write(QStringLiteral("First, edited"), {})).value());
    QVERIFY(SqlSupport::statementCacheStats().prepares > before.prepares);

    // Closed and reopened (the same driver; SQLite finalised its statements).
    {
        QSqlDatabase connection = m_sqlite.database().connection();
        connection.close();
    }
    const qint64 second = createPost(ann, QStringLiteral("Second"));
    QVERIFY(second > 0);
    const auto afterReopen = posts.list(postQuery(), viewerFor(ann));
    QVERIFY2(afterReopen, qPrintable(afterReopen ? QString() : describe(afterReopen.error())));
    QCOMPARE(ids(*afterReopen), (QList<qint64> {second, first}));
    QCOMPARE(afterReopen->total, 2);
    QVERIFY(VoteRepository(m_sqlite.database()).insert(ann, second).value_or(false));
    QVERIFY(posts.find(second, viewerFor(ann)).value().has_value());

    // Many calls on the reopened connection keep working.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(posts.list(postQuery(), viewerFor(ann)).value().total, 2);
}

// On a database file, the reads every request makes (a post, a page of posts, the caller's
// session) go through SqliteReader, not Qt Sql.
void TestPostRepository::hotReadsSkipQtSqlOnAFile()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const qint64 id = createPost(ann, QStringLiteral("Read often"));
    PostRepository posts(m_sqlite.database());
    UserRepository users(m_sqlite.database());
    const SqlSupport::StatementCacheStats before = SqlSupport::statementCacheStats();
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(posts.list(postQuery(), viewerFor(ann)).value().total, 1);
        QCOMPARE(posts.list(postQuery(), Viewer {0, true}).value().items.size(), 1);
        QCOMPARE(
            posts.find(id, viewerFor(ann)).value().value().title, QStringLiteral("Read often"));
        QCOMPARE(users.findSession(ann).value().value().email, QStringLiteral("ann@example.com"));
        QCOMPARE(posts.access(id).value().value().ownerId, ann);
    }
    const SqlSupport::StatementCacheStats after = SqlSupport::statementCacheStats();
    QCOMPARE(after.prepares, before.prepares);
    QCOMPARE(after.reuses, before.reuses);
    QVERIFY(!users.findSession(ann + 1000).value().has_value());
}

// A transaction's changes are on its Qt Sql connection until it commits: reads inside it go
// there too, and see them.
void TestPostRepository::readsInATransactionSeeItsOwnWrites()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    PostRepository posts(m_sqlite.database());
    Transaction transaction(m_sqlite.database());
    QVERIFY(transaction.begin());
    const auto inserted = posts.insert(ann, write(QStringLiteral("Not committed yet"), {}));
    QVERIFY(inserted);
    QCOMPARE(posts.find(inserted->id, viewerFor(ann)).value().value().title,
        QStringLiteral("Not committed yet"));
    QCOMPARE(posts.list(postQuery(), viewerFor(ann)).value().total, 1);
    UserChanges disable;
    disable.disabled = true;
    QVERIFY(UserRepository(m_sqlite.database()).update(ann, disable));
    QVERIFY(UserRepository(m_sqlite.database()).findSession(ann).value().value().disabled);
    // Rolled back: nothing of it is left, whichever way it is read.
}

// The same rows read through SqliteReader (outside a transaction) and through Qt Sql (inside
// one): every field alike, NULL username, non-ASCII text and drafts included.
void TestPostRepository::readerAndQtSqlReadTheSameRows()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"), QStringLiteral("Ann Ö"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com")); // no username: NULL
    createPost(
        ann, QStringLiteral("Grüße aus 東京 🐧"), QStringLiteral("line\n\"quoted\" \\ tab\t"));
    const qint64 draft = createPost(bob, QStringLiteral("Draft"), QStringLiteral("x"), false);
    createPost(bob, QString(), QString());
    QVERIFY(VoteRepository(m_sqlite.database()).insert(ann, draft).value_or(false));

    const auto readAll = [this](const Viewer &viewer) {
        PostRepository posts(m_sqlite.database());
        const QList<Post> listed = posts.list(postQuery(100), viewer).value().items;
        QList<Post> found = listed;
        for (const Post &post : listed)
            found.append(posts.find(post.id, viewer).value().value());
        return found;
    };
    const auto same = [](const QList<Post> &a, const QList<Post> &b) {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a[i].id != b[i].id || a[i].title != b[i].title || a[i].content != b[i].content
                || a[i].published != b[i].published || a[i].createdAt != b[i].createdAt
                || a[i].updatedAt != b[i].updatedAt || a[i].votes != b[i].votes
                || a[i].owner.id != b[i].owner.id || a[i].owner.email != b[i].owner.email
                || a[i].owner.username != b[i].owner.username
                || a[i].owner.username.isNull() != b[i].owner.username.isNull())
                return false;
        }
        return true;
    };
    for (const Viewer &viewer : {viewerFor(ann), viewerFor(bob), Viewer {0, true}}) {
        const QList<Post> throughReader = readAll(viewer);
        Transaction transaction(m_sqlite.database());
        QVERIFY(transaction.begin());
        const QList<Post> throughQt = readAll(viewer);
        QVERIFY(same(throughReader, throughQt));
        QVERIFY(!throughReader.isEmpty());
    }
    const QList<Post> mine = readAll(viewerFor(bob));
    const auto withDraft = std::find_if(
        mine.cbegin(), mine.cend(), [draft](const Post &post) { return post.id == draft; });
    QVERIFY(withDraft != mine.cend());
    QCOMPARE(withDraft->votes, 1);
    QVERIFY(withDraft->owner.username.isEmpty());
    QVERIFY(std::any_of(mine.cbegin(), mine.cend(),
        [](const Post &post) { return post.title == QStringLiteral("Grüße aus 東京 🐧"); }));
}

QTEST_GUILESS_MAIN(TestPostRepository)
// What insert() returns is what a read gives (the API answers a create with it, unread).
void TestPostRepository::insertReturnsThePostAsFindReadsIt()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"), QStringLiteral("ann"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    PostRepository posts(m_sqlite.database());
    for (const qint64 owner : {ann, bob}) {
        for (const bool published : {true, false}) {
            const auto inserted = posts.insert(
                owner, write(QStringLiteral("Ünïcödé title"), QStringLiteral("😀 body"), published));
            QVERIFY(inserted);
            const auto found = posts.find(inserted->id, viewerFor(owner));
            QVERIFY(found && found->has_value());
            QCOMPARE(inserted->toJson(), (*found)->toJson());
        }
    }
}

// Creates batched on the writer thread leave their search index rows to the batch's end
// (migration 0011: one FTS5 segment per batch, not per post). Inside the batch the posts are
// not in the index yet; after it every one is, exactly once, and a write that failed and was
// rolled back alone leaves nothing behind, the deferral's marker row included.
void TestPostRepository::postsOfABatchAreIndexedAtItsEnd()
{
    const qint64 ann = createUser(QStringLiteral("ann@example.com"));
    const Database &db = m_sqlite.database();
    constexpr int kPosts = 10;
    QSemaphore done;
    std::mutex mutex;
    QList<std::pair<int, bool>> outcomes;
    QHash<int, qint64> ids;
    std::atomic<int> indexedDuringTheBatch = -1;
    const auto record = [&](int tag) {
        return [&, tag](const Status &outcome) {
            {
                std::lock_guard lock(mutex);
                outcomes.append({tag, bool(outcome)});
            }
            done.release();
        };
    };
    // Inserts a post titled batchword<tag>; a negative tag then fails, after the insert.
    const auto insertPost = [&](int tag) {
        return [&, tag]() -> Status {
            const auto post = PostRepository(db).insert(
                ann, write(QStringLiteral("batchword%1").arg(qAbs(tag)), QStringLiteral("text")));
            if (!post)
                return fail(post.error());
            if (tag < 0)
                return fail(Error::conflict(QStringLiteral("changed its mind")));
            std::lock_guard lock(mutex);
            ids.insert(tag, post->id);
            return {};
        };
    };
    {
        // Holding the write lock queues every write into one batch behind the first.
        const auto lock = db.lockForWrite();
        db.submitWrite(insertPost(-100), record(-100)); // the first post of the batch fails
        for (int i = 0; i < kPosts / 2; ++i)
            db.submitWrite(insertPost(i), record(i));
        db.submitWrite(insertPost(-200), record(-200)); // and one in the middle
        for (int i = kPosts / 2; i < kPosts; ++i)
            db.submitWrite(insertPost(i), record(i));
        db.submitWrite(
            [&]() -> Status {
                const auto seen = SqlSupport::scalar(db,
                    QStringLiteral("SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH "
                                   "'batchword0 OR batchword9'"),
                    SqlSupport::BindingList {}, "count index rows");
                if (!seen)
                    return fail(seen.error());
                indexedDuringTheBatch = seen->toInt();
                return {};
            },
            record(1000));
    }
    QVERIFY(done.tryAcquire(kPosts + 3, 10000));
    for (const auto &[tag, succeeded] : outcomes)
        QCOMPARE(succeeded, tag >= 0);
    QCOMPARE(indexedDuringTheBatch.load(), 0);
    QVERIFY(db.writeStats().largest >= kPosts + 2);

    SearchRepository search(db);
    for (int i = 0; i < kPosts; ++i) {
        QCOMPARE(postIds(search.search(QStringLiteral("batchword%1").arg(i), page(), viewerFor(ann))
                             .value()),
            QList<qint64> {ids.value(i)});
    }
    QCOMPARE(
        search.search(QStringLiteral("batchword100"), page(), viewerFor(ann)).value().total, 0);
    QCOMPARE(
        search.search(QStringLiteral("batchword200"), page(), viewerFor(ann)).value().total, 0);
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts")).toInt(), kPosts);
    QCOMPARE(
        m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts_fts_docsize")).toInt(), kPosts);
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM posts_fts_deferred")).toInt(), 0);
    QVERIFY(m_sqlite.exec(
        QStringLiteral("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')")));

    // Outside a batch the trigger indexes the post as it is inserted.
    const qint64 alone = createPost(ann, QStringLiteral("aloneword"));
    QCOMPARE(postIds(search.search(QStringLiteral("aloneword"), page(), viewerFor(ann)).value()),
        QList<qint64> {alone});
}

#include "tst_postrepository.moc"
