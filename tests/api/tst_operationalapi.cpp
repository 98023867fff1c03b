// The operational surface of outpost-server (server/api/operationalapi.cpp, docsapi.cpp and the
// router's own answers): health and readiness, metrics, OpenAPI and docs, request ids and the
// access log, CORS, configuration errors, the CLI and shutdown.
#include "factories.h"
#include "testserver.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Outpost::Test;

namespace {

const QByteArray kAllowedOrigin = QByteArrayLiteral("https://app.example.test");

QString storePath(const QTemporaryDir &root)
{
    return root.path() + QStringLiteral("/store");
}

bool isHex32(const QByteArray &id)
{
    static const QRegularExpression hex32(QStringLiteral("^[0-9a-f]{32}$"));
    return hex32.match(QString::fromLatin1(id)).hasMatch();
}

// The environment for CLI runs: ours, without any OUTPOST_* setting of the caller.
QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("OUTPOST_")))
            env.remove(key);
    }
    env.insert(QStringLiteral("OUTPOST_LOG_FORMAT"), QStringLiteral("json"));
    return env;
}

// The access-log line (a JSON object) with this request id, or an empty object.
QJsonObject accessLine(const QByteArray &output, const QByteArray &requestId)
{
    for (const QByteArray &line : output.split('\n')) {
        if (!line.contains(requestId))
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value(QStringLiteral("msg")).toString() == QLatin1String("request")
            && object.value(QStringLiteral("request_id")).toString()
                == QString::fromLatin1(requestId))
            return object;
    }
    return {};
}

// A HEAD request over a raw connection (Connection: close): the header block, and whatever
// came after it (which must be nothing).
struct HeadAnswer
{
    int status = 0;
    QMap<QByteArray, QByteArray> headers;
    QByteArray afterHeaders;
};

HeadAnswer rawHead(quint16 port, const QByteArray &target)
{
    const QByteArray raw = rawExchange(
        port, "HEAD " + target + " HTTP/1.1\r\nHost: outpost.test\r\nConnection: close\r\n\r\n");
    HeadAnswer answer;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return answer;
    const QList<QByteArray> lines = raw.left(end).split('\n');
    answer.status = lines.first().mid(9, 3).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            answer.headers.insert(
                lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    answer.afterHeaders = raw.mid(end + 4);
    return answer;
}

} // namespace

class TestOperationalApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void healthzAnswersOk();
    void readyzReportsEveryCheck();
    void readyzIs503WhenFileStoreIsMissing();
    void readyzIs503WhenFileStoreIsUnwritable();

    void unknownPathIs404Problem();
    void wrongMethodIs405WithAllow_data();
    void wrongMethodIs405WithAllow();
    void optionsAnswers204WithAllow();
    void headAnswersLikeGetWithoutBody();

    void validRequestIdIsEchoed_data();
    void validRequestIdIsEchoed();
    void invalidRequestIdIsReplaced_data();
    void invalidRequestIdIsReplaced();
    void requestIdIsInTheAccessLogLine();

    void metricsCountRequestsByRoute();
    void metricsCountGuardRejections();
    void metricsTokenIsRequiredWhenSet();
    void metricsListenServesMetricsElsewhere();

    void openApiListsOperationalRoutes();
    void openApiPassesTheValidator();
    void docsServeSwaggerUi();

    void corsAllowsAConfiguredOrigin();
    void corsIgnoresOtherOrigins();
    void corsAnswersPreflight();

    void invalidSettingExitsWith2_data();
    void invalidSettingExitsWith2();
    void invalidListenOptionExitsWith2();
    void versionCommandPrintsTheVersion();
    void migrateCommandsApplyAndRevert();

    void sigtermExitsZeroAndFlushesAccessLog();

private:
    QTemporaryDir m_storeRoot;
    TestServer m_server;
};

void TestOperationalApi::initTestCase()
{
    QVERIFY(m_storeRoot.isValid());
    m_server.setEnv(QStringLiteral("OUTPOST_FILE_STORE_URL"),
        QUrl::fromLocalFile(storePath(m_storeRoot)).toString());
    m_server.setEnv(QStringLiteral("OUTPOST_CORS_ORIGINS"),
        QString::fromLatin1(QByteArray(kAllowedOrigin + ",https://second.example.test")));
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
}

