#include "core/jsonwriter.h"
#include "modelchecks.h"
#include "models/page.h"
#include "models/post.h"
#include "models/viewer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

Post samplePost()
{
    Post post;
    post.id = 42;
    post.title = QStringLiteral("Hello");
    post.content = QStringLiteral("Some <b>text</b> ✓");
    post.published = false;
    post.createdAt = utc("2026-11-22T10:00:00Z");
    post.updatedAt = utc("2026-11-22T11:30:05Z");
    post.owner.id = 7;
    post.owner.email = QStringLiteral("ann@example.com");
    post.owner.username = QStringLiteral("ann");
    post.votes = 3;
    return post;
}

Result<PostQuery> query(const QString &limit = {}, const QString &skip = {},
    const QString &search = {}, const QString &ownerId = {}, const QString &sort = {})
{
    return PostQuery::fromQuery(limit, skip, search, ownerId, sort);
}

const QString kSortMessage = QStringLiteral("sort: must be one of -created_at, created_at, -votes");

} // namespace

class TestPostModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Post
    void postJsonHasTheApiShape();
    void writtenJsonEqualsQtsJson();
    void postWithoutUsernameHasNullUsername();
    void postJsonRoundTrips();
    void postFromJsonCollectsEveryError();
    void postFromJsonChecksOwnerMembers();
    void postFromJsonIgnoresUnknownMembers();

    // PostWrite
    void postWriteAcceptsAndTrimsTitle();
    void postWriteDefaultsToPublished();
    void postWriteAcceptsEmptyContent();
    void postWriteRequiresTitleAndContent();
    void postWriteRejectsBlankTitle();
    void postWriteLimitsTitleTo300Characters();
    void postWriteLimitsContentTo100000Characters();
    void postWriteRejectsWrongTypes();
    void postWriteRejectsUnknownFields();
    void postWriteCollectsEveryError();
    void postWriteJsonRoundTrips();

    // PostQuery
    void queryDefaultsWhenAbsent();
    void queryAcceptsEverySort_data();
    void queryAcceptsEverySort();
    void queryRejectsUnknownSort_data();
    void queryRejectsUnknownSort();
    void queryRejectsBadLimitAndSkip_data();
    void queryRejectsBadLimitAndSkip();
    void queryAcceptsPositiveOwner();
    void queryRejectsBadOwner_data();
    void queryRejectsBadOwner();
    void queryTrimsSearch();
    void queryCollectsEveryError();

    // VoteRequest
    void voteAcceptsBothDirections();
    void voteAcceptsWholeDouble();
    void voteRejectsBadDir_data();
    void voteRejectsBadDir();
    void voteRejectsBadPostId_data();
    void voteRejectsBadPostId();
    void voteRequiresBothFields();
    void voteRejectsUnknownFields();
    void voteJsonRoundTrips();

    // SearchHit
    void postHitHasIdAndNoPath();
    void fileHitHasPathAndNoId();
};

void TestPostModels::postJsonHasTheApiShape()
{
    const QJsonObject json = samplePost().toJson();
    QStringList keys = json.keys();
    keys.sort();
    QCOMPARE(keys,
        (QStringList {QStringLiteral("content"), QStringLiteral("created_at"), QStringLiteral("id"),
            QStringLiteral("owner"), QStringLiteral("published"), QStringLiteral("title"),
            QStringLiteral("updated_at"), QStringLiteral("votes")}));
    QCOMPARE(json.value(QStringLiteral("id")).toInteger(), 42);
    QCOMPARE(json.value(QStringLiteral("title")).toString(), QStringLiteral("Hello"));
    QCOMPARE(
        json.value(QStringLiteral("content")).toString(), QStringLiteral("Some <b>text</b> ✓"));
    QCOMPARE(json.value(QStringLiteral("published")), QJsonValue(false));
    QCOMPARE(json.value(QStringLiteral("created_at")).toString(),
        QStringLiteral("2026-11-22T10:00:00Z"));
    QCOMPARE(json.value(QStringLiteral("updated_at")).toString(),
        QStringLiteral("2026-11-22T11:30:05Z"));
    QCOMPARE(json.value(QStringLiteral("votes")).toInteger(), 3);
    const QJsonObject owner = json.value(QStringLiteral("owner")).toObject();
    QCOMPARE(owner.size(), 3);
    QCOMPARE(owner.value(QStringLiteral("id")).toInteger(), 7);
    QCOMPARE(owner.value(QStringLiteral("email")).toString(), QStringLiteral("ann@example.com"));
    QCOMPARE(owner.value(QStringLiteral("username")).toString(), QStringLiteral("ann"));
}

