// GET /v1/wiki/{title} (server/api/wikiapi.cpp, server/services/wikiservice.cpp) against a
// local fake MediaWiki that answers with recorded Wikimedia responses
// (tests/fixtures/mediawiki/): a page, a missing page, a failing wiki, a silent one, ETag
// revalidation, and the lookup turned off.
#include "factories.h"
#include "fakemediawiki.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Outpost::Test;

class TestWikiApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void foundPageGivesSummaryAndPhrases();
    void spacesBecomeUnderscores();
    void missingPageIs404();
    void revalidatesWithTheETag();
    void failingWikiIs502();
    void silentWikiIs504();
    void needsSignIn();
    void offWhenConfiguredOff();
    void openApiDescribesTheRoute();

private:
    FakeMediaWiki m_wiki;
    TestServer m_server;
    Account m_user;
};

void TestWikiApi::initTestCase()
{
    QVERIFY2(m_wiki.start(), "the fake wiki did not start (fixtures under OUTPOST_SOURCE_DIR?)");
    m_server.setEnv(QStringLiteral("OUTPOST_WIKI_URL"), m_wiki.baseUrl());
    m_server.setEnv(QStringLiteral("OUTPOST_WIKI_TIMEOUT"), QStringLiteral("1"));
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_user = createAccount(m_server);
    QVERIFY(m_user.ok());
}

void TestWikiApi::init()
{
    m_wiki.setMode(FakeMediaWiki::Mode::Normal);
}

void TestWikiApi::foundPageGivesSummaryAndPhrases()
{
    const HttpResult result = get(m_server, QStringLiteral("/v1/wiki/Tokyo"), m_user.auth());
    QCOMPARE(result.status, 200);
    const QJsonObject body = result.json().object();
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Tokyo"));
    QCOMPARE(body.value(QStringLiteral("url")).toString(),
        QStringLiteral("https://en.wikipedia.org/wiki/Tokyo"));
    QVERIFY(body.value(QStringLiteral("summary"))
                .toString()
                .startsWith(QStringLiteral("Tokyo , officially Tokyo Metropolis")));
    const QJsonArray phrases = body.value(QStringLiteral("phrases")).toArray();
    QVERIFY(!phrases.isEmpty() && phrases.size() <= 10);
    QVERIFY2(phrases.contains(QStringLiteral("populous metropolitan area")),
        QJsonDocument(phrases).toJson().constData());
    QCOMPARE(m_wiki.calls().constLast().target, QByteArray("/api/rest_v1/page/summary/Tokyo"));
}

void TestWikiApi::spacesBecomeUnderscores()
{
    const qsizetype before = m_wiki.calls().size();
    const HttpResult result =
        get(m_server, QStringLiteral("/v1/wiki/Greater%20Tokyo%20Area"), m_user.auth());
    QCOMPARE(result.status, 404);
    QCOMPARE(m_wiki.calls().size(), before + 1);
    QCOMPARE(m_wiki.calls().constLast().target,
        QByteArray("/api/rest_v1/page/summary/Greater_Tokyo_Area"));
}

void TestWikiApi::missingPageIs404()
{
    const HttpResult result =
        get(m_server, QStringLiteral("/v1/wiki/No_such_page_here"), m_user.auth());
    QVERIFY2(problemMismatch(result, 404, QStringLiteral("Not Found")).isEmpty(),
        problemMismatch(result, 404, QStringLiteral("Not Found")).constData());
    QVERIFY(result.json()
                .object()
                .value(QStringLiteral("detail"))
                .toString()
                .contains(QStringLiteral("No_such_page_here")));
    QCOMPARE(m_wiki.calls().constLast().status, 404);
}

