#include "eventbus.h"

#include "core/timeformat.h"

#include <QJsonDocument>
#include <QLoggingCategory>

namespace Outpost::Server {

namespace {
Q_LOGGING_CATEGORY(lcEvents, "outpost.events", QtInfoMsg)
} // namespace

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
    event.sequence = m_sequence.fetch_add(1, std::memory_order_acq_rel) + 1;
    Q_EMIT published(event);
    if (m_relay)
        m_relay(encode(event));
    if (m_outbox)
        m_outbox(event);
}

void EventBus::deliver(const Event &event)
{
    Event sequenced = event;
    sequenced.sequence = m_sequence.fetch_add(1, std::memory_order_acq_rel) + 1;
    Q_EMIT published(sequenced);
}

void EventBus::receive(const QByteArray &payload)
{
    if (std::optional<Event> event = decode(payload))
        deliver(*event);
}

QByteArray EventBus::encode(const Event &event)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("type"), event.type}, {QStringLiteral("id"), event.id},
            {QStringLiteral("at"), toRfc3339(event.at)},
            {QStringLiteral("audience"), event.audienceUserId}})
        .toJson(QJsonDocument::Compact);
}

std::optional<Event> EventBus::decode(const QByteArray &payload)
{
    const QJsonObject object = QJsonDocument::fromJson(payload).object();
    Event event;
    event.type = object.value(QStringLiteral("type")).toString();
    event.id = object.value(QStringLiteral("id")).toInteger();
    event.at = fromRfc3339(object.value(QStringLiteral("at")).toString());
    event.audienceUserId = object.value(QStringLiteral("audience")).toInteger();
    if (event.type.isEmpty() || !event.at.isValid()) {
        qCWarning(lcEvents) << "event relay: ignoring a malformed payload";
        return std::nullopt;
    }
    return event;
}

} // namespace Outpost::Server