void TestPostModels::postWithoutUsernameHasNullUsername()
{
    Post post = samplePost();
    post.owner.username.clear();
    const QJsonObject owner = post.toJson().value(QStringLiteral("owner")).toObject();
    QVERIFY(owner.contains(QStringLiteral("username")));
    QVERIFY(owner.value(QStringLiteral("username")).isNull());

    const auto back = Post::fromJson(post.toJson());
    QVERIFY2(back, qPrintable(fieldErrors(back).join(u'\n')));
    QVERIFY(back->owner.username.isEmpty());
}

void TestPostModels::postJsonRoundTrips()
{
    const Post post = samplePost();
    const auto back = Post::fromJson(post.toJson());
    QVERIFY2(back, qPrintable(fieldErrors(back).join(u'\n')));
    QCOMPARE(back->id, post.id);
    QCOMPARE(back->title, post.title);
    QCOMPARE(back->content, post.content);
    QCOMPARE(back->published, post.published);
    QCOMPARE(back->createdAt, post.createdAt);
    QCOMPARE(back->updatedAt, post.updatedAt);
    QCOMPARE(back->owner.id, post.owner.id);
    QCOMPARE(back->owner.email, post.owner.email);
    QCOMPARE(back->owner.username, post.owner.username);
    QCOMPARE(back->votes, post.votes);
    QCOMPARE(back->toJson(), post.toJson());
}

void TestPostModels::postFromJsonCollectsEveryError()
{
    const auto missing = Post::fromJson({});
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::Validation);
    QCOMPARE(fieldErrors(missing),
        (QStringList {QStringLiteral("id: is required"), QStringLiteral("title: is required"),
            QStringLiteral("content: is required"), QStringLiteral("published: is required"),
            QStringLiteral("created_at: is required"), QStringLiteral("updated_at: is required"),
            QStringLiteral("owner: is required"), QStringLiteral("votes: is required")}));

    const auto wrong = Post::fromJson(parse(R"({"id": 1.5, "title": 1, "content": null,
        "published": "yes", "created_at": "yesterday", "updated_at": 5, "owner": [],
        "votes": "3"})"));
    QCOMPARE(fieldErrors(wrong),
        (QStringList {QStringLiteral("id: must be an integer"),
            QStringLiteral("title: must be a string"), QStringLiteral("content: must be a string"),
            QStringLiteral("published: must be true or false"),
            QStringLiteral("created_at: must be an RFC 3339 time"),
            QStringLiteral("updated_at: must be a string"),
            QStringLiteral("owner: must be an object"),
            QStringLiteral("votes: must be an integer")}));
}

void TestPostModels::postFromJsonChecksOwnerMembers()
{
    QJsonObject json = samplePost().toJson();
    json.insert(QStringLiteral("owner"), parse(R"({"id": "7", "email": 5, "username": 3})"));
    QCOMPARE(fieldErrors(Post::fromJson(json)),
        (QStringList {QStringLiteral("owner.id: must be an integer"),
            QStringLiteral("owner.email: must be a string"),
            QStringLiteral("owner.username: must be a string or null")}));
    // Absent: hidden from this viewer (another user's post), not an error.
    json.insert(QStringLiteral("owner"), parse(R"({"id": 7, "username": "ann"})"));
    const auto post = Post::fromJson(json);
    QVERIFY(post);
    QVERIFY(post->owner.email.isEmpty());
}

void TestPostModels::postFromJsonIgnoresUnknownMembers()
{
    QJsonObject json = samplePost().toJson();
    json.insert(QStringLiteral("added_later"), true);
    QVERIFY(Post::fromJson(json));
}

void TestPostModels::postWriteAcceptsAndTrimsTitle()
{
    const auto write = PostWrite::fromJson(
        parse(R"({"title": "  Hello world \n", "content": "  body  ", "published": false})"));
    QVERIFY2(write, qPrintable(fieldErrors(write).join(u'\n')));
    QCOMPARE(write->title, QStringLiteral("Hello world"));
    QCOMPARE(write->content, QStringLiteral("  body  ")); // content is kept as written
    QCOMPARE(write->published, false);
}

