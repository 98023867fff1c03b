// The posts resource (server/api/postsapi.cpp): listing, reading with ETags, creating,
// replacing with If-Match, deleting, who sees unpublished posts, and votes (also under
// concurrent load).
#include "factories.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace Outpost::Test;

namespace {

const QString kPostsPath = QStringLiteral("/v1/posts");

QJsonObject postBody(const QString &title, const QString &content, bool published = true)
{
    return {{QStringLiteral("title"), title}, {QStringLiteral("content"), content},
        {QStringLiteral("published"), published}};
}

QString messageOf(const HttpResult &result)
{
    return result.json().object().value(QStringLiteral("message")).toString();
}

// One request of a concurrent batch.
struct PendingRequest
{
    QByteArray method;
    QUrl url;
    QByteArray body;
    Headers headers;
};

// Sends every request at once, spread over several QNetworkAccessManagers (each opens up to
// six connections per host), and waits for all answers. Status 0 for one that did not finish.
QList<HttpResult> sendConcurrently(const QList<PendingRequest> &requests, int timeoutMs = 30'000)
{
    constexpr int kManagers = 4;
    std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
    for (int i = 0; i < kManagers; ++i)
        managers.push_back(std::make_unique<QNetworkAccessManager>());
    QList<QNetworkReply *> replies;
    QEventLoop loop;
    int finished = 0;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const PendingRequest &pending = requests.at(i);
        QNetworkRequest request(pending.url);
        for (auto it = pending.headers.cbegin(); it != pending.headers.cend(); ++it)
            request.setRawHeader(it.key(), it.value());
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = managers.at(size_t(i % kManagers))
                                   ->sendCustomRequest(request, pending.method, pending.body);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&finished, &loop, &requests] {
            if (++finished == requests.size())
                loop.quit();
        });
        replies.append(reply);
    }
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (finished < requests.size())
        loop.exec();
    QList<HttpResult> results;
    for (QNetworkReply *reply : replies) {
        HttpResult result;
        if (reply->isFinished()) {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = reply->readAll();
            for (const auto &pair : reply->rawHeaderPairs())
                result.headers.insert(pair.first.toLower(), pair.second);
        } else {
            reply->abort();
        }
        results.append(result);
        delete reply;
    }
    return results;
}

QByteArray statusesOf(const QList<HttpResult> &results)
{
    QByteArray text;
    for (const HttpResult &result : results)
        text += QByteArray::number(result.status) + ' ';
    return text;
}

} // namespace

class TestPostsApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void listIsAnEnvelopeOfPostsNewestFirst();
    void listSortsOldestFirstAndByVotes();
    void listPagesWithLimitAndSkip();
    void listRejectsBadParameters_data();
    void listRejectsBadParameters();
    void listTakesBareParametersForAbsentOnes();
    void listSearchesTitleAndContentIgnoringCase();
    void listSearchTreatsWildcardsLiterally();
    void listWithoutTokenIs401();

    void getReturnsThePostWithAStrongETag();
    void getWithMatchingIfNoneMatchIs304();
    void ifNoneMatchFollowsHttpSemantics_data();
    void ifNoneMatchFollowsHttpSemantics();
    void getUnknownPostIs404();
    void getWithNonNumericIdIs422();

    void createAnswers201WithLocationAndETag();
    void createAcceptsBoundaryLengths();
    void createAnswersTheBytesGetReads_data();
    void createAnswersTheBytesGetReads();
    void createRejectsInvalidFields_data();
    void createRejectsInvalidFields();
    void createRejectsMalformedJson_data();
    void createRejectsMalformedJson();
    void createWithoutTokenIs401();

    void ownerReplacesPostAndGetsANewETag();
    void updateWithCurrentIfMatchSucceeds();
    void updateWithStaleIfMatchIs412AndChangesNothing();
    void updateWithWeakIfMatchIs412();
    void updateWithIfMatchStarSucceeds();
    void otherUserCannotUpdateAPost();
    void adminUpdatesAnyPost();
    void updateUnknownPostIs404();
    void updateChecksTheIdBeforeTheBody();

    void ownerDeletesAPostAndItsVotes();
    void adminDeletesAnyPost();
    void otherUserCannotDeleteAPost();
    void deleteUnknownPostIs404();

    void unpublishedPostIsVisibleToOwnerAndAdminsOnly();
    void unpublishedPostsCountOnlyForOwnerAndAdmins();

    void voteAddsThenConflicts();
    void voteRemovesThenIsNotFound();
    void voteOnMissingPostIs404();
    void voteRejectsBadDirection_data();
    void voteRejectsBadDirection();
    void voteWithoutTokenIs401();
    void concurrentVotesFromTwentyUsersAllCount();
    void concurrentVotesFromOneUserCountOnce();
    void concurrentCreatesAllCommitAndShowInMetrics();

    void openApiDescribesPostRoutes();
    void openApiPassesTheValidator();

private:
    qint64 votesOf(qint64 postId);

    TestServer m_server;
    Account m_admin;
    Account m_alice;
    Account m_bob;
};

void TestPostsApi::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
    m_alice = createAccount(m_server, {}, kPassword, QStringLiteral("alice"));
    QVERIFY(m_alice.ok());
    m_bob = createAccount(m_server);
    QVERIFY(m_bob.ok());
}

qint64 TestPostsApi::votesOf(qint64 postId)
{
    const HttpResult result = get(m_server, postPath(postId), m_admin.auth());
    if (result.status != 200)
        return -1;
    return result.json().object().value(QStringLiteral("votes")).toInteger(-1);
}

