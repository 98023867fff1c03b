#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QString>

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

    QJsonObject toJson() const;
};

// Carries events to the other replicas (PostgreSQL LISTEN/NOTIFY: db/eventchannel.h).
class EventRelay
{
public:
    virtual ~EventRelay() = default;
    // Called from any thread, for every event published here; must not block.
    virtual void forward(const Event &event) = 0;
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
    // Set before the server serves; not owned. nullptr: this replica only.
    void setRelay(EventRelay *relay) { m_relay = relay; }

Q_SIGNALS:
    void published(const Outpost::Server::Event &event);

private:
    EventRelay *m_relay = nullptr;
};

} // namespace Outpost::Server

Q_DECLARE_METATYPE(Outpost::Server::Event)
