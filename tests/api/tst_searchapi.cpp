// Search and text tools (server/api/searchapi.cpp: /v1/search and /v1/posts/{id}/phrases):
// ranked full-text hits with HTML-safe snippets, hostile queries taken literally, visibility
// of unpublished posts, and RAKE key phrases. File hits are tst_filesapi's
// (searchFindsUploadedPath): it stores the files.
#include "factories.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>

using namespace Outpost::Test;

namespace {

const QString kRakeAbstract = QStringLiteral(
    "Compatibility of systems of linear constraints over the set of natural numbers. Criteria "
    "of compatibility of a system of linear Diophantine equations, strict inequations, and "
    "nonstrict inequations are considered. Upper bounds for components of a minimal set of "
    "solutions and algorithms of construction of minimal generating sets of solutions for all "
    "types of systems are given. These criteria and the corresponding algorithms for "
    "constructing a minimal supporting set of solutions can be used in solving all the "
    "considered types of systems and systems of mixed types.");

QJsonObject hitFor(const HttpResult &result, qint64 id)
{
    for (const QJsonValue &item : itemsOf(result)) {
        if (item.toObject().value(QStringLiteral("id")).toInteger() == id)
            return item.toObject();
    }
    return {};
}

QString phrasesPath(qint64 id)
{
    return postPath(id) + QStringLiteral("/phrases");
}

QStringList phrasesOf(const HttpResult &result)
{
    QStringList phrases;
    for (const QJsonValue &phrase :
        result.json().object().value(QStringLiteral("phrases")).toArray())
        phrases.append(phrase.toString());
    return phrases;
}

} // namespace

class TestSearchApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void searchFindsPostsByTitleAndContent();
    void searchRequiresEveryWord();
    void searchRanksMoreMatchesHigher();
    void snippetMarksMatchesAndEscapesHtml();
    void searchPagesWithLimitAndSkip();
    void searchRejectsBadPaging_data();
    void searchRejectsBadPaging();
    void searchRequiresQ_data();
    void searchRequiresQ();
    void searchWithoutTokenIs401();
    void hostileQueriesNeverFail_data();
    void hostileQueriesNeverFail();
    void orIsAWordNotAnOperator();
    void columnFilterSyntaxIsLiteral();
    void nearAndPrefixSyntaxAreLiteral();
    void sqlInQueryIsJustText();
    void searchMatchesUnicodeText();
    void unpublishedPostsAreFoundByOwnerAndAdminsOnly();
    void deletedAndEditedPostsLeaveTheIndex();

    void phrasesOfTheRakeAbstract();
    void phrasesAreLowerCase();
    void phrasesOfUnknownPostIs404();
    void phrasesOfAnotherUsersDraftIs404();
    void phrasesWithBadIdIs422();
    void phrasesWithoutTokenIs401();

    void openApiDescribesSearchAsAPage();

private:
    HttpResult search(const QString &q, const Account &viewer, const QString &extra = {});

    TestServer m_server;
    Account m_admin;
    Account m_alice;
    Account m_bob;
};

void TestSearchApi::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
    m_alice = createAccount(m_server);
    QVERIFY(m_alice.ok());
    m_bob = createAccount(m_server);
    QVERIFY(m_bob.ok());
}

HttpResult TestSearchApi::search(const QString &q, const Account &viewer, const QString &extra)
{
    QUrl url = m_server.url(QStringLiteral("/v1/search"));
    // Every byte but unreserved ones percent-encoded, so '+', '&' and '#' arrive as typed.
    QString query = QStringLiteral("q=") + QString::fromLatin1(QUrl::toPercentEncoding(q));
    if (!extra.isEmpty())
        query += u'&' + extra;
    url.setQuery(query, QUrl::StrictMode);
    return httpRequest("GET", url, {}, viewer.auth());
}