void TestPostsApi::listIsAnEnvelopeOfPostsNewestFirst()
{
    const Account author = createAccount(m_server, {}, kPassword, QStringLiteral("lister"));
    QVERIFY(author.ok());
    QList<qint64> created;
    for (int i = 0; i < 3; ++i) {
        created.prepend(createPost(m_server, author, QStringLiteral("Listed %1").arg(i)));
        QVERIFY(created.first() > 0);
    }

    const HttpResult result =
        get(m_server, kPostsPath + QStringLiteral("?owner_id=%1").arg(author.id), m_bob.auth());
    QCOMPARE(result.status, 200);
    const QJsonObject page = result.json().object();
    QCOMPARE(page.value(QStringLiteral("total")).toInteger(), 3);
    QCOMPARE(page.value(QStringLiteral("limit")).toInteger(), 10);
    QCOMPARE(page.value(QStringLiteral("skip")).toInteger(), 0);
    QCOMPARE(idsOf(result), created);

    // The total is the same on a short page, past the last page and with a search.
    const HttpResult shortPage = get(
        m_server, kPostsPath + QStringLiteral("?owner_id=%1&limit=2").arg(author.id), m_bob.auth());
    QCOMPARE(shortPage.json().object().value(QStringLiteral("total")).toInteger(), 3);
    QCOMPARE(idsOf(shortPage), created.mid(0, 2));
    const HttpResult beyond = get(
        m_server, kPostsPath + QStringLiteral("?owner_id=%1&skip=5").arg(author.id), m_bob.auth());
    QCOMPARE(beyond.status, 200);
    QCOMPARE(beyond.json().object().value(QStringLiteral("total")).toInteger(), 3);
    QVERIFY(idsOf(beyond).isEmpty());
    const HttpResult searched = get(m_server,
        kPostsPath + QStringLiteral("?owner_id=%1&search=Listed%201&limit=1").arg(author.id),
        m_bob.auth());
    QCOMPARE(searched.json().object().value(QStringLiteral("total")).toInteger(), 1);
    QCOMPARE(idsOf(searched), created.mid(1, 1));

    const QJsonObject first = page.value(QStringLiteral("items")).toArray().first().toObject();
    QStringList keys = first.keys();
    keys.sort();
    QCOMPARE(keys,
        (QStringList {QStringLiteral("content"), QStringLiteral("created_at"), QStringLiteral("id"),
            QStringLiteral("owner"), QStringLiteral("published"), QStringLiteral("title"),
            QStringLiteral("updated_at"), QStringLiteral("votes")}));
    QCOMPARE(first.value(QStringLiteral("title")).toString(), QStringLiteral("Listed 2"));
    QCOMPARE(first.value(QStringLiteral("votes")).toInteger(-1), 0);
    // Another user sees the owner's id and username, never their e-mail (OWASP API3).
    const QJsonObject owner = first.value(QStringLiteral("owner")).toObject();
    QCOMPARE(owner.value(QStringLiteral("id")).toInteger(), author.id);
    QCOMPARE(owner.value(QStringLiteral("username")).toString(), QStringLiteral("lister"));
    QCOMPARE(owner.size(), 2);
    QVERIFY(!result.body.contains(author.email.toUtf8()));
    const HttpResult one =
        get(m_server, kPostsPath + u'/' + QString::number(created.first()), m_bob.auth());
    QVERIFY(!one.json()
                 .object()
                 .value(QStringLiteral("owner"))
                 .toObject()
                 .contains(QStringLiteral("email")));
    // The owner sees their own.
    const HttpResult own =
        get(m_server, kPostsPath + QStringLiteral("?owner_id=%1").arg(author.id), author.auth());
    const QJsonObject ownOwner = own.json()
                                     .object()
                                     .value(QStringLiteral("items"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("owner"))
                                     .toObject();
    QCOMPARE(ownOwner.value(QStringLiteral("email")).toString(), author.email);
    QCOMPARE(ownOwner.size(), 3);

    // The default order is the same without owner_id: the newest post of all comes first.
    const HttpResult all = get(m_server, kPostsPath, m_bob.auth());
    QCOMPARE(all.status, 200);
    QCOMPARE(idsOf(all).value(0), created.first());
}

void TestPostsApi::listSortsOldestFirstAndByVotes()
{
    const Account author = createAccount(m_server);
    QVERIFY(author.ok());
    const qint64 first = createPost(m_server, author, QStringLiteral("Oldest"));
    const qint64 second = createPost(m_server, author, QStringLiteral("Middle"));
    const qint64 third = createPost(m_server, author, QStringLiteral("Newest"));
    QVERIFY(first > 0 && second > 0 && third > 0);
    const QString filter = kPostsPath + QStringLiteral("?owner_id=%1&sort=").arg(author.id);

    const HttpResult oldest = get(m_server, filter + QStringLiteral("created_at"), m_bob.auth());
    QCOMPARE(oldest.status, 200);
    QCOMPARE(idsOf(oldest), (QList<qint64> {first, second, third}));

    const HttpResult newest = get(m_server, filter + QStringLiteral("-created_at"), m_bob.auth());
    QCOMPARE(newest.status, 200);
    QCOMPARE(idsOf(newest), (QList<qint64> {third, second, first}));

    QCOMPARE(vote(m_server, m_alice, second, 1).status, 201);
    QCOMPARE(vote(m_server, m_bob, second, 1).status, 201);
    QCOMPARE(vote(m_server, m_alice, first, 1).status, 201);
    const HttpResult byVotes = get(m_server, filter + QStringLiteral("-votes"), m_bob.auth());
    QCOMPARE(byVotes.status, 200);
    QCOMPARE(idsOf(byVotes), (QList<qint64> {second, first, third}));
    const QJsonArray items = itemsOf(byVotes);
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("votes")).toInteger(), 2);
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("votes")).toInteger(), 1);
    QCOMPARE(items.at(2).toObject().value(QStringLiteral("votes")).toInteger(), 0);
}

void TestPostsApi::listPagesWithLimitAndSkip()
{
    const Account author = createAccount(m_server);
    QVERIFY(author.ok());
    QList<qint64> newestFirst;
    for (int i = 0; i < 5; ++i)
        newestFirst.prepend(createPost(m_server, author, QStringLiteral("Paged %1").arg(i)));

    const HttpResult page = get(m_server,
        kPostsPath + QStringLiteral("?owner_id=%1&limit=2&skip=1").arg(author.id), m_bob.auth());
    QCOMPARE(page.status, 200);
    QCOMPARE(idsOf(page), newestFirst.mid(1, 2));
    QCOMPARE(totalOf(page), 5);
    QCOMPARE(page.json().object().value(QStringLiteral("limit")).toInteger(), 2);
    QCOMPARE(page.json().object().value(QStringLiteral("skip")).toInteger(), 1);

    const HttpResult last = get(m_server,
        kPostsPath + QStringLiteral("?owner_id=%1&limit=100&skip=4").arg(author.id), m_bob.auth());
    QCOMPARE(last.status, 200);
    QCOMPARE(idsOf(last), newestFirst.mid(4));

    const HttpResult beyond = get(
        m_server, kPostsPath + QStringLiteral("?owner_id=%1&skip=50").arg(author.id), m_bob.auth());
    QCOMPARE(beyond.status, 200);
    QVERIFY(idsOf(beyond).isEmpty());
    QCOMPARE(totalOf(beyond), 5);
}

