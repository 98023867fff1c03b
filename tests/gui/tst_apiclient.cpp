// The app's API client against a real outpost-server: sign-in, silent refresh, problems,
// and the live event stream with its reconnect back-off.
#include "client/apiclient.h"
#include "client/eventstream.h"
#include "factories.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;
using Client::ApiCall;
using Client::ApiClient;
using Client::ApiResponse;

namespace {

// Waits for a call's answer.
ApiResponse wait(ApiCall *call)
{
    ApiResponse result;
    bool done = false;
    QObject::connect(call, &ApiCall::finished, [&](const ApiResponse &response) {
        result = response;
        done = true;
    });
    QDeadlineTimer deadline(15'000);
    while (!done && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!done)
        qWarning("no answer within 15 s");
    return result;
}

} // namespace

class TestApiClient final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;

    std::unique_ptr<ApiClient> signedInClient()
    {
        auto client = std::make_unique<ApiClient>();
        client->setBaseUrl(m_server.url());
        const ApiResponse response = wait(client->login(m_admin.email, m_admin.password));
        if (!response.ok())
            qWarning() << "login failed" << response.errorText();
        return client;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
    }

    void signsInAndKeepsTheTokens()
    {
        ApiClient client;
        client.setBaseUrl(m_server.url());
        QSignalSpy tokens(&client, &ApiClient::tokensChanged);
        const ApiResponse response = wait(client.login(m_admin.email, m_admin.password));
        QCOMPARE(response.status, 200);
        QCOMPARE(tokens.count(), 1);
        QVERIFY(client.isSignedIn());
        QVERIFY(!client.refreshToken().isEmpty());
        const ApiResponse me = wait(client.get(QStringLiteral("/v1/users/me")));
        QCOMPARE(me.status, 200);
        QCOMPARE(me.object().value(QStringLiteral("email")).toString(), m_admin.email);
    }

    void wrongPasswordIsAReadableProblem()
    {
        ApiClient client;
        client.setBaseUrl(m_server.url());
        const ApiResponse response =
            wait(client.login(m_admin.email, QStringLiteral("Wrong-pass-1")));
        QCOMPARE(response.status, 401);
        QCOMPARE(response.problem.title, QStringLiteral("Unauthorized"));
        QVERIFY(response.errorText().startsWith(QStringLiteral("Unauthorized: ")));
        QVERIFY(!client.isSignedIn());
    }

