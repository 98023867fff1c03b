#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace Outpost::Server {

class Database;
class WebhookSender;
struct ClaimedDelivery;
struct Event;
struct StoredTrace;

// The calling thread's current W3C trace (Tracing::current()) as the delivery queue keeps it
// with an event or delivery; empty when there is none.
StoredTrace currentTrace();

// What a subscription is told, for the e-mail seam: an event ("post.created" ... "ping") or,
// to a subscription's owner, "subscription.disabled" (data: subscription_id, url or to,
// reason).
struct OutgoingEvent
{
    QString type;
    QString messageId;   // the delivery's id ("msg_..."): stable, e.g. for Message-ID
    QDateTime timestamp; // when the event happened
    QJsonObject data;    // {"id": ...} for events; see above for the notice
    qint64 subscriptionId = 0;
    QByteArray body; // the Standard Webhooks JSON body, for a digest that wants it
};

struct DispatcherSettings
{
    bool allowPrivate = false; // OUTPOST_WEBHOOK_ALLOW_PRIVATE
    int timeoutMs = 10'000;    // OUTPOST_WEBHOOK_TIMEOUT
    // OUTPOST_WEBHOOK_RETRY_SCHEDULE: the delay before each retry (seconds), each with
    // +-20 % jitter; after the last one the delivery has failed.
    QList<int> retrySchedule;
    qint64 disableAfterMs = 5LL * 24 * 3600 * 1000; // OUTPOST_WEBHOOK_DISABLE_AFTER
    int senders = 4;                                // threads sending at once
    int pollMs = 1000; // how often to look for work other replicas queued, and for retries due
    QByteArray userAgent;
};

// Delivers events to subscriptions (webhooks and e-mail) from the database queue.
//
// enqueue() is what publishing an event costs: one insert into the outbox through the
// database's batched writer, and nothing at all while no subscription exists. Sender threads
// (each with its own connection and HTTP client) fan outbox events out to the subscriptions
// allowed to see them, claim due deliveries (one in flight per subscription, oldest first, so
// a subscription receives its events in order unless one fails and is retried later: receivers
// order by the body's timestamp) and record each attempt. At least once: a claim is a lease
// (the timeout plus 30 s), so a delivery whose replica died is sent again once it runs out.
class DeliveryDispatcher
{
public:
    // The e-mail seam: sends (or queues for a digest) one event to one address. Set by the
    // server's wiring when a mailer is configured, before start(). Called on a sender thread;
    // may block briefly. An error counts as a failed attempt and is retried like a webhook.
    // Without it, e-mail deliveries stay pending, marked "no mailer configured", and the
    // "subscription disabled" notice is only logged.
    using Mailer = std::function<Status(const QString &recipient, const OutgoingEvent &event)>;

    DeliveryDispatcher(const Database &database, DispatcherSettings settings);
    ~DeliveryDispatcher();
    DeliveryDispatcher(const DeliveryDispatcher &) = delete;
    DeliveryDispatcher &operator=(const DeliveryDispatcher &) = delete;

    void setMailer(Mailer mailer) { m_mailer = std::move(mailer); }
    bool hasMailer() const { return bool(m_mailer); }

    void start();
    // Stops the senders (an attempt in flight is abandoned and stays due).
    void stop();

    // An event published on this replica (not one relayed from another). Any thread.
    void enqueue(const Event &event);
    // A subscription was created or turned on here: events count from now on.
    void subscriptionsChanged();
    // Look for work now (a delivery was queued or retried).
    void wake();

    // Forgets finished deliveries older than 30 days (housekeeping); how many went.
    Result<qint64> prune();

    // Prometheus text: deliveries by result, queue depth, oldest pending age.
    void appendMetrics(QByteArray &out) const;

private:
    void run(int index);
    bool sendOne(WebhookSender &sender);
    void fanOut();
    void finish(const ClaimedDelivery &delivery, bool ok, int status, qint64 latencyMs,
        const QString &error, const QByteArray &responseBody, bool refused);
    qint64 nextAttempt(int attempts, qint64 nowMs) const;
    void notifyDisabled(const ClaimedDelivery &delivery, const QString &reason);

    const Database &m_database;
    const DispatcherSettings m_settings;
    Mailer m_mailer;
    std::vector<std::thread> m_threads;
    // Shared with queued writes' callbacks, which may run after this object is gone.
    struct Signal
    {
        std::mutex mutex;
        std::condition_variable wake;
        quint64 wakeups = 0;
        void raise();
    };
    std::shared_ptr<Signal> m_signal = std::make_shared<Signal>();
    std::atomic<bool> m_stopping {false};
    std::atomic<bool> m_active {false}; // some subscription is enabled (refreshed by polling)

    std::atomic<qint64> m_delivered {0};
    std::atomic<qint64> m_retried {0};
    std::atomic<qint64> m_failed {0};
    std::atomic<qint64> m_refused {0};
};

} // namespace Outpost::Server