void TestPostModels::postWriteDefaultsToPublished()
{
    const auto write = PostWrite::fromJson(parse(R"({"title": "t", "content": "c"})"));
    QVERIFY(write);
    QCOMPARE(write->published, true);
    const auto explicitTrue =
        PostWrite::fromJson(parse(R"({"title": "t", "content": "c", "published": true})"));
    QVERIFY(explicitTrue);
    QCOMPARE(explicitTrue->published, true);
}

void TestPostModels::postWriteAcceptsEmptyContent()
{
    const auto write = PostWrite::fromJson(parse(R"({"title": "t", "content": ""})"));
    QVERIFY(write);
    QVERIFY(write->content.isEmpty());
}

void TestPostModels::postWriteRequiresTitleAndContent()
{
    QCOMPARE(fieldErrors(PostWrite::fromJson({})),
        (QStringList {
            QStringLiteral("title: is required"), QStringLiteral("content: is required")}));
}

void TestPostModels::postWriteRejectsBlankTitle()
{
    for (const char *json :
        {R"({"title": "", "content": "c"})", R"({"title": " \t\n ", "content": "c"})"}) {
        QCOMPARE(fieldErrors(PostWrite::fromJson(parse(json))),
            QStringList {QStringLiteral("title: must not be empty")});
    }
}

void TestPostModels::postWriteLimitsTitleTo300Characters()
{
    const QString ok = QString(300, u'x');
    QVERIFY(PostWrite::fromJson(
        {{QStringLiteral("title"), ok}, {QStringLiteral("content"), QString()}}));
    // Characters are code points: 300 emoji (600 UTF-16 units) fit.
    QString emoji;
    for (int i = 0; i < 300; ++i)
        emoji += QStringLiteral("😀");
    QVERIFY(PostWrite::fromJson(
        {{QStringLiteral("title"), emoji}, {QStringLiteral("content"), QString()}}));
    // Surrounding spaces do not count.
    QVERIFY(PostWrite::fromJson({{QStringLiteral("title"), QString(QStringLiteral("  ") + ok)},
        {QStringLiteral("content"), QString()}}));

    const auto tooLong = PostWrite::fromJson(
        {{QStringLiteral("title"), QString(301, u'x')}, {QStringLiteral("content"), QString()}});
    QCOMPARE(fieldErrors(tooLong),
        QStringList {QStringLiteral("title: must be at most 300 characters")});
    QCOMPARE(fieldErrors(PostWrite::fromJson({{QStringLiteral("title"), QString(emoji + u'x')},
                 {QStringLiteral("content"), QString()}})),
        QStringList {QStringLiteral("title: must be at most 300 characters")});
}

void TestPostModels::postWriteLimitsContentTo100000Characters()
{
    QVERIFY(PostWrite::fromJson({{QStringLiteral("title"), QStringLiteral("t")},
        {QStringLiteral("content"), QString(100000, u'c')}}));
    QCOMPARE(fieldErrors(PostWrite::fromJson({{QStringLiteral("title"), QStringLiteral("t")},
                 {QStringLiteral("content"), QString(100001, u'c')}})),
        QStringList {QStringLiteral("content: must be at most 100000 characters")});
}

void TestPostModels::postWriteRejectsWrongTypes()
{
    QCOMPARE(fieldErrors(PostWrite::fromJson(
                 parse(R"({"title": 5, "content": ["x"], "published": "true"})"))),
        (QStringList {QStringLiteral("title: must be a string"),
            QStringLiteral("content: must be a string"),
            QStringLiteral("published: must be true or false")}));
    QCOMPARE(fieldErrors(PostWrite::fromJson(
                 parse(R"({"title": "t", "content": "c", "published": null})"))),
        QStringList {QStringLiteral("published: must be true or false")});
    QCOMPARE(fieldErrors(
                 PostWrite::fromJson(parse(R"({"title": "t", "content": "c", "published": 1})"))),
        QStringList {QStringLiteral("published: must be true or false")});
}

void TestPostModels::postWriteRejectsUnknownFields()
{
    QCOMPARE(fieldErrors(PostWrite::fromJson(
                 parse(R"({"title": "t", "content": "c", "owner_id": 3, "votes": 9})"))),
        (QStringList {
            QStringLiteral("owner_id: unknown field"), QStringLiteral("votes: unknown field")}));
}

