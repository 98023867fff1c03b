#include "eventbus.h"

#include "core/timeformat.h"

namespace Outpost::Server {

QJsonObject Event::toJson() const
{
    return {{QStringLiteral("type"), type}, {QStringLiteral("id"), id},
        {QStringLiteral("at"), toRfc3339(at)}};
}

EventBus::EventBus(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Outpost::Server::Event>();
}

void EventBus::publish(Event event)
{
    if (!event.at.isValid())
        event.at = QDateTime::currentDateTimeUtc();
    Q_EMIT published(event);
    if (m_relay)
        m_relay->forward(event);
}

void EventBus::deliver(const Event &event)
{
    Q_EMIT published(event);
}

} // namespace Outpost::Server