void TestPostsApi::listRejectsBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << QStringLiteral("limit");
    QTest::newRow("limit 101") << QStringLiteral("limit=101") << QStringLiteral("limit");
    QTest::newRow("limit text") << QStringLiteral("limit=ten") << QStringLiteral("limit");
    QTest::newRow("skip -1") << QStringLiteral("skip=-1") << QStringLiteral("skip");
    QTest::newRow("skip text") << QStringLiteral("skip=x") << QStringLiteral("skip");
    QTest::newRow("owner_id 0") << QStringLiteral("owner_id=0") << QStringLiteral("owner_id");
    QTest::newRow("owner_id -3") << QStringLiteral("owner_id=-3") << QStringLiteral("owner_id");
    QTest::newRow("owner_id text") << QStringLiteral("owner_id=me") << QStringLiteral("owner_id");
    QTest::newRow("sort votes") << QStringLiteral("sort=votes") << QStringLiteral("sort");
    QTest::newRow("sort -title") << QStringLiteral("sort=-title") << QStringLiteral("sort");
    QTest::newRow("sort empty") << QStringLiteral("sort=") << QStringLiteral("sort");
    // Sent empty is not absent: no silent default.
    QTest::newRow("limit empty") << QStringLiteral("limit=") << QStringLiteral("limit");
    QTest::newRow("skip empty") << QStringLiteral("skip=") << QStringLiteral("skip");
    QTest::newRow("owner_id empty") << QStringLiteral("owner_id=") << QStringLiteral("owner_id");
}

void TestPostsApi::listRejectsBadParameters()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    const HttpResult result = get(m_server, kPostsPath + u'?' + query, m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(field), result.body.constData());
}

void TestPostsApi::listTakesBareParametersForAbsentOnes()
{
    // "?limit" names no value: the defaults apply, as for a parameter not sent at all.
    const HttpResult result =
        get(m_server, kPostsPath + QStringLiteral("?limit&skip&owner_id&sort"), m_alice.auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().object().value(QStringLiteral("limit")).toInt(), 10);
    QCOMPARE(result.json().object().value(QStringLiteral("skip")).toInt(), 0);
}

