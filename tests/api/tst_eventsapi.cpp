// Live change events (GET /v1/events, server/api/eventhub.cpp): signing in by query token or
// first message, what each subscriber hears and in which order, who hears about unpublished
// posts and about users, streams ending with their sign-in, and delivery from every server
// thread.
#include "eventclient.h"
#include "factories.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTest>
#include <QWebSocket>

#include <memory>
#include <vector>

using namespace Outpost::Test;

namespace {

const QJsonObject kSubscribed = EventClient::subscribed();

QStringList ofTypes(std::initializer_list<const char *> types)
{
    QStringList list;
    for (const char *type : types)
        list.append(QString::fromLatin1(type));
    return list;
}

// The server's JWT key, set by the test, so that it can sign tokens the server accepts.
const QByteArray kJwtSecret = QByteArrayLiteral("events-test-key-6b1f0c2e9d8a4f7b3c5e1d2a0f9b8c7d");

// `account`'s access token with its exp moved to `expiresIn` seconds from now (negative: past),
// signed again with the server's key.
QByteArray tokenExpiringIn(const Account &account, qint64 expiresIn)
{
    const QList<QByteArray> parts = account.accessToken.split('.');
    if (parts.size() != 3)
        return {};
    const auto base64Url = [](const QByteArray &bytes) {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    QJsonObject claims =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding))
            .object();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    claims.insert(QStringLiteral("iat"), now - 60);
    claims.insert(QStringLiteral("exp"), now + expiresIn);
    const QByteArray input =
        parts.at(0) + '.' + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return input + '.'
        + base64Url(
            QMessageAuthenticationCode::hash(input, kJwtSecret, QCryptographicHash::Sha256));
}

const QByteArray kUpgradeHeaders = QByteArrayLiteral(
    "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

} // namespace

class TestEventsApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void firstMessageIsSubscribed();
    void postLifecycleEventsArriveInOrder();
    void everySubscriberReceivesEvents();
    void signInByFirstMessage_data();
    void signInByFirstMessage();
    void badQueryTokenClosesWith1008();
    void badFirstMessageClosesWith1008();
    void apiKeyCannotSubscribe();
    void unpublishedPostEventsReachOwnerAndAdminsOnly();
    void userEventsReachAdminsAndTheUserConcerned();
    void disablingAUserEndsTheirStream();
    void aDemotedAdminStopsHearingOfDrafts();
    void streamEndsWhenItsTokenExpires();
    void fileChangesReachEveryone();
    void plainGetIs426();
    void upgradeToAnotherPathFails();
    void upgradeAfterRequestsOnTheSameConnection();
    void eventsReachSocketsOnEveryThread();
    void signInTimesOutAfterTenSeconds(); // last: it takes ten seconds

private:
    QUrl eventsUrl(const QByteArray &token = {}) const;
    // Opens a client signed in with the query token and waits for {"type":"subscribed"}.
    std::unique_ptr<EventClient> subscribe(const Account &account);

    TestServer m_server;
    Account m_admin;
    Account m_alice;
    Account m_bob;
};

void TestEventsApi::initTestCase()
{
    // Two HTTP threads, each with its own hub: events must reach sockets on both.
    m_server.setEnv(QStringLiteral("OUTPOST_THREADS"), QStringLiteral("2"));
    m_server.setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), QString::fromLatin1(kJwtSecret));
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
    m_alice = createAccount(m_server);
    QVERIFY(m_alice.ok());
    m_bob = createAccount(m_server);
    QVERIFY(m_bob.ok());
}

QUrl TestEventsApi::eventsUrl(const QByteArray &token) const
{
    return EventClient::url(m_server.port(), token);
}

std::unique_ptr<EventClient> TestEventsApi::subscribe(const Account &account)
{
    auto client = std::make_unique<EventClient>();
    if (!client->subscribe(m_server.port(), account.accessToken))
        return {};
    return client;
}

void TestEventsApi::firstMessageIsSubscribed()
{
    EventClient client;
    client.open(eventsUrl(m_alice.accessToken));
    QVERIFY2(client.waitForConnected(), qPrintable(client.describe()));
    QVERIFY2(client.waitForMessages(1), qPrintable(client.describe()));
    QCOMPARE(client.messages().first(), kSubscribed);
    QVERIFY(client.isConnected());
}

