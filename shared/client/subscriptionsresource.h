#pragma once

#include "models/page.h"
#include "models/subscription.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// /v1/subscriptions: webhook and e-mail subscriptions to events, and their deliveries. A
// webhook's signing secret is only in the answers to create() and rotateSecret().
class SubscriptionsResource
{
public:
    explicit SubscriptionsResource(ApiClient *client)
        : m_client(client)
    { }

    // The caller's, newest first; an admin's list holds everyone's.
    Reply<Page<Subscription>> list(const PageRequest &page) const;
    Reply<Subscription> get(qint64 id) const;
    Reply<Subscription> create(const SubscriptionCreate &create) const;
    Reply<Subscription> update(qint64 id, const SubscriptionUpdate &update) const;
    // Its pending deliveries go with it.
    Reply<void> remove(qint64 id) const;
    Reply<Subscription> rotateSecret(qint64 id) const;
    // Queues a ping event; the answer is the queued delivery.
    Reply<SubscriptionDelivery> test(qint64 id) const;
    Reply<Page<SubscriptionDelivery>> deliveries(qint64 id, const PageRequest &page) const;
    // Sends a delivery again now, whatever its status.
    Reply<void> retry(qint64 id, qint64 deliveryId) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