void TestPostsApi::listSearchesTitleAndContentIgnoringCase()
{
    const qint64 inTitle = createPost(
        m_server, m_alice, QStringLiteral("About Gnarwhals"), QStringLiteral("Nothing here."));
    const qint64 inContent = createPost(
        m_server, m_bob, QStringLiteral("Sea life"), QStringLiteral("We met a GNARWHAL today."));
    const qint64 neither = createPost(
        m_server, m_bob, QStringLiteral("Land life"), QStringLiteral("Only a narwhale."));
    QVERIFY(inTitle > 0 && inContent > 0 && neither > 0);

    const HttpResult result =
        get(m_server, kPostsPath + QStringLiteral("?search=gNarWhal"), m_alice.auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(idsOf(result), (QList<qint64> {inContent, inTitle}));
    QCOMPARE(totalOf(result), 2);

    // An empty search box is no filter.
    const HttpResult empty = get(m_server, kPostsPath + QStringLiteral("?search="), m_alice.auth());
    QCOMPARE(empty.status, 200);
    QCOMPARE(idsOf(empty).value(0), neither);
}

void TestPostsApi::listSearchTreatsWildcardsLiterally()
{
    const qint64 percent =
        createPost(m_server, m_alice, QStringLiteral("Ratio"), QStringLiteral("100% quibbled"));
    const qint64 digits =
        createPost(m_server, m_alice, QStringLiteral("Ratio"), QStringLiteral("1000 quibbled"));
    const qint64 underscore =
        createPost(m_server, m_alice, QStringLiteral("snake_quibble"), QStringLiteral("x"));
    const qint64 other =
        createPost(m_server, m_alice, QStringLiteral("snakeXquibble"), QStringLiteral("x"));
    QVERIFY(percent > 0 && digits > 0 && underscore > 0 && other > 0);

    const HttpResult byPercent =
        get(m_server, kPostsPath + QStringLiteral("?search=100%25%20quibbled"), m_alice.auth());
    QCOMPARE(byPercent.status, 200);
    QCOMPARE(idsOf(byPercent), QList<qint64> {percent});

    const HttpResult byUnderscore =
        get(m_server, kPostsPath + QStringLiteral("?search=snake_quibble"), m_alice.auth());
    QCOMPARE(byUnderscore.status, 200);
    QCOMPARE(idsOf(byUnderscore), QList<qint64> {underscore});
}

void TestPostsApi::listWithoutTokenIs401()
{
    OUTPOST_VERIFY_PROBLEM(get(m_server, kPostsPath), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(get(m_server, postPath(1)), 401, "Unauthorized");
}

void TestPostsApi::getReturnsThePostWithAStrongETag()
{
    const CreatedPost created =
        submitPost(m_server, m_alice, QStringLiteral("Tagged"), QStringLiteral("Body ✓"));
    QCOMPARE(created.status, 201);
    const HttpResult result = get(m_server, postPath(created.id), m_bob.auth());
    QCOMPARE(result.status, 200);
    static const QRegularExpression strong(QStringLiteral("^\"[!#-~]+\"$"));
    const QByteArray etag = result.header("ETag");
    QVERIFY2(strong.match(QString::fromLatin1(etag)).hasMatch(), etag.constData());
    // The ETag is that of the representation: Bob's hides the owner's e-mail, so it is his
    // own; the owner (and admins) see what the create answered.
    QVERIFY(etag != created.etag);
    QCOMPARE(get(m_server, postPath(created.id), m_alice.auth()).header("ETag"), created.etag);
    QCOMPARE(
        get(m_server, postPath(created.id), m_bob.auth({{"If-None-Match", etag}})).status, 304);
    const QJsonObject body = result.json().object();
    QCOMPARE(body.value(QStringLiteral("id")).toInteger(), created.id);
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Tagged"));
    QCOMPARE(body.value(QStringLiteral("content")).toString(), QStringLiteral("Body ✓"));
    QCOMPARE(body.value(QStringLiteral("owner")).toObject().value(QStringLiteral("id")).toInteger(),
        m_alice.id);
}

void TestPostsApi::getWithMatchingIfNoneMatchIs304()
{
    const CreatedPost created = submitPost(m_server, m_alice, QStringLiteral("Cached"));
    QCOMPARE(created.status, 201);
    QVERIFY(!created.etag.isEmpty());

    const HttpResult cached =
        get(m_server, postPath(created.id), m_alice.auth({{"If-None-Match", created.etag}}));
    QCOMPARE(cached.status, 304);
    QCOMPARE(cached.header("ETag"), created.etag);
    QVERIFY2(cached.body.isEmpty(), cached.body.constData());

    const HttpResult stale =
        get(m_server, postPath(created.id), m_alice.auth({{"If-None-Match", "\"stale\""}}));
    QCOMPARE(stale.status, 200);
    QCOMPARE(stale.header("ETag"), created.etag);

    // A change (a vote) gives a new ETag, so the old one no longer matches.
    QCOMPARE(vote(m_server, m_bob, created.id, 1).status, 201);
    const HttpResult changed =
        get(m_server, postPath(created.id), m_alice.auth({{"If-None-Match", created.etag}}));
    QCOMPARE(changed.status, 200);
    QVERIFY(changed.header("ETag") != created.etag);
}

void TestPostsApi::ifNoneMatchFollowsHttpSemantics_data()
{
    // RFC 9110 section 13.1.2: a comma-separated list (optional spaces after the commas), "*"
    // for any current representation, and weak comparison (W/"x" matches "x").
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<bool>("star");
    QTest::newRow("list, no space") << QByteArray("\"other\",") << false;
    QTest::newRow("list with a space") << QByteArray("\"other\", ") << false;
    QTest::newRow("weak form") << QByteArray("W/") << false;
    QTest::newRow("star") << QByteArray() << true;
}

void TestPostsApi::ifNoneMatchFollowsHttpSemantics()
{
    QFETCH(QByteArray, before);
    QFETCH(bool, star);
    const CreatedPost created = submitPost(m_server, m_alice, QStringLiteral("Conditional"));
    QCOMPARE(created.status, 201);
    const QByteArray condition = star ? QByteArray("*") : before + created.etag;
    const HttpResult result =
        get(m_server, postPath(created.id), m_alice.auth({{"If-None-Match", condition}}));
    QVERIFY2(result.status == 304,
        QByteArray("If-None-Match: " + condition + " gave " + QByteArray::number(result.status))
            .constData());
    QCOMPARE(result.header("ETag"), created.etag);
    QVERIFY(result.body.isEmpty());
}

void TestPostsApi::getUnknownPostIs404()
{
    OUTPOST_VERIFY_PROBLEM(get(m_server, postPath(987654321), m_alice.auth()), 404, "Not Found");
}

void TestPostsApi::getWithNonNumericIdIs422()
{
    const HttpResult result = get(m_server, kPostsPath + QStringLiteral("/abc"), m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(errorFields(result), QStringList {QStringLiteral("id")});
}

void TestPostsApi::createAnswers201WithLocationAndETag()
{
    const HttpResult result = post(m_server, kPostsPath,
        {{QStringLiteral("title"), QStringLiteral("  Hello world  ")},
            {QStringLiteral("content"), QStringLiteral("First!")}},
        m_alice.auth());
    QCOMPARE(result.status, 201);
    const QJsonObject body = result.json().object();
    const qint64 id = body.value(QStringLiteral("id")).toInteger();
    QVERIFY(id > 0);
    QCOMPARE(result.header("Location"), postPath(id).toUtf8());
    QVERIFY(!result.header("ETag").isEmpty());
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Hello world"));
    QCOMPARE(body.value(QStringLiteral("content")).toString(), QStringLiteral("First!"));
    QCOMPARE(body.value(QStringLiteral("published")), QJsonValue(true));
    QCOMPARE(body.value(QStringLiteral("votes")).toInteger(-1), 0);
    const QJsonObject owner = body.value(QStringLiteral("owner")).toObject();
    QCOMPARE(owner.value(QStringLiteral("id")).toInteger(), m_alice.id);
    QCOMPARE(owner.value(QStringLiteral("email")).toString(), m_alice.email);
    QCOMPARE(owner.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
    static const QRegularExpression rfc3339(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
    QVERIFY(rfc3339.match(body.value(QStringLiteral("created_at")).toString()).hasMatch());
    QVERIFY(rfc3339.match(body.value(QStringLiteral("updated_at")).toString()).hasMatch());

    // What was created is what GET returns, with the same ETag.
    const HttpResult fetched = get(m_server, postPath(id), m_alice.auth());
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.json().object(), body);
    QCOMPARE(fetched.header("ETag"), result.header("ETag"));
}

void TestPostsApi::createAcceptsBoundaryLengths()
{
    const QString title(300, u'T');
    const QString content(100000, u'c');
    const CreatedPost longest = submitPost(m_server, m_alice, title, content);
    QVERIFY2(longest.status == 201, longest.result.body.left(500).constData());
    QCOMPARE(longest.json.value(QStringLiteral("title")).toString(), title);
    QCOMPARE(longest.json.value(QStringLiteral("content")).toString().size(), 100000);

    // Lengths are in characters, not UTF-8 bytes or UTF-16 units.
    const QString wide = QString(299, u'é') + QStringLiteral("😀");
    const CreatedPost unicode = submitPost(m_server, m_alice, wide, QString());
    QVERIFY2(unicode.status == 201, unicode.result.body.constData());
    // Read back as written, through the get and the list (the repository reads text columns
    // as UTF-8 bytes on SQLite).
    QCOMPARE(unicode.json.value(QStringLiteral("title")).toString(), wide);
    const HttpResult fetched = httpRequest("GET",
        m_server.url(QStringLiteral("/v1/posts/%1")
                         .arg(unicode.json.value(QStringLiteral("id")).toInteger())),
        {}, m_alice.auth());
    QCOMPARE(fetched.json().object().value(QStringLiteral("title")).toString(), wide);

    const CreatedPost draft = submitPost(m_server, m_alice, QStringLiteral("d"), {}, false);
    QCOMPARE(draft.status, 201);
    QCOMPARE(draft.json.value(QStringLiteral("published")), QJsonValue(false));
}

void TestPostsApi::createAnswersTheBytesGetReads_data()
{
    QTest::addColumn<QString>("author"); // alice (a username), bob (none), admin
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("content");
    QTest::addColumn<bool>("published");
    QTest::newRow("plain") << QStringLiteral("alice") << QStringLiteral("Plain")
                           << QStringLiteral("Some text.") << true;
    QTest::newRow("no username, draft")
        << QStringLiteral("bob") << QStringLiteral("Draft") << QStringLiteral("Not yet.") << false;
    QTest::newRow("admin, empty content")
        << QStringLiteral("admin") << QStringLiteral("Empty") << QString() << true;
    QTest::newRow("non-ASCII, escapes")
        << QStringLiteral("alice") << QStringLiteral("Ünïcödé \"quoted\" 😀")
        << QStringLiteral("line\nbreak\ttab <b>&amp;</b> \u0001") << true;
}

// The 201 is built from what the insert wrote (the post is not read back): it must be exactly
// what a GET by the same user answers, ETag included.
void TestPostsApi::createAnswersTheBytesGetReads()
{
    QFETCH(QString, author);
    QFETCH(QString, title);
    QFETCH(QString, content);
    QFETCH(bool, published);
    const Account &account = author == u"alice" ? m_alice : author == u"bob" ? m_bob : m_admin;
    const CreatedPost created = submitPost(m_server, account, title, content, published);
    QVERIFY2(created.status == 201, created.result.body.constData());
    const HttpResult fetched =
        get(m_server, QString::fromUtf8(created.result.header("Location")), account.auth());
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.body, created.result.body);
    QCOMPARE(fetched.header("ETag"), created.result.header("ETag"));
}

void TestPostsApi::createRejectsInvalidFields_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    const QJsonValue content = QStringLiteral("text");
    QTest::newRow("no title") << QJsonObject {{QStringLiteral("content"), content}}
                              << QStringLiteral("title");
    QTest::newRow("blank title") << QJsonObject {{QStringLiteral("title"), QStringLiteral("  \t ")},
        {QStringLiteral("content"), content}}
                                 << QStringLiteral("title");
    QTest::newRow("title of 301") << QJsonObject {{QStringLiteral("title"), QString(301, u'x')},
        {QStringLiteral("content"), content}}
                                  << QStringLiteral("title");
    QTest::newRow("title a number")
        << QJsonObject {{QStringLiteral("title"), 5}, {QStringLiteral("content"), content}}
        << QStringLiteral("title");
    QTest::newRow("no content") << QJsonObject {{QStringLiteral("title"), QStringLiteral("t")}}
                                << QStringLiteral("content");
    QTest::newRow("content of 100001")
        << QJsonObject {{QStringLiteral("title"), QStringLiteral("t")},
               {QStringLiteral("content"), QString(100001, u'x')}}
        << QStringLiteral("content");
    QTest::newRow("published a string")
        << QJsonObject {{QStringLiteral("title"), QStringLiteral("t")},
               {QStringLiteral("content"), content},
               {QStringLiteral("published"), QStringLiteral("yes")}}
        << QStringLiteral("published");
    QTest::newRow("unknown field votes") << QJsonObject {
        {QStringLiteral("title"), QStringLiteral("t")}, {QStringLiteral("content"), content},
        {QStringLiteral("votes"), 100}} << QStringLiteral("votes");
    QTest::newRow("unknown field owner_id") << QJsonObject {
        {QStringLiteral("title"), QStringLiteral("t")}, {QStringLiteral("content"), content},
        {QStringLiteral("owner_id"), 1}} << QStringLiteral("owner_id");
}

void TestPostsApi::createRejectsInvalidFields()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    const HttpResult result = post(m_server, kPostsPath, body, m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(field), result.body.constData());

    // A PUT validates the same way.
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Valid"));
    QVERIFY(id > 0);
    const HttpResult replaced = put(m_server, postPath(id), body, m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(replaced, 422, "Unprocessable Content");
    QVERIFY2(errorFields(replaced).contains(field), replaced.body.constData());
}

void TestPostsApi::createRejectsMalformedJson_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("truncated") << QByteArray(R"({"title": "t", "content": )");
    QTest::newRow("not JSON") << QByteArray("title=t&content=c");
    QTest::newRow("an array") << QByteArray(R"([{"title": "t", "content": "c"}])");
    QTest::newRow("empty") << QByteArray();
}

void TestPostsApi::createRejectsMalformedJson()
{
    QFETCH(QByteArray, body);
    const HttpResult result = httpRequest("POST", m_server.url(kPostsPath), body,
        m_alice.auth({{"Content-Type", "application/json"}}));
    OUTPOST_VERIFY_PROBLEM(result, 400, "Bad Request");
}

void TestPostsApi::createWithoutTokenIs401()
{
    const QJsonObject body = postBody(QStringLiteral("t"), QStringLiteral("c"));
    OUTPOST_VERIFY_PROBLEM(post(m_server, kPostsPath, body), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(post(m_server, kPostsPath, body, bearer(QByteArrayLiteral("garbage"))),
        401, "Unauthorized");
}

void TestPostsApi::ownerReplacesPostAndGetsANewETag()
{
    const CreatedPost created = submitPost(m_server, m_alice, QStringLiteral("Before"));
    QCOMPARE(created.status, 201);
    const HttpResult replaced = put(m_server, postPath(created.id),
        postBody(QStringLiteral("After"), QStringLiteral("New"), false), m_alice.auth());
    QCOMPARE(replaced.status, 200);
    const QJsonObject body = replaced.json().object();
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("After"));
    QCOMPARE(body.value(QStringLiteral("content")).toString(), QStringLiteral("New"));
    QCOMPARE(body.value(QStringLiteral("published")), QJsonValue(false));
    QCOMPARE(
        body.value(QStringLiteral("created_at")), created.json.value(QStringLiteral("created_at")));
    QVERIFY(!replaced.header("ETag").isEmpty());
    QVERIFY(replaced.header("ETag") != created.etag);

    const HttpResult fetched = get(m_server, postPath(created.id), m_alice.auth());
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.json().object(), body);
    QCOMPARE(fetched.header("ETag"), replaced.header("ETag"));

    // A full replacement: an omitted "published" is the default, true.
    const HttpResult again = put(m_server, postPath(created.id),
        {{QStringLiteral("title"), QStringLiteral("Again")},
            {QStringLiteral("content"), QString()}},
        m_alice.auth());
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json().object().value(QStringLiteral("published")), QJsonValue(true));
}