void TestPostModels::postWriteCollectsEveryError()
{
    const auto write =
        PostWrite::fromJson(parse(R"({"title": "   ", "published": "no", "extra": 1})"));
    QVERIFY(!write);
    QCOMPARE(write.error().code, ErrorCode::Validation);
    QCOMPARE(fieldErrors(write),
        (QStringList {QStringLiteral("title: must not be empty"),
            QStringLiteral("content: is required"),
            QStringLiteral("published: must be true or false"),
            QStringLiteral("extra: unknown field")}));
}

void TestPostModels::postWriteJsonRoundTrips()
{
    PostWrite write;
    write.title = QStringLiteral("Title");
    write.content = QStringLiteral("Body ✓");
    write.published = false;
    const QJsonObject json = write.toJson();
    QCOMPARE(json,
        (QJsonObject {{QStringLiteral("title"), QStringLiteral("Title")},
            {QStringLiteral("content"), QStringLiteral("Body ✓")},
            {QStringLiteral("published"), false}}));
    const auto back = PostWrite::fromJson(json);
    QVERIFY(back);
    QCOMPARE(back->title, write.title);
    QCOMPARE(back->content, write.content);
    QCOMPARE(back->published, write.published);
}

void TestPostModels::queryDefaultsWhenAbsent()
{
    const auto parsed = query();
    QVERIFY(parsed);
    QCOMPARE(parsed->limit, 10);
    QCOMPARE(parsed->skip, 0);
    QVERIFY(parsed->search.isEmpty());
    QCOMPARE(parsed->ownerId, 0);
    QCOMPARE(parsed->sort, PostSort::NewestFirst);
}

void TestPostModels::queryAcceptsEverySort_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<PostSort>("sort");
    QTest::newRow("-created_at") << QStringLiteral("-created_at") << PostSort::NewestFirst;
    QTest::newRow("created_at") << QStringLiteral("created_at") << PostSort::OldestFirst;
    QTest::newRow("-votes") << QStringLiteral("-votes") << PostSort::MostVotes;
}

void TestPostModels::queryAcceptsEverySort()
{
    QFETCH(QString, text);
    QFETCH(PostSort, sort);
    const auto parsed = query({}, {}, {}, {}, text);
    QVERIFY2(parsed, qPrintable(fieldErrors(parsed).join(u'\n')));
    QCOMPARE(parsed->sort, sort);
}

void TestPostModels::queryRejectsUnknownSort_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString(QLatin1String(""));
    QTest::newRow("votes") << QStringLiteral("votes");
    QTest::newRow("upper") << QStringLiteral("-CREATED_AT");
    QTest::newRow("spaces") << QStringLiteral(" -votes");
    QTest::newRow("sql") << QStringLiteral("id; DROP TABLE posts");
}

void TestPostModels::queryRejectsUnknownSort()
{
    QFETCH(QString, text);
    QVERIFY(!text.isNull());
    QCOMPARE(fieldErrors(query({}, {}, {}, {}, text)), QStringList {kSortMessage});
}

void TestPostModels::queryRejectsBadLimitAndSkip_data()
{
    QTest::addColumn<QString>("limit");
    QTest::addColumn<QString>("skip");
    QTest::addColumn<QString>("error");
    const QString limitError = QStringLiteral("limit: must be an integer from 1 to 100");
    const QString skipError = QStringLiteral("skip: must be an integer of 0 or more");
    QTest::newRow("limit 0") << QStringLiteral("0") << QString() << limitError;
    QTest::newRow("limit 101") << QStringLiteral("101") << QString() << limitError;
    QTest::newRow("limit abc") << QStringLiteral("abc") << QString() << limitError;
    QTest::newRow("limit empty") << QString(QLatin1String("")) << QString() << limitError;
    QTest::newRow("skip -1") << QString() << QStringLiteral("-1") << skipError;
    QTest::newRow("skip 1.5") << QString() << QStringLiteral("1.5") << skipError;
}

void TestPostModels::queryRejectsBadLimitAndSkip()
{
    QFETCH(QString, limit);
    QFETCH(QString, skip);
    QFETCH(QString, error);
    QCOMPARE(fieldErrors(query(limit, skip)), QStringList {error});
}

void TestPostModels::queryAcceptsPositiveOwner()
{
    const auto parsed =
        query(QStringLiteral("100"), QStringLiteral("20"), {}, QStringLiteral("12"), {});
    QVERIFY(parsed);
    QCOMPARE(parsed->ownerId, 12);
    QCOMPARE(parsed->limit, 100);
    QCOMPARE(parsed->skip, 20);
}