void TestSearchApi::searchFindsPostsByTitleAndContent()
{
    const qint64 inTitle = createPost(
        m_server, m_alice, QStringLiteral("Quokka facts"), QStringLiteral("Small marsupials."));
    const qint64 inContent = createPost(m_server, m_bob, QStringLiteral("Rottnest"),
        QStringLiteral("The island is full of QUOKKAS and quokka."));
    const qint64 unrelated =
        createPost(m_server, m_bob, QStringLiteral("Kangaroo"), QStringLiteral("Big marsupials."));
    QVERIFY(inTitle > 0 && inContent > 0 && unrelated > 0);

    const HttpResult result = search(QStringLiteral("quokka"), m_alice);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(totalOf(result), 2);
    QList<qint64> ids = idsOf(result);
    std::sort(ids.begin(), ids.end());
    QCOMPARE(ids, (QList<qint64> {inTitle, inContent}));

    const QJsonObject hit = hitFor(result, inTitle);
    QCOMPARE(hit.value(QStringLiteral("kind")).toString(), QStringLiteral("post"));
    QCOMPARE(hit.value(QStringLiteral("title")).toString(), QStringLiteral("Quokka facts"));
    QVERIFY(hit.value(QStringLiteral("score")).isDouble());
    QVERIFY2(hit.value(QStringLiteral("snippet"))
                 .toString()
                 .contains(QStringLiteral("<mark>Quokka</mark>")),
        result.body.constData());
    QVERIFY(!hit.contains(QStringLiteral("file_path")));

    // Case does not matter.
    QCOMPARE(totalOf(search(QStringLiteral("QuOkKa"), m_bob)), 2);
}

void TestSearchApi::searchRequiresEveryWord()
{
    const qint64 both = createPost(
        m_server, m_alice, QStringLiteral("Gecko and iguana"), QStringLiteral("Reptiles."));
    const qint64 one =
        createPost(m_server, m_alice, QStringLiteral("Gecko only"), QStringLiteral("Reptile."));
    QVERIFY(both > 0 && one > 0);
    const HttpResult result = search(QStringLiteral("iguana gecko"), m_bob);
    QCOMPARE(result.status, 200);
    QCOMPARE(idsOf(result), QList<qint64> {both});
    QCOMPARE(totalOf(result), 1);
}

void TestSearchApi::searchRanksMoreMatchesHigher()
{
    const qint64 once = createPost(m_server, m_alice, QStringLiteral("Wildlife notes"),
        QStringLiteral("On the trail we saw an ocelot near a tree."));
    const qint64 often = createPost(m_server, m_alice, QStringLiteral("Ocelot sightings"),
        QStringLiteral("An ocelot on the trail, then another ocelot near it."));
    QVERIFY(once > 0 && often > 0);

    const HttpResult result = search(QStringLiteral("ocelot"), m_bob);
    QCOMPARE(result.status, 200);
    QCOMPARE(idsOf(result), (QList<qint64> {often, once}));
    const double high = hitFor(result, often).value(QStringLiteral("score")).toDouble();
    const double low = hitFor(result, once).value(QStringLiteral("score")).toDouble();
    QVERIFY2(high > low, result.body.constData());
}

void TestSearchApi::snippetMarksMatchesAndEscapesHtml()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Scripted"),
        QStringLiteral("<script>alert(\"x\")</script> the Marmoset & friends <b>bold</b>"));
    QVERIFY(id > 0);
    const HttpResult result = search(QStringLiteral("marmoset"), m_bob);
    QCOMPARE(result.status, 200);
    const QString snippet = hitFor(result, id).value(QStringLiteral("snippet")).toString();
    QVERIFY2(snippet.contains(QStringLiteral("<mark>Marmoset</mark>")), qPrintable(snippet));
    QVERIFY2(snippet.contains(QStringLiteral("&lt;script&gt;")), qPrintable(snippet));
    QVERIFY2(snippet.contains(QStringLiteral("&amp;")), qPrintable(snippet));
    QVERIFY2(!snippet.contains(QStringLiteral("<script")), qPrintable(snippet));
    QVERIFY2(!snippet.contains(QStringLiteral("<b>")), qPrintable(snippet));
    // The only markup is <mark>.
    QString stripped = snippet;
    stripped.remove(QStringLiteral("<mark>")).remove(QStringLiteral("</mark>"));
    QVERIFY2(!stripped.contains(u'<') && !stripped.contains(u'>'), qPrintable(snippet));

    // A match in the title only is marked in a snippet of the title, escaped too.
    const qint64 titled = createPost(m_server, m_alice, QStringLiteral("<i>Tamarin</i> & co"),
        QStringLiteral("No match in here."));
    QVERIFY(titled > 0);
    const HttpResult byTitle = search(QStringLiteral("tamarin"), m_bob);
    QCOMPARE(byTitle.status, 200);
    const QString titleSnippet =
        hitFor(byTitle, titled).value(QStringLiteral("snippet")).toString();
    QVERIFY2(titleSnippet.contains(QStringLiteral("&lt;i&gt;<mark>Tamarin</mark>&lt;/i&gt;")),
        qPrintable(titleSnippet));
}

