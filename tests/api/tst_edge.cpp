// The edge (server/http/edgepolicy.cpp, ratelimiter.cpp): trusted proxies, absolute URLs,
// rate limits, CORS and the security headers, tried the way an attacker would, over real
// sockets against a real outpost-server.
#include "factories.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Outpost::Test;

namespace {

const QHostAddress kProxy(QStringLiteral("127.0.0.5"));    // OUTPOST_TRUSTED_PROXIES
const QHostAddress kStranger(QStringLiteral("127.0.0.9")); // any other peer
const QHostAddress kOther(QStringLiteral("127.0.0.10"));

HttpResult from(const QHostAddress &source, TestServer &server, const QByteArray &method,
    const QByteArray &target, const Headers &headers = {}, const QByteArray &body = {})
{
    return httpRequestFrom(source, server.port(), method, target, body, headers);
}

QByteArray loginBody(const QString &email)
{
    return jsonBytes({{QStringLiteral("email"), email},
        {QStringLiteral("password"), QStringLiteral("Wrong-Password-1")}});
}

// POST /v1/posts with a forged Host header (the only Host: raw bytes, as an attacker sends).
RawResponse createPostWithHost(TestServer &server, const QByteArray &token, const QByteArray &host)
{
    const QByteArray body = R"({"title":"Hello","content":"World"})";
    const QList<RawResponse> responses = parseResponses(rawExchange(server.port(),
        "POST /v1/posts HTTP/1.1\r\nHost: " + host + "\r\nX-Forwarded-Host: " + host
            + "\r\nAuthorization: Bearer " + token
            + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body));
    return responses.value(0);
}

} // namespace

class TestEdge final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void spoofedForwardedForFromStrangerIsIgnored();
    void forwardedForFromTrustedProxyIsTheClient();
    void forwardedHeaderFromTrustedProxyIsTheClient();
    void forwardedHeadersAlwaysMeanNotLocalForBootstrap();
    void forgedHostNeverInLocation();
    void publicUrlMakesLocationAbsolute();
    void refusesBadTrustedProxies();

    void overTheLimitIs429WithRetryAfter();
    void expensiveRoutesHaveTheStricterLimit();
    void principalsHaveTheirOwnBucket();
    void loopbackIsExemptButProxiedClientsAreNot();
    void rateLimitOffSendsNoHeaders();

    void preflightFromAllowedOrigin();
    void originNotOnTheListGetsNoCorsHeaders();
    void wildcardNeverEchoesTheOriginOrCredentials();
    void noCorsSettingNoCorsHeaders();

    void securityHeadersOnEveryResponse();
    void docsHaveAStrictContentSecurityPolicy();

private:
    TestServer m_server; // trusted proxy 127.0.0.5, CORS for https://app.example
    Account m_admin;
};

void TestEdge::initTestCase()
{
    m_server.setEnv(QStringLiteral("OUTPOST_TRUSTED_PROXIES"), QStringLiteral("127.0.0.5/32"));
    m_server.setEnv(QStringLiteral("OUTPOST_CORS_ORIGINS"), QStringLiteral("https://app.example"));
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
}

// Sign-in throttling per address: a stranger cannot shed it by inventing X-Forwarded-For.
void TestEdge::spoofedForwardedForFromStrangerIsIgnored()
{
    int lastStatus = 0;
    for (int i = 0; i < 7; ++i) {
        const Headers spoof {{"X-Forwarded-For", "198.51.100." + QByteArray::number(i + 1)},
            {"Content-Type", "application/json"}};
        lastStatus = from(kStranger, m_server, "POST", "/v1/login", spoof,
            loginBody(uniqueEmail(QStringLiteral("nobody"))))
                         .status;
    }
    QCOMPARE(lastStatus, 429); // the address 127.0.0.9 is throttled, whatever the header says

    // The access log and the audit trail name the real peer too.
    const Headers spoof {
        {"X-Forwarded-For", "198.51.100.99"}, {"Content-Type", "application/json"}};
    const QString email = uniqueEmail(QStringLiteral("spoofer"));
    const HttpResult registered = from(kStranger, m_server, "POST", "/v1/users", spoof,
        jsonBytes({{QStringLiteral("email"), email}, {QStringLiteral("password"), kPassword}}));
    QCOMPARE(registered.status, 201);
    const QJsonArray entries =
        objectOf(get(m_server, QStringLiteral("/v1/admin/audit?limit=5"), m_admin.auth()))
            .value(QStringLiteral("items"))
            .toArray();
    QVERIFY(!entries.isEmpty());
    QCOMPARE(entries.first().toObject().value(QStringLiteral("action")).toString(),
        QStringLiteral("user.registered"));
    QCOMPARE(entries.first().toObject().value(QStringLiteral("client_address")).toString(),
        QStringLiteral("127.0.0.9"));
    QVERIFY(m_server.waitForOutput(R"("remote":"127.0.0.9")"));
    QVERIFY(!m_server.output().contains("198.51.100.99"));
}