void TestPostModels::queryRejectsBadOwner_data()
{
    QTest::addColumn<QString>("ownerId");
    QTest::newRow("zero") << QStringLiteral("0");
    QTest::newRow("negative") << QStringLiteral("-3");
    QTest::newRow("word") << QStringLiteral("me");
    QTest::newRow("fraction") << QStringLiteral("1.5");
    QTest::newRow("plus") << QStringLiteral("+4");
    QTest::newRow("empty") << QString(QLatin1String(""));
    QTest::newRow("overflow") << QStringLiteral("99999999999999999999");
}

void TestPostModels::queryRejectsBadOwner()
{
    QFETCH(QString, ownerId);
    QCOMPARE(fieldErrors(query({}, {}, {}, ownerId, {})),
        QStringList {QStringLiteral("owner_id: must be a positive integer")});
}

void TestPostModels::queryTrimsSearch()
{
    const auto parsed = query({}, {}, QStringLiteral("  50%_off  "), {}, {});
    QVERIFY(parsed);
    QCOMPARE(parsed->search, QStringLiteral("50%_off"));
    const auto blank = query({}, {}, QStringLiteral("   "), {}, {});
    QVERIFY(blank);
    QVERIFY(blank->search.isEmpty());
}

void TestPostModels::queryCollectsEveryError()
{
    const auto parsed = query(QStringLiteral("0"), QStringLiteral("-1"), QStringLiteral("x"),
        QStringLiteral("0"), QStringLiteral("new"));
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, ErrorCode::Validation);
    QCOMPARE(fieldErrors(parsed),
        (QStringList {QStringLiteral("limit: must be an integer from 1 to 100"),
            QStringLiteral("skip: must be an integer of 0 or more"),
            QStringLiteral("owner_id: must be a positive integer"), kSortMessage}));
}

void TestPostModels::voteAcceptsBothDirections()
{
    const auto up = VoteRequest::fromJson(parse(R"({"post_id": 5, "dir": 1})"));
    QVERIFY2(up, qPrintable(fieldErrors(up).join(u'\n')));
    QCOMPARE(up->postId, 5);
    QCOMPARE(up->dir, 1);
    const auto down = VoteRequest::fromJson(parse(R"({"post_id": 5, "dir": 0})"));
    QVERIFY(down);
    QCOMPARE(down->dir, 0);
}

void TestPostModels::voteAcceptsWholeDouble()
{
    // JSON has one number type: 1.0 is the integer 1.
    const auto vote = VoteRequest::fromJson(parse(R"({"post_id": 5.0, "dir": 1.0})"));
    QVERIFY2(vote, qPrintable(fieldErrors(vote).join(u'\n')));
    QCOMPARE(vote->postId, 5);
    QCOMPARE(vote->dir, 1);
}

void TestPostModels::voteRejectsBadDir_data()
{
    QTest::addColumn<QByteArray>("dir");
    QTest::newRow("string") << QByteArray(R"("1")");
    QTest::newRow("true") << QByteArray("true");
    QTest::newRow("false") << QByteArray("false");
    QTest::newRow("two") << QByteArray("2");
    QTest::newRow("minus one") << QByteArray("-1");
    QTest::newRow("half") << QByteArray("0.5");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("array") << QByteArray("[1]");
}

void TestPostModels::voteRejectsBadDir()
{
    QFETCH(QByteArray, dir);
    const QByteArray json = R"({"post_id": 1, "dir": )" + dir + '}';
    const auto vote = VoteRequest::fromJson(parse(json.constData()));
    QVERIFY(!vote);
    QCOMPARE(vote.error().code, ErrorCode::Validation);
    QCOMPARE(fieldErrors(vote), QStringList {QStringLiteral("dir: must be 0 or 1")});
}

void TestPostModels::voteRejectsBadPostId_data()
{
    QTest::addColumn<QByteArray>("postId");
    QTest::newRow("zero") << QByteArray("0");
    QTest::newRow("negative") << QByteArray("-4");
    QTest::newRow("string") << QByteArray(R"("4")");
    QTest::newRow("fraction") << QByteArray("4.5");
    QTest::newRow("bool") << QByteArray("true");
    QTest::newRow("null") << QByteArray("null");
}

void TestPostModels::voteRejectsBadPostId()
{
    QFETCH(QByteArray, postId);
    const QByteArray json = R"({"dir": 1, "post_id": )" + postId + '}';
    QCOMPARE(fieldErrors(VoteRequest::fromJson(parse(json.constData()))),
        QStringList {QStringLiteral("post_id: must be a positive integer")});
}