void TestSearchApi::searchPagesWithLimitAndSkip()
{
    for (int i = 0; i < 3; ++i)
        QVERIFY(createPost(m_server, m_alice, QStringLiteral("Wombat %1").arg(i)) > 0);
    const HttpResult all = search(QStringLiteral("wombat"), m_bob);
    QCOMPARE(all.status, 200);
    QCOMPARE(totalOf(all), 3);
    QCOMPARE(all.json().object().value(QStringLiteral("limit")).toInteger(), 10);
    QCOMPARE(all.json().object().value(QStringLiteral("skip")).toInteger(), 0);
    const QList<qint64> ranked = idsOf(all);
    QCOMPARE(ranked.size(), 3);

    const HttpResult first = search(QStringLiteral("wombat"), m_bob, QStringLiteral("limit=2"));
    QCOMPARE(first.status, 200);
    QCOMPARE(idsOf(first), ranked.mid(0, 2));
    QCOMPARE(totalOf(first), 3);
    const HttpResult rest =
        search(QStringLiteral("wombat"), m_bob, QStringLiteral("limit=2&skip=2"));
    QCOMPARE(rest.status, 200);
    QCOMPARE(idsOf(rest), ranked.mid(2));
    QCOMPARE(totalOf(rest), 3);
}

void TestSearchApi::searchRejectsBadPaging_data()
{
    QTest::addColumn<QString>("extra");
    QTest::addColumn<QString>("field");
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << QStringLiteral("limit");
    QTest::newRow("limit 101") << QStringLiteral("limit=101") << QStringLiteral("limit");
    QTest::newRow("skip -1") << QStringLiteral("skip=-1") << QStringLiteral("skip");
}

void TestSearchApi::searchRejectsBadPaging()
{
    QFETCH(QString, extra);
    QFETCH(QString, field);
    const HttpResult result = search(QStringLiteral("wombat"), m_bob, extra);
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(field), result.body.constData());
}

void TestSearchApi::searchRequiresQ_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("missing") << QString();
    QTest::newRow("empty") << QStringLiteral("q=");
    QTest::newRow("blank") << QStringLiteral("q=%20%20%09");
    QTest::newRow("control characters only") << QStringLiteral("q=%00%01");
}

