#include "subscriptionsmodel.h"

#include "modelformat.h"

#include <QColor>

namespace Outpost::App {

SubscriptionsModel::SubscriptionsModel(QObject *parent)
    : TypedTableModel(parent)
{
    connect(this, &PagedTableModel::loaded, this, &SubscriptionsModel::lookUpRows);
    connect(this, &QAbstractItemModel::modelReset, this, &SubscriptionsModel::forgetLookups);
}

void SubscriptionsModel::forgetLookups()
{
    m_last.clear();
    m_asked.clear();
    m_owners.clear();
    m_askedOwner.clear();
}

QStringList SubscriptionsModel::headers() const
{
    return {tr("Target"), tr("Kind"), tr("Events"), tr("Enabled"), tr("Last delivery"), tr("Owner"),
        tr("Description")};
}

Client::Reply<Page<Subscription>> SubscriptionsModel::fetchPage(const PageRequest &page)
{
    return client()->subscriptions().list(page);
}

void SubscriptionsModel::loadItem(qint64 id)
{
    client()->subscriptions().get(id).then(this,
        [this, id](const Client::ApiResult<Subscription> &result) { itemLoaded(id, result); });
}

void SubscriptionsModel::refreshLastDelivery(qint64 id)
{
    if (!client() || rowOfId(id) < 0)
        return;
    m_asked.insert(id);
    PageRequest page;
    page.limit = 1;
    client()->subscriptions().deliveries(id, page).then(
        this, [this, id](const Client::ApiResult<Page<SubscriptionDelivery>> &result) {
            m_asked.remove(id);
            if (!result)
                return; // the list itself reports what is wrong
            m_last.insert(
                id, result->items.isEmpty() ? SubscriptionDelivery {} : result->items.first());
            emitRowChanged(id);
        });
}

void SubscriptionsModel::lookUpRows()
{
    for (int row = 0; row < rowCount(); ++row) {
        const Subscription *subscription = itemAt(row);
        if (!m_last.contains(subscription->id) && !m_asked.contains(subscription->id))
            refreshLastDelivery(subscription->id);
        const qint64 owner = subscription->ownerId;
        if (m_showOwners && !m_owners.contains(owner) && !m_askedOwner.contains(owner)) {
            m_askedOwner.insert(owner);
            client()->users().get(owner).then(
                this, [this, owner](const Client::ApiResult<User> &user) {
                    m_askedOwner.remove(owner);
                    m_owners.insert(owner, user ? user->email : QStringLiteral("#%1").arg(owner));
                    for (int i = 0; i < rowCount(); ++i) {
                        if (itemAt(i)->ownerId == owner)
                            Q_EMIT dataChanged(index(i, Owner), index(i, Owner));
                    }
                });
        }
    }
}

void SubscriptionsModel::emitRowChanged(qint64 id)
{
    const int row = rowOfId(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

QColor SubscriptionsModel::statusColor(const QString &status)
{
    if (status == QLatin1String("delivered"))
        return {0x2e, 0x9d, 0x44}; // green
    if (status == QLatin1String("failed"))
        return {0xd0, 0x31, 0x2d}; // red
    if (status == QLatin1String("pending"))
        return {0xf0, 0xa3, 0x0a}; // amber
    return {0x8a, 0x8f, 0x98};
}

QString SubscriptionsModel::statusText(const QString &status)
{
    if (status == QLatin1String("delivered"))
        return tr("delivered");
    if (status == QLatin1String("failed"))
        return tr("failed");
    if (status == QLatin1String("pending"))
        return tr("pending");
    return status;
}

QVariant SubscriptionsModel::cell(const Subscription &subscription, int column, int role) const
{
    const SubscriptionDelivery last = m_last.value(subscription.id);
    if (column == LastDelivery && role == Qt::DecorationRole && !last.status.isEmpty())
        return statusColor(last.status);
    if (role == Qt::ForegroundRole && !subscription.enabled)
        return QColor(0x8a, 0x8f, 0x98);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Target:
        return subscription.target;
    case Kind:
        return subscription.kind == SubscriptionKinds::email ? tr("E-mail") : tr("Webhook");
    case Events:
        return subscription.events.join(QStringLiteral(", "));
    case Enabled:
        if (subscription.enabled)
            return tr("Yes");
        if (role == Qt::ToolTipRole && !subscription.disabledReason.isEmpty())
            return subscription.disabledReason;
        return tr("No");
    case LastDelivery:
        if (!m_last.contains(subscription.id))
            return QString();
        if (last.status.isEmpty())
            return tr("none yet");
        return QStringLiteral("%1 · %2").arg(statusText(last.status), last.event);
    case Owner:
        return m_owners.value(
            subscription.ownerId, QStringLiteral("#%1").arg(subscription.ownerId));
    case Description:
        return subscription.description;
    default:
        return {};
    }
}

} // namespace Outpost::App