void TestEdge::forwardedForFromTrustedProxyIsTheClient()
{
    // Each attempt comes from another client behind the proxy: none is throttled by address.
    for (int i = 0; i < 7; ++i) {
        // A client-sent value on the left, the proxy's own hop (trusted) on the right: the
        // walk from the right skips trusted hops and stops at the first other one.
        const Headers headers {
            {"X-Forwarded-For", "10.9.9.9, 203.0.113." + QByteArray::number(i + 1) + ", 127.0.0.5"},
            {"Content-Type", "application/json"}};
        const HttpResult result = from(kProxy, m_server, "POST", "/v1/login", headers,
            loginBody(uniqueEmail(QStringLiteral("proxied"))));
        QCOMPARE(result.status, 401);
    }
    const QString email = uniqueEmail(QStringLiteral("behindproxy"));
    const HttpResult registered = from(kProxy, m_server, "POST", "/v1/users",
        {{"X-Forwarded-For", "203.0.113.50"}, {"Content-Type", "application/json"}},
        jsonBytes({{QStringLiteral("email"), email}, {QStringLiteral("password"), kPassword}}));
    QCOMPARE(registered.status, 201);
    const QJsonObject newest =
        objectOf(get(m_server, QStringLiteral("/v1/admin/audit?limit=1"), m_admin.auth()))
            .value(QStringLiteral("items"))
            .toArray()
            .first()
            .toObject();
    QCOMPARE(
        newest.value(QStringLiteral("client_address")).toString(), QStringLiteral("203.0.113.50"));
    QVERIFY(m_server.waitForOutput(R"("remote":"203.0.113.50")"));
}

void TestEdge::forwardedHeaderFromTrustedProxyIsTheClient()
{
    const QString email = uniqueEmail(QStringLiteral("rfc7239"));
    const HttpResult registered = from(kProxy, m_server, "POST", "/v1/users",
        {{"Forwarded", R"(for="[2001:db8:cafe::17]:4711";proto=https, for=127.0.0.5)"},
            {"Content-Type", "application/json"}},
        jsonBytes({{QStringLiteral("email"), email}, {QStringLiteral("password"), kPassword}}));
    QCOMPARE(registered.status, 201);
    const QJsonObject newest =
        objectOf(get(m_server, QStringLiteral("/v1/admin/audit?limit=1"), m_admin.auth()))
            .value(QStringLiteral("items"))
            .toArray()
            .first()
            .toObject();
    QCOMPARE(newest.value(QStringLiteral("client_address")).toString(),
        QStringLiteral("2001:db8:cafe::17"));
    // The access log names the client and the scheme it used to reach the proxy.
    QVERIFY(m_server.waitForOutput(R"("remote":"2001:db8:cafe::17","proto":"https")"));
}

// A fresh server without an admin: the first registration from this machine becomes admin,
// but not one that a proxy forwarded, trusted or not, whatever address it names.
void TestEdge::forwardedHeadersAlwaysMeanNotLocalForBootstrap()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_TRUSTED_PROXIES"), QStringLiteral("127.0.0.0/8"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    for (const QHostAddress &peer : {kProxy, kStranger}) {
        const HttpResult result = from(peer, server, "POST", "/v1/users",
            {{"X-Forwarded-For", "127.0.0.1"}, {"Content-Type", "application/json"}},
            jsonBytes({{QStringLiteral("email"), uniqueEmail()},
                {QStringLiteral("password"), kPassword}}));
        QCOMPARE(result.status, 201);
        QCOMPARE(objectOf(result).value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    }
}