    void refreshesTheAccessTokenSilentlyOn401()
    {
        auto client = signedInClient();
        const QString oldRefresh = client->refreshToken();
        // An access token the server refuses (as an expired one would be).
        client->setTokens(QStringLiteral("not-a-valid-jwt"), oldRefresh);
        QSignalSpy expired(client.get(), &ApiClient::sessionExpired);
        // Two calls at once: both wait for one refresh, both succeed.
        QSignalSpy first(client->get(QStringLiteral("/v1/users/me")), &ApiCall::finished);
        QSignalSpy second(client->get(QStringLiteral("/v1/posts")), &ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(first.count() + second.count(), 2, 15'000);
        QCOMPARE(first.first().at(0).value<ApiResponse>().status, 200);
        QCOMPARE(second.first().at(0).value<ApiResponse>().status, 200);
        QCOMPARE(expired.count(), 0);
        QVERIFY(client->accessToken() != QLatin1String("not-a-valid-jwt"));
        QVERIFY(client->refreshToken() != oldRefresh); // rotated
    }

    void refusedRefreshTokenEndsTheSession()
    {
        auto client = signedInClient();
        client->setTokens(QStringLiteral("not-a-valid-jwt"), QStringLiteral("not-a-refresh-token"));
        QSignalSpy expired(client.get(), &ApiClient::sessionExpired);
        const ApiResponse response = wait(client->get(QStringLiteral("/v1/users/me")));
        QCOMPARE(response.status, 401);
        QCOMPARE(expired.count(), 1);
        QVERIFY(!client->isSignedIn());
    }

    void validationProblemNamesTheField()
    {
        auto client = signedInClient();
        const ApiResponse response = wait(client->post(QStringLiteral("/v1/posts"),
            {{QStringLiteral("title"), QStringLiteral("   ")},
                {QStringLiteral("content"), QStringLiteral("x")}}));
        QCOMPARE(response.status, 422);
        QVERIFY(!response.problem.fieldMessage(QStringLiteral("title")).isEmpty());
        QVERIFY(response.problem.fieldMessage(QStringLiteral("content")).isEmpty());
    }

    void staleIfMatchIs412()
    {
        auto client = signedInClient();
        const ApiResponse created = wait(client->post(QStringLiteral("/v1/posts"),
            {{QStringLiteral("title"), QStringLiteral("etag")},
                {QStringLiteral("content"), QString()}}));
        QCOMPARE(created.status, 201);
        const qint64 id = created.object().value(QStringLiteral("id")).toInteger();
        const QString path = QStringLiteral("/v1/posts/%1").arg(id);
        const ApiResponse got = wait(client->get(path));
        QVERIFY(!got.etag.isEmpty());
        const QJsonObject body {{QStringLiteral("title"), QStringLiteral("v2")},
            {QStringLiteral("content"), QString()}, {QStringLiteral("published"), true}};
        QCOMPARE(wait(client->put(path, body, got.etag)).status, 200);
        QCOMPARE(wait(client->put(path, body, got.etag)).status, 412); // stale now
    }

    void abortedCallFinishesAsCancelled()
    {
        auto client = signedInClient();
        ApiCall *call = client->get(QStringLiteral("/v1/posts"));
        QSignalSpy finished(call, &ApiCall::finished);
        call->abort();
        QTRY_COMPARE(finished.count(), 1);
        const auto response = finished.first().at(0).value<ApiResponse>();
        QCOMPARE(response.status, 0);
        QVERIFY(response.aborted);
    }

    void unreachableServerIsANetworkError()
    {
        ApiClient client;
        client.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:1")));
        const ApiResponse response = wait(client.get(QStringLiteral("/healthz")));
        QCOMPARE(response.status, 0);
        QVERIFY(!response.errorText().isEmpty());
    }

    void eventStreamDeliversChangesAndReconnectsWithBackOff()
    {
        // A server of its own, restarted on the same port and data directory below.
        TestServer first;
        QVERIFY2(first.start(), qPrintable(first.lastError()));
        const Account admin = createAdmin(first);
        QVERIFY(admin.ok());
        ApiClient client;
        client.setBaseUrl(first.url());
        QCOMPARE(wait(client.login(admin.email, admin.password)).status, 200);

        Client::EventStream stream(&client);
        QSignalSpy events(&stream, &Client::EventStream::eventReceived);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(stream.isOnline(), 10'000);
        const qint64 id = createPost(first, admin, QStringLiteral("live"));
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10'000);
        QCOMPARE(events.first().at(0).toString(), QStringLiteral("post.created"));
        QCOMPARE(events.first().at(1).toLongLong(), id);

        // The server goes away: offline, and each failed attempt doubles the wait.
        const quint16 port = first.port();
        first.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!stream.isOnline(), 10'000);
        QCOMPARE(stream.nextDelayMs(), 2 * Client::EventStream::kFirstDelayMs);
        QTRY_COMPARE_WITH_TIMEOUT(
            stream.nextDelayMs(), 4 * Client::EventStream::kFirstDelayMs, 10'000);

        // It comes back: the stream reconnects by itself and delivers again.
        TestServer second;
        second.setArguments({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
            QStringLiteral("--data-dir"), first.dataDir()});
        QVERIFY2(second.start(), qPrintable(second.lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(stream.isOnline(), 20'000);
        QCOMPARE(stream.nextDelayMs(), Client::EventStream::kFirstDelayMs);
        events.clear();
        QVERIFY(createPost(second, admin, QStringLiteral("after reconnect")) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10'000);
        stream.stop();
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
