#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace Outpost::Server {

// "post.created", "post.updated", "post.deleted", "vote.created", "vote.deleted", later
// "file.*", "run.*", "user.*": what changed, so clients refresh it.
struct Event
{
    QString type;
    qint64 id = 0;
    QDateTime at;
    // Who may hear of it: 0 for every signed-in user, else only this user (and admins),
    // e.g. changes to an unpublished post.
    qint64 audienceUserId = 0;
    // This replica's order of events, set by the bus as it passes one on (not sent anywhere):
    // a subscriber hears only events after the one that was last when it signed in.
    quint64 sequence = 0;

    QJsonObject toJson() const;
};

// In-process publish/subscribe, plus the other replicas through a relay when there is one.
// publish() is safe from any thread; subscribers in other threads receive through queued
// connections in their own thread.
class EventBus final : public QObject
{
    Q_OBJECT

public:
    explicit EventBus(QObject *parent = nullptr);
    // To this replica's subscribers and, through the relay, to the other replicas'.
    void publish(Event event);
    // To this replica's subscribers only: an event another replica published.
    void deliver(const Event &event);
    // To this replica's subscribers only: a payload another replica's relay sent (encode()).
    // A malformed payload is logged and dropped.
    void receive(const QByteArray &payload);

    // Carries every event published here to the other replicas as encode()'s payload
    // (PostgreSQL LISTEN/NOTIFY: db/eventchannel.h). Called from any thread; must not block.
    using Relay = std::function<void(const QByteArray &payload)>;
    // Set before the server serves. Empty: this replica only.
    void setRelay(Relay relay) { m_relay = std::move(relay); }

    // Receives every event published on this replica (not those relayed from others), on the
    // publishing thread: the outgoing-event queue (DeliveryDispatcher::enqueue). Must not block.
    using Outbox = std::function<void(const Event &event)>;
    // Set before the server serves, cleared before the outbox goes.
    void setOutbox(Outbox outbox) { m_outbox = std::move(outbox); }

    // The sequence of the event passed on last (0: none yet). Safe from any thread.
    quint64 lastSequence() const { return m_sequence.load(std::memory_order_acquire); }

    static QByteArray encode(const Event &event);
    static std::optional<Event> decode(const QByteArray &payload);

Q_SIGNALS:
    void published(const Outpost::Server::Event &event);

private:
    Relay m_relay;
    Outbox m_outbox;
    std::atomic<quint64> m_sequence {0};
};

} // namespace Outpost::Server

Q_DECLARE_METATYPE(Outpost::Server::Event)
