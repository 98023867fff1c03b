#include "subscriptionservice.h"

#include "addresspolicy.h"
#include "auditservice.h"
#include "db/deliveryqueuerepository.h"
#include "db/subscriptionrepository.h"
#include "deliverydispatcher.h"
#include "standardwebhooks.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QUrl>

namespace Outpost::Server {

namespace {

constexpr qint64 kRotationOverlapMs = 24LL * 3600 * 1000;

const QString kTarget = QStringLiteral("subscription");

Error notFound(qint64 id)
{
    return Error::notFound(QStringLiteral("subscription %1 does not exist").arg(id));
}

std::optional<Principal> actorOf(const Caller &caller)
{
    return caller.principal;
}

QJsonObject auditDetail(const Subscription &subscription)
{
    return {{QStringLiteral("kind"), subscription.kind},
        {QStringLiteral("target"), subscription.target},
        {QStringLiteral("events"), QJsonArray::fromStringList(subscription.events)}};
}

} // namespace

SubscriptionService::SubscriptionService(const Database &database, const AuditService &audit,
    DeliveryDispatcher &dispatcher, bool allowPrivate)
    : m_database(database)
    , m_audit(audit)
    , m_dispatcher(dispatcher)
    , m_allowPrivate(allowPrivate)
{ }

QStringList SubscriptionService::eventFamilies()
{
    return {QStringLiteral("post"), QStringLiteral("vote"), QStringLiteral("file"),
        QStringLiteral("user"), QStringLiteral("pipeline"), QStringLiteral("run"),
        QStringLiteral("ping")};
}

Status SubscriptionService::checkEvents(const QStringList &events)
{
    const QStringList families = eventFamilies();
    for (const QString &pattern : events) {
        if (pattern == QLatin1String("*"))
            continue;
        if (!families.contains(pattern.section(u'.', 0, 0))) {
            return fail(Error::validation(QStringLiteral("events"),
                QStringLiteral("\"%1\" names no event family (known: %2)")
                    .arg(pattern, families.join(QStringLiteral(", ")))));
        }
    }
    return {};
}

Status SubscriptionService::checkTarget(
    const QString &kind, const QString &target, const Principal &principal) const
{
    if (kind == SubscriptionKinds::email) {
        if (!principal.isAdmin() && target.compare(principal.email, Qt::CaseInsensitive) != 0) {
            return fail(Error::forbidden(
                QStringLiteral("e-mail subscriptions go to your own address (%1); only admins "
                               "may send elsewhere")
                    .arg(principal.email)));
        }
        return {};
    }
    if (m_allowPrivate)
        return {};
    const QUrl url(target, QUrl::StrictMode);
    if (url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0) {
        return fail(Error::validation(QStringLiteral("url"),
            QStringLiteral("must be https (plain http only with OUTPOST_WEBHOOK_ALLOW_PRIVATE)")));
    }
    const QHostAddress literal(url.host());
    if (!literal.isNull() && !AddressPolicy::isPublic(literal)) {
        return fail(Error::validation(QStringLiteral("url"),
            QStringLiteral("%1 is not a public address (%2)")
                .arg(literal.toString(), AddressPolicy::refusal(literal))));
    }
    return {};
}

Result<Subscription> SubscriptionService::owned(qint64 id, const Principal &principal) const
{
    auto found = SubscriptionRepository(m_database).find(id);
    if (!found)
        return fail(found.error());
    if (!*found || ((*found)->subscription.ownerId != principal.userId && !principal.isAdmin()))
        return fail(notFound(id));
    return (*found)->subscription;
}

Result<Subscription> SubscriptionService::create(
    const SubscriptionCreate &create, const Caller &caller)
{
    Q_ASSERT(caller.principal);
    const Principal &principal = *caller.principal;
    if (auto events = checkEvents(create.events); !events)
        return fail(events.error());
    if (auto target = checkTarget(create.kind, create.target, principal); !target)
        return fail(target.error());
    const QString secret =
        create.kind == SubscriptionKinds::webhook ? StandardWebhooks::newSecret() : QString();
    SubscriptionRepository subscriptions(m_database);
    auto id = subscriptions.insert(
        principal.userId, create.kind, create.target, create.events, create.description, secret);
    if (!id)
        return fail(id.error());
    m_dispatcher.subscriptionsChanged();
    auto made = owned(*id, principal);
    if (!made)
        return fail(made.error());
    m_audit.record(actorOf(caller), QStringLiteral("subscription.created"), kTarget,
        QString::number(*id), caller.clientAddress, auditDetail(*made));
    made->secret = secret;
    return made;
}

Result<Page<Subscription>> SubscriptionService::list(
    const Principal &principal, const PageRequest &page) const
{
    return SubscriptionRepository(m_database)
        .list(principal.isAdmin() ? 0 : principal.userId, page);
}

Result<Subscription> SubscriptionService::get(qint64 id, const Principal &principal) const
{
    return owned(id, principal);
}

Result<Subscription> SubscriptionService::update(
    qint64 id, const SubscriptionUpdate &update, const Caller &caller)
{
    Q_ASSERT(caller.principal);
    const Principal &principal = *caller.principal;
    auto current = owned(id, principal);
    if (!current)
        return fail(current.error());
    Subscription next = *current;
    const bool email = next.kind == SubscriptionKinds::email;
    if ((email && update.url) || (!email && update.to)) {
        return fail(Error::validation(email ? QStringLiteral("url") : QStringLiteral("to"),
            email ? QStringLiteral("is for webhook subscriptions")
                  : QStringLiteral("is for e-mail subscriptions")));
    }
    if (update.url)
        next.target = *update.url;
    if (update.to)
        next.target = *update.to;
    if (update.events)
        next.events = *update.events;
    if (update.description)
        next.description = *update.description;
    if (update.enabled)
        next.enabled = *update.enabled;
    if (auto events = checkEvents(next.events); !events)
        return fail(events.error());
    if (next.target != current->target) {
        if (auto target = checkTarget(next.kind, next.target, principal); !target)
            return fail(target.error());
    }
    auto written = SubscriptionRepository(m_database).update(next);
    if (!written)
        return fail(written.error());
    if (!*written)
        return fail(notFound(id));
    if (next.enabled) {
        m_dispatcher.subscriptionsChanged();
        m_dispatcher.wake(); // deliveries held while it was off may go now
    }
    m_audit.record(actorOf(caller), QStringLiteral("subscription.updated"), kTarget,
        QString::number(id), caller.clientAddress, auditDetail(next));
    return owned(id, principal);
}

Status SubscriptionService::remove(qint64 id, const Caller &caller)
{
    Q_ASSERT(caller.principal);
    auto current = owned(id, *caller.principal);
    if (!current)
        return fail(current.error());
    auto removed = SubscriptionRepository(m_database).remove(id);
    if (!removed)
        return fail(removed.error());
    if (!*removed)
        return fail(notFound(id));
    m_audit.record(actorOf(caller), QStringLiteral("subscription.deleted"), kTarget,
        QString::number(id), caller.clientAddress, auditDetail(*current));
    return {};
}

Result<Subscription> SubscriptionService::rotateSecret(qint64 id, const Caller &caller)
{
    Q_ASSERT(caller.principal);
    auto current = owned(id, *caller.principal);
    if (!current)
        return fail(current.error());
    if (current->kind != SubscriptionKinds::webhook) {
        return fail(Error::conflict(QStringLiteral("e-mail subscriptions have no secret")));
    }
    const QString secret = StandardWebhooks::newSecret();
    auto rotated =
        SubscriptionRepository(m_database)
            .rotateSecret(id, secret, QDateTime::currentMSecsSinceEpoch() + kRotationOverlapMs);
    if (!rotated)
        return fail(rotated.error());
    if (!*rotated)
        return fail(notFound(id));
    m_audit.record(actorOf(caller), QStringLiteral("subscription.secret_rotated"), kTarget,
        QString::number(id), caller.clientAddress);
    auto result = owned(id, *caller.principal);
    if (result)
        result->secret = secret;
    return result;
}

Result<SubscriptionDelivery> SubscriptionService::test(qint64 id, const Caller &caller)
{
    Q_ASSERT(caller.principal);
    auto current = owned(id, *caller.principal);
    if (!current)
        return fail(current.error());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    NewDelivery ping;
    ping.subscriptionId = id;
    ping.messageId = StandardWebhooks::newMessageId();
    ping.type = QStringLiteral("ping");
    ping.payload =
        StandardWebhooks::body(ping.type, now, {{QStringLiteral("subscription_id"), id}});
    if (current->kind == SubscriptionKinds::email && !m_dispatcher.hasMailer())
        ping.note = QStringLiteral("no mailer configured: waiting for one");
    ping.trace = currentTrace(); // the sender continues this request's trace
    auto delivery = DeliveryQueueRepository(m_database).insert(ping, now.toMSecsSinceEpoch());
    if (!delivery)
        return fail(delivery.error());
    m_dispatcher.wake();
    m_audit.record(actorOf(caller), QStringLiteral("subscription.tested"), kTarget,
        QString::number(id), caller.clientAddress);
    SubscriptionDelivery queued;
    queued.id = *delivery;
    queued.subscriptionId = id;
    queued.messageId = ping.messageId;
    queued.event = ping.type;
    queued.status = QStringLiteral("pending");
    queued.lastError = ping.note;
    queued.nextAttemptAt = now;
    queued.createdAt = now;
    return queued;
}

Result<Page<SubscriptionDelivery>> SubscriptionService::deliveries(
    qint64 id, const Principal &principal, const PageRequest &page) const
{
    if (auto current = owned(id, principal); !current)
        return fail(current.error());
    return DeliveryQueueRepository(m_database).list(id, page);
}

Status SubscriptionService::retry(qint64 id, qint64 deliveryId, const Caller &caller)
{
    Q_ASSERT(caller.principal);
    if (auto current = owned(id, *caller.principal); !current)
        return fail(current.error());
    auto retried = DeliveryQueueRepository(m_database)
                       .retry(id, deliveryId, QDateTime::currentMSecsSinceEpoch());
    if (!retried)
        return fail(retried.error());
    if (!*retried) {
        return fail(Error::notFound(
            QStringLiteral("subscription %1 has no delivery %2 that is not being sent right now")
                .arg(id)
                .arg(deliveryId)));
    }
    m_dispatcher.wake();
    m_audit.record(actorOf(caller), QStringLiteral("subscription.delivery_retried"), kTarget,
        QString::number(id), caller.clientAddress, {{QStringLiteral("delivery_id"), deliveryId}});
    return {};
}

} // namespace Outpost::Server
