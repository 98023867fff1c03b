#include "deliverydispatcher.h"

#include "db/database.h"
#include "db/deliveryqueuerepository.h"
#include "db/subscriptionrepository.h"
#include "eventbus.h"
#include "standardwebhooks.h"
#include "webhooksender.h"

#include "core/tracing.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimeZone>
#include <QUrl>

namespace Outpost::Server {

namespace {

Q_LOGGING_CATEGORY(lcWebhooks, "outpost.webhooks", QtInfoMsg)

constexpr int kFanOutBatch = 200;
const QString kNoMailer = QStringLiteral("no mailer configured: waiting for one");

bool visibleTo(const OutboxEvent &event, const StoredSubscription &stored)
{
    return event.audience == 0 || event.audience == stored.subscription.ownerId
        || stored.ownerRole == QLatin1String("admin");
}

// The W3C trace the sender's span continues. Attempts are spans of their own, children of
// the span the event was published in (all attempts of one delivery are siblings).
Tracing::SpanContext parentOf(const StoredTrace &trace)
{
    std::optional<Tracing::SpanContext> parent = Tracing::parseTraceparent(trace.traceparent);
    if (!parent)
        return {};
    if (Tracing::isValidTraceState(trace.tracestate))
        parent->traceState = trace.tracestate;
    return *parent;
}

} // namespace

StoredTrace currentTrace()
{
    const Tracing::SpanContext *trace = Tracing::current();
    if (!trace)
        return {};
    return {trace->traceparent(), trace->traceState};
}

DeliveryDispatcher::DeliveryDispatcher(const Database &database, DispatcherSettings settings)
    : m_database(database)
    , m_settings(std::move(settings))
{ }

DeliveryDispatcher::~DeliveryDispatcher()
{
    stop();
}

void DeliveryDispatcher::start()
{
    if (!m_threads.empty())
        return;
    m_stopping = false;
    if (auto any = SubscriptionRepository(m_database).anyEnabled(); any && *any)
        m_active = true;
    const int senders = qMax(1, m_settings.senders);
    for (int i = 0; i < senders; ++i)
        m_threads.emplace_back([this, i] { run(i); });
}

void DeliveryDispatcher::stop()
{
    m_stopping = true;
    m_signal->raise();
    for (std::thread &thread : m_threads)
        thread.join();
    m_threads.clear();
}

void DeliveryDispatcher::enqueue(const Event &event)
{
    if (!m_active.load(std::memory_order_relaxed))
        return;
    const Database &database = m_database;
    database.submitWrite(
        [&database, type = event.type, id = event.id, audience = event.audienceUserId,
            at = event.at.toMSecsSinceEpoch(), trace = currentTrace()] {
            return DeliveryQueueRepository(database).enqueueEvent(type, id, audience, at, trace);
        },
        [signal = m_signal](const Status &status) {
            if (!status)
                qCWarning(lcWebhooks).noquote()
                    << "could not queue an event:" << status.error().detail;
            signal->raise();
        });
}

void DeliveryDispatcher::subscriptionsChanged()
{
    m_active = true;
}

void DeliveryDispatcher::Signal::raise()
{
    {
        const std::lock_guard lock(mutex);
        ++wakeups;
    }
    wake.notify_all();
}

void DeliveryDispatcher::wake()
{
    m_signal->raise();
}

void DeliveryDispatcher::run(int index)
{
    WebhookSender sender({m_settings.allowPrivate, m_settings.timeoutMs, m_settings.userAgent});
    quint64 seen = 0;
    while (!m_stopping) {
        if (index == 0) {
            if (auto any = SubscriptionRepository(m_database).anyEnabled(); any)
                m_active = *any;
            fanOut();
        }
        bool worked = false;
        while (!m_stopping && sendOne(sender))
            worked = true;
        if (worked && index == 0)
            continue; // fan out what came meanwhile
        Signal &signal = *m_signal;
        std::unique_lock lock(signal.mutex);
        if (signal.wakeups == seen)
            signal.wake.wait_for(lock, std::chrono::milliseconds(m_settings.pollMs));
        seen = signal.wakeups;
    }
    m_database.closeThreadConnection();
}

void DeliveryDispatcher::fanOut()
{
    const bool mailer = hasMailer();
    auto plan = [mailer](const QList<OutboxEvent> &events,
                    const QList<StoredSubscription> &subscriptions) {
        QList<NewDelivery> deliveries;
        for (const OutboxEvent &event : events) {
            const QDateTime at = QDateTime::fromMSecsSinceEpoch(event.atMs, Qt::UTC);
            const QByteArray body =
                StandardWebhooks::body(event.type, at, {{QStringLiteral("id"), event.objectId}});
            for (const StoredSubscription &stored : subscriptions) {
                if (!stored.subscription.matches(event.type) || !visibleTo(event, stored))
                    continue;
                NewDelivery delivery;
                delivery.subscriptionId = stored.subscription.id;
                delivery.messageId = StandardWebhooks::newMessageId();
                delivery.type = event.type;
                delivery.payload = body;
                delivery.trace = event.trace;
                if (stored.subscription.kind == SubscriptionKinds::email && !mailer)
                    delivery.note = kNoMailer;
                deliveries.append(std::move(delivery));
            }
        }
        return deliveries;
    };
    for (;;) {
        auto moved = DeliveryQueueRepository(m_database).fanOut(plan, kFanOutBatch);
        if (!moved) {
            qCWarning(lcWebhooks).noquote() << "fanning out events:" << moved.error().detail;
            return;
        }
        if (*moved < kFanOutBatch)
            return;
    }
}

bool DeliveryDispatcher::sendOne(WebhookSender &sender)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!m_active.load(std::memory_order_relaxed))
        return false; // no subscription is on: nothing can be claimed
    DeliveryQueueRepository queue(m_database);
    if (auto due = queue.anyDue(now, hasMailer()); !due || !*due)
        return false;
    auto claimed = queue.claim(now, now + m_settings.timeoutMs + 30'000, hasMailer());
    if (!claimed) {
        qCWarning(lcWebhooks).noquote() << "claiming a delivery:" << claimed.error().detail;
        return false;
    }
    if (!*claimed)
        return false;
    const ClaimedDelivery &delivery = **claimed;
    const Subscription &subscription = delivery.subscription.subscription;

    if (subscription.kind == SubscriptionKinds::email) {
        OutgoingEvent event;
        event.type = delivery.type;
        event.messageId = delivery.messageId;
        event.subscriptionId = subscription.id;
        event.body = delivery.payload;
        const QJsonObject body = QJsonDocument::fromJson(delivery.payload).object();
        event.timestamp = QDateTime::fromString(
            body.value(QStringLiteral("timestamp")).toString(), Qt::ISODateWithMs);
        event.data = body.value(QStringLiteral("data")).toObject();
        const Status sent = m_mailer ? m_mailer(subscription.target, event)
                                     : Status(fail(Error::unavailable(kNoMailer)));
        finish(delivery, bool(sent), 0, -1, sent ? QString() : sent.error().detail, {}, false);
        return true;
    }

    auto key = StandardWebhooks::secretKey(delivery.subscription.secret);
    if (!key) {
        finish(delivery, false, 0, -1, QStringLiteral("the subscription has no valid secret"), {},
            false);
        return true;
    }
    const qint64 timestamp = QDateTime::currentSecsSinceEpoch();
    const QByteArray id = delivery.messageId.toLatin1();
    QByteArray signatures = StandardWebhooks::sign(*key, id, timestamp, delivery.payload);
    if (!delivery.subscription.previousSecret.isEmpty()
        && delivery.subscription.previousSecretUntilMs > now) {
        if (auto previous = StandardWebhooks::secretKey(delivery.subscription.previousSecret))
            signatures += ' ' + StandardWebhooks::sign(*previous, id, timestamp, delivery.payload);
    }
    QList<QPair<QByteArray, QByteArray>> headers {
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
        {QByteArrayLiteral("webhook-id"), id},
        {QByteArrayLiteral("webhook-timestamp"), QByteArray::number(timestamp)},
        {QByteArrayLiteral("webhook-signature"), signatures}};
    const QUrl url(subscription.target, QUrl::StrictMode);
    const Tracing::SpanContext parent = parentOf(delivery.trace);
    Tracing::ClientSpan span(
        QByteArrayLiteral("POST webhook"), parent.isValid() ? &parent : nullptr);
    if (span.isActive()) {
        headers.append({QByteArrayLiteral("traceparent"), span.traceparent()});
        if (!span.traceState().isEmpty())
            headers.append({QByteArrayLiteral("tracestate"), span.traceState()});
        span.setAttribute("http.request.method", QByteArrayLiteral("POST"));
        span.setAttribute("server.address", url.host().toUtf8());
        span.setAttribute("webhook.id", id);
        span.setAttribute("webhook.event", delivery.type.toUtf8());
        span.setAttribute("webhook.attempt", qint64(delivery.attempts));
    }
    const WebhookResponse response = sender.post(url, headers, delivery.payload, &m_stopping);
    if (span.isActive()) {
        span.setAttribute("http.response.status_code", qint64(response.status));
        span.setError(!response.ok());
    }
    if (m_stopping && !response.ok() && response.status == 0) {
        queue.release(delivery.id); // cut short by shutdown: due again at once, not counted
        return false;
    }
    QString error = response.error;
    if (error.isEmpty() && !response.ok())
        error = QStringLiteral("the receiver answered %1").arg(response.status);
    finish(delivery, response.ok(), response.status, response.latencyMs, error, response.body,
        response.refused);
    return true;
}

