#include "deliveriesmodel.h"

#include "modelformat.h"
#include "subscriptionsmodel.h"

namespace Outpost::App {

void DeliveriesModel::setSubscription(qint64 subscriptionId)
{
    m_subscriptionId = subscriptionId;
    refresh();
}

QStringList DeliveriesModel::headers() const
{
    return {tr("Event"), tr("Status"), tr("Attempts"), tr("Response"), tr("Latency"),
        tr("Next attempt"), tr("Created")};
}

Client::Reply<Page<SubscriptionDelivery>> DeliveriesModel::fetchPage(const PageRequest &page)
{
    return client()->subscriptions().deliveries(m_subscriptionId, page);
}

QVariant DeliveriesModel::cell(const SubscriptionDelivery &delivery, int column, int role) const
{
    if (column == Status && role == Qt::DecorationRole)
        return SubscriptionsModel::statusColor(delivery.status);
    if (role == Qt::TextAlignmentRole
        && (column == Attempts || column == Response || column == Latency))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Event:
        return delivery.event;
    case Status:
        return SubscriptionsModel::statusText(delivery.status);
    case Attempts:
        return delivery.attempts;
    case Response:
        if (delivery.responseCode > 0)
            return delivery.responseCode;
        return role == Qt::ToolTipRole ? delivery.lastError : QString();
    case Latency:
        return delivery.latencyMs >= 0 ? displayDuration(delivery.latencyMs) : QString();
    case NextAttempt:
        return displayTime(delivery.nextAttemptAt);
    case Created:
        return displayTime(delivery.createdAt);
    default:
        return {};
    }
}

} // namespace Outpost::App
