#include "subscriptionsresource.h"

#include "apiclient.h"

namespace Outpost::Client {

namespace {

QString subscriptionPath(qint64 id, const QString &tail = {})
{
    return QStringLiteral("/v1/subscriptions/%1").arg(id) + tail;
}

} // namespace

Reply<Page<Subscription>> SubscriptionsResource::list(const PageRequest &page) const
{
    return {m_client->get(QStringLiteral("/v1/subscriptions"), page.toQuery()),
        &Decode::json<Page<Subscription>>};
}

Reply<Subscription> SubscriptionsResource::get(qint64 id) const
{
    return {m_client->get(subscriptionPath(id)), &Decode::json<Subscription>};
}

Reply<Subscription> SubscriptionsResource::create(const SubscriptionCreate &create) const
{
    return {m_client->post(QStringLiteral("/v1/subscriptions"), create.toJson()),
        &Decode::json<Subscription>};
}

Reply<Subscription> SubscriptionsResource::update(qint64 id, const SubscriptionUpdate &update) const
{
    return {m_client->put(subscriptionPath(id), update.toJson()), &Decode::json<Subscription>};
}

Reply<void> SubscriptionsResource::remove(qint64 id) const
{
    return {m_client->del(subscriptionPath(id)), &Decode::nothing};
}

Reply<Subscription> SubscriptionsResource::rotateSecret(qint64 id) const
{
    return {m_client->post(subscriptionPath(id, QStringLiteral("/rotate-secret")), {}),
        &Decode::json<Subscription>};
}

Reply<SubscriptionDelivery> SubscriptionsResource::test(qint64 id) const
{
    return {m_client->post(subscriptionPath(id, QStringLiteral("/test")), {}),
        &Decode::json<SubscriptionDelivery>};
}

Reply<Page<SubscriptionDelivery>> SubscriptionsResource::deliveries(
    qint64 id, const PageRequest &page) const
{
    return {m_client->get(subscriptionPath(id, QStringLiteral("/deliveries")), page.toQuery()),
        &Decode::json<Page<SubscriptionDelivery>>};
}

Reply<void> SubscriptionsResource::retry(qint64 id, qint64 deliveryId) const
{
    return {m_client->post(
                subscriptionPath(id, QStringLiteral("/deliveries/%1/retry").arg(deliveryId)), {}),
        &Decode::nothing};
}

} // namespace Outpost::Client