void TestEdge::forgedHostNeverInLocation()
{
    const RawResponse created = createPostWithHost(m_server, m_admin.accessToken, "evil.example");
    QCOMPARE(created.status, 201);
    const QByteArray location = created.header("Location");
    QVERIFY2(location.startsWith("/v1/posts/"), location.constData());
    QVERIFY(!location.contains("evil"));
}

void TestEdge::publicUrlMakesLocationAbsolute()
{
    TestServer server;
    server.setEnv(
        QStringLiteral("OUTPOST_PUBLIC_URL"), QStringLiteral("https://outpost.example.com/"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account admin = createAdmin(server);
    QVERIFY(admin.ok());
    const RawResponse created = createPostWithHost(server, admin.accessToken, "evil.example");
    QCOMPARE(created.status, 201);
    QVERIFY2(created.header("Location").startsWith("https://outpost.example.com/v1/posts/"),
        created.header("Location").constData());
}

void TestEdge::refusesBadTrustedProxies()
{
    QProcessEnvironment env = TestServer::cliEnvironment();
    env.insert(QStringLiteral("OUTPOST_TRUSTED_PROXIES"), QStringLiteral("10.0.0.0/8, not-a-net"));
    env.insert(QStringLiteral("OUTPOST_LISTEN"), QStringLiteral("127.0.0.1:0"));
    QTemporaryDir dir;
    env.insert(QStringLiteral("OUTPOST_DATA_DIR"), dir.path());
    const TestServer::Run run = TestServer::runCli({QStringLiteral("serve")}, env);
    QVERIFY(run.exitCode != 0);
    QVERIFY2(run.err.contains("OUTPOST_TRUSTED_PROXIES"), run.err.constData());
    QCOMPARE(run.err.trimmed().count('\n'), 0); // one line
}

void TestEdge::overTheLimitIs429WithRetryAfter()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT"), QStringLiteral("5/min"));
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_LOOPBACK"), QStringLiteral("limited"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    for (int i = 0; i < 5; ++i) {
        const HttpResult ok = from(kStranger, server, "GET", "/healthz");
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.header("RateLimit-Policy"), QByteArray(R"("default";q=5;w=60)"));
        const QByteArray expected = R"("default";r=)" + QByteArray::number(4 - i) + ";t=";
        QVERIFY2(ok.header("RateLimit").startsWith(expected), ok.header("RateLimit").constData());
    }
    const HttpResult limited = from(kStranger, server, "GET", "/healthz");
    OUTPOST_VERIFY_PROBLEM(limited, 429, "Too Many Requests");
    const int retryAfter = limited.header("Retry-After").toInt();
    QVERIFY2(retryAfter >= 1 && retryAfter <= 12, limited.header("Retry-After").constData());
    QVERIFY(limited.header("RateLimit").startsWith(R"("default";r=0;t=)"));
    QCOMPARE(limited.header("RateLimit-Policy"), QByteArray(R"("default";q=5;w=60)"));
    // Another client is not affected.
    QCOMPARE(from(kOther, server, "GET", "/healthz").status, 200);
}

void TestEdge::expensiveRoutesHaveTheStricterLimit()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_EXPENSIVE"), QStringLiteral("2/h"));
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_LOOPBACK"), QStringLiteral("limited"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Headers json {{"Content-Type", "application/json"}};
    for (int i = 0; i < 2; ++i) {
        const HttpResult result =
            from(kStranger, server, "POST", "/v1/login", json, loginBody(uniqueEmail()));
        QCOMPARE(result.status, 401);
        QCOMPARE(result.header("RateLimit-Policy"), QByteArray(R"("expensive";q=2;w=3600)"));
    }
    const HttpResult limited =
        from(kStranger, server, "POST", "/v1/login", json, loginBody(uniqueEmail()));
    OUTPOST_VERIFY_PROBLEM(limited, 429, "Too Many Requests");
    QVERIFY(limited.header("Retry-After").toInt() > 1000);
    // The ordinary routes have their own, generous bucket.
    const HttpResult health = from(kStranger, server, "GET", "/healthz");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.header("RateLimit-Policy"), QByteArray(R"("default";q=1200;w=60)"));
}

