// Subscriptions and outgoing webhooks (server/api/subscriptionsapi.cpp,
// server/services/deliverydispatcher.cpp) against a real receiver the test starts on
// 127.0.0.1 (tests/support/webhookreceiver.py, Python standard library), which checks every
// signature with its own HMAC: signed deliveries, retries, a receiver that hangs or
// redirects, secret rotation, visibility, restarts with deliveries pending, the SSRF rules
// with OUTPOST_WEBHOOK_ALLOW_PRIVATE off, the W3C trace of the request that caused an event
// carried by its webhooks, and on PostgreSQL two replicas sharing one queue.
#include "factories.h"
#include "testserver.h"
#include "webhookreceiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Outpost::Test;

namespace {

constexpr int kDeliveryWaitMs = 30'000;

QJsonObject bodyOf(const QJsonObject &entry)
{
    return QJsonDocument::fromJson(entry.value(QStringLiteral("body")).toString().toUtf8())
        .object();
}

} // namespace

class TestSubscriptionsApi final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    WebhookReceiver m_receiver;
    Account m_admin;
    Account m_alice;
    Account m_bob;

    // POST /v1/subscriptions for a webhook to the receiver's `path`; its JSON (with "secret").
    QJsonObject subscribe(const Account &who, const QString &path, const QStringList &events,
        TestServer *server = nullptr)
    {
        TestServer &target = server ? *server : m_server;
        const HttpResult result = post(target, QStringLiteral("/v1/subscriptions"),
            {{QStringLiteral("kind"), QStringLiteral("webhook")},
                {QStringLiteral("url"), m_receiver.url(path)},
                {QStringLiteral("events"), QJsonArray::fromStringList(events)}},
            who.auth());
        if (result.status != 201) {
            qWarning() << "subscribe:" << result.status << result.body;
            return {};
        }
        const QJsonObject json = objectOf(result);
        m_receiver.addSecret(textOf(json, "secret"));
        return json;
    }

    QJsonArray deliveries(const Account &who, qint64 id, TestServer *server = nullptr)
    {
        return itemsOf(get(server ? *server : m_server,
            QStringLiteral("/v1/subscriptions/%1/deliveries?limit=100").arg(id), who.auth()));
    }

    // The delivery with this message id, as the API lists it (empty if none).
    QJsonObject delivery(const Account &who, qint64 id, const QString &messageId)
    {
        for (const QJsonValue &value : deliveries(who, id)) {
            if (value.toObject().value(QStringLiteral("message_id")).toString() == messageId)
                return value.toObject();
        }
        return {};
    }

    QString ping(const Account &who, qint64 id, TestServer *server = nullptr)
    {
        const HttpResult result = post(server ? *server : m_server,
            QStringLiteral("/v1/subscriptions/%1/test").arg(id), {}, who.auth());
        if (result.status != 202)
            qWarning() << "ping:" << result.status << result.body;
        return textOf(objectOf(result), "message_id");
    }

    // The request to `path` whose body is an event of `type` about `id` (empty until one came).
    QJsonObject receivedEvent(const QString &path, const QString &type, qint64 id) const
    {
        for (const QJsonObject &candidate : m_receiver.received(path)) {
            const QJsonObject body = bodyOf(candidate);
            if (body.value(QStringLiteral("type")).toString() == type
                && body.value(QStringLiteral("data"))
                        .toObject()
                        .value(QStringLiteral("id"))
                        .toInteger()
                    == id)
                return candidate;
        }
        return {};
    }

    static void configure(TestServer &server)
    {
        server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_ALLOW_PRIVATE"), QStringLiteral("true"));
        server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_RETRY_SCHEDULE"), QStringLiteral("1s,1s"));
        server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_TIMEOUT"), QStringLiteral("2s"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!m_receiver.start(why)) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL(qPrintable(why));
            QSKIP(qPrintable(why));
        }
        configure(m_server);
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        m_alice = createAccount(m_server);
        m_bob = createAccount(m_server);
        QVERIFY(m_admin.ok() && m_alice.ok() && m_bob.ok());
    }

    void createsWebhookAndShowsTheSecretOnce()
    {
        const QJsonObject made = subscribe(m_alice, QStringLiteral("/ok"),
            {QStringLiteral("post.created"), QStringLiteral("file.*")});
        const QString secret = textOf(made, "secret");
        QVERIFY2(secret.startsWith(QStringLiteral("whsec_")), qPrintable(secret));
        const QByteArray key = QByteArray::fromBase64(secret.mid(6).toLatin1());
        QVERIFY(key.size() >= 24 && key.size() <= 32);
        QCOMPARE(made.value(QStringLiteral("kind")).toString(), QStringLiteral("webhook"));
        QCOMPARE(made.value(QStringLiteral("enabled")).toBool(), true);
        const qint64 id = made.value(QStringLiteral("id")).toInteger();

        const HttpResult got =
            get(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id), m_alice.auth());
        QCOMPARE(got.status, 200);
        QVERIFY(!objectOf(got).contains(QStringLiteral("secret")));
        QCOMPARE(textOf(objectOf(got), "url"), m_receiver.url(QStringLiteral("/ok")));
        const HttpResult list = get(m_server, QStringLiteral("/v1/subscriptions"), m_alice.auth());
        QVERIFY(idsOf(list).contains(id));
        QVERIFY(!list.body.contains("whsec_"));

        // Others do not see it; admins do.
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id), m_bob.auth()), 404,
            "Not Found");
        QVERIFY(
            !idsOf(get(m_server, QStringLiteral("/v1/subscriptions"), m_bob.auth())).contains(id));
        QCOMPARE(
            get(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id), m_admin.auth()).status,
            200);

        const HttpResult audit =
            get(m_server, QStringLiteral("/v1/admin/audit?limit=100"), m_admin.auth());
        QVERIFY(audit.body.contains("subscription.created"));
    }

    void rejectsBadRequestsAndChangesNothing()
    {
        const qint64 before =
            totalOf(get(m_server, QStringLiteral("/v1/subscriptions"), m_alice.auth()));
        const auto create = [this](const QJsonObject &body, const Account &who) {
            return post(m_server, QStringLiteral("/v1/subscriptions"), body, who.auth());
        };
        const QJsonArray events {QStringLiteral("post.created")};
        OUTPOST_VERIFY_PROBLEM(create({{QStringLiteral("kind"), QStringLiteral("sms")},
                                          {QStringLiteral("events"), events}},
                                   m_alice),
            422, "Unprocessable Content");
        OUTPOST_VERIFY_PROBLEM(
            create({{QStringLiteral("kind"), QStringLiteral("webhook")},
                       {QStringLiteral("url"), m_receiver.url(QStringLiteral("/ok"))}},
                m_alice),
            422, "Unprocessable Content");
        OUTPOST_VERIFY_PROBLEM(
            create({{QStringLiteral("kind"), QStringLiteral("webhook")},
                       {QStringLiteral("url"), QStringLiteral("ftp://example.com/")},
                       {QStringLiteral("events"), events}},
                m_alice),
            422, "Unprocessable Content");
        const HttpResult pattern =
            create({{QStringLiteral("kind"), QStringLiteral("webhook")},
                       {QStringLiteral("url"), m_receiver.url(QStringLiteral("/ok"))},
                       {QStringLiteral("events"), QJsonArray {QStringLiteral("Post*")}}},
                m_alice);
        OUTPOST_VERIFY_PROBLEM(pattern, 422, "Unprocessable Content");
        QCOMPARE(errorFields(pattern), QStringList {QStringLiteral("events")});
        OUTPOST_VERIFY_PROBLEM(
            create({{QStringLiteral("kind"), QStringLiteral("webhook")},
                       {QStringLiteral("url"), m_receiver.url(QStringLiteral("/ok"))},
                       {QStringLiteral("events"), QJsonArray {QStringLiteral("invoice.paid")}}},
                m_alice),
            422, "Unprocessable Content");
        // A plain user's e-mail goes to their own address only.
        OUTPOST_VERIFY_PROBLEM(
            create({{QStringLiteral("kind"), QStringLiteral("email")},
                       {QStringLiteral("to"), m_bob.email}, {QStringLiteral("events"), events}},
                m_alice),
            403, "Forbidden");
        const HttpResult malformed =
            httpRequest("POST", m_server.url(QStringLiteral("/v1/subscriptions")),
                "{\"kind\":", m_alice.auth({{"Content-Type", "application/json"}}));
        OUTPOST_VERIFY_PROBLEM(malformed, 400, "Bad Request");
        QCOMPARE(
            totalOf(get(m_server, QStringLiteral("/v1/subscriptions"), m_alice.auth())), before);

        // Their own address, and an admin's to anyone, are fine.
        QCOMPARE(
            create({{QStringLiteral("kind"), QStringLiteral("email")},
                       {QStringLiteral("to"), m_alice.email}, {QStringLiteral("events"), events}},
                m_alice)
                .status,
            201);
        QCOMPARE(
            create({{QStringLiteral("kind"), QStringLiteral("email")},
                       {QStringLiteral("to"), m_bob.email}, {QStringLiteral("events"), events}},
                m_admin)
                .status,
            201);
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/subscriptions/99999/test"), {}, m_alice.auth()), 404,
            "Not Found");
    }

    void deliversSignedEvents()
    {
        const QJsonObject made =
            subscribe(m_bob, QStringLiteral("/ok"), {QStringLiteral("post.created")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const qint64 postId = createPost(m_server, m_bob, QStringLiteral("Signed and delivered"));
        QVERIFY(postId > 0);
        // Other subscriptions to /ok hear of the post too (each signed with its own secret):
        // take the request of this subscription's delivery, by its webhook-id. Its first
        // post.created is this post's, the only one made since it was created.
        QString message;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QJsonValue &value : deliveries(m_bob, id)) {
                    if (textOf(value.toObject(), "event") == QLatin1String("post.created"))
                        message = textOf(value.toObject(), "message_id");
                }
                return !message.isEmpty()
                    && !m_receiver.received(QStringLiteral("/ok"), message).isEmpty();
            }(),
            kDeliveryWaitMs);
        const QJsonObject entry = m_receiver.received(QStringLiteral("/ok"), message).first();
        QCOMPARE(bodyOf(entry)
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toInteger(),
            postId);
        QCOMPARE(entry.value(QStringLiteral("verified_with")).toArray(),
            QJsonArray {textOf(made, "secret")});
        QVERIFY(textOf(entry, "id").startsWith(QStringLiteral("msg_")));
        QVERIFY(textOf(entry, "signature").startsWith(QStringLiteral("v1,")));
        QCOMPARE(textOf(entry, "content_type"), QStringLiteral("application/json"));
        const QJsonObject body = bodyOf(entry);
        QVERIFY(body.contains(QStringLiteral("timestamp")));
        QTRY_COMPARE_WITH_TIMEOUT(textOf(delivery(m_bob, id, textOf(entry, "id")), "status"),
            QStringLiteral("delivered"), kDeliveryWaitMs);
        const QJsonObject recorded = delivery(m_bob, id, textOf(entry, "id"));
        QCOMPARE(recorded.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(recorded.value(QStringLiteral("response_code")).toInt(), 200);
        QCOMPARE(textOf(recorded, "event"), QStringLiteral("post.created"));
        QVERIFY(recorded.value(QStringLiteral("latency_ms")).toInteger() >= 0);
    }

    // A webhook continues the W3C trace of the request that caused its event (the same trace
    // id, a span of its own, the caller's tracestate), however much later the queue sends it;
    // a test ping likewise. An event from an untraced request (no traceparent, no export)
    // carries no trace header.
    void webhooksCarryTheTraceOfTheCausingRequest()
    {
        const QJsonObject made = subscribe(
            m_bob, QStringLiteral("/ok"), {QStringLiteral("post.created"), QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const QByteArray traceId = "0af7651916cd43dd8448eb211c80319c";
        const QByteArray callerSpan = "b7ad6b7169203331";
        const QByteArray traceState = "congo=t61rcWkgMzE";
        const QMap<QByteArray, QByteArray> traced {
            {"traceparent", "00-" + traceId + "-" + callerSpan + "-01"},
            {"tracestate", traceState}};
        const auto checkTraced = [&](const QJsonObject &entry) {
            const QByteArray sent = textOf(entry, "traceparent").toLatin1();
            const QList<QByteArray> parts = sent.split('-');
            QVERIFY2(parts.size() == 4 && parts.at(0) == "00" && parts.at(1) == traceId
                    && parts.at(3) == "01",
                sent.constData());
            QVERIFY2(parts.at(2).size() == 16 && parts.at(2) != callerSpan
                    && parts.at(2) != QByteArray(16, '0'),
                sent.constData());
            QCOMPARE(textOf(entry, "tracestate").toLatin1(), traceState);
        };

        const HttpResult created = post(m_server, QStringLiteral("/v1/posts"),
            {{QStringLiteral("title"), QStringLiteral("Traced to the receiver")},
                {QStringLiteral("content"), QStringLiteral("Its webhook continues the trace.")}},
            m_bob.auth(traced));
        QCOMPARE(created.status, 201);
        const qint64 postId = objectOf(created).value(QStringLiteral("id")).toInteger();
        QTRY_VERIFY_WITH_TIMEOUT(
            !receivedEvent(QStringLiteral("/ok"), QStringLiteral("post.created"), postId).isEmpty(),
            kDeliveryWaitMs);
        checkTraced(receivedEvent(QStringLiteral("/ok"), QStringLiteral("post.created"), postId));

        const HttpResult pinged = post(
            m_server, QStringLiteral("/v1/subscriptions/%1/test").arg(id), {}, m_bob.auth(traced));
        QCOMPARE(pinged.status, 202);
        const QString message = textOf(objectOf(pinged), "message_id");
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_receiver.received(QStringLiteral("/ok"), message).isEmpty(), kDeliveryWaitMs);
        checkTraced(m_receiver.received(QStringLiteral("/ok"), message).first());
        // Two deliveries in one trace: two spans.
        QVERIFY(textOf(m_receiver.received(QStringLiteral("/ok"), message).first(), "traceparent")
            != textOf(receivedEvent(QStringLiteral("/ok"), QStringLiteral("post.created"), postId),
                "traceparent"));

        const qint64 untraced = createPost(m_server, m_bob, QStringLiteral("Not traced"));
        QVERIFY(untraced > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            !receivedEvent(QStringLiteral("/ok"), QStringLiteral("post.created"), untraced)
                 .isEmpty(),
            kDeliveryWaitMs);
        const QJsonObject plain =
            receivedEvent(QStringLiteral("/ok"), QStringLiteral("post.created"), untraced);
        QVERIFY(plain.value(QStringLiteral("traceparent")).isNull());
        QVERIFY(plain.value(QStringLiteral("tracestate")).isNull());
    }

    void usersHearOnlyOfWhatTheyMaySee()
    {
        const QJsonObject made =
            subscribe(m_bob, QStringLiteral("/ok"), {QStringLiteral("post.*")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const QJsonObject admins =
            subscribe(m_admin, QStringLiteral("/ok"), {QStringLiteral("post.created")});
        const qint64 adminId = admins.value(QStringLiteral("id")).toInteger();
        const qint64 hidden =
            createPost(m_server, m_alice, QStringLiteral("Draft"), QStringLiteral("x"), false);
        const qint64 shown = createPost(m_server, m_alice, QStringLiteral("Published"));
        QVERIFY(hidden > 0 && shown > 0);
        // Deliveries go out in order per subscription: once the published post has reached
        // Bob's subscription, the draft would have too.
        const auto eventsFor = [this](const Account &who, qint64 subscription) {
            QList<QString> types;
            for (const QJsonValue &value : deliveries(who, subscription))
                types.append(textOf(value.toObject(), "status"));
            return types;
        };
        QTRY_VERIFY_WITH_TIMEOUT(!eventsFor(m_bob, id).isEmpty(), kDeliveryWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(eventsFor(m_admin, adminId).size() == 2, kDeliveryWaitMs);
        QCOMPARE(eventsFor(m_bob, id).size(), 1);
    }

    void retriesAFailedAttempt()
    {
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/flaky"), {QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const QString message = ping(m_alice, id);
        QVERIFY(!message.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(textOf(delivery(m_alice, id, message), "status"),
            QStringLiteral("delivered"), kDeliveryWaitMs);
        QCOMPARE(delivery(m_alice, id, message).value(QStringLiteral("attempts")).toInt(), 2);
        const QList<QJsonObject> seen = m_receiver.received(QStringLiteral("/flaky"), message);
        QCOMPARE(seen.size(), 2); // the same webhook-id both times
        for (const QJsonObject &entry : seen)
            QVERIFY(!entry.value(QStringLiteral("verified_with")).toArray().isEmpty());
        QCOMPARE(textOf(bodyOf(seen.first()), "type"), QStringLiteral("ping"));
    }

    void failsAfterTheScheduleAndRetriesOnRequest()
    {
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/fail"), {QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const QString message = ping(m_alice, id);
        QTRY_COMPARE_WITH_TIMEOUT(textOf(delivery(m_alice, id, message), "status"),
            QStringLiteral("failed"), kDeliveryWaitMs);
        const QJsonObject failed = delivery(m_alice, id, message);
        QCOMPARE(failed.value(QStringLiteral("attempts")).toInt(), 3); // 1 + the schedule's 2
        QCOMPARE(failed.value(QStringLiteral("response_code")).toInt(), 500);
        QCOMPARE(textOf(failed, "response_body"), QStringLiteral("receiver is broken"));
        QVERIFY(failed.value(QStringLiteral("next_attempt_at")).isNull());

        const qint64 deliveryId = failed.value(QStringLiteral("id")).toInteger();
        OUTPOST_VERIFY_PROBLEM(
            post(m_server,
                QStringLiteral("/v1/subscriptions/%1/deliveries/%2/retry").arg(id).arg(deliveryId),
                {}, m_bob.auth()),
            404, "Not Found");
        const HttpResult retried = post(m_server,
            QStringLiteral("/v1/subscriptions/%1/deliveries/%2/retry").arg(id).arg(deliveryId), {},
            m_alice.auth());
        QCOMPARE(retried.status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_receiver.received(QStringLiteral("/fail"), message).size() > 3, kDeliveryWaitMs);
    }

    void aHangingReceiverNeverSlowsTheApi()
    {
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/hang"), {QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const QString message = ping(m_alice, id);
        // The receiver holds the request...
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_receiver.received(QStringLiteral("/hang"), message).isEmpty(), kDeliveryWaitMs);
        // ...and meanwhile the API answers.
        QCOMPARE(get(m_server, QStringLiteral("/healthz")).status, 200);
        QVERIFY(createPost(m_server, m_alice, QStringLiteral("While a receiver hangs")) > 0);
        QCOMPARE(get(m_server, QStringLiteral("/v1/subscriptions"), m_alice.auth()).status, 200);
        // The attempt times out (OUTPOST_WEBHOOK_TIMEOUT) and is tried again later.
        QTRY_VERIFY_WITH_TIMEOUT(textOf(delivery(m_alice, id, message), "last_error")
                                     .startsWith(QStringLiteral("timed out")),
            kDeliveryWaitMs);
        m_receiver.release();
    }

    void redirectsAreNotFollowed()
    {
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/redirect"), {QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const QString message = ping(m_alice, id);
        QTRY_COMPARE_WITH_TIMEOUT(
            delivery(m_alice, id, message).value(QStringLiteral("response_code")).toInt(), 302,
            kDeliveryWaitMs);
        QCOMPARE(textOf(delivery(m_alice, id, message), "status"), QStringLiteral("pending"));
        QVERIFY(m_receiver.received(QStringLiteral("/ok"), message).isEmpty());
    }

    void rotationSignsWithBothSecretsFor24Hours()
    {
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/ok"), {QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const HttpResult rotated = post(m_server,
            QStringLiteral("/v1/subscriptions/%1/rotate-secret").arg(id), {}, m_alice.auth());
        QCOMPARE(rotated.status, 200);
        const QString fresh = textOf(objectOf(rotated), "secret");
        QVERIFY(fresh.startsWith(QStringLiteral("whsec_")));
        QVERIFY(fresh != textOf(made, "secret"));
        m_receiver.addSecret(fresh);
        const QString message = ping(m_alice, id);
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_receiver.received(QStringLiteral("/ok"), message).isEmpty(), kDeliveryWaitMs);
        const QJsonObject entry = m_receiver.received(QStringLiteral("/ok"), message).first();
        QCOMPARE(textOf(entry, "signature").split(u' ').size(), 2);
        const QJsonArray verified = entry.value(QStringLiteral("verified_with")).toArray();
        QVERIFY(verified.contains(fresh));
        QVERIFY(verified.contains(textOf(made, "secret")));
    }

    void updatesAndDeletes()
    {
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/ok"), {QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const HttpResult changed = put(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id),
            {{QStringLiteral("events"), QJsonArray {QStringLiteral("run.*")}},
                {QStringLiteral("description"), QStringLiteral("CI")}},
            m_alice.auth());
        QCOMPARE(changed.status, 200);
        QCOMPARE(objectOf(changed).value(QStringLiteral("events")).toArray(),
            QJsonArray {QStringLiteral("run.*")});
        OUTPOST_VERIFY_PROBLEM(put(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id),
                                   {{QStringLiteral("to"), m_alice.email}}, m_alice.auth()),
            422, "Unprocessable Content");
        OUTPOST_VERIFY_PROBLEM(
            put(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id),
                {{QStringLiteral("description"), QStringLiteral("x")}}, m_bob.auth()),
            404, "Not Found");
        QCOMPARE(
            del(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id), m_alice.auth()).status,
            204);
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/subscriptions/%1").arg(id), m_alice.auth()), 404,
            "Not Found");
    }

    void emailWithoutMailerStaysPendingVisibly()
    {
        const HttpResult made = post(m_server, QStringLiteral("/v1/subscriptions"),
            {{QStringLiteral("kind"), QStringLiteral("email")}, {QStringLiteral("to"), m_bob.email},
                {QStringLiteral("events"), QJsonArray {QStringLiteral("ping")}}},
            m_bob.auth());
        QCOMPARE(made.status, 201);
        QVERIFY(!objectOf(made).contains(QStringLiteral("secret")));
        const qint64 id = idOf(made);
        const QString message = ping(m_bob, id);
        const QJsonObject queued = delivery(m_bob, id, message);
        QCOMPARE(textOf(queued, "status"), QStringLiteral("pending"));
        QVERIFY(textOf(queued, "last_error").startsWith(QStringLiteral("no mailer configured")));
    }

    void pagesDeliveries()
    {
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/ok"), {QStringLiteral("ping")});
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        ping(m_alice, id);
        ping(m_alice, id);
        const HttpResult page =
            get(m_server, QStringLiteral("/v1/subscriptions/%1/deliveries?limit=1&skip=1").arg(id),
                m_alice.auth());
        QCOMPARE(page.status, 200);
        QCOMPARE(totalOf(page), 2);
        QCOMPARE(itemsOf(page).size(), 1);
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/subscriptions/%1/deliveries?limit=0").arg(id),
                m_alice.auth()),
            422, "Unprocessable Content");
    }

    void metricsShowTheQueue()
    {
        const HttpResult metrics = get(m_server, QStringLiteral("/metrics"), m_admin.auth());
        QCOMPARE(metrics.status, 200);
        QVERIFY(metricValue(metrics.body, "outpost_webhook_deliveries_total{result=\"delivered\"}")
            >= 1);
        QVERIFY(
            metricValue(metrics.body, "outpost_webhook_deliveries_total{result=\"failed\"}") >= 1);
        QVERIFY(metricValue(metrics.body, "outpost_webhook_queue_depth") >= 1); // the e-mail one
        QVERIFY(metricValue(metrics.body, "outpost_webhook_oldest_pending_age_seconds") >= 0);
    }

    void deliversAfterARestart()
    {
        TestServer first;
        configure(first);
        QVERIFY2(first.start(), qPrintable(first.lastError()));
        const Account admin = createAdmin(first);
        const QJsonObject made =
            subscribe(admin, QStringLiteral("/gate"), {QStringLiteral("ping")}, &first);
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        const QString message = ping(admin, id, &first);
        const auto recorded = [&id, &message, this](TestServer &server, const Account &who) {
            for (const QJsonValue &value : deliveries(who, id, &server)) {
                if (textOf(value.toObject(), "message_id") == message)
                    return value.toObject();
            }
            return QJsonObject();
        };
        // The receiver refuses (503): the delivery waits for its next attempt...
        QTRY_COMPARE_WITH_TIMEOUT(
            recorded(first, admin).value(QStringLiteral("response_code")).toInt(), 503,
            kDeliveryWaitMs);
        QCOMPARE(first.stop(), 0);
        m_receiver.open();

        // ...which a new process on the same data makes.
        TestServer again;
        configure(again);
        again.setArguments({QStringLiteral("--data-dir"), first.dataDir()});
        if (TestServer::onPostgres())
            again.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), first.databaseUrl());
        QVERIFY2(again.start(), qPrintable(again.lastError()));
        const Account adminAgain {
            admin.id, admin.email, admin.password, login(again, admin.email).accessToken, {}};
        QVERIFY(adminAgain.ok());
        QTRY_COMPARE_WITH_TIMEOUT(textOf(recorded(again, adminAgain), "status"),
            QStringLiteral("delivered"), kDeliveryWaitMs);
        QVERIFY(!m_receiver.received(QStringLiteral("/gate"), message).isEmpty());
    }

    void openApiDescribesTheRoutes()
    {
        const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
        QCOMPARE(result.status, 200);
        const QJsonObject paths = objectOf(result).value(QStringLiteral("paths")).toObject();
        QCOMPARE(paths.value(QStringLiteral("/v1/subscriptions"))
                     .toObject()
                     .value(QStringLiteral("post"))
                     .toObject()
                     .value(QStringLiteral("operationId"))
                     .toString(),
            QStringLiteral("createSubscription"));
        QCOMPARE(paths.value(QStringLiteral("/v1/subscriptions/{id}/deliveries/{delivery}/retry"))
                     .toObject()
                     .value(QStringLiteral("post"))
                     .toObject()
                     .value(QStringLiteral("operationId"))
                     .toString(),
            QStringLiteral("retrySubscriptionDelivery"));
        const OpenApiCheck check = validateOpenApi(result.body);
        if (!check.skipReason.isEmpty())
            QSKIP(qPrintable(check.skipReason));
        QVERIFY2(check.ok, check.output.constData());
    }

    // OUTPOST_WEBHOOK_ALLOW_PRIVATE off: https only, and no private destination, whether named
    // by an address (refused at once) or by a name that resolves to one (refused on connect).
    void refusesPrivateDestinations()
    {
        TestServer strict;
        QVERIFY2(strict.start(), qPrintable(strict.lastError()));
        const Account admin = createAdmin(strict);
        QVERIFY(admin.ok());
        const auto create = [&](const QString &url) {
            return post(strict, QStringLiteral("/v1/subscriptions"),
                {{QStringLiteral("kind"), QStringLiteral("webhook")}, {QStringLiteral("url"), url},
                    {QStringLiteral("events"), QJsonArray {QStringLiteral("ping")}}},
                admin.auth());
        };
        for (const QString &url :
            {QStringLiteral("https://127.0.0.1/hook"), QStringLiteral("https://10.1.2.3/hook"),
                QStringLiteral("https://169.254.169.254/latest"),
                QStringLiteral("https://[::1]/hook"),
                QStringLiteral("https://[::ffff:127.0.0.1]/hook"),
                QStringLiteral("http://example.com/hook")}) {
            const HttpResult refused = create(url);
            QVERIFY2(refused.status == 422,
                qPrintable(url + QStringLiteral(": ") + QString::fromUtf8(refused.body)));
            QCOMPARE(errorFields(refused), QStringList {QStringLiteral("url")});
        }
        QCOMPARE(totalOf(get(strict, QStringLiteral("/v1/subscriptions"), admin.auth())), 0);

        // A name: accepted, and refused on the address it resolves to.
        const HttpResult named =
            create(QStringLiteral("https://localhost:%1/ok").arg(m_receiver.port()));
        QCOMPARE(named.status, 201);
        const qint64 id = idOf(named);
        const QString message = ping(admin, id, &strict);
        const auto lastError = [&] {
            for (const QJsonValue &value : deliveries(admin, id, &strict)) {
                if (textOf(value.toObject(), "message_id") == message)
                    return textOf(value.toObject(), "last_error");
            }
            return QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            lastError().contains(QStringLiteral("not a public address")), kDeliveryWaitMs);
        QVERIFY2(lastError().contains(QStringLiteral("loopback")), qPrintable(lastError()));
        QVERIFY(m_receiver.received(QStringLiteral("/ok"), message).isEmpty());
        const HttpResult metrics = get(strict, QStringLiteral("/metrics"), admin.auth());
        QVERIFY(
            metricValue(metrics.body, "outpost_webhook_deliveries_total{result=\"refused\"}") >= 1);
    }

    void disablesASubscriptionFailingTooLong()
    {
        TestServer server;
        configure(server);
        server.setEnv(
            QStringLiteral("OUTPOST_WEBHOOK_RETRY_SCHEDULE"), QStringLiteral("1s,1s,1s,1s"));
        server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_DISABLE_AFTER"), QStringLiteral("1s"));
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const Account admin = createAdmin(server);
        const QJsonObject made =
            subscribe(admin, QStringLiteral("/fail"), {QStringLiteral("ping")}, &server);
        const qint64 id = made.value(QStringLiteral("id")).toInteger();
        ping(admin, id, &server);
        const auto current = [&] {
            return objectOf(
                get(server, QStringLiteral("/v1/subscriptions/%1").arg(id), admin.auth()));
        };
        QTRY_COMPARE_WITH_TIMEOUT(
            current().value(QStringLiteral("enabled")).toBool(), false, kDeliveryWaitMs);
        QVERIFY(textOf(current(), "disabled_reason")
                    .startsWith(QStringLiteral("deliveries failed since")));
        const HttpResult enabled = put(server, QStringLiteral("/v1/subscriptions/%1").arg(id),
            {{QStringLiteral("enabled"), true}}, admin.auth());
        QCOMPARE(enabled.status, 200);
        QCOMPARE(objectOf(enabled).value(QStringLiteral("enabled")).toBool(), true);
        QVERIFY(objectOf(enabled).value(QStringLiteral("disabled_reason")).isNull());
    }

    // Two replicas on one PostgreSQL database work one queue: each delivery is sent once.
    void twoReplicasNeverSendOneDeliveryTwice()
    {
        if (!TestServer::onPostgres())
            QSKIP("replicas share a PostgreSQL database (this is the SQLite run)");
        TestServer second;
        configure(second);
        second.setEnv(QStringLiteral("OUTPOST_DATABASE_URL"), m_server.databaseUrl());
        QVERIFY2(second.start(), qPrintable(second.lastError()));
        const QJsonObject made =
            subscribe(m_alice, QStringLiteral("/ok"), {QStringLiteral("post.created")});
        QVERIFY(!made.isEmpty());
        const Account aliceThere {m_alice.id, m_alice.email, m_alice.password,
            login(second, m_alice.email).accessToken, {}};
        QSet<qint64> posts;
        for (int i = 0; i < 20; ++i) {
            posts.insert(createPost(m_server, m_alice, QStringLiteral("one %1").arg(i)));
            posts.insert(createPost(second, aliceThere, QStringLiteral("two %1").arg(i)));
        }
        QCOMPARE(posts.size(), 40);
        const auto delivered = [&] {
            QSet<qint64> seen;
            for (const QJsonObject &entry : m_receiver.received(QStringLiteral("/ok"))) {
                const qint64 post = bodyOf(entry)
                                        .value(QStringLiteral("data"))
                                        .toObject()
                                        .value(QStringLiteral("id"))
                                        .toInteger();
                if (posts.contains(post))
                    seen.insert(post);
            }
            return seen.size();
        };
        QTRY_COMPARE_WITH_TIMEOUT(delivered(), 40, kDeliveryWaitMs);
        QMap<QString, int> byId;
        for (const QJsonObject &entry : m_receiver.received(QStringLiteral("/ok")))
            ++byId[textOf(entry, "id")];
        for (auto it = byId.cbegin(); it != byId.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key() + QStringLiteral(" arrived twice")));
    }
};

QTEST_GUILESS_MAIN(TestSubscriptionsApi)
#include "tst_subscriptionsapi.moc"
