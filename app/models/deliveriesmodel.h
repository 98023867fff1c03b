#pragma once

#include "models/subscription.h"
#include "pagedtablemodel.h"

namespace Outpost::App {

// The deliveries of one subscription, newest first: event, status, attempts, the receiver's
// answer (code, latency) and when the next attempt is due.
class DeliveriesModel final : public TypedTableModel<SubscriptionDelivery>
{
    Q_OBJECT

public:
    using TypedTableModel::TypedTableModel;
    enum Column { Event, Status, Attempts, Response, Latency, NextAttempt, Created };

    void setSubscription(qint64 subscriptionId);
    qint64 subscriptionId() const { return m_subscriptionId; }

protected:
    QStringList headers() const override;
    Client::Reply<Page<SubscriptionDelivery>> fetchPage(const PageRequest &page) override;
    QVariant cell(const SubscriptionDelivery &delivery, int column, int role) const override;
    bool isReady() const override { return m_subscriptionId != 0; }

private:
    qint64 m_subscriptionId = 0;
};

} // namespace Outpost::App