void TestOperationalApi::healthzAnswersOk()
{
    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/healthz")));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(
        result.json().object(), (QJsonObject {{QStringLiteral("status"), QStringLiteral("ok")}}));
    QCOMPARE(result.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QVERIFY(!result.header("Date").isEmpty());
    QVERIFY(isHex32(result.header("X-Request-Id")));
}

void TestOperationalApi::readyzReportsEveryCheck()
{
    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/readyz")));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject expected {{QStringLiteral("status"), QStringLiteral("ready")},
        {QStringLiteral("checks"),
            QJsonObject {{QStringLiteral("database"), QStringLiteral("ok")},
                {QStringLiteral("file_store"), QStringLiteral("ok")},
                {QStringLiteral("disk"), QStringLiteral("ok")}}}};
    QCOMPARE(result.json().object(), expected);
}

void TestOperationalApi::readyzIs503WhenFileStoreIsMissing()
{
    // Works as root too: a store directory that is gone cannot be written by anyone.
    const QString store = storePath(m_storeRoot);
    const QString away = store + QStringLiteral(".away");
    QVERIFY(QDir().rename(store, away));
    auto restore = qScopeGuard([&] { QDir().rename(away, store); });

    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/readyz")));
    QCOMPARE(result.status, 503);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/problem+json"));
    const QJsonObject body = result.json().object();
    QCOMPARE(body.value(QStringLiteral("type")).toString(), QStringLiteral("about:blank"));
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Service Unavailable"));
    QCOMPARE(body.value(QStringLiteral("status")).toInt(), 503);
    QCOMPARE(body.value(QStringLiteral("instance")).toString(), QStringLiteral("/readyz"));
    const QJsonObject checks = body.value(QStringLiteral("checks")).toObject();
    QCOMPARE(checks.value(QStringLiteral("database")).toString(), QStringLiteral("ok"));
    QVERIFY(!checks.value(QStringLiteral("file_store")).toString().isEmpty());
    QVERIFY(checks.value(QStringLiteral("file_store")).toString() != QLatin1String("ok"));
    // Never a file system path in a response.
    QVERIFY2(!result.body.contains(m_storeRoot.path().toUtf8()), result.body.constData());

    restore.dismiss();
    QVERIFY(QDir().rename(away, store));
    QCOMPARE(httpRequest("GET", m_server.url(QStringLiteral("/readyz"))).status, 200);
}