void TestPostModels::voteRequiresBothFields()
{
    QCOMPARE(fieldErrors(VoteRequest::fromJson({})),
        (QStringList {QStringLiteral("post_id: is required"), QStringLiteral("dir: is required")}));
}

void TestPostModels::voteRejectsUnknownFields()
{
    QCOMPARE(fieldErrors(VoteRequest::fromJson(parse(R"({"post_id": 0, "dir": 3, "user_id": 1})"))),
        (QStringList {QStringLiteral("post_id: must be a positive integer"),
            QStringLiteral("dir: must be 0 or 1"), QStringLiteral("user_id: unknown field")}));
}

void TestPostModels::voteJsonRoundTrips()
{
    VoteRequest vote;
    vote.postId = 9;
    vote.dir = 0;
    QCOMPARE(
        vote.toJson(), (QJsonObject {{QStringLiteral("post_id"), 9}, {QStringLiteral("dir"), 0}}));
    const auto back = VoteRequest::fromJson(vote.toJson());
    QVERIFY(back);
    QCOMPARE(back->postId, 9);
    QCOMPARE(back->dir, 0);
}

void TestPostModels::postHitHasIdAndNoPath()
{
    SearchHit hit;
    hit.kind = QStringLiteral("post");
    hit.id = 3;
    hit.filePath = QStringLiteral("ignored");
    hit.title = QStringLiteral("T");
    hit.snippet = QStringLiteral("a <mark>b</mark>");
    hit.score = 1.5;
    QCOMPARE(hit.toJson(),
        (QJsonObject {{QStringLiteral("kind"), QStringLiteral("post")}, {QStringLiteral("id"), 3},
            {QStringLiteral("title"), QStringLiteral("T")},
            {QStringLiteral("snippet"), QStringLiteral("a <mark>b</mark>")},
            {QStringLiteral("score"), 1.5}}));
}

void TestPostModels::fileHitHasPathAndNoId()
{
    SearchHit hit;
    hit.kind = QStringLiteral("file");
    hit.id = 3;
    hit.filePath = QStringLiteral("docs/a.txt");
    hit.title = QStringLiteral("docs/a.txt");
    hit.snippet = QStringLiteral("<mark>docs</mark>/a.txt");
    hit.score = 0.25;
    QCOMPARE(hit.toJson(),
        (QJsonObject {{QStringLiteral("kind"), QStringLiteral("file")},
            {QStringLiteral("file_path"), QStringLiteral("docs/a.txt")},
            {QStringLiteral("title"), QStringLiteral("docs/a.txt")},
            {QStringLiteral("snippet"), QStringLiteral("<mark>docs</mark>/a.txt")},
            {QStringLiteral("score"), 0.25}}));
}

// The server writes posts with JsonWriter; clients read them with QJsonObject. Same text.
void TestPostModels::writtenJsonEqualsQtsJson()
{
    Post post;
    post.id = 42;
    post.title = QStringLiteral("Quotes \" and <tags> & ünïcode \U0001F44D");
    post.content = QStringLiteral("line\nbreak\ttab \\ backslash");
    post.published = false;
    post.createdAt = QDateTime::fromSecsSinceEpoch(1795000000, Qt::UTC);
    post.updatedAt = QDateTime::fromSecsSinceEpoch(1795000100, Qt::UTC);
    post.owner = {7, QStringLiteral("o@example.com"), QString()};
    post.votes = 3;
    for (const int variant : {0, 1, 2}) {
        if (variant >= 1)
            post.owner.username = QStringLiteral("owner_1");
        if (variant == 2) // as another user sees it: no e-mail
            hideOwnerEmail(post, Viewer {99, false});
        QByteArray written;
        JsonWriter writer(written);
        post.writeJson(writer);
        QCOMPARE(written, QJsonDocument(post.toJson()).toJson(QJsonDocument::Compact));
        QCOMPARE(written.contains("o@example.com"), variant < 2);
    }
    Page<Post> page;
    page.items = {post, post};
    page.total = 12;
    page.limit = 2;
    page.skip = 4;
    QCOMPARE(page.toJsonBytes(), QJsonDocument(page.toJson()).toJson(QJsonDocument::Compact));
}

QTEST_GUILESS_MAIN(TestPostModels)
#include "tst_postmodels.moc"
