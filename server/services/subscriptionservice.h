#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/subscription.h"
#include "userservice.h"

namespace Outpost::Server {

class AuditService;
class Database;
class DeliveryDispatcher;

// Outgoing-event subscriptions: who may subscribe where, and to what. A subscription belongs
// to the user who made it; others see it as not found, except admins, who see and manage
// every one. A user hears only of events they may see (DeliveryDispatcher checks each event's
// audience against the owner); a plain user's e-mail subscriptions go to their own address.
// Webhook URLs are https with a host that is not a private address literal unless
// `allowPrivate`; the address actually connected to is checked again on every attempt.
class SubscriptionService
{
public:
    SubscriptionService(const Database &database, const AuditService &audit,
        DeliveryDispatcher &dispatcher, bool allowPrivate);

    // With its signing secret ("whsec_...", webhooks only), returned this once.
    Result<Subscription> create(const SubscriptionCreate &create, const Caller &caller);
    // The caller's own, newest first; an admin's: everyone's.
    Result<Page<Subscription>> list(const Principal &principal, const PageRequest &page) const;
    Result<Subscription> get(qint64 id, const Principal &principal) const;
    Result<Subscription> update(qint64 id, const SubscriptionUpdate &update, const Caller &caller);
    Status remove(qint64 id, const Caller &caller);
    // A new secret, returned this once; the old one still signs (as a second signature) for
    // 24 hours, so receivers can switch without losing deliveries.
    Result<Subscription> rotateSecret(qint64 id, const Caller &caller);
    // Queues a "ping" event to this subscription alone; the delivery it queued.
    Result<SubscriptionDelivery> test(qint64 id, const Caller &caller);
    Result<Page<SubscriptionDelivery>> deliveries(
        qint64 id, const Principal &principal, const PageRequest &page) const;
    // Sends a delivery again now, with a fresh attempt count (also after it failed).
    Status retry(qint64 id, qint64 deliveryId, const Caller &caller);

    // The event families there are ("post", "file", ...): patterns must name one.
    static QStringList eventFamilies();

private:
    Result<Subscription> owned(qint64 id, const Principal &principal) const;
    Status checkTarget(
        const QString &kind, const QString &target, const Principal &principal) const;
    static Status checkEvents(const QStringList &events);

    const Database &m_database;
    const AuditService &m_audit;
    DeliveryDispatcher &m_dispatcher;
    bool m_allowPrivate;
};

} // namespace Outpost::Server
