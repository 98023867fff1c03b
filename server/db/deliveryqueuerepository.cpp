#include "deliveryqueuerepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"
#include "transaction.h"

#include <QSqlQuery>
#include <QTimeZone>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

constexpr int kResponseBodyChars = 1000;

QVariant latin1OrNull(const QByteArray &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QString::fromLatin1(text);
}

StoredTrace traceOf(const QSqlQuery &query, int column)
{
    return {
        query.value(column).toString().toLatin1(), query.value(column + 1).toString().toLatin1()};
}

QDateTime msTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

struct DeliveryRow
{
    SubscriptionDelivery delivery;
    qint64 nextMs = 0;
    qint64 createdMs = 0;
    qint64 finishedMs = 0;
};

const auto kDeliveryRow = rowFormat<DeliveryRow>([](auto &c, DeliveryRow &r) {
    c.column("id", r.delivery.id);
    c.column("subscription_id", r.delivery.subscriptionId);
    c.column("message_id", r.delivery.messageId);
    c.column("type", r.delivery.event);
    c.column("status", r.delivery.status);
    c.column("attempts", r.delivery.attempts);
    c.column("response_code", r.delivery.responseCode);
    c.column("response_body", r.delivery.responseBody);
    c.column("latency_ms", r.delivery.latencyMs);
    c.column("last_error", r.delivery.lastError);
    c.column("next_attempt_at", r.nextMs);
    c.column("created_at", r.createdMs);
    c.column("finished_at", r.finishedMs);
});

// The oldest due delivery of an enabled subscription that has none in flight. The outer
// condition is checked again on the locked row (PostgreSQL re-evaluates it on a row another
// replica changed meanwhile), so a delivery is never leased twice.
QString claimSql(bool postgres)
{
    return QStringLiteral(
               "UPDATE subscription_deliveries SET lease_until = :lease, attempts = attempts + 1 "
               "WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < :now1) "
               "AND id = (SELECT d.id FROM subscription_deliveries d "
               "JOIN subscriptions s ON s.id = d.subscription_id "
               "WHERE d.status = 'pending' AND d.next_attempt_at <= :now2 "
               "AND (d.lease_until IS NULL OR d.lease_until < :now3) AND s.enabled = 1 "
               "AND (s.kind = 'webhook' OR :email = 1) "
               "AND NOT EXISTS (SELECT 1 FROM subscription_deliveries o "
               "WHERE o.subscription_id = d.subscription_id AND o.status = 'pending' "
               "AND o.lease_until >= :now4) "
               "ORDER BY d.id LIMIT 1")
        + (postgres ? QStringLiteral(" FOR UPDATE OF d SKIP LOCKED)") : QStringLiteral(")"))
        + QStringLiteral(" RETURNING id, subscription_id, message_id, type, payload, attempts, "
                         "traceparent, tracestate");
}

} // namespace

DeliveryQueueRepository::DeliveryQueueRepository(const Database &database)
    : m_database(database)
{ }

Status DeliveryQueueRepository::enqueueEvent(
    const QString &type, qint64 objectId, qint64 audience, qint64 atMs, const StoredTrace &trace)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("INSERT INTO subscription_outbox (type, object_id, audience, at_ms, "
                       "traceparent, tracestate) "
                       "VALUES (:type, :object, :audience, :at, :traceparent, :tracestate)"),
        {{":type", type}, {":object", objectId}, {":audience", audience}, {":at", atMs},
            {":traceparent", latin1OrNull(trace.traceparent)},
            {":tracestate", latin1OrNull(trace.tracestate)}},
        "enqueue event");
    if (!query)
        return fail(query.error());
    return {};
}

Result<int> DeliveryQueueRepository::fanOut(const Plan &plan, int limit)
{
    // A cheap look first, outside a transaction: usually there is nothing to do, and a
    // transaction takes the write lock.
    Result<QVariant> any = scalar(m_database,
        QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM subscription_outbox LIMIT 1) x"), {},
        "look at the outbox");
    if (!any)
        return fail(any.error());
    if (any->toLongLong() == 0)
        return 0;

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return fail(begun.error());
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT id, type, object_id, audience, at_ms, traceparent, tracestate "
                       "FROM subscription_outbox ORDER BY id LIMIT :limit"),
        {{":limit", limit}}, "read the outbox");
    if (!query)
        return fail(query.error());
    QList<OutboxEvent> events;
    while (query->next()) {
        events.append(
            {query->value(0).toLongLong(), query->value(1).toString(), query->value(2).toLongLong(),
                query->value(3).toLongLong(), query->value(4).toLongLong(), traceOf(*query, 5)});
    }
    query->finish();
    if (events.isEmpty())
        return 0;
    auto subscriptions = SubscriptionRepository(m_database).listActive();
    if (!subscriptions)
        return fail(subscriptions.error());
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const NewDelivery &delivery : plan(events, *subscriptions)) {
        if (auto inserted = insert(delivery, nowMs); !inserted)
            return fail(inserted.error());
    }
    for (const OutboxEvent &event : std::as_const(events)) {
        Result<QSqlQuery> removed =
            exec(m_database, QStringLiteral("DELETE FROM subscription_outbox WHERE id = :id"),
                {{":id", event.id}}, "remove outbox event");
        if (!removed)
            return fail(removed.error());
    }
    if (auto committed = transaction.commit(); !committed)
        return fail(committed.error());
    return int(events.size());
}