void TestOperationalApi::readyzIs503WhenFileStoreIsUnwritable()
{
    if (::geteuid() == 0)
        QSKIP("running as root: chmod 0500 does not stop root from writing, so the store stays "
              "writable (readyzIs503WhenFileStoreIsMissing covers the 503 path)");
    const QString store = storePath(m_storeRoot);
    QVERIFY(QFile::setPermissions(store, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    auto restore = qScopeGuard([&] {
        QFile::setPermissions(
            store, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    });

    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/readyz")));
    QCOMPARE(result.status, 503);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/problem+json"));
    const QJsonObject body = result.json().object();
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Service Unavailable"));
    const QJsonObject checks = body.value(QStringLiteral("checks")).toObject();
    QCOMPARE(checks.value(QStringLiteral("database")).toString(), QStringLiteral("ok"));
    QVERIFY(checks.value(QStringLiteral("file_store")).toString() != QLatin1String("ok"));

    restore.dismiss();
    QVERIFY(QFile::setPermissions(
        store, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QCOMPARE(httpRequest("GET", m_server.url(QStringLiteral("/readyz"))).status, 200);
}

void TestOperationalApi::unknownPathIs404Problem()
{
    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/nope/deeper")));
    QCOMPARE(result.status, 404);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/problem+json"));
    const QJsonObject body = result.json().object();
    QCOMPARE(body.value(QStringLiteral("type")).toString(), QStringLiteral("about:blank"));
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Not Found"));
    QCOMPARE(body.value(QStringLiteral("status")).toInt(), 404);
    QCOMPARE(body.value(QStringLiteral("instance")).toString(), QStringLiteral("/nope/deeper"));
    QVERIFY(!body.value(QStringLiteral("detail")).toString().isEmpty());
    QVERIFY(isHex32(result.header("X-Request-Id")));
    QCOMPARE(result.header("X-Content-Type-Options"), QByteArray("nosniff"));
}

void TestOperationalApi::wrongMethodIs405WithAllow_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::newRow("POST /healthz") << QByteArray("POST") << QStringLiteral("/healthz");
    QTest::newRow("PUT /readyz") << QByteArray("PUT") << QStringLiteral("/readyz");
    QTest::newRow("DELETE /metrics") << QByteArray("DELETE") << QStringLiteral("/metrics");
    QTest::newRow("PATCH /openapi.json") << QByteArray("PATCH") << QStringLiteral("/openapi.json");
}

void TestOperationalApi::wrongMethodIs405WithAllow()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    const HttpResult result = httpRequest(method, m_server.url(path), QByteArrayLiteral("{}"));
    QCOMPARE(result.status, 405);
    QCOMPARE(result.header("Allow"), QByteArray("GET, HEAD, OPTIONS"));
    QCOMPARE(result.header("Content-Type"), QByteArray("application/problem+json"));
    const QJsonObject body = result.json().object();
    QCOMPARE(body.value(QStringLiteral("type")).toString(), QStringLiteral("about:blank"));
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Method Not Allowed"));
    QCOMPARE(body.value(QStringLiteral("status")).toInt(), 405);
    QCOMPARE(body.value(QStringLiteral("instance")).toString(), path);
    QVERIFY(!body.value(QStringLiteral("detail")).toString().isEmpty());
}

void TestOperationalApi::optionsAnswers204WithAllow()
{
    const HttpResult result = httpRequest("OPTIONS", m_server.url(QStringLiteral("/healthz")));
    QCOMPARE(result.status, 204);
    QCOMPARE(result.header("Allow"), QByteArray("GET, HEAD, OPTIONS"));
    QVERIFY(result.body.isEmpty());
    QVERIFY(!result.header("X-Request-Id").isEmpty());

    const HttpResult missing = httpRequest("OPTIONS", m_server.url(QStringLiteral("/nope")));
    QCOMPARE(missing.status, 404);
}

void TestOperationalApi::headAnswersLikeGetWithoutBody()
{
    for (const QByteArray &path : {QByteArray("/healthz"), QByteArray("/openapi.json")}) {
        const HttpResult get = httpRequest("GET", m_server.url(QString::fromLatin1(path)));
        QCOMPARE(get.status, 200);
        const HeadAnswer head = rawHead(m_server.port(), path);
        QCOMPARE(head.status, 200);
        QCOMPARE(head.headers.value("content-type"), get.header("Content-Type"));
        QCOMPARE(head.headers.value("content-length"), QByteArray::number(get.body.size()));
        QVERIFY(!head.headers.value("x-request-id").isEmpty());
        QVERIFY2(head.afterHeaders.isEmpty(), head.afterHeaders.left(200).constData());
    }
    const HeadAnswer missing = rawHead(m_server.port(), "/nope");
    QCOMPARE(missing.status, 404);
    QVERIFY(missing.afterHeaders.isEmpty());
}

void TestOperationalApi::validRequestIdIsEchoed_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::newRow("short") << QByteArray("abc");
    QTest::newRow("every allowed kind of character") << QByteArray("Az09.-_:x");
    QTest::newRow("uuid") << QByteArray("7d444840-9dc0-11d1-b245-5ffdce74fad2");
    QTest::newRow("128 characters") << QByteArray(128, 'r');
}

void TestOperationalApi::validRequestIdIsEchoed()
{
    QFETCH(QByteArray, id);
    const HttpResult result =
        httpRequest("GET", m_server.url(QStringLiteral("/healthz")), {}, {{"X-Request-Id", id}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("X-Request-Id"), id);

    const HttpResult missing =
        httpRequest("GET", m_server.url(QStringLiteral("/nope")), {}, {{"X-Request-Id", id}});
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.header("X-Request-Id"), id);
}

void TestOperationalApi::invalidRequestIdIsReplaced_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::newRow("spaces") << QByteArray("has some spaces");
    QTest::newRow("129 characters") << QByteArray(129, 'r');
    QTest::newRow("200 characters") << QByteArray(200, 'r');
    QTest::newRow("semicolon") << QByteArray("a;b");
    QTest::newRow("slash") << QByteArray("a/b");
    QTest::newRow("quote") << QByteArray("a\"b");
    QTest::newRow("non-ASCII") << QByteArray("caf\xc3\xa9");
}

void TestOperationalApi::invalidRequestIdIsReplaced()
{
    QFETCH(QByteArray, id);
    const HttpResult result =
        httpRequest("GET", m_server.url(QStringLiteral("/healthz")), {}, {{"X-Request-Id", id}});
    QCOMPARE(result.status, 200);
    QVERIFY2(isHex32(result.header("X-Request-Id")), result.header("X-Request-Id").constData());
}

void TestOperationalApi::requestIdIsInTheAccessLogLine()
{
    const QByteArray id = "log-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const HttpResult echoed =
        httpRequest("GET", m_server.url(QStringLiteral("/healthz")), {}, {{"X-Request-Id", id}});
    QCOMPARE(echoed.header("X-Request-Id"), id);
    const HttpResult generated = httpRequest("GET", m_server.url(QStringLiteral("/nope")));
    const QByteArray generatedId = generated.header("X-Request-Id");
    QVERIFY(isHex32(generatedId));

    // Access lines are flushed every 200 ms.
    QTRY_VERIFY_WITH_TIMEOUT(!accessLine(m_server.output(), id).isEmpty(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(!accessLine(m_server.output(), generatedId).isEmpty(), 10'000);

    const QJsonObject line = accessLine(m_server.output(), id);
    QCOMPARE(line.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    QCOMPARE(line.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(line.value(QStringLiteral("path")).toString(), QStringLiteral("/healthz"));
    QCOMPARE(line.value(QStringLiteral("route")).toString(), QStringLiteral("/healthz"));
    QCOMPARE(line.value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(line.value(QStringLiteral("bytes")).toInt(), 15);
    QCOMPARE(line.value(QStringLiteral("remote")).toString(), QStringLiteral("127.0.0.1"));
    QVERIFY(line.value(QStringLiteral("user_id")).isNull());
    QVERIFY(line.value(QStringLiteral("duration_ms")).isDouble());
    QVERIFY(!line.value(QStringLiteral("time")).toString().isEmpty());

    const QJsonObject unmatched = accessLine(m_server.output(), generatedId);
    QCOMPARE(unmatched.value(QStringLiteral("status")).toInt(), 404);
    QCOMPARE(unmatched.value(QStringLiteral("route")).toString(), QStringLiteral("unmatched"));
    QCOMPARE(unmatched.value(QStringLiteral("path")).toString(), QStringLiteral("/nope"));
}

// OUTPOST_METRICS_TOKEN: /metrics only with that bearer token (compared in constant time).
void TestOperationalApi::metricsTokenIsRequiredWhenSet()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_METRICS_TOKEN"), QStringLiteral("scrape-me-0123456789"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const QUrl url = server.url(QStringLiteral("/metrics"));
    const HttpResult anonymous = httpRequest("GET", url);
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(anonymous.header("WWW-Authenticate"), QByteArray("Bearer"));
    QVERIFY(!anonymous.body.contains("outpost_http_requests_total"));
    for (const QByteArray &wrong :
        {QByteArray("Bearer scrape-me-012345678"), QByteArray("Bearer scrape-me-0123456789x"),
            QByteArray("Basic c2NyYXBlLW1l"), QByteArray("scrape-me-0123456789")}) {
        QCOMPARE(httpRequest("GET", url, {}, {{"Authorization", wrong}}).status, 401);
    }
    const HttpResult scraped =
        httpRequest("GET", url, {}, {{"Authorization", "Bearer scrape-me-0123456789"}});
    QCOMPARE(scraped.status, 200);
    QVERIFY(scraped.body.contains("outpost_http_requests_total"));
    // A user's access token is not the metrics token; an admin's is accepted (the desktop
    // app's dashboard charts /metrics as a signed-in admin).
    const Account admin = createAdmin(server);
    QVERIFY(admin.ok());
    const Account user = createAccount(server);
    QVERIFY(user.ok());
    QCOMPARE(httpRequest("GET", url, {}, user.auth()).status, 401);
    QCOMPARE(httpRequest("GET", url, {}, admin.auth()).status, 200);
}

// OUTPOST_METRICS_LISTEN: /metrics on that address only; the main port answers 404 for it.
void TestOperationalApi::metricsListenServesMetricsElsewhere()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_METRICS_LISTEN"), QStringLiteral("127.0.0.1:0"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    QVERIFY(server.waitForOutput("serving /metrics on http://"));
    const QRegularExpression line(QStringLiteral("serving /metrics on http://127.0.0.1:(\\d+)"));
    const QRegularExpressionMatch match = line.match(QString::fromUtf8(server.output()));
    QVERIFY(match.hasMatch());
    const quint16 metricsPort = match.captured(1).toUShort();
    QVERIFY(metricsPort != 0 && metricsPort != server.port());

    QCOMPARE(httpRequest("GET", server.url(QStringLiteral("/metrics"))).status, 404);
    QUrl elsewhere = server.url(QStringLiteral("/metrics"));
    elsewhere.setPort(metricsPort);
    const HttpResult scraped = httpRequest("GET", elsewhere);
    QCOMPARE(scraped.status, 200);
    QVERIFY(scraped.body.contains("outpost_http_requests_total"));
    // That listener serves nothing else.
    elsewhere.setPath(QStringLiteral("/healthz"));
    QCOMPARE(httpRequest("GET", elsewhere).status, 404);
    elsewhere.setPath(QStringLiteral("/v1/users/me"));
    QCOMPARE(httpRequest("GET", elsewhere).status, 404);
}

void TestOperationalApi::metricsCountRequestsByRoute()
{
    const QByteArray healthz =
        "outpost_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}";
    const QByteArray unmatched =
        "outpost_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}";
    const HttpResult before = httpRequest("GET", m_server.url(QStringLiteral("/metrics")));
    QCOMPARE(before.status, 200);
    QCOMPARE(before.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    const double healthzBefore = qMax(0.0, metricValue(before.body, healthz));
    const double unmatchedBefore = qMax(0.0, metricValue(before.body, unmatched));

    for (int i = 0; i < 3; ++i)
        QCOMPARE(httpRequest("GET", m_server.url(QStringLiteral("/healthz"))).status, 200);
    QCOMPARE(httpRequest("GET", m_server.url(QStringLiteral("/no/such/thing"))).status, 404);

    const QByteArray after = httpRequest("GET", m_server.url(QStringLiteral("/metrics"))).body;
    QCOMPARE(metricValue(after, healthz), healthzBefore + 3);
    QCOMPARE(metricValue(after, unmatched), unmatchedBefore + 1);

    const QByteArray labels = "{method=\"GET\",route=\"/healthz\"";
    QVERIFY(metricValue(
                after, "outpost_http_request_duration_seconds_bucket" + labels + ",le=\"+Inf\"}")
        >= healthzBefore + 3);
    QVERIFY(metricValue(after, "outpost_http_request_duration_seconds_count" + labels + "}")
        >= healthzBefore + 3);
    QVERIFY(metricValue(after, "outpost_http_request_duration_seconds_sum" + labels + "}") >= 0);
    QVERIFY(after.contains(
        QByteArray("outpost_http_request_duration_seconds_bucket" + labels + ",le=\"0.")));
    QVERIFY(metricValue(after, "outpost_http_connections_open") >= 1);
    QVERIFY(metricValue(after, "process_resident_memory_bytes") > 0);
    static const QRegularExpression buildInfo(QStringLiteral(
        "(?m)^outpost_build_info\\{version=\"[0-9]+\\.[0-9]+\\.[0-9]+\"[^}]*\\} 1$"));
    QVERIFY(buildInfo.match(QString::fromUtf8(after)).hasMatch());
    QVERIFY(after.contains("# TYPE outpost_http_requests_total counter\n"));
    QVERIFY(after.contains("# TYPE outpost_http_request_duration_seconds histogram\n"));
}

void TestOperationalApi::metricsCountGuardRejections()
{
    const QByteArray series =
        "outpost_http_requests_total{method=\"GET\",route=\"rejected\",status=\"505\"}";
    const double before = qMax(0.0,
        metricValue(httpRequest("GET", m_server.url(QStringLiteral("/metrics"))).body, series));
    const QByteArray raw =
        rawExchange(m_server.port(), "GET /healthz HTTP/2.0\r\nHost: outpost.test\r\n\r\n");
    QCOMPARE(responseStatuses(raw), QList<int> {505});
    const double after =
        metricValue(httpRequest("GET", m_server.url(QStringLiteral("/metrics"))).body, series);
    QCOMPARE(after, before + 1);
}

void TestOperationalApi::openApiListsOperationalRoutes()
{
    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/openapi.json")));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject document = result.json().object();
    QCOMPARE(document.value(QStringLiteral("openapi")).toString(), QStringLiteral("3.1.0"));
    const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
    for (const QString &path : {QStringLiteral("/healthz"), QStringLiteral("/readyz"),
             QStringLiteral("/metrics"), QStringLiteral("/openapi.json"), QStringLiteral("/docs"),
             QStringLiteral("/docs/{asset}")}) {
        QVERIFY2(paths.value(path).toObject().contains(QStringLiteral("get")), qPrintable(path));
    }
    // Operational routes are public: an empty security requirement says so.
    QCOMPARE(paths.value(QStringLiteral("/healthz"))
                 .toObject()
                 .value(QStringLiteral("get"))
                 .toObject()
                 .value(QStringLiteral("security")),
        QJsonValue(QJsonArray {}));

    const TestServer::Run version =
        TestServer::runCli({QStringLiteral("version")}, cleanEnvironment());
    QCOMPARE(version.exitCode, 0);
    const QString infoVersion = document.value(QStringLiteral("info"))
                                    .toObject()
                                    .value(QStringLiteral("version"))
                                    .toString();
    QVERIFY(!infoVersion.isEmpty());
    QVERIFY2(version.out.startsWith(QByteArray("outpost-server " + infoVersion.toUtf8() + ' ')),
        version.out.constData());
}

void TestOperationalApi::openApiPassesTheValidator()
{
    const HttpResult result = httpRequest("GET", m_server.url(QStringLiteral("/openapi.json")));
    QCOMPARE(result.status, 200);
    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

void TestOperationalApi::docsServeSwaggerUi()
{
    const HttpResult page = httpRequest("GET", m_server.url(QStringLiteral("/docs")));
    QCOMPARE(page.status, 200);
    QVERIFY2(page.header("Content-Type").startsWith("text/html"),
        page.header("Content-Type").constData());
    QVERIFY(page.body.contains("swagger-ui"));

    const HttpResult css = httpRequest("GET", m_server.url(QStringLiteral("/docs/swagger-ui.css")));
    QCOMPARE(css.status, 200);
    QVERIFY2(
        css.header("Content-Type").startsWith("text/css"), css.header("Content-Type").constData());
    QVERIFY(!css.body.isEmpty());

    const HttpResult missing = httpRequest("GET", m_server.url(QStringLiteral("/docs/nothing.js")));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.header("Content-Type"), QByteArray("application/problem+json"));
}

void TestOperationalApi::corsAllowsAConfiguredOrigin()
{
    const HttpResult result = httpRequest(
        "GET", m_server.url(QStringLiteral("/healthz")), {}, {{"Origin", kAllowedOrigin}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("Access-Control-Allow-Origin"), kAllowedOrigin);
    QVERIFY2(result.header("Vary").contains("Origin"), result.header("Vary").constData());

    const HttpResult second = httpRequest("GET", m_server.url(QStringLiteral("/nope")), {},
        {{"Origin", "https://second.example.test"}});
    QCOMPARE(second.status, 404);
    QCOMPARE(
        second.header("Access-Control-Allow-Origin"), QByteArray("https://second.example.test"));
}

void TestOperationalApi::corsIgnoresOtherOrigins()
{
    for (const QByteArray &origin :
        {QByteArray("https://evil.example.test"), QByteArray("https://app.example.test.evil.test"),
            QByteArray("http://app.example.test"), QByteArray("null")}) {
        const HttpResult result =
            httpRequest("GET", m_server.url(QStringLiteral("/healthz")), {}, {{"Origin", origin}});
        QCOMPARE(result.status, 200);
        QVERIFY2(!result.headers.contains("access-control-allow-origin"), origin.constData());
    }
}

void TestOperationalApi::corsAnswersPreflight()
{
    const HttpResult preflight =
        httpRequest("OPTIONS", m_server.url(QStringLiteral("/healthz")), {},
            {{"Origin", kAllowedOrigin}, {"Access-Control-Request-Method", "GET"},
                {"Access-Control-Request-Headers", "x-request-id"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), kAllowedOrigin);
    QCOMPARE(preflight.header("Access-Control-Allow-Methods"), QByteArray("GET, HEAD, OPTIONS"));
    QVERIFY2(preflight.header("Access-Control-Allow-Headers").toLower().contains("x-request-id"),
        preflight.header("Access-Control-Allow-Headers").constData());
    QVERIFY(preflight.header("Vary").contains("Origin"));

    const HttpResult foreign = httpRequest("OPTIONS", m_server.url(QStringLiteral("/healthz")), {},
        {{"Origin", "https://evil.example.test"}, {"Access-Control-Request-Method", "GET"}});
    QCOMPARE(foreign.status, 204);
    QVERIFY(!foreign.headers.contains("access-control-allow-origin"));
}

void TestOperationalApi::invalidSettingExitsWith2_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::newRow("bcrypt cost not a number")
        << QStringLiteral("OUTPOST_BCRYPT_COST") << QStringLiteral("abc");
    QTest::newRow("body limit not a size")
        << QStringLiteral("OUTPOST_MAX_BODY_BYTES") << QStringLiteral("lots");
    QTest::newRow("idle timeout zero")
        << QStringLiteral("OUTPOST_IDLE_TIMEOUT") << QStringLiteral("0");
    QTest::newRow("header timeout negative")
        << QStringLiteral("OUTPOST_HEADER_TIMEOUT") << QStringLiteral("-1");
    QTest::newRow("body timeout not a number")
        << QStringLiteral("OUTPOST_BODY_TIMEOUT") << QStringLiteral("soon");
    QTest::newRow("threads not a number")
        << QStringLiteral("OUTPOST_THREADS") << QStringLiteral("many");
    QTest::newRow("no connections")
        << QStringLiteral("OUTPOST_MAX_CONNECTIONS") << QStringLiteral("0");
}

void TestOperationalApi::invalidSettingExitsWith2()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QTemporaryDir dataDir;
    QProcessEnvironment env = cleanEnvironment();
    env.insert(name, value);
    const TestServer::Run run = TestServer::runCli(
        {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--data-dir"), dataDir.path()},
        env, 15'000);
    QCOMPARE(run.exitCode, 2);
    const QByteArray err = run.err.trimmed();
    QVERIFY2(!err.isEmpty() && !err.contains('\n'), run.err.constData());
    QVERIFY2(err.contains(name.toUtf8()), run.err.constData());
    QVERIFY2(!run.out.contains("listening on"), run.out.constData());
}

void TestOperationalApi::invalidListenOptionExitsWith2()
{
    QTemporaryDir dataDir;
    const TestServer::Run run = TestServer::runCli(
        {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("nonsense"),
            QStringLiteral("--data-dir"), dataDir.path()},
        cleanEnvironment(), 15'000);
    QCOMPARE(run.exitCode, 2);
    const QByteArray err = run.err.trimmed();
    QVERIFY2(!err.isEmpty() && !err.contains('\n'), run.err.constData());
    QVERIFY2(err.toLower().contains("listen") && err.contains("nonsense"), run.err.constData());
}

void TestOperationalApi::versionCommandPrintsTheVersion()
{
    const TestServer::Run run = TestServer::runCli({QStringLiteral("version")}, cleanEnvironment());
    QCOMPARE(run.exitCode, 0);
    static const QRegularExpression line(
        QStringLiteral("^outpost-server [0-9]+\\.[0-9]+\\.[0-9]+\\S* \\(\\S+\\)\n$"));
    QVERIFY2(line.match(QString::fromUtf8(run.out)).hasMatch(), run.out.constData());
    const TestServer::Run flag =
        TestServer::runCli({QStringLiteral("--version")}, cleanEnvironment());
    QCOMPARE(flag.exitCode, 0);
    QCOMPARE(flag.out, run.out);
}

void TestOperationalApi::migrateCommandsApplyAndRevert()
{
    QTemporaryDir dataDir;
    const QProcessEnvironment env = cleanEnvironment();
    const auto migrate = [&](const QStringList &args) {
        return TestServer::runCli(QStringList {QStringLiteral("migrate")} + args
                + QStringList {QStringLiteral("--data-dir"), dataDir.path()},
            env);
    };
    static const QRegularExpression pending(QStringLiteral("(?m)^0*1\\s+\\S+\\s+pending\\b"));
    static const QRegularExpression applied(QStringLiteral("(?m)^0*1\\s+\\S+\\s+applied\\b"));

    TestServer::Run run = migrate({QStringLiteral("status")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(pending.match(QString::fromUtf8(run.out)).hasMatch(), run.out.constData());

    run = migrate({QStringLiteral("up")});
    QCOMPARE(run.exitCode, 0);
    // Every migration the binary ships is applied (their number grows with the schema): one
    // step per version, whether its file is shared or one per dialect.
    QSet<QString> versions;
    const QStringList files =
        QDir(qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/resources/migrations"))
            .entryList({QStringLiteral("*.up.sql")})
            .filter(QRegularExpression(QStringLiteral("^\\d{4}_")));
    for (const QString &file : files)
        versions.insert(file.left(4));
    const auto shipped = versions.size();
    // Version numbers may have gaps (branches reserve theirs): the newest is the largest.
    int newest = 0;
    for (const QString &version : std::as_const(versions))
        newest = qMax(newest, version.toInt());
    QVERIFY2(
        run.out.contains(QByteArray("up: " + QByteArray::number(shipped) + " step(s) applied")),
        run.out.constData());
    run = migrate({QStringLiteral("status")});
    QVERIFY2(applied.match(QString::fromUtf8(run.out)).hasMatch(), run.out.constData());

    run = migrate({QStringLiteral("down")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("down: 1 step(s) reverted"), run.out.constData());
    run = migrate({QStringLiteral("status")});
    // The newest step was reverted; the first is still applied.
    const QRegularExpression newestPending(
        QStringLiteral("(?m)^0*%1\\s+\\S+\\s+pending\\b").arg(newest));
    QVERIFY2(newestPending.match(QString::fromUtf8(run.out)).hasMatch(), run.out.constData());
    QVERIFY2(
        shipped == 1 || applied.match(QString::fromUtf8(run.out)).hasMatch(), run.out.constData());

    for (const QString &bad : {QStringLiteral("abc"), QStringLiteral("0")}) {
        run = migrate({QStringLiteral("down"), bad});
        QCOMPARE(run.exitCode, 2);
        const QByteArray err = run.err.trimmed();
        QVERIFY2(!err.contains('\n') && err.contains(bad.toUtf8()), run.err.constData());
    }
}

void TestOperationalApi::sigtermExitsZeroAndFlushesAccessLog()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const QByteArray id = "last-words-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const HttpResult result =
        httpRequest("GET", server.url(QStringLiteral("/healthz")), {}, {{"X-Request-Id", id}});
    QCOMPARE(result.status, 200);
    // Straight away, within the 200 ms flush interval: shutdown must flush what is buffered.
    const int exitCode = server.stop();
    QVERIFY2(exitCode == 0, server.output().right(2000).constData());
    const QJsonObject line = accessLine(server.output(), id);
    QVERIFY2(!line.isEmpty(), server.output().right(2000).constData());
    QCOMPARE(line.value(QStringLiteral("status")).toInt(), 200);
}

QTEST_GUILESS_MAIN(TestOperationalApi)
#include "tst_operationalapi.moc"
