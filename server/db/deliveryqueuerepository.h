#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/subscription.h"
#include "subscriptionrepository.h"

#include <functional>
#include <optional>

namespace Outpost::Server {

class Database;

// The W3C trace context an event was published in (the causing request's span: its
// traceparent, and the caller's tracestate if any), kept with the event and each of its
// deliveries so that a sender's span continues that trace. Empty: the event had none.
struct StoredTrace
{
    QByteArray traceparent;
    QByteArray tracestate;
};

// An event published and not yet fanned out to the subscriptions.
struct OutboxEvent
{
    qint64 id = 0;
    QString type;
    qint64 objectId = 0;
    qint64 audience = 0; // 0: every signed-in user, else this user (and admins)
    qint64 atMs = 0;
    StoredTrace trace;
};

// A delivery to queue.
struct NewDelivery
{
    qint64 subscriptionId = 0;
    QString messageId;
    QString type;
    QByteArray payload;
    QString note; // shown as last_error until the first attempt (e.g. no mailer configured)
    StoredTrace trace;
};

// A delivery a sender has claimed, with what it needs to send it.
struct ClaimedDelivery
{
    qint64 id = 0;
    qint64 subscriptionId = 0;
    QString messageId;
    QString type;
    QByteArray payload;
    int attempts = 0; // including this one
    StoredSubscription subscription;
    StoredTrace trace;
};

struct QueueStats
{
    qint64 pending = 0;
    qint64 oldestPendingMs = 0; // created_at of the oldest pending delivery; 0: none
};

// The persistent queue of outgoing events (subscription_outbox, subscription_deliveries).
// Claims are safe with many replicas: on PostgreSQL a claim locks its row with
// FOR UPDATE SKIP LOCKED and leases it, so no two senders hold one delivery at a time.
class DeliveryQueueRepository
{
public:
    explicit DeliveryQueueRepository(const Database &database);

    // One insert: what publishing an event costs.
    Status enqueueEvent(const QString &type, qint64 objectId, qint64 audience, qint64 atMs,
        const StoredTrace &trace = {});

    // Takes up to `limit` outbox events, asks `plan` what to deliver for them (given the
    // active subscriptions), inserts that and removes the events, in one transaction. Returns
    // how many events went; 0 when the outbox was empty.
    using Plan = std::function<QList<NewDelivery>(
        const QList<OutboxEvent> &events, const QList<StoredSubscription> &subscriptions)>;
    Result<int> fanOut(const Plan &plan, int limit);

    Result<qint64> insert(const NewDelivery &delivery, qint64 nowMs);

    // The oldest due delivery of an enabled subscription none of whose deliveries is leased
    // now (one at a time per subscription, in order), leased until `leaseUntilMs` with its
    // attempt counted. E-mail deliveries only when `withEmail`.
    // A cheap read first: whether claim() could find anything (on SQLite a claim is a write,
    // which would queue behind, and hold up, the request writers).
    Result<bool> anyDue(qint64 nowMs, bool withEmail) const;
    Result<std::optional<ClaimedDelivery>> claim(qint64 nowMs, qint64 leaseUntilMs, bool withEmail);

    struct Outcome
    {
        int responseCode = 0;
        qint64 latencyMs = -1;
        QString error;
        QString responseBody;
        qint64 nextAttemptMs = 0; // failed attempts: when to try again; 0: failed for good
    };
    Status markDelivered(const ClaimedDelivery &delivery, const Outcome &outcome, qint64 nowMs);
    // Also starts the subscription's failure clock if it is not running; returns when it
    // started (ms).
    Result<qint64> markFailed(
        const ClaimedDelivery &delivery, const Outcome &outcome, qint64 nowMs);

    // Gives a claimed delivery back unsent (shutdown cut it short): due at once, the attempt
    // not counted.
    Status release(qint64 deliveryId);

    Result<Page<SubscriptionDelivery>> list(qint64 subscriptionId, const PageRequest &page) const;
    // Due again now with a fresh attempt count; false when there is no such delivery or it
    // is being sent.
    Result<bool> retry(qint64 subscriptionId, qint64 deliveryId, qint64 nowMs);
    Result<QueueStats> stats() const;
    // Deletes deliveries that finished (delivered or failed) before `beforeMs`; how many.
    Result<qint64> prune(qint64 beforeMs);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