void TestWikiApi::revalidatesWithTheETag()
{
    const HttpResult first = get(m_server, QStringLiteral("/v1/wiki/Tokyo"), m_user.auth());
    QCOMPARE(first.status, 200);
    const HttpResult second = get(m_server, QStringLiteral("/v1/wiki/Tokyo"), m_user.auth());
    QCOMPARE(second.status, 200);
    // The second lookup asked with the summary's ETag and the wiki answered 304; the summary
    // came from the cache, the same as before.
    const FakeMediaWiki::Call &call = m_wiki.calls().constLast();
    QCOMPARE(call.ifNoneMatch, QByteArray(FakeMediaWiki::kTokyoEtag));
    QCOMPARE(call.status, 304);
    QCOMPARE(second.json(), first.json());
}

void TestWikiApi::failingWikiIs502()
{
    m_wiki.setMode(FakeMediaWiki::Mode::Failing);
    const HttpResult result = get(m_server, QStringLiteral("/v1/wiki/Kyoto"), m_user.auth());
    QVERIFY2(problemMismatch(result, 502, QStringLiteral("Bad Gateway")).isEmpty(),
        problemMismatch(result, 502, QStringLiteral("Bad Gateway")).constData());
    QVERIFY(result.json()
                .object()
                .value(QStringLiteral("detail"))
                .toString()
                .contains(QStringLiteral("503")));
}

void TestWikiApi::silentWikiIs504()
{
    m_wiki.setMode(FakeMediaWiki::Mode::Silent);
    const qsizetype before = m_wiki.calls().size();
    // The fake never answers: only the server's own timeout (1 s here) can end the lookup.
    const HttpResult result = get(m_server, QStringLiteral("/v1/wiki/Osaka"), m_user.auth());
    QVERIFY2(problemMismatch(result, 504, QStringLiteral("Gateway Timeout")).isEmpty(),
        problemMismatch(result, 504, QStringLiteral("Gateway Timeout")).constData());
    QCOMPARE(m_wiki.calls().size(), before + 1);
    QCOMPARE(m_wiki.calls().constLast().status, 0);
}

void TestWikiApi::needsSignIn()
{
    const qsizetype before = m_wiki.calls().size();
    const HttpResult result = get(m_server, QStringLiteral("/v1/wiki/Tokyo"));
    QVERIFY2(problemMismatch(result, 401, QStringLiteral("Unauthorized")).isEmpty(),
        problemMismatch(result, 401, QStringLiteral("Unauthorized")).constData());
    QCOMPARE(m_wiki.calls().size(), before);
}

void TestWikiApi::offWhenConfiguredOff()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_WIKI_URL"), QStringLiteral("off"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    const qsizetype before = m_wiki.calls().size();
    const HttpResult result = get(server, QStringLiteral("/v1/wiki/Tokyo"), user.auth());
    QVERIFY2(problemMismatch(result, 404, QStringLiteral("Not Found")).isEmpty(),
        problemMismatch(result, 404, QStringLiteral("Not Found")).constData());
    QVERIFY(result.json()
                .object()
                .value(QStringLiteral("detail"))
                .toString()
                .contains(QStringLiteral("off")));
    QCOMPARE(m_wiki.calls().size(), before);
}

void TestWikiApi::openApiDescribesTheRoute()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject operation = result.json()
                                      .object()
                                      .value(QStringLiteral("paths"))
                                      .toObject()
                                      .value(QStringLiteral("/v1/wiki/{title}"))
                                      .toObject()
                                      .value(QStringLiteral("get"))
                                      .toObject();
    QCOMPARE(operation.value(QStringLiteral("operationId")).toString(),
        QStringLiteral("lookupWikiPage"));
    const QJsonObject responses = operation.value(QStringLiteral("responses")).toObject();
    for (const QString &status :
        {QStringLiteral("404"), QStringLiteral("502"), QStringLiteral("504")}) {
        QVERIFY2(responses.value(status)
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toObject()
                     .contains(QStringLiteral("application/problem+json")),
            qPrintable(status));
    }
    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

QTEST_GUILESS_MAIN(TestWikiApi)
#include "tst_wikiapi.moc"