Result<qint64> DeliveryQueueRepository::insert(const NewDelivery &delivery, qint64 nowMs)
{
    Result<QVariant> id = scalar(m_database,
        QStringLiteral("INSERT INTO subscription_deliveries (subscription_id, message_id, type, "
                       "payload, next_attempt_at, last_error, created_at, traceparent, "
                       "tracestate) VALUES (:subscription, :message, :type, :payload, :next, "
                       ":note, :now, :traceparent, :tracestate) RETURNING id"),
        {{":subscription", delivery.subscriptionId}, {":message", delivery.messageId},
            {":type", delivery.type}, {":payload", QString::fromUtf8(delivery.payload)},
            {":next", nowMs}, {":note", textOrNull(delivery.note)}, {":now", nowMs},
            {":traceparent", latin1OrNull(delivery.trace.traceparent)},
            {":tracestate", latin1OrNull(delivery.trace.tracestate)}},
        "queue delivery");
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<bool> DeliveryQueueRepository::anyDue(qint64 nowMs, bool withEmail) const
{
    Result<QVariant> any = scalar(m_database,
        QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM subscription_deliveries d "
                       "JOIN subscriptions s ON s.id = d.subscription_id "
                       "WHERE d.status = 'pending' AND d.next_attempt_at <= :now "
                       "AND (d.lease_until IS NULL OR d.lease_until < :now2) AND s.enabled = 1 "
                       "AND (s.kind = 'webhook' OR :email = 1) LIMIT 1) x"),
        {{":now", nowMs}, {":now2", nowMs}, {":email", withEmail ? 1 : 0}},
        "look for due deliveries");
    if (!any)
        return fail(any.error());
    return any->toLongLong() > 0;
}

Result<std::optional<ClaimedDelivery>> DeliveryQueueRepository::claim(
    qint64 nowMs, qint64 leaseUntilMs, bool withEmail)
{
    const bool postgres = m_database.dialect() == u"postgresql";
    Result<QSqlQuery> query = exec(m_database, claimSql(postgres),
        {{":lease", leaseUntilMs}, {":now1", nowMs}, {":now2", nowMs}, {":now3", nowMs},
            {":email", withEmail ? 1 : 0}, {":now4", nowMs}},
        "claim delivery");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return std::optional<ClaimedDelivery>();
    ClaimedDelivery claimed;
    claimed.id = query->value(0).toLongLong();
    claimed.subscriptionId = query->value(1).toLongLong();
    claimed.messageId = query->value(2).toString();
    claimed.type = query->value(3).toString();
    claimed.payload = query->value(4).toString().toUtf8();
    claimed.attempts = query->value(5).toInt();
    claimed.trace = traceOf(*query, 6);
    query->finish();
    auto subscription = SubscriptionRepository(m_database).find(claimed.subscriptionId);
    if (!subscription)
        return fail(subscription.error());
    if (!*subscription) // deleted meanwhile: its deliveries went with it
        return std::optional<ClaimedDelivery>();
    claimed.subscription = std::move(**subscription);
    return std::optional<ClaimedDelivery>(std::move(claimed));
}

Status DeliveryQueueRepository::markDelivered(
    const ClaimedDelivery &delivery, const Outcome &outcome, qint64 nowMs)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE subscription_deliveries SET status = 'delivered', lease_until = "
                       "NULL, next_attempt_at = NULL, response_code = :code, response_body = "
                       ":body, latency_ms = :latency, last_error = NULL, finished_at = :now "
                       "WHERE id = :id"),
        {{":code", outcome.responseCode > 0 ? QVariant(outcome.responseCode) : QVariant()},
            {":body", textOrNull(outcome.responseBody.left(kResponseBodyChars))},
            {":latency", outcome.latencyMs}, {":now", nowMs}, {":id", delivery.id}},
        "mark delivery delivered");
    if (!query)
        return fail(query.error());
    Result<QSqlQuery> healthy = exec(m_database,
        QStringLiteral("UPDATE subscriptions SET failing_since = NULL WHERE id = :id"),
        {{":id", delivery.subscriptionId}}, "mark subscription healthy");
    if (!healthy)
        return fail(healthy.error());
    return {};
}