void TestPostsApi::updateWithCurrentIfMatchSucceeds()
{
    const CreatedPost created = submitPost(m_server, m_alice, QStringLiteral("Match me"));
    QCOMPARE(created.status, 201);
    const HttpResult replaced = put(m_server, postPath(created.id),
        postBody(QStringLiteral("Matched"), QStringLiteral("1")),
        m_alice.auth({{"If-Match", created.etag}}));
    QCOMPARE(replaced.status, 200);
    QCOMPARE(replaced.json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("Matched"));

    // The new ETag works for the next change.
    const HttpResult next = put(m_server, postPath(created.id),
        postBody(QStringLiteral("Matched"), QStringLiteral("2")),
        m_alice.auth({{"If-Match", replaced.header("ETag")}}));
    QCOMPARE(next.status, 200);
}

void TestPostsApi::updateWithStaleIfMatchIs412AndChangesNothing()
{
    const CreatedPost created = submitPost(
        m_server, m_alice, QStringLiteral("Original"), QStringLiteral("Original content"));
    QCOMPARE(created.status, 201);
    const HttpResult first = put(m_server, postPath(created.id),
        postBody(QStringLiteral("First edit"), QStringLiteral("1")),
        m_alice.auth({{"If-Match", created.etag}}));
    QCOMPARE(first.status, 200);

    const HttpResult stale = put(m_server, postPath(created.id),
        postBody(QStringLiteral("Lost update"), QStringLiteral("2")),
        m_alice.auth({{"If-Match", created.etag}}));
    OUTPOST_VERIFY_PROBLEM(stale, 412, "Precondition Failed");

    const HttpResult fetched = get(m_server, postPath(created.id), m_alice.auth());
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("First edit"));
    QCOMPARE(fetched.header("ETag"), first.header("ETag"));

    // A made-up ETag is stale too.
    const HttpResult madeUp = put(m_server, postPath(created.id),
        postBody(QStringLiteral("Lost update"), QStringLiteral("3")),
        m_alice.auth({{"If-Match", "\"0123456789abcdef\""}}));
    OUTPOST_VERIFY_PROBLEM(madeUp, 412, "Precondition Failed");
    QCOMPARE(
        get(m_server, postPath(created.id), m_alice.auth()).header("ETag"), first.header("ETag"));
}