void TestEdge::principalsHaveTheirOwnBucket()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT"), QStringLiteral("3/min"));
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_LOOPBACK"), QStringLiteral("limited"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const Account user = createAdmin(server); // from 127.0.0.1, expensive routes only
    QVERIFY(user.ok());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(from(kStranger, server, "GET", "/healthz").status, 200);
    QCOMPARE(from(kStranger, server, "GET", "/healthz").status, 429);
    // The same address with a token: the user's bucket, not the address's.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(from(kStranger, server, "GET", "/v1/posts", user.auth()).status, 200);
    const HttpResult over = from(kStranger, server, "GET", "/v1/posts", user.auth());
    OUTPOST_VERIFY_PROBLEM(over, 429, "Too Many Requests");
    // ... which follows the user to another address.
    QCOMPARE(from(kOther, server, "GET", "/v1/posts", user.auth()).status, 429);
    QCOMPARE(from(kOther, server, "GET", "/healthz").status, 200);
}

// Loopback clients are exempt by default, but a client a trusted local proxy forwards is not.
void TestEdge::loopbackIsExemptButProxiedClientsAreNot()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT"), QStringLiteral("2/min"));
    server.setEnv(QStringLiteral("OUTPOST_TRUSTED_PROXIES"), QStringLiteral("127.0.0.1"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    for (int i = 0; i < 10; ++i) {
        const HttpResult direct =
            from(QHostAddress(QStringLiteral("127.0.0.1")), server, "GET", "/healthz");
        QCOMPARE(direct.status, 200);
        QVERIFY(direct.header("RateLimit").isEmpty());
    }
    const Headers proxied {{"X-Forwarded-For", "192.0.2.33"}};
    QCOMPARE(from(QHostAddress(QStringLiteral("127.0.0.1")), server, "GET", "/healthz", proxied)
                 .header("RateLimit-Policy"),
        QByteArray(R"("default";q=2;w=60)"));
    QCOMPARE(
        from(QHostAddress(QStringLiteral("127.0.0.1")), server, "GET", "/healthz", proxied).status,
        200);
    QCOMPARE(
        from(QHostAddress(QStringLiteral("127.0.0.1")), server, "GET", "/healthz", proxied).status,
        429);
    // A spoofed header from a stranger (not trusted) is its own loopback self: exempt.
    QCOMPARE(from(kStranger, server, "GET", "/healthz", proxied).status, 200);
}

void TestEdge::rateLimitOffSendsNoHeaders()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT"), QStringLiteral("off"));
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_EXPENSIVE"), QStringLiteral("off"));
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_LOOPBACK"), QStringLiteral("limited"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const HttpResult result = from(kStranger, server, "GET", "/healthz");
    QCOMPARE(result.status, 200);
    QVERIFY(!result.headers.contains("ratelimit"));
    QVERIFY(!result.headers.contains("ratelimit-policy"));
}

