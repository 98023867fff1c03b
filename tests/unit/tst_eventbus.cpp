// The event bus (server/services/eventbus.cpp): what it hands the relay to the other replicas
// and what it makes of what comes back (server/db/eventchannel.h carries the payloads).
#include "services/eventbus.h"

#include <QSignalSpy>
#include <QTest>

using namespace Outpost::Server;

class TestEventBus final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void payloadRoundTrips()
    {
        Event event;
        event.type = QStringLiteral("post.updated");
        event.id = 42;
        event.at = QDateTime(QDate(2026, 12, 7), QTime(8, 30, 1), Qt::UTC);
        event.audienceUserId = 7;
        const std::optional<Event> back = EventBus::decode(EventBus::encode(event));
        QVERIFY(back.has_value());
        QCOMPARE(back->type, event.type);
        QCOMPARE(back->id, event.id);
        QCOMPARE(back->at, event.at);
        QCOMPARE(back->audienceUserId, event.audienceUserId);
    }

    void malformedPayloadsAreDropped_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("not json") << QByteArray("post.created 1");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("no type") << QByteArray(R"({"id":1,"at":"2026-12-07T08:30:00Z"})");
        QTest::newRow("no time") << QByteArray(R"({"type":"post.created","id":1})");
        QTest::newRow("bad time") << QByteArray(R"({"type":"post.created","at":"yesterday"})");
    }

    void malformedPayloadsAreDropped()
    {
        QFETCH(QByteArray, payload);
        QVERIFY(!EventBus::decode(payload).has_value());
        EventBus bus;
        QSignalSpy published(&bus, &EventBus::published);
        bus.receive(payload);
        // A well-formed one after it arrives, so the malformed one was dropped, not delayed.
        Event marker;
        marker.type = QStringLiteral("post.created");
        marker.at = QDateTime::currentDateTimeUtc();
        bus.receive(EventBus::encode(marker));
        QCOMPARE(published.size(), 1);
        QCOMPARE(published.at(0).at(0).value<Event>().type, marker.type);
    }

    void publishGoesToSubscribersAndTheRelay()
    {
        EventBus bus;
        QList<QByteArray> relayed;
        bus.setRelay([&relayed](const QByteArray &payload) { relayed.append(payload); });
        QSignalSpy published(&bus, &EventBus::published);
        Event event;
        event.type = QStringLiteral("file.deleted");
        event.id = 3;
        bus.publish(event);
        QCOMPARE(published.size(), 1);
        QCOMPARE(relayed.size(), 1);
        const std::optional<Event> sent = EventBus::decode(relayed.first());
        QVERIFY(sent.has_value());
        QCOMPARE(sent->type, event.type);
        QVERIFY(sent->at.isValid()); // publish() stamps the time
    }

    void receivedEventsAreNotRelayedBack()
    {
        EventBus bus;
        int relayed = 0;
        bus.setRelay([&relayed](const QByteArray &) { ++relayed; });
        QSignalSpy published(&bus, &EventBus::published);
        Event event;
        event.type = QStringLiteral("run.failed");
        event.at = QDateTime::currentDateTimeUtc();
        bus.receive(EventBus::encode(event));
        QCOMPARE(published.size(), 1);
        QCOMPARE(relayed, 0); // another replica's event must not echo between replicas
    }
};

QTEST_GUILESS_MAIN(TestEventBus)
#include "tst_eventbus.moc"