qint64 DeliveryDispatcher::nextAttempt(int attempts, qint64 nowMs) const
{
    if (attempts > m_settings.retrySchedule.size())
        return 0;
    const double delayMs = 1000.0 * m_settings.retrySchedule.at(attempts - 1);
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return nowMs + qMax<qint64>(1, qint64(delayMs * jitter));
}

void DeliveryDispatcher::finish(const ClaimedDelivery &delivery, bool ok, int status,
    qint64 latencyMs, const QString &error, const QByteArray &responseBody, bool refused)
{
    DeliveryQueueRepository queue(m_database);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    DeliveryQueueRepository::Outcome outcome;
    outcome.responseCode = status;
    outcome.latencyMs = latencyMs;
    outcome.error = error;
    outcome.responseBody = QString::fromUtf8(responseBody);
    if (ok) {
        if (auto marked = queue.markDelivered(delivery, outcome, now); !marked)
            qCWarning(lcWebhooks).noquote() << "recording a delivery:" << marked.error().detail;
        ++m_delivered;
        return;
    }
    outcome.nextAttemptMs = nextAttempt(delivery.attempts, now);
    (outcome.nextAttemptMs == 0 ? m_failed : refused ? m_refused : m_retried)++;
    auto since = queue.markFailed(delivery, outcome, now);
    if (!since) {
        qCWarning(lcWebhooks).noquote() << "recording a failed delivery:" << since.error().detail;
        return;
    }
    if (now - *since < m_settings.disableAfterMs)
        return;
    const QString reason =
        QStringLiteral("deliveries failed since %1 (last: %2)")
            .arg(QDateTime::fromMSecsSinceEpoch(*since, Qt::UTC).toString(Qt::ISODate), error);
    auto disabled = SubscriptionRepository(m_database).disable(delivery.subscriptionId, reason);
    if (disabled && *disabled)
        notifyDisabled(delivery, reason);
}