void TestEdge::preflightFromAllowedOrigin()
{
    const HttpResult preflight = from(kStranger, m_server, "OPTIONS", "/v1/posts",
        {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"},
            {"Access-Control-Request-Headers", "authorization, content-type"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QVERIFY(preflight.header("Access-Control-Allow-Methods").contains("POST"));
    QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Authorization"));
    QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Content-Type"));
    QCOMPARE(preflight.header("Access-Control-Max-Age"), QByteArray("600"));
    QVERIFY(preflight.header("Vary").contains("Origin"));
    QVERIFY(!preflight.headers.contains("access-control-allow-credentials"));

    const HttpResult simple =
        from(kStranger, m_server, "GET", "/healthz", {{"Origin", "https://app.example"}});
    QCOMPARE(simple.status, 200);
    QCOMPARE(simple.header("Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QVERIFY(simple.header("Access-Control-Expose-Headers").contains("Location"));
    QVERIFY(simple.header("Vary").contains("Origin"));
}

void TestEdge::originNotOnTheListGetsNoCorsHeaders()
{
    for (const QByteArray &method : {QByteArray("OPTIONS"), QByteArray("GET")}) {
        const HttpResult result = from(kStranger, m_server, method, "/healthz",
            {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
        QCOMPARE(result.status, method == "GET" ? 200 : 204);
        for (auto it = result.headers.cbegin(); it != result.headers.cend(); ++it)
            QVERIFY2(!it.key().startsWith("access-control-"), it.key().constData());
        // Still Vary: Origin, so a cache never hands this answer to the allowed origin.
        QVERIFY(result.header("Vary").contains("Origin"));
    }
}

void TestEdge::wildcardNeverEchoesTheOriginOrCredentials()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_CORS_ORIGINS"), QStringLiteral("*"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const HttpResult preflight = from(kStranger, server, "OPTIONS", "/v1/posts",
        {{"Origin", "https://anyone.example"}, {"Access-Control-Request-Method", "GET"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("*"));
    QVERIFY(!preflight.headers.contains("access-control-allow-credentials"));
    const HttpResult simple =
        from(kStranger, server, "GET", "/healthz", {{"Origin", "https://anyone.example"}});
    QCOMPARE(simple.header("Access-Control-Allow-Origin"), QByteArray("*"));
    QVERIFY(!simple.headers.contains("access-control-allow-credentials"));
}

void TestEdge::noCorsSettingNoCorsHeaders()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const HttpResult preflight = from(kStranger, server, "OPTIONS", "/v1/posts",
        {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(preflight.status, 204);
    for (auto it = preflight.headers.cbegin(); it != preflight.headers.cend(); ++it)
        QVERIFY2(!it.key().startsWith("access-control-"), it.key().constData());
    QVERIFY(!preflight.headers.contains("vary"));
}

void TestEdge::securityHeadersOnEveryResponse()
{
    const QList<HttpResult> results = {
        from(kStranger, m_server, "GET", "/healthz"),
        from(kStranger, m_server, "GET", "/no/such/thing"),
        from(kStranger, m_server, "DELETE", "/healthz"),
        from(kStranger, m_server, "GET", "/v1/admin/audit"),
    };
    QList<int> statuses;
    for (const HttpResult &result : results) {
        statuses.append(result.status);
        QCOMPARE(result.header("X-Content-Type-Options"), QByteArray("nosniff"));
        QCOMPARE(result.header("Referrer-Policy"), QByteArray("no-referrer"));
        QCOMPARE(result.header("X-Frame-Options"), QByteArray("DENY"));
    }
    QCOMPARE(statuses, QList<int>({200, 404, 405, 401}));
    // The guard's own answers too.
    const QList<RawResponse> raw = parseResponses(
        rawExchange(m_server.port(), "GET / HTTP/1.1\r\nContent-Length: -1\r\nHost: x\r\n\r\n"));
    QCOMPARE(raw.size(), 1);
    QCOMPARE(raw.first().status, 400);
    QCOMPARE(raw.first().header("Referrer-Policy"), QByteArray("no-referrer"));
    QCOMPARE(raw.first().header("X-Frame-Options"), QByteArray("DENY"));
}

void TestEdge::docsHaveAStrictContentSecurityPolicy()
{
    const HttpResult docs = from(kStranger, m_server, "GET", "/docs");
    QCOMPARE(docs.status, 200);
    const QByteArray policy = docs.header("Content-Security-Policy");
    QVERIFY2(policy.contains("default-src 'none'"), policy.constData());
    QVERIFY(policy.contains("script-src 'self';"));
    QVERIFY(policy.contains("connect-src 'self';"));
    QVERIFY(policy.contains("frame-ancestors 'none'"));
    QVERIFY(!policy.contains("unsafe"));
    QVERIFY(!policy.contains("http"));
}

QTEST_GUILESS_MAIN(TestEdge)
#include "tst_edge.moc"