void TestSearchApi::searchRequiresQ()
{
    QFETCH(QString, query);
    QUrl url = m_server.url(QStringLiteral("/v1/search"));
    if (!query.isNull())
        url.setQuery(query, QUrl::StrictMode);
    const HttpResult result = httpRequest("GET", url, {}, m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(errorFields(result), QStringList {QStringLiteral("q")});
}

void TestSearchApi::searchWithoutTokenIs401()
{
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/search?q=quokka")), 401, "Unauthorized");
}

void TestSearchApi::hostileQueriesNeverFail_data()
{
    QTest::addColumn<QString>("q");
    QTest::newRow("a quote") << QStringLiteral("\"");
    QTest::newRow("unbalanced quote") << QStringLiteral("\"quokka");
    QTest::newRow("inner quote") << QStringLiteral("quo\"kka");
    QTest::newRow("star") << QStringLiteral("*");
    QTest::newRow("prefix star") << QStringLiteral("quok*");
    QTest::newRow("NEAR") << QStringLiteral("NEAR(a b)");
    QTest::newRow("NEAR with distance") << QStringLiteral("NEAR(quokka island, 5)");
    QTest::newRow("SQL") << QStringLiteral("'; DROP TABLE posts; --");
    QTest::newRow("OR") << QStringLiteral("a OR b");
    QTest::newRow("AND NOT") << QStringLiteral("quokka AND NOT island");
    QTest::newRow("trailing AND") << QStringLiteral("quokka AND");
    QTest::newRow("bare NOT") << QStringLiteral("NOT");
    QTest::newRow("minus") << QStringLiteral("-quokka");
    QTest::newRow("column filter") << QStringLiteral("title:x");
    QTest::newRow("column set") << QStringLiteral("{title content}: quokka");
    QTest::newRow("open parenthesis") << QStringLiteral("(");
    QTest::newRow("close parenthesis") << QStringLiteral(")");
    QTest::newRow("caret") << QStringLiteral("^");
    QTest::newRow("caret prefix") << QStringLiteral("^quokka");
    QTest::newRow("plus") << QStringLiteral("+quokka +");
    QTest::newRow("backslash") << QStringLiteral("\\");
    QTest::newRow("percent and underscore") << QStringLiteral("%_%");
    QTest::newRow("NUL inside") << QStringLiteral("quo") + QChar(u'\0') + QStringLiteral("kka");
    QTest::newRow("unicode") << QStringLiteral("Привет 世界 🦊 café");
    QTest::newRow("emoji only") << QStringLiteral("🦊");
    QTest::newRow("combining marks") << QStringLiteral("e\u0301\u0301\u0301");
    QTest::newRow("right-to-left") << QStringLiteral("\u202Equokka");
    QTest::newRow("long") << QString(2000, u'q');
    QTest::newRow("many words") << QStringLiteral("w ").repeated(500);
}

void TestSearchApi::hostileQueriesNeverFail()
{
    QFETCH(QString, q);
    const HttpResult result = search(q, m_alice);
    QVERIFY2(result.status == 200, result.body.constData());
    const QJsonObject body = result.json().object();
    QVERIFY(body.value(QStringLiteral("items")).isArray());
    QVERIFY(body.value(QStringLiteral("total")).isDouble());
    QVERIFY(!result.body.contains("fts5"));
    QVERIFY(!result.body.contains("SQL"));
}

void TestSearchApi::orIsAWordNotAnOperator()
{
    const qint64 capybara = createPost(
        m_server, m_alice, QStringLiteral("Capybara"), QStringLiteral("A large rodent."));
    QVERIFY(capybara > 0);
    QCOMPARE(idsOf(search(QStringLiteral("capybara"), m_bob)), QList<qint64> {capybara});
    const HttpResult either = search(QStringLiteral("capybara OR tapir"), m_bob);
    QCOMPARE(either.status, 200);
    QCOMPARE(totalOf(either), 0);
    QVERIFY(idsOf(either).isEmpty());

    // "or" is searched for as a word: a post that has all three words matches.
    const qint64 all = createPost(m_server, m_alice, QStringLiteral("Capybara or tapir?"),
        QStringLiteral("Both are rodent-like."));
    QVERIFY(all > 0);
    QCOMPARE(idsOf(search(QStringLiteral("capybara OR tapir"), m_bob)), QList<qint64> {all});
}

void TestSearchApi::columnFilterSyntaxIsLiteral()
{
    const qint64 titled =
        createPost(m_server, m_alice, QStringLiteral("Narwhal"), QStringLiteral("Arctic whale."));
    const qint64 literal = createPost(m_server, m_alice, QStringLiteral("Arctic"),
        QStringLiteral("Its title: narwhal, of course."));
    QVERIFY(titled > 0 && literal > 0);
    // As a column filter, "title:narwhal" would find the post titled Narwhal; as text, it is
    // the phrase "title narwhal".
    const HttpResult result = search(QStringLiteral("title:narwhal"), m_bob);
    QCOMPARE(result.status, 200);
    QCOMPARE(idsOf(result), QList<qint64> {literal});
}

void TestSearchApi::nearAndPrefixSyntaxAreLiteral()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Amphibians"),
        QStringLiteral("An axolotl beside a newt."));
    QVERIFY(id > 0);
    QCOMPARE(idsOf(search(QStringLiteral("axolotl newt"), m_bob)), QList<qint64> {id});

    const HttpResult near = search(QStringLiteral("NEAR(axolotl newt)"), m_bob);
    QCOMPARE(near.status, 200);
    QVERIFY2(idsOf(near).isEmpty(), near.body.constData());

    const HttpResult prefix = search(QStringLiteral("axolo*"), m_bob);
    QCOMPARE(prefix.status, 200);
    QVERIFY2(idsOf(prefix).isEmpty(), prefix.body.constData());

    const HttpResult initial = search(QStringLiteral("^axolotl"), m_bob);
    QCOMPARE(initial.status, 200);
    QCOMPARE(idsOf(initial), QList<qint64> {id}); // '^' is punctuation, not "first token"
}