void TestPostsApi::updateWithWeakIfMatchIs412()
{
    // If-Match compares strongly (RFC 9110 section 13.1.1): a weak tag never matches.
    const CreatedPost created = submitPost(m_server, m_alice, QStringLiteral("Strong only"));
    QCOMPARE(created.status, 201);
    const HttpResult weak = put(m_server, postPath(created.id),
        postBody(QStringLiteral("Weakly changed"), QStringLiteral("w")),
        m_alice.auth({{"If-Match", "W/" + created.etag}}));
    OUTPOST_VERIFY_PROBLEM(weak, 412, "Precondition Failed");
    QCOMPARE(get(m_server, postPath(created.id), m_alice.auth()).header("ETag"), created.etag);

    // In a list, the current tag is found among others.
    const HttpResult listed =
        put(m_server, postPath(created.id), postBody(QStringLiteral("Listed"), QStringLiteral("l")),
            m_alice.auth({{"If-Match", "\"other\", " + created.etag}}));
    QCOMPARE(listed.status, 200);
}

void TestPostsApi::updateWithIfMatchStarSucceeds()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Star"));
    QVERIFY(id > 0);
    const HttpResult replaced =
        put(m_server, postPath(id), postBody(QStringLiteral("Starred"), QStringLiteral("*")),
            m_alice.auth({{"If-Match", "*"}}));
    QCOMPARE(replaced.status, 200);
    QCOMPARE(replaced.json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("Starred"));
}

void TestPostsApi::otherUserCannotUpdateAPost()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Alice's"));
    QVERIFY(id > 0);
    OUTPOST_VERIFY_PROBLEM(
        put(m_server, postPath(id), postBody(QStringLiteral("Bob's now"), QStringLiteral("x")),
            m_bob.auth()),
        403, "Forbidden");
    const HttpResult fetched = get(m_server, postPath(id), m_alice.auth());
    QCOMPARE(fetched.json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("Alice's"));
}

void TestPostsApi::adminUpdatesAnyPost()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Needs moderation"));
    QVERIFY(id > 0);
    const HttpResult replaced = put(m_server, postPath(id),
        postBody(QStringLiteral("Moderated"), QStringLiteral("ok")), m_admin.auth());
    QCOMPARE(replaced.status, 200);
    QCOMPARE(replaced.json().object().value(QStringLiteral("title")).toString(),
        QStringLiteral("Moderated"));
    // The owner stays the owner.
    QCOMPARE(replaced.json()
                 .object()
                 .value(QStringLiteral("owner"))
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toInteger(),
        m_alice.id);
}

void TestPostsApi::updateUnknownPostIs404()
{
    OUTPOST_VERIFY_PROBLEM(put(m_server, postPath(987654321),
                               postBody(QStringLiteral("t"), QStringLiteral("c")), m_alice.auth()),
        404, "Not Found");
}

void TestPostsApi::updateChecksTheIdBeforeTheBody()
{
    const QByteArray malformed = QByteArrayLiteral(R"({"title": )");
    const Headers headers = m_alice.auth({{"Content-Type", "application/json"}});
    const HttpResult badId =
        httpRequest("PUT", m_server.url(kPostsPath + QStringLiteral("/abc")), malformed, headers);
    OUTPOST_VERIFY_PROBLEM(badId, 422, "Unprocessable Content");
    QCOMPARE(errorFields(badId), QStringList {QStringLiteral("id")});

    const qint64 id = createPost(m_server, m_alice, QStringLiteral("kept"), QStringLiteral("c"));
    const HttpResult badBody = httpRequest("PUT", m_server.url(postPath(id)), malformed, headers);
    OUTPOST_VERIFY_PROBLEM(badBody, 400, "Bad Request");
}

void TestPostsApi::ownerDeletesAPostAndItsVotes()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Short-lived"));
    QVERIFY(id > 0);
    QCOMPARE(vote(m_server, m_bob, id, 1).status, 201);

    const HttpResult removed = del(m_server, postPath(id), m_alice.auth());
    QCOMPARE(removed.status, 204);
    QVERIFY(removed.body.isEmpty());
    OUTPOST_VERIFY_PROBLEM(get(m_server, postPath(id), m_alice.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(del(m_server, postPath(id), m_alice.auth()), 404, "Not Found");

    // Bob's vote went with the post: taking it back finds no post at all.
    const HttpResult unvote = vote(m_server, m_bob, id, 0);
    OUTPOST_VERIFY_PROBLEM(unvote, 404, "Not Found");
    QCOMPARE(unvote.json().object().value(QStringLiteral("detail")).toString(),
        QStringLiteral("post %1 does not exist").arg(id));

    // The deleted post was the newest, so a new one may get its id: it starts with no votes,
    // and Bob's vote on it is a new one.
    const qint64 next = createPost(m_server, m_alice, QStringLiteral("Fresh start"));
    QVERIFY(next > 0);
    QCOMPARE(votesOf(next), 0);
    QCOMPARE(vote(m_server, m_bob, next, 1).status, 201);
    QCOMPARE(votesOf(next), 1);
}

void TestPostsApi::adminDeletesAnyPost()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Spam"));
    QVERIFY(id > 0);
    QCOMPARE(del(m_server, postPath(id), m_admin.auth()).status, 204);
    OUTPOST_VERIFY_PROBLEM(get(m_server, postPath(id), m_alice.auth()), 404, "Not Found");
}

void TestPostsApi::otherUserCannotDeleteAPost()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Keep me"));
    QVERIFY(id > 0);
    OUTPOST_VERIFY_PROBLEM(del(m_server, postPath(id), m_bob.auth()), 403, "Forbidden");
    QCOMPARE(get(m_server, postPath(id), m_bob.auth()).status, 200);
}

