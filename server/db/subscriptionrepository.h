#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/subscription.h"

#include <optional>

namespace Outpost::Server {

class Database;

// A subscription as stored, with what only the server sees: the signing secrets and its
// delivery health.
struct StoredSubscription
{
    Subscription subscription;
    QString secret;
    QString previousSecret; // after a rotation, until previousSecretUntilMs
    qint64 previousSecretUntilMs = 0;
    qint64 failingSinceMs = 0; // 0: the last attempt succeeded (or none failed yet)
    QString ownerEmail;
    QString ownerRole;
};

// Outgoing-event subscriptions (webhooks and e-mail), see SubscriptionService.
class SubscriptionRepository
{
public:
    explicit SubscriptionRepository(const Database &database);

    Result<qint64> insert(qint64 ownerId, const QString &kind, const QString &target,
        const QStringList &events, const QString &description, const QString &secret);
    Result<std::optional<StoredSubscription>> find(qint64 id) const;
    // Newest first; ownerId 0: everyone's.
    Result<Page<Subscription>> list(qint64 ownerId, const PageRequest &page) const;
    // Enabled subscriptions whose owner is enabled, for fanning events out.
    Result<QList<StoredSubscription>> listActive() const;
    // Whether any subscription is on (publishing skips the outbox while none is).
    Result<bool> anyEnabled() const;
    // Writes target, events, description and enabled; turning it on clears the reason and
    // the failure clock.
    Result<bool> update(const Subscription &subscription);
    Result<bool> remove(qint64 id);
    Result<bool> rotateSecret(qint64 id, const QString &secret, qint64 previousUntilMs);
    // Off, with a reason the owner sees; false when it was off already.
    Result<bool> disable(qint64 id, const QString &reason);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