void TestSearchApi::sqlInQueryIsJustText()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Bobby tables"),
        QStringLiteral("Robert'); DROP TABLE posts; -- said hello"));
    QVERIFY(id > 0);
    const HttpResult result = search(QStringLiteral("'; DROP TABLE posts; --"), m_bob);
    QCOMPARE(result.status, 200);
    QVERIFY2(idsOf(result).contains(id), result.body.constData());

    // Nothing was dropped.
    QCOMPARE(get(m_server, postPath(id), m_bob.auth()).status, 200);
    QCOMPARE(totalOf(search(QStringLiteral("bobby"), m_bob)), 1);
}

void TestSearchApi::searchMatchesUnicodeText()
{
    const qint64 french = createPost(
        m_server, m_alice, QStringLiteral("Crème brûlée"), QStringLiteral("Au café du coin."));
    const qint64 japanese = createPost(
        m_server, m_alice, QStringLiteral("旅行"), QStringLiteral("東京 タワー に 行きました 🗼"));
    const qint64 russian =
        createPost(m_server, m_alice, QStringLiteral("Привет"), QStringLiteral("Большой МИР"));
    QVERIFY(french > 0 && japanese > 0 && russian > 0);

    QCOMPARE(idsOf(search(QStringLiteral("café"), m_bob)), QList<qint64> {french});
    QCOMPARE(idsOf(search(QStringLiteral("CAFE"), m_bob)), QList<qint64> {french});
    QCOMPARE(idsOf(search(QStringLiteral("BRÛLÉE"), m_bob)), QList<qint64> {french});
    QCOMPARE(idsOf(search(QStringLiteral("東京"), m_bob)), QList<qint64> {japanese});
    QCOMPARE(idsOf(search(QStringLiteral("мир"), m_bob)), QList<qint64> {russian});
    const QString snippet = hitFor(search(QStringLiteral("мир"), m_bob), russian)
                                .value(QStringLiteral("snippet"))
                                .toString();
    QVERIFY2(snippet.contains(QStringLiteral("<mark>МИР</mark>")), qPrintable(snippet));
}

void TestSearchApi::unpublishedPostsAreFoundByOwnerAndAdminsOnly()
{
    const qint64 draft = createPost(
        m_server, m_alice, QStringLiteral("Pangolin draft"), QStringLiteral("Scales."), false);
    QVERIFY(draft > 0);
    const HttpResult other = search(QStringLiteral("pangolin"), m_bob);
    QCOMPARE(other.status, 200);
    QVERIFY(idsOf(other).isEmpty());
    QCOMPARE(totalOf(other), 0);
    QCOMPARE(idsOf(search(QStringLiteral("pangolin"), m_alice)), QList<qint64> {draft});
    QCOMPARE(totalOf(search(QStringLiteral("pangolin"), m_alice)), 1);
    QCOMPARE(idsOf(search(QStringLiteral("pangolin"), m_admin)), QList<qint64> {draft});
}

void TestSearchApi::deletedAndEditedPostsLeaveTheIndex()
{
    const qint64 id =
        createPost(m_server, m_alice, QStringLiteral("Dodo"), QStringLiteral("A flightless bird."));
    QVERIFY(id > 0);
    QCOMPARE(idsOf(search(QStringLiteral("dodo"), m_bob)), QList<qint64> {id});

    const HttpResult edited = put(m_server, postPath(id),
        {{QStringLiteral("title"), QStringLiteral("Moa")},
            {QStringLiteral("content"), QStringLiteral("Also flightless.")}},
        m_alice.auth());
    QCOMPARE(edited.status, 200);
    QCOMPARE(totalOf(search(QStringLiteral("dodo"), m_bob)), 0);
    QCOMPARE(idsOf(search(QStringLiteral("moa"), m_bob)), QList<qint64> {id});

    QCOMPARE(del(m_server, postPath(id), m_alice.auth()).status, 204);
    QCOMPARE(totalOf(search(QStringLiteral("moa"), m_bob)), 0);
}

void TestSearchApi::phrasesOfTheRakeAbstract()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Abstract"), kRakeAbstract);
    QVERIFY(id > 0);
    const HttpResult result = get(m_server, phrasesPath(id), m_bob.auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().object().keys(), QStringList {QStringLiteral("phrases")});
    const QStringList phrases = phrasesOf(result);
    QCOMPARE(phrases.size(), 10); // the abstract has more candidates than that
    QCOMPARE(phrases.mid(0, 3),
        (QStringList {QStringLiteral("minimal generating sets"),
            QStringLiteral("linear diophantine equations"),
            QStringLiteral("minimal supporting set")}));
}