void TestPostsApi::deleteUnknownPostIs404()
{
    OUTPOST_VERIFY_PROBLEM(del(m_server, postPath(987654321), m_alice.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(del(m_server, kPostsPath + QStringLiteral("/x1"), m_alice.auth()), 422,
        "Unprocessable Content");
}

void TestPostsApi::unpublishedPostIsVisibleToOwnerAndAdminsOnly()
{
    const Account owner = createAccount(m_server);
    QVERIFY(owner.ok());
    const qint64 draft = createPost(
        m_server, owner, QStringLiteral("Secret draft"), QStringLiteral("not yet"), false);
    QVERIFY(draft > 0);

    QCOMPARE(get(m_server, postPath(draft), owner.auth()).status, 200);
    QCOMPARE(get(m_server, postPath(draft), m_admin.auth()).status, 200);
    OUTPOST_VERIFY_PROBLEM(get(m_server, postPath(draft), m_bob.auth()), 404, "Not Found");

    // Others cannot change, delete or vote on what they cannot see: 404, not 403.
    OUTPOST_VERIFY_PROBLEM(put(m_server, postPath(draft),
                               postBody(QStringLiteral("t"), QStringLiteral("c")), m_bob.auth()),
        404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(del(m_server, postPath(draft), m_bob.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(vote(m_server, m_bob, draft, 1), 404, "Not Found");
    QCOMPARE(vote(m_server, owner, draft, 1).status, 201);
    QCOMPARE(vote(m_server, m_admin, draft, 1).status, 201);

    // Lists and searches: the owner and admins see it, others do not.
    const QString byOwner = kPostsPath + QStringLiteral("?owner_id=%1").arg(owner.id);
    const HttpResult ownView = get(m_server, byOwner, owner.auth());
    QCOMPARE(idsOf(ownView), QList<qint64> {draft});
    QCOMPARE(totalOf(ownView), 1);
    const HttpResult adminView = get(m_server, byOwner, m_admin.auth());
    QCOMPARE(idsOf(adminView), QList<qint64> {draft});
    QCOMPARE(totalOf(adminView), 1);
    const HttpResult otherView = get(m_server, byOwner, m_bob.auth());
    QCOMPARE(otherView.status, 200);
    QVERIFY(idsOf(otherView).isEmpty());
    QCOMPARE(totalOf(otherView), 0);

    const QString bySearch = kPostsPath + QStringLiteral("?search=secret%20draft");
    QVERIFY(idsOf(get(m_server, bySearch, owner.auth())).contains(draft));
    QVERIFY(!idsOf(get(m_server, bySearch, m_bob.auth())).contains(draft));
    QVERIFY(!idsOf(get(m_server, kPostsPath + QStringLiteral("?limit=100"), m_bob.auth()))
                 .contains(draft));
}

void TestPostsApi::unpublishedPostsCountOnlyForOwnerAndAdmins()
{
    const Account owner = createAccount(m_server);
    QVERIFY(owner.ok());
    const auto totalFor = [this](const Account &viewer) {
        return totalOf(get(m_server, kPostsPath, viewer.auth()));
    };
    const qint64 ownerBefore = totalFor(owner);
    const qint64 adminBefore = totalFor(m_admin);
    const qint64 otherBefore = totalFor(m_bob);
    QVERIFY(ownerBefore >= 0 && adminBefore >= 0 && otherBefore >= 0);

    QVERIFY(createPost(m_server, owner, QStringLiteral("Draft 1"), QStringLiteral("x"), false) > 0);
    QVERIFY(createPost(m_server, owner, QStringLiteral("Draft 2"), QStringLiteral("x"), false) > 0);

    QCOMPARE(totalFor(owner), ownerBefore + 2);
    QCOMPARE(totalFor(m_admin), adminBefore + 2);
    // The unfiltered list's total counts only what this viewer may see.
    QCOMPARE(totalFor(m_bob), otherBefore);

    // And it agrees with the items: every visible post, counted one by one.
    qint64 counted = 0;
    for (qint64 skip = 0;; skip += 100) {
        const HttpResult page = get(
            m_server, kPostsPath + QStringLiteral("?limit=100&skip=%1").arg(skip), m_bob.auth());
        QCOMPARE(page.status, 200);
        const qsizetype items = idsOf(page).size();
        counted += items;
        if (items < 100)
            break;
    }
    QCOMPARE(totalFor(m_bob), counted);
}

void TestPostsApi::voteAddsThenConflicts()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Vote for me"));
    QVERIFY(id > 0);
    const HttpResult added = vote(m_server, m_bob, id, 1);
    QCOMPARE(added.status, 201);
    QCOMPARE(added.json().object(),
        (QJsonObject {{QStringLiteral("message"), QStringLiteral("vote added")}}));
    QCOMPARE(votesOf(id), 1);

    OUTPOST_VERIFY_PROBLEM(vote(m_server, m_bob, id, 1), 409, "Conflict");
    QCOMPARE(votesOf(id), 1);

    // Owners may vote on their own posts, like anyone.
    QCOMPARE(vote(m_server, m_alice, id, 1).status, 201);
    QCOMPARE(votesOf(id), 2);
}

void TestPostsApi::voteRemovesThenIsNotFound()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Changed my mind"));
    QVERIFY(id > 0);
    QCOMPARE(vote(m_server, m_bob, id, 1).status, 201);
    QCOMPARE(votesOf(id), 1);

    const HttpResult removed = vote(m_server, m_bob, id, 0);
    QCOMPARE(removed.status, 201);
    QCOMPARE(messageOf(removed), QStringLiteral("vote removed"));
    QCOMPARE(votesOf(id), 0);

    OUTPOST_VERIFY_PROBLEM(vote(m_server, m_bob, id, 0), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(vote(m_server, m_alice, id, 0), 404, "Not Found");
    QCOMPARE(votesOf(id), 0);

    // And a vote can be cast again.
    QCOMPARE(vote(m_server, m_bob, id, 1).status, 201);
    QCOMPARE(votesOf(id), 1);
}

void TestPostsApi::voteOnMissingPostIs404()
{
    OUTPOST_VERIFY_PROBLEM(vote(m_server, m_bob, 987654321, 1), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(vote(m_server, m_bob, 987654321, 0), 404, "Not Found");
}

void TestPostsApi::voteRejectsBadDirection_data()
{
    QTest::addColumn<QJsonValue>("dir");
    QTest::newRow("2") << QJsonValue(2);
    QTest::newRow("-1") << QJsonValue(-1);
    QTest::newRow("0.5") << QJsonValue(0.5);
    QTest::newRow("\"1\"") << QJsonValue(QStringLiteral("1"));
    QTest::newRow("true") << QJsonValue(true);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined);
}

void TestPostsApi::voteRejectsBadDirection()
{
    QFETCH(QJsonValue, dir);
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Direction"));
    QVERIFY(id > 0);
    QJsonObject body {{QStringLiteral("post_id"), id}};
    if (!dir.isUndefined())
        body.insert(QStringLiteral("dir"), dir);
    const HttpResult result = post(m_server, QStringLiteral("/v1/vote"), body, m_bob.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(errorFields(result), QStringList {QStringLiteral("dir")});
    QCOMPARE(votesOf(id), 0);
}

void TestPostsApi::voteWithoutTokenIs401()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Anonymous"));
    QVERIFY(id > 0);
    OUTPOST_VERIFY_PROBLEM(post(m_server, QStringLiteral("/v1/vote"),
                               {{QStringLiteral("post_id"), id}, {QStringLiteral("dir"), 1}}),
        401, "Unauthorized");
    QCOMPARE(votesOf(id), 0);
}

void TestPostsApi::concurrentVotesFromTwentyUsersAllCount()
{
    constexpr int kVoters = 20;
    QList<Account> voters;
    for (int i = 0; i < kVoters; ++i) {
        voters.append(createAccount(m_server));
        QVERIFY(voters.last().ok());
    }
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Popular"));
    QVERIFY(id > 0);

    const auto batch = [&](int dir) {
        QList<PendingRequest> requests;
        for (const Account &voter : voters) {
            requests.append({"POST", m_server.url(QStringLiteral("/v1/vote")),
                jsonBytes({{QStringLiteral("post_id"), id}, {QStringLiteral("dir"), dir}}),
                voter.auth()});
        }
        return sendConcurrently(requests);
    };

    const QList<HttpResult> added = batch(1);
    for (const HttpResult &result : added)
        QVERIFY2(result.status == 201, statusesOf(added).constData());
    QCOMPARE(votesOf(id), kVoters);

    const QList<HttpResult> removed = batch(0);
    for (const HttpResult &result : removed) {
        QVERIFY2(result.status == 201, statusesOf(removed).constData());
        QCOMPARE(messageOf(result), QStringLiteral("vote removed"));
    }
    QCOMPARE(votesOf(id), 0);
}

void TestPostsApi::concurrentVotesFromOneUserCountOnce()
{
    const Account voter = createAccount(m_server);
    QVERIFY(voter.ok());
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Ballot stuffing"));
    QVERIFY(id > 0);

    QList<PendingRequest> requests;
    for (int i = 0; i < 20; ++i) {
        requests.append({"POST", m_server.url(QStringLiteral("/v1/vote")),
            jsonBytes({{QStringLiteral("post_id"), id}, {QStringLiteral("dir"), 1}}),
            voter.auth()});
    }
    const QList<HttpResult> results = sendConcurrently(requests);
    int created = 0;
    int conflicts = 0;
    for (const HttpResult &result : results) {
        if (result.status == 201)
            ++created;
        else if (result.status == 409)
            ++conflicts;
    }
    QVERIFY2(created == 1 && conflicts == 19, statusesOf(results).constData());
    QCOMPARE(votesOf(id), 1);
}

void TestPostsApi::concurrentCreatesAllCommitAndShowInMetrics()
{
    const QByteArray writes = "outpost_db_batched_writes_total";
    const QByteArray transactions = "outpost_db_write_transactions_total";
    const QByteArray before = get(m_server, QStringLiteral("/metrics")).body;
    QVERIFY(metricValue(before, writes) >= 0);

    constexpr int kPosts = 40;
    QList<PendingRequest> requests;
    for (int i = 0; i < kPosts; ++i) {
        requests.append({"POST", m_server.url(kPostsPath),
            jsonBytes({{QStringLiteral("title"), QStringLiteral("Concurrent %1").arg(i)},
                {QStringLiteral("content"), QStringLiteral("body batchword%1").arg(i)}}),
            m_alice.auth()});
    }
    const QList<HttpResult> results = sendConcurrently(requests);
    QSet<qint64> ids;
    for (const HttpResult &result : results) {
        QVERIFY2(result.status == 201, statusesOf(results).constData());
        const QJsonObject body = result.json().object();
        const qint64 id = body.value(QStringLiteral("id")).toInteger();
        ids.insert(id);
        // Each answer is the committed post, byte for byte as GET returns it (the 201 is built
        // from what was written, not read back).
        const HttpResult fetched =
            get(m_server, QString::fromUtf8(result.header("Location")), m_alice.auth());
        QCOMPARE(fetched.status, 200);
        QCOMPARE(fetched.body, result.body);
        QCOMPARE(fetched.header("ETag"), result.header("ETag"));
        // And searchable: on SQLite the batch writes its posts' index rows at its end.
        const QString word = body.value(QStringLiteral("content")).toString().section(u' ', 1);
        const HttpResult found =
            get(m_server, QStringLiteral("/v1/search?q=") + word, m_alice.auth());
        QCOMPARE(found.status, 200);
        QCOMPARE(idsOf(found), QList<qint64> {id});
    }
    QCOMPARE(ids.size(), kPosts);

    const QByteArray after = get(m_server, QStringLiteral("/metrics")).body;
    const double batched = metricValue(after, writes) - metricValue(before, writes);
    const double committed = metricValue(after, transactions) - metricValue(before, transactions);
    if (TestServer::onPostgres()) {
        // No writer thread there: every write commits on its own request thread.
        QCOMPARE(batched, 0.0);
    } else {
        QVERIFY2(batched >= kPosts, QByteArray::number(batched).constData());
        QVERIFY2(committed >= 1 && committed <= batched, QByteArray::number(committed).constData());
    }
}

void TestPostsApi::openApiDescribesPostRoutes()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject paths = result.json().object().value(QStringLiteral("paths")).toObject();
    const QList<std::pair<QString, QStringList>> expected {
        {QStringLiteral("/v1/posts"), {QStringLiteral("get"), QStringLiteral("post")}},
        {QStringLiteral("/v1/posts/{id}"),
            {QStringLiteral("get"), QStringLiteral("put"), QStringLiteral("delete")}},
        {QStringLiteral("/v1/vote"), {QStringLiteral("post")}},
        {QStringLiteral("/v1/search"), {QStringLiteral("get")}},
        {QStringLiteral("/v1/posts/{id}/phrases"), {QStringLiteral("get")}},
        {QStringLiteral("/v1/events"), {QStringLiteral("get")}},
    };
    for (const auto &[path, methods] : expected) {
        const QJsonObject item = paths.value(path).toObject();
        for (const QString &method : methods) {
            QVERIFY2(item.contains(method), qPrintable(method + u' ' + path));
        }
    }
    // Signed-in routes say so.
    QVERIFY(paths.value(QStringLiteral("/v1/posts"))
                .toObject()
                .value(QStringLiteral("get"))
                .toObject()
                .contains(QStringLiteral("security")));
}

void TestPostsApi::openApiPassesTheValidator()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

QTEST_GUILESS_MAIN(TestPostsApi)
#include "tst_postsapi.moc"