void DeliveryDispatcher::notifyDisabled(const ClaimedDelivery &delivery, const QString &reason)
{
    const Subscription &subscription = delivery.subscription.subscription;
    qCWarning(lcWebhooks).noquote()
        << QStringLiteral("subscription %1 disabled: %2").arg(subscription.id).arg(reason);
    if (!m_mailer || delivery.subscription.ownerEmail.isEmpty())
        return;
    OutgoingEvent notice;
    notice.type = QStringLiteral("subscription.disabled");
    notice.messageId = StandardWebhooks::newMessageId();
    notice.timestamp = QDateTime::currentDateTimeUtc();
    notice.subscriptionId = subscription.id;
    notice.data = {{QStringLiteral("subscription_id"), subscription.id},
        {subscription.kind == SubscriptionKinds::email ? QStringLiteral("to")
                                                       : QStringLiteral("url"),
            subscription.target},
        {QStringLiteral("reason"), reason}};
    notice.body = StandardWebhooks::body(notice.type, notice.timestamp, notice.data);
    if (auto sent = m_mailer(delivery.subscription.ownerEmail, notice); !sent) {
        qCWarning(lcWebhooks).noquote()
            << "telling the owner of a disabled subscription:" << sent.error().detail;
    }
}

Result<qint64> DeliveryDispatcher::prune()
{
    constexpr qint64 kKeepMs = 30LL * 24 * 3600 * 1000;
    return DeliveryQueueRepository(m_database).prune(QDateTime::currentMSecsSinceEpoch() - kKeepMs);
}

void DeliveryDispatcher::appendMetrics(QByteArray &out) const
{
    out.append("# HELP outpost_webhook_deliveries_total Delivery attempts by result: delivered, "
               "retry (failed, tried again later), refused (address not allowed, tried again "
               "later), failed (no attempts left).\n"
               "# TYPE outpost_webhook_deliveries_total counter\n");
    const auto line = [&out](const char *result, qint64 value) {
        out.append("outpost_webhook_deliveries_total{result=\"").append(result).append("\"} ");
        out.append(QByteArray::number(value)).append('\n');
    };
    line("delivered", m_delivered.load());
    line("retry", m_retried.load());
    line("refused", m_refused.load());
    line("failed", m_failed.load());
    auto stats = DeliveryQueueRepository(m_database).stats();
    if (!stats)
        return;
    out.append("# HELP outpost_webhook_queue_depth Deliveries waiting to be sent (all replicas).\n"
               "# TYPE outpost_webhook_queue_depth gauge\noutpost_webhook_queue_depth ");
    out.append(QByteArray::number(stats->pending)).append('\n');
    const qint64 age = stats->oldestPendingMs > 0
        ? qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - stats->oldestPendingMs)
        : 0;
    out.append("# HELP outpost_webhook_oldest_pending_age_seconds Age of the oldest delivery "
               "waiting (0: none).\n# TYPE outpost_webhook_oldest_pending_age_seconds gauge\n"
               "outpost_webhook_oldest_pending_age_seconds ");
    out.append(QByteArray::number(double(age) / 1000.0, 'f', 3)).append('\n');
}

} // namespace Outpost::Server