void TestSearchApi::phrasesAreLowerCase()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Qt WebSockets"),
        QStringLiteral("The QUICK Brown Fox jumps over Lazy Dogs."));
    QVERIFY(id > 0);
    const HttpResult result = get(m_server, phrasesPath(id), m_bob.auth());
    QCOMPARE(result.status, 200);
    const QStringList phrases = phrasesOf(result);
    QVERIFY(!phrases.isEmpty() && phrases.size() <= 10);
    for (const QString &phrase : phrases)
        QCOMPARE(phrase, phrase.toLower());
    QVERIFY2(phrases.contains(QStringLiteral("qt websockets")), qPrintable(phrases.join(u'|')));
    QVERIFY2(
        phrases.contains(QStringLiteral("quick brown fox jumps")), qPrintable(phrases.join(u'|')));

    // A post with no text worth a phrase has none.
    const qint64 empty = createPost(m_server, m_alice, QStringLiteral("The"), QString());
    QVERIFY(empty > 0);
    const HttpResult none = get(m_server, phrasesPath(empty), m_bob.auth());
    QCOMPARE(none.status, 200);
    QVERIFY(none.json().object().value(QStringLiteral("phrases")).isArray());
    QVERIFY(phrasesOf(none).isEmpty());
}

void TestSearchApi::phrasesOfUnknownPostIs404()
{
    OUTPOST_VERIFY_PROBLEM(get(m_server, phrasesPath(987654321), m_bob.auth()), 404, "Not Found");
}

void TestSearchApi::phrasesOfAnotherUsersDraftIs404()
{
    const qint64 draft =
        createPost(m_server, m_alice, QStringLiteral("Private thoughts"), kRakeAbstract, false);
    QVERIFY(draft > 0);
    OUTPOST_VERIFY_PROBLEM(get(m_server, phrasesPath(draft), m_bob.auth()), 404, "Not Found");
    QCOMPARE(get(m_server, phrasesPath(draft), m_alice.auth()).status, 200);
    QCOMPARE(get(m_server, phrasesPath(draft), m_admin.auth()).status, 200);
}

void TestSearchApi::phrasesWithBadIdIs422()
{
    const HttpResult result = get(m_server, QStringLiteral("/v1/posts/abc/phrases"), m_bob.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(errorFields(result), QStringList {QStringLiteral("id")});
}

void TestSearchApi::phrasesWithoutTokenIs401()
{
    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Open"), kRakeAbstract);
    QVERIFY(id > 0);
    OUTPOST_VERIFY_PROBLEM(get(m_server, phrasesPath(id)), 401, "Unauthorized");
}

void TestSearchApi::openApiDescribesSearchAsAPage()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject document = result.json().object();
    const QJsonObject search = document.value(QStringLiteral("paths"))
                                   .toObject()
                                   .value(QStringLiteral("/v1/search"))
                                   .toObject()
                                   .value(QStringLiteral("get"))
                                   .toObject();
    QCOMPARE(search.value(QStringLiteral("responses"))
                 .toObject()
                 .value(QStringLiteral("200"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toObject()
                 .value(QStringLiteral("application/json"))
                 .toObject()
                 .value(QStringLiteral("schema")),
        QJsonValue(QJsonObject {
            {QStringLiteral("$ref"), QStringLiteral("#/components/schemas/SearchHitPage")}}));
    // Every page carries limit and skip, as the answers above do.
    QCOMPARE(document.value(QStringLiteral("components"))
                 .toObject()
                 .value(QStringLiteral("schemas"))
                 .toObject()
                 .value(QStringLiteral("SearchHitPage"))
                 .toObject()
                 .value(QStringLiteral("required"))
                 .toArray(),
        (QJsonArray {QStringLiteral("items"), QStringLiteral("total"), QStringLiteral("limit"),
            QStringLiteral("skip")}));
    // q, the one required parameter, comes before the paging ones.
    QStringList names;
    for (const auto &parameter : search.value(QStringLiteral("parameters")).toArray())
        names.append(parameter.toObject().value(QStringLiteral("name")).toString());
    QCOMPARE(names,
        (QStringList {QStringLiteral("q"), QStringLiteral("limit"), QStringLiteral("skip")}));
}

QTEST_GUILESS_MAIN(TestSearchApi)
#include "tst_searchapi.moc"
