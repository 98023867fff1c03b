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

// In-process publish/subscribe. publish() is safe from any thread; subscribers in other
// threads receive through queued connections in their own thread.
class EventBus final : public QObject
{
    Q_OBJECT

public:
    explicit EventBus(QObject *parent = nullptr);
    void publish(Event event);

Q_SIGNALS:
    void published(const Outpost::Server::Event &event);
};

} // namespace Outpost::Server

Q_DECLARE_METATYPE(Outpost::Server::Event)
