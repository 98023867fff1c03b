#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Outpost {

namespace SubscriptionKinds {
inline const QString webhook = QStringLiteral("webhook");
inline const QString email = QStringLiteral("email");
} // namespace SubscriptionKinds

// Whether an event type ("post.created") matches a subscription's pattern: the type itself,
// "post.*" (every type under "post."), or "*" (everything).
bool eventMatches(const QString &pattern, const QString &type);

// {"id","kind","url" | "to","events","description","enabled","disabled_reason","owner_id",
//  "created_at","updated_at"} and, in the answers to create and rotate-secret only, "secret".
struct Subscription
{
    qint64 id = 0;
    qint64 ownerId = 0;
    QString kind;   // SubscriptionKinds
    QString target; // the URL of a webhook, the address of an e-mail subscription
    QStringList events;
    QString description;
    bool enabled = true;
    QString disabledReason;
    QDateTime createdAt;
    QDateTime updatedAt;
    QString secret; // only in the answers that create it

    bool matches(const QString &type) const;
    QJsonObject toJson() const;
    // A server's answer (clients); "secret" when present.
    static Result<Subscription> fromJson(const QJsonObject &json);
};

// POST /v1/subscriptions: kind "webhook" with an absolute http(s) "url", or "email" with
// "to"; "events" a non-empty list of event types or patterns; "description" up to 500.
struct SubscriptionCreate
{
    QString kind;
    QString target;
    QStringList events;
    QString description;

    static Result<SubscriptionCreate> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

// PUT /v1/subscriptions/{id}: any of "url" / "to" (the one of its kind), "events",
// "description", "enabled" (true turns a disabled subscription on again).
struct SubscriptionUpdate
{
    std::optional<QString> url;
    std::optional<QString> to;
    std::optional<QStringList> events;
    std::optional<QString> description;
    std::optional<bool> enabled;

    static Result<SubscriptionUpdate> fromJson(const QJsonObject &json);
    // Only the members that are set.
    QJsonObject toJson() const;
};

// One event on its way to one subscription:
// {"id","subscription_id","message_id","event","status","attempts","response_code",
//  "response_body","latency_ms","last_error","next_attempt_at","created_at","finished_at"}.
struct SubscriptionDelivery
{
    qint64 id = 0;
    qint64 subscriptionId = 0;
    QString messageId; // the webhook-id header, the same on every attempt
    QString event;     // the event type
    QString status;    // "pending" | "delivered" | "failed"
    int attempts = 0;
    int responseCode = 0; // 0: no HTTP answer (yet)
    QString responseBody; // the start of the receiver's answer to the last attempt
    qint64 latencyMs = -1;
    QString lastError;
    QDateTime nextAttemptAt; // invalid unless pending
    QDateTime createdAt;
    QDateTime finishedAt;

    QJsonObject toJson() const;
    // A server's answer (clients).
    static Result<SubscriptionDelivery> fromJson(const QJsonObject &json);
};

namespace SubscriptionRules {
// An event type pattern: lower-case dotted words ("post.created"), optionally ending in ".*",
// or "*" alone.
bool validPattern(const QString &pattern);
// A plausible address: one "@", something either side, no spaces or control characters.
bool validEmail(const QString &address);
} // namespace SubscriptionRules

} // namespace Outpost