Result<qint64> DeliveryQueueRepository::markFailed(
    const ClaimedDelivery &delivery, const Outcome &outcome, qint64 nowMs)
{
    const bool final = outcome.nextAttemptMs == 0;
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE subscription_deliveries SET status = :status, lease_until = NULL, "
                       "next_attempt_at = :next, response_code = :code, response_body = :body, "
                       "latency_ms = :latency, last_error = :error, finished_at = :finished "
                       "WHERE id = :id"),
        {{":status", final ? QStringLiteral("failed") : QStringLiteral("pending")},
            {":next", final ? QVariant() : QVariant(outcome.nextAttemptMs)},
            {":code", outcome.responseCode > 0 ? QVariant(outcome.responseCode) : QVariant()},
            {":body", textOrNull(outcome.responseBody.left(kResponseBodyChars))},
            {":latency", outcome.latencyMs >= 0 ? QVariant(outcome.latencyMs) : QVariant()},
            {":error", textOrNull(outcome.error.left(kResponseBodyChars))},
            {":finished", final ? QVariant(nowMs) : QVariant()}, {":id", delivery.id}},
        "mark delivery failed");
    if (!query)
        return fail(query.error());
    Result<QVariant> since = scalar(m_database,
        QStringLiteral("UPDATE subscriptions SET failing_since = COALESCE(failing_since, :now) "
                       "WHERE id = :id RETURNING failing_since"),
        {{":now", nowMs}, {":id", delivery.subscriptionId}}, "start the failure clock");
    if (!since)
        return fail(since.error());
    return since->toLongLong();
}

Status DeliveryQueueRepository::release(qint64 deliveryId)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE subscription_deliveries SET lease_until = NULL, "
                       "attempts = attempts - 1 WHERE id = :id AND status = 'pending'"),
        {{":id", deliveryId}}, "release delivery");
    if (!query)
        return fail(query.error());
    return {};
}

Result<Page<SubscriptionDelivery>> DeliveryQueueRepository::list(
    qint64 subscriptionId, const PageRequest &page) const
{
    Result<QVariant> total = scalar(m_database,
        QStringLiteral("SELECT COUNT(*) FROM subscription_deliveries WHERE subscription_id = :id"),
        {{":id", subscriptionId}}, "count deliveries");
    if (!total)
        return fail(total.error());
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT ") + kDeliveryRow.columns()
            + QStringLiteral(" FROM subscription_deliveries WHERE subscription_id = :id "
                             "ORDER BY id DESC LIMIT :limit OFFSET :skip"),
        {{":id", subscriptionId}, {":limit", page.limit}, {":skip", page.skip}}, "list deliveries");
    if (!query)
        return fail(query.error());
    Page<SubscriptionDelivery> result;
    result.total = total->toLongLong();
    result.limit = page.limit;
    result.skip = page.skip;
    while (query->next()) {
        DeliveryRow row = kDeliveryRow.read(QtRow {*query});
        if (query->isNull(8))
            row.delivery.latencyMs = -1;
        row.delivery.nextAttemptAt = msTime(row.nextMs);
        row.delivery.createdAt = msTime(row.createdMs);
        row.delivery.finishedAt = msTime(row.finishedMs);
        result.items.append(std::move(row.delivery));
    }
    return result;
}

Result<bool> DeliveryQueueRepository::retry(qint64 subscriptionId, qint64 deliveryId, qint64 nowMs)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE subscription_deliveries SET status = 'pending', attempts = 0, "
                       "next_attempt_at = :now, finished_at = NULL "
                       "WHERE id = :id AND subscription_id = :subscription "
                       "AND (lease_until IS NULL OR lease_until < :now2)"),
        {{":now", nowMs}, {":id", deliveryId}, {":subscription", subscriptionId}, {":now2", nowMs}},
        "retry delivery");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

Result<QueueStats> DeliveryQueueRepository::stats() const
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT COUNT(*), MIN(created_at) FROM subscription_deliveries "
                       "WHERE status = 'pending'"),
        {}, "queue stats");
    if (!query)
        return fail(query.error());
    QueueStats stats;
    if (query->next()) {
        stats.pending = query->value(0).toLongLong();
        stats.oldestPendingMs = query->value(1).toLongLong();
    }
    return stats;
}

Result<qint64> DeliveryQueueRepository::prune(qint64 beforeMs)
{
    return deleteInBatches(m_database, QStringLiteral("subscription_deliveries"),
        QStringLiteral("status <> 'pending' AND finished_at < :before"),
        {{QStringLiteral(":before"), beforeMs}}, "prune deliveries");
}

} // namespace Outpost::Server
