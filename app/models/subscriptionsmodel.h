#pragma once

#include "models/subscription.h"
#include "pagedtablemodel.h"

#include <QColor>
#include <QHash>
#include <QSet>

namespace Outpost::App {

// Subscriptions to events: target (URL or address), kind, events, on or off, the last
// delivery's status and, for admins (who see everyone's), the owner.
class SubscriptionsModel final : public TypedTableModel<Subscription>
{
    Q_OBJECT

public:
    explicit SubscriptionsModel(QObject *parent = nullptr);
    enum Column { Target, Kind, Events, Enabled, LastDelivery, Owner, Description };

    // Owners' e-mail addresses are looked up (admins only may read other users).
    void setShowOwners(bool show) { m_showOwners = show; }
    // Drops what was looked up besides the list (last deliveries, owners): another server.
    void forgetLookups();
    // Reloads the last delivery of this subscription (after a test or a retry).
    void refreshLastDelivery(qint64 id);
    // "delivered" in green, "failed" in red ...
    static QColor statusColor(const QString &status);
    static QString statusText(const QString &status);

protected:
    QStringList headers() const override;
    Client::Reply<Page<Subscription>> fetchPage(const PageRequest &page) override;
    void loadItem(qint64 id) override;
    QVariant cell(const Subscription &subscription, int column, int role) const override;

private:
    void lookUpRows();
    void emitRowChanged(qint64 id);

    bool m_showOwners = false;
    // The newest delivery per subscription; an empty status: none yet.
    QHash<qint64, SubscriptionDelivery> m_last;
    QHash<qint64, QString> m_owners;
    QSet<qint64> m_asked;      // subscriptions whose last delivery is being loaded
    QSet<qint64> m_askedOwner; // owners being looked up
};

} // namespace Outpost::App