void TestEventsApi::postLifecycleEventsArriveInOrder()
{
    const auto client = subscribe(m_bob);
    QVERIFY(client);

    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Live"));
    QVERIFY(id > 0);
    // Made before `id` is deleted: the id of the newest post may be given out again once it is
    // gone, and then the marker's events would count as the deleted post's.
    const qint64 marker = createPost(m_server, m_alice, QStringLiteral("Marker"));
    QVERIFY(marker > 0);
    QCOMPARE(put(m_server, postPath(id),
                 {{QStringLiteral("title"), QStringLiteral("Live, edited")},
                     {QStringLiteral("content"), QStringLiteral("x")}},
                 m_alice.auth())
                 .status,
        200);
    QCOMPARE(vote(m_server, m_bob, id, 1).status, 201);
    QCOMPARE(vote(m_server, m_bob, id, 0).status, 201);
    QCOMPARE(del(m_server, postPath(id), m_alice.auth()).status, 204);

    QVERIFY2(
        client->waitForEvent(QStringLiteral("post.deleted"), id), qPrintable(client->describe()));
    QCOMPARE(client->typesFor(id),
        ofTypes({"post.created", "post.updated", "vote.created", "vote.deleted", "post.deleted"}));
    static const QRegularExpression rfc3339(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
    for (const QJsonObject &message : client->messagesFor(id)) {
        QStringList keys = message.keys();
        keys.sort();
        QCOMPARE(keys, ofTypes({"at", "id", "type"}));
        const QString at = message.value(QStringLiteral("at")).toString();
        QVERIFY2(rfc3339.match(at).hasMatch(), qPrintable(at));
        QVERIFY(qAbs(QDateTime::fromString(at, Qt::ISODate).secsTo(QDateTime::currentDateTimeUtc()))
            < 60);
    }

    // Failed changes publish nothing: a second delete (404) and a repeated vote removal.
    QCOMPARE(del(m_server, postPath(id), m_alice.auth()).status, 404);
    QCOMPARE(vote(m_server, m_bob, marker, 1).status, 201);
    QCOMPARE(vote(m_server, m_bob, marker, 1).status, 409);
    QCOMPARE(vote(m_server, m_bob, marker, 0).status, 201);
    QVERIFY(client->waitForEvent(QStringLiteral("vote.deleted"), marker));
    QCOMPARE(client->typesFor(id).size(), 5);
    QCOMPARE(client->typesFor(marker), ofTypes({"post.created", "vote.created", "vote.deleted"}));
}

void TestEventsApi::everySubscriberReceivesEvents()
{
    const auto first = subscribe(m_bob);
    const auto second = subscribe(m_alice);
    const auto third = subscribe(m_bob); // the same user twice: each socket gets its own copy
    QVERIFY(first && second && third);

    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Broadcast"));
    QVERIFY(id > 0);
    QCOMPARE(vote(m_server, m_admin, id, 1).status, 201);
    for (EventClient *client : {first.get(), second.get(), third.get()}) {
        QVERIFY2(client->waitForEvent(QStringLiteral("vote.created"), id),
            qPrintable(client->describe()));
        QCOMPARE(client->typesFor(id), ofTypes({"post.created", "vote.created"}));
    }
}

void TestEventsApi::signInByFirstMessage_data()
{
    QTest::addColumn<bool>("asJson");
    QTest::newRow("the token") << false;
    QTest::newRow("{\"access_token\"}") << true;
}

void TestEventsApi::signInByFirstMessage()
{
    QFETCH(bool, asJson);
    EventClient client;
    client.open(eventsUrl());
    QVERIFY2(client.waitForConnected(), qPrintable(client.describe()));
    // A post made while the socket is open but not signed in: its event was published before
    // the sign-in, so the socket must never hear of it, even when the event is still queued to
    // the socket's thread as the sign-in is read (each subscriber hears only events after the
    // bus's last one at its sign-in).
    const qint64 before = createPost(m_server, m_alice, QStringLiteral("Before signing in"));
    QVERIFY(before > 0);

    const QString token = QString::fromLatin1(m_bob.accessToken);
    client.send(asJson ? QString::fromUtf8(QJsonDocument(
                    QJsonObject {{QStringLiteral("access_token"),
                        token}}).toJson(QJsonDocument::Compact))
                       : token);
    QVERIFY2(client.waitForMessages(1), qPrintable(client.describe()));
    QCOMPARE(client.messages().first(), kSubscribed);

    const qint64 id = createPost(m_server, m_alice, QStringLiteral("Heard by first message"));
    QVERIFY(id > 0);
    QVERIFY2(
        client.waitForEvent(QStringLiteral("post.created"), id), qPrintable(client.describe()));
    // Nothing of the earlier post, before or after signing in.
    QVERIFY2(client.typesFor(before).isEmpty(), qPrintable(client.describe()));
}

void TestEventsApi::badQueryTokenClosesWith1008()
{
    EventClient client;
    client.open(eventsUrl("not-a-token"));
    QVERIFY2(client.waitForDisconnected(), qPrintable(client.describe()));
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY2(!client.messages().contains(kSubscribed), qPrintable(client.describe()));

    // A token signed with another key is just as bad.
    EventClient forged;
    forged.open(eventsUrl("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"));
    QVERIFY2(forged.waitForDisconnected(), qPrintable(forged.describe()));
    QCOMPARE(forged.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
}

void TestEventsApi::badFirstMessageClosesWith1008()
{
    EventClient client;
    client.open(eventsUrl());
    QVERIFY2(client.waitForConnected(), qPrintable(client.describe()));
    client.send(QStringLiteral("{\"access_token\": \"nonsense\"}"));
    QVERIFY2(client.waitForDisconnected(), qPrintable(client.describe()));
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY(client.messages().isEmpty());
}

void TestEventsApi::apiKeyCannotSubscribe()
{
    const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"),
        {{QStringLiteral("name"), QStringLiteral("events")},
            {QStringLiteral("scopes"), QJsonArray {QStringLiteral("read")}}},
        m_admin.auth());
    QCOMPARE(created.status, 201);
    const QByteArray key =
        created.json().object().value(QStringLiteral("key")).toString().toLatin1();
    QVERIFY(key.startsWith("opk_"));
    // The key itself is accepted over HTTP.
    const HttpResult withKey = get(m_server, QStringLiteral("/v1/posts"), bearer(key));
    QVERIFY2(withKey.status != 401, withKey.body.constData());

    EventClient client;
    client.open(eventsUrl(key));
    QVERIFY2(client.waitForDisconnected(), qPrintable(client.describe()));
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY(client.messages().isEmpty());
}

void TestEventsApi::unpublishedPostEventsReachOwnerAndAdminsOnly()
{
    const auto owner = subscribe(m_alice);
    const auto admin = subscribe(m_admin);
    const auto other = subscribe(m_bob);
    QVERIFY(owner && admin && other);

    const qint64 draft =
        createPost(m_server, m_alice, QStringLiteral("Draft"), QStringLiteral("x"), false);
    QVERIFY(draft > 0);
    // So that the draft is not the newest post when deleted (its id could come back).
    QVERIFY(createPost(m_server, m_bob, QStringLiteral("Spacer")) > 0);
    QCOMPARE(put(m_server, postPath(draft),
                 {{QStringLiteral("title"), QStringLiteral("Draft 2")},
                     {QStringLiteral("content"), QStringLiteral("y")},
                     {QStringLiteral("published"), false}},
                 m_alice.auth())
                 .status,
        200);
    QCOMPARE(vote(m_server, m_alice, draft, 1).status, 201);
    QCOMPARE(vote(m_server, m_admin, draft, 1).status, 201);
    QCOMPARE(vote(m_server, m_admin, draft, 0).status, 201);
    QCOMPARE(del(m_server, postPath(draft), m_alice.auth()).status, 204);
    // A published post afterwards: once Bob has heard of it, he would have heard of the draft.
    const qint64 marker = createPost(m_server, m_alice, QStringLiteral("Public"));
    QVERIFY(marker > 0);

    const QStringList draftEvents = ofTypes({"post.created", "post.updated", "vote.created",
        "vote.created", "vote.deleted", "post.deleted"});
    for (EventClient *client : {owner.get(), admin.get()}) {
        QVERIFY2(client->waitForEvent(QStringLiteral("post.created"), marker),
            qPrintable(client->describe()));
        QCOMPARE(client->typesFor(draft), draftEvents);
    }
    QVERIFY2(
        other->waitForEvent(QStringLiteral("post.created"), marker), qPrintable(other->describe()));
    QVERIFY2(other->typesFor(draft).isEmpty(), qPrintable(other->describe()));

    // A published post that becomes a draft: from then on only the owner and admins hear.
    const qint64 hidden = createPost(m_server, m_alice, QStringLiteral("Soon hidden"));
    QVERIFY(hidden > 0);
    QVERIFY(createPost(m_server, m_bob, QStringLiteral("Spacer")) > 0);
    QCOMPARE(put(m_server, postPath(hidden),
                 {{QStringLiteral("title"), QStringLiteral("Hidden")},
                     {QStringLiteral("content"), QString()}, {QStringLiteral("published"), false}},
                 m_alice.auth())
                 .status,
        200);
    QCOMPARE(del(m_server, postPath(hidden), m_admin.auth()).status, 204);
    const qint64 marker2 = createPost(m_server, m_alice, QStringLiteral("Public 2"));
    QVERIFY(marker2 > 0);
    QVERIFY(owner->waitForEvent(QStringLiteral("post.created"), marker2));
    QCOMPARE(owner->typesFor(hidden), ofTypes({"post.created", "post.updated", "post.deleted"}));
    QVERIFY(other->waitForEvent(QStringLiteral("post.created"), marker2));
    QCOMPARE(other->typesFor(hidden), ofTypes({"post.created"}));
}

void TestEventsApi::userEventsReachAdminsAndTheUserConcerned()
{
    const auto admin = subscribe(m_admin);
    const auto bob = subscribe(m_bob);
    QVERIFY(admin && bob);

    const Account carol = createAccount(m_server);
    QVERIFY(carol.ok());
    QVERIFY2(admin->waitForEvent(QStringLiteral("user.created"), carol.id),
        qPrintable(admin->describe()));
    const auto self = subscribe(carol);
    QVERIFY(self);
    QCOMPARE(patch(m_server, QStringLiteral("/v1/users/%1").arg(carol.id),
                 {{QStringLiteral("username"), QStringLiteral("carol")}}, carol.auth())
                 .status,
        200);
    for (EventClient *client : {admin.get(), self.get()}) {
        QVERIFY2(client->waitForEvent(QStringLiteral("user.updated"), carol.id),
            qPrintable(client->describe()));
    }
    QVERIFY(self->isConnected()); // a new username changes nothing about her sign-in

    QCOMPARE(
        del(m_server, QStringLiteral("/v1/users/%1").arg(carol.id), m_admin.auth()).status, 204);
    QVERIFY2(admin->waitForEvent(QStringLiteral("user.deleted"), carol.id),
        qPrintable(admin->describe()));
    QCOMPARE(
        admin->userTypesFor(carol.id), ofTypes({"user.created", "user.updated", "user.deleted"}));
    // Her own stream ends with her account.
    QVERIFY2(self->waitForDisconnected(), qPrintable(self->describe()));
    QCOMPARE(self->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);

    // Bob hears of none of it: once he has heard of a later post, he would have.
    const qint64 marker = createPost(m_server, m_alice, QStringLiteral("After the user events"));
    QVERIFY(marker > 0);
    QVERIFY2(
        bob->waitForEvent(QStringLiteral("post.created"), marker), qPrintable(bob->describe()));
    QVERIFY2(bob->userTypesFor(0).isEmpty(), qPrintable(bob->describe()));
}

// A disabled user cannot use their tokens (API.md): not over an open stream either.
void TestEventsApi::disablingAUserEndsTheirStream()
{
    const Account dave = createAccount(m_server);
    QVERIFY(dave.ok());
    const auto stream = subscribe(dave);
    const auto bystander = subscribe(m_bob);
    QVERIFY(stream && bystander);

    QCOMPARE(patch(m_server, QStringLiteral("/v1/users/%1").arg(dave.id),
                 {{QStringLiteral("disabled"), true}}, m_admin.auth())
                 .status,
        200);
    QVERIFY2(stream->waitForDisconnected(), qPrintable(stream->describe()));
    QCOMPARE(stream->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    // He cannot come back with the same token; others carry on.
    EventClient again;
    again.open(eventsUrl(dave.accessToken));
    QVERIFY2(again.waitForDisconnected(), qPrintable(again.describe()));
    QCOMPARE(again.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY(!again.messages().contains(kSubscribed));
    const qint64 marker = createPost(m_server, m_alice, QStringLiteral("Still live"));
    QVERIFY(bystander->waitForEvent(QStringLiteral("post.created"), marker));
}

void TestEventsApi::aDemotedAdminStopsHearingOfDrafts()
{
    const Account erin = createAccount(m_server);
    QVERIFY(erin.ok());
    const QString erinPath = QStringLiteral("/v1/users/%1").arg(erin.id);
    QCOMPARE(patch(m_server, erinPath, {{QStringLiteral("role"), QStringLiteral("admin")}},
                 m_admin.auth())
                 .status,
        200);
    const auto stream = subscribe(erin);
    QVERIFY(stream);
    const qint64 draft =
        createPost(m_server, m_alice, QStringLiteral("Draft"), QStringLiteral("x"), false);
    QVERIFY2(stream->waitForEvent(QStringLiteral("post.created"), draft),
        qPrintable(stream->describe()));

    QCOMPARE(patch(m_server, erinPath, {{QStringLiteral("role"), QStringLiteral("user")}},
                 m_admin.auth())
                 .status,
        200);
    QVERIFY2(stream->waitForEvent(QStringLiteral("user.updated"), erin.id),
        qPrintable(stream->describe()));
    const qint64 secondDraft =
        createPost(m_server, m_alice, QStringLiteral("Draft 2"), QStringLiteral("x"), false);
    const qint64 marker = createPost(m_server, m_alice, QStringLiteral("Public"));
    QVERIFY2(stream->waitForEvent(QStringLiteral("post.created"), marker),
        qPrintable(stream->describe()));
    QVERIFY2(stream->typesFor(secondDraft).isEmpty(), qPrintable(stream->describe()));
    QVERIFY(stream->isConnected());
}

void TestEventsApi::streamEndsWhenItsTokenExpires()
{
    // exp passed 28 s ago: the server still takes it for the last 2 s of its 30 s leeway.
    const QByteArray token = tokenExpiringIn(m_bob, -28);
    QVERIFY(!token.isEmpty());
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(token)).status, 200);
    EventClient client;
    client.open(eventsUrl(token));
    QVERIFY2(client.waitForMessages(1), qPrintable(client.describe()));
    QCOMPARE(client.messages().first(), kSubscribed);
    QVERIFY2(client.waitForDisconnected(10'000), qPrintable(client.describe()));
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QCOMPARE(client.closeReason(), QStringLiteral("the access token expired"));
    // And over HTTP it is refused too by now.
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(token)).status, 401);
}

void TestEventsApi::fileChangesReachEveryone()
{
    const auto client = subscribe(m_bob);
    QVERIFY(client);
    const QString path = QStringLiteral("/v1/files/events/notes.json");
    QCOMPARE(put(m_server, path, {{QStringLiteral("v"), 1}}, m_alice.auth()).status, 201);
    QCOMPARE(put(m_server, path, {{QStringLiteral("v"), 2}}, m_alice.auth()).status, 200);
    QCOMPARE(del(m_server, path, m_alice.auth()).status, 204);
    QVERIFY2(QTest::qWaitFor(
                 [&client] {
                     return !client->messages().isEmpty()
                         && client->messages().last().value(QStringLiteral("type"))
                         == QLatin1String("file.deleted");
                 },
                 5'000),
        qPrintable(client->describe()));
    // The three are about one file, in order.
    QList<QJsonObject> files;
    for (const QJsonObject &message : client->messages()) {
        if (message.value(QStringLiteral("type")).toString().startsWith(QLatin1String("file.")))
            files.append(message);
    }
    QCOMPARE(files.size(), 3);
    const qint64 id = files.first().value(QStringLiteral("id")).toInteger();
    QVERIFY(id > 0);
    QCOMPARE(client->typesFor(id), ofTypes({"file.created", "file.updated", "file.deleted"}));
}

void TestEventsApi::plainGetIs426()
{
    const HttpResult result = get(m_server, QStringLiteral("/v1/events"), m_alice.auth());
    OUTPOST_VERIFY_PROBLEM(result, 426, "Upgrade Required");
    QCOMPARE(result.header("Upgrade"), QByteArray("websocket"));
    OUTPOST_VERIFY_PROBLEM(get(m_server, QStringLiteral("/v1/events")), 426, "Upgrade Required");
}

void TestEventsApi::upgradeToAnotherPathFails()
{
    // The server answers 404 before upgrading.
    RawConnection posts(m_server.port());
    QVERIFY(posts.send("GET /v1/posts HTTP/1.1\r\n" + kUpgradeHeaders));
    QVERIFY(posts.waitForResponses(1));
    QCOMPARE(posts.responses().value(0).status, 404);
    QCOMPARE(
        posts.responses().value(0).header("Content-Type"), QByteArray("application/problem+json"));

    // The same request to /v1/events is upgraded.
    RawConnection events(m_server.port());
    QVERIFY(events.send("GET /v1/events HTTP/1.1\r\n" + kUpgradeHeaders));
    QVERIFY(events.waitFor("\r\n\r\n"));
    QVERIFY2(events.received().startsWith("HTTP/1.1 101"), events.received().constData());

    QUrl url = eventsUrl(m_alice.accessToken);
    url.setPath(QStringLiteral("/v1/posts"));
    EventClient client;
    client.open(url);
    QVERIFY(!client.waitForConnected());
    QVERIFY2(client.failed(), qPrintable(client.describe()));
    QVERIFY(client.messages().isEmpty());
}

// The guard answers plain requests itself and hands only the upgrade to QtHttpServer, which
// must then see that request and nothing of the ones before it.
void TestEventsApi::upgradeAfterRequestsOnTheSameConnection()
{
    RawConnection connection(m_server.port());
    QVERIFY(connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                            "GET /v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + m_alice.accessToken + "\r\n\r\n"));
    QVERIFY(connection.waitForResponses(2));
    QCOMPARE(responseStatuses(connection.received()), (QList<int> {200, 200}));
    const qsizetype before = connection.received().size();
    QVERIFY(connection.send(
        "GET /v1/events?access_token=" + m_alice.accessToken + " HTTP/1.1\r\n" + kUpgradeHeaders));
    QVERIFY(connection.waitFor("\"subscribed\""));
    const QByteArray upgrade = connection.received().mid(before);
    QVERIFY2(upgrade.startsWith("HTTP/1.1 101 "), upgrade.constData());
}

void TestEventsApi::eventsReachSocketsOnEveryThread()
{
    // SO_REUSEPORT spreads connections over the server's two threads by their address and
    // port: with twelve sockets, all landing on one thread is a 1-in-2048 chance.
    constexpr int kClients = 12;
    std::vector<std::unique_ptr<EventClient>> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(subscribe(i % 2 == 0 ? m_alice : m_bob));
        QVERIFY(clients.back());
    }
    const qint64 id = createPost(m_server, m_bob, QStringLiteral("Everywhere"));
    QVERIFY(id > 0);
    QCOMPARE(vote(m_server, m_alice, id, 1).status, 201);
    for (const auto &client : clients) {
        QVERIFY2(client->waitForEvent(QStringLiteral("vote.created"), id),
            qPrintable(client->describe()));
        QCOMPARE(client->typesFor(id), ofTypes({"post.created", "vote.created"}));
    }
}

void TestEventsApi::signInTimesOutAfterTenSeconds()
{
    EventClient client;
    QElapsedTimer clock;
    clock.start();
    client.open(eventsUrl());
    QVERIFY2(client.waitForConnected(), qPrintable(client.describe()));
    QVERIFY2(client.waitForDisconnected(14'000), qPrintable(client.describe()));
    QVERIFY2(clock.elapsed() >= 9'000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY(client.messages().isEmpty());
}

QTEST_GUILESS_MAIN(TestEventsApi)
#include "tst_eventsapi.moc"
