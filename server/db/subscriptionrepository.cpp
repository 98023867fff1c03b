#include "subscriptionrepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

QStringList splitEvents(const QString &text)
{
    return text.split(u' ', Qt::SkipEmptyParts);
}

const auto kSubscriptionRow = rowFormat<Subscription>([](auto &c, Subscription &s) {
    c.column("s.id", s.id);
    c.column("s.owner_id", s.ownerId);
    c.column("s.kind", s.kind);
    c.column("s.target", s.target);
    c.column("s.events", s.events, splitEvents);
    c.column("s.description", s.description);
    c.column("s.enabled", s.enabled);
    c.column("s.disabled_reason", s.disabledReason);
    c.column("s.created_at", s.createdAt);
    c.column("s.updated_at", s.updatedAt);
});

const auto kStoredRow = rowFormat<StoredSubscription>([](auto &c, StoredSubscription &s) {
    c.column("s.secret", s.secret);
    c.column("s.previous_secret", s.previousSecret);
    c.column("s.previous_secret_until", s.previousSecretUntilMs);
    c.column("s.failing_since", s.failingSinceMs);
    c.column("u.email", s.ownerEmail);
    c.column("u.role", s.ownerRole);
});

const QString kSelectStored = QStringLiteral("SELECT ") + kSubscriptionRow.columns()
    + QStringLiteral(", ") + kStoredRow.columns()
    + QStringLiteral(" FROM subscriptions s JOIN users u ON u.id = s.owner_id ");

StoredSubscription readStored(const QSqlQuery &query)
{
    const QtRow row {query};
    StoredSubscription stored = kStoredRow.read(row, kSubscriptionRow.count());
    stored.subscription = kSubscriptionRow.read(row);
    return stored;
}

// An empty text, never NULL (a null QString binds as NULL).
QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

QString now()
{
    return seconds(QDateTime::currentDateTimeUtc());
}

} // namespace

SubscriptionRepository::SubscriptionRepository(const Database &database)
    : m_database(database)
{ }

Result<qint64> SubscriptionRepository::insert(qint64 ownerId, const QString &kind,
    const QString &target, const QStringList &events, const QString &description,
    const QString &secret)
{
    Result<QVariant> id = scalar(m_database,
        QStringLiteral("INSERT INTO subscriptions (owner_id, kind, target, events, description, "
                       "secret, created_at, updated_at) VALUES (:owner, :kind, :target, :events, "
                       ":description, :secret, :now, :now) RETURNING id"),
        {{":owner", ownerId}, {":kind", kind}, {":target", target}, {":events", events.join(u' ')},
            {":description", notNull(description)}, {":secret", textOrNull(secret)},
            {":now", now()}},
        "insert subscription");
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<std::optional<StoredSubscription>> SubscriptionRepository::find(qint64 id) const
{
    Result<QSqlQuery> query = exec(m_database, kSelectStored + QStringLiteral("WHERE s.id = :id"),
        {{":id", id}}, "find subscription");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return std::optional<StoredSubscription>();
    return std::optional<StoredSubscription>(readStored(*query));
}

Result<Page<Subscription>> SubscriptionRepository::list(
    qint64 ownerId, const PageRequest &page) const
{
    const QString where = ownerId > 0 ? QStringLiteral(" WHERE s.owner_id = :owner") : QString();
    BindingList bindings;
    if (ownerId > 0)
        bindings.append({QStringLiteral(":owner"), ownerId});
    Result<QVariant> total =
        scalar(m_database, QStringLiteral("SELECT COUNT(*) FROM subscriptions s") + where, bindings,
            "count subscriptions");
    if (!total)
        return fail(total.error());
    bindings.append({QStringLiteral(":limit"), page.limit});
    bindings.append({QStringLiteral(":skip"), page.skip});
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT ") + kSubscriptionRow.columns()
            + QStringLiteral(" FROM subscriptions s") + where
            + QStringLiteral(" ORDER BY s.id DESC LIMIT :limit OFFSET :skip"),
        bindings, "list subscriptions");
    if (!query)
        return fail(query.error());
    Page<Subscription> result;
    result.total = total->toLongLong();
    result.limit = page.limit;
    result.skip = page.skip;
    while (query->next())
        result.items.append(kSubscriptionRow.read(QtRow {*query}));
    return result;
}

Result<QList<StoredSubscription>> SubscriptionRepository::listActive() const
{
    Result<QSqlQuery> query = exec(m_database,
        kSelectStored + QStringLiteral("WHERE s.enabled = 1 AND u.disabled = 0 ORDER BY s.id"), {},
        "list active subscriptions");
    if (!query)
        return fail(query.error());
    QList<StoredSubscription> active;
    while (query->next())
        active.append(readStored(*query));
    return active;
}

Result<bool> SubscriptionRepository::anyEnabled() const
{
    Result<QVariant> any = scalar(m_database,
        QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM subscriptions WHERE enabled = 1 "
                       "LIMIT 1) x"),
        {}, "look for subscriptions");
    if (!any)
        return fail(any.error());
    return any->toLongLong() > 0;
}

Result<bool> SubscriptionRepository::update(const Subscription &subscription)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral(
            "UPDATE subscriptions SET target = :target, events = :events, description = "
            ":description, enabled = :enabled, updated_at = :now, "
            "disabled_reason = CASE WHEN :enabled2 = 1 THEN NULL ELSE disabled_reason END, "
            "failing_since = CASE WHEN :enabled3 = 1 AND enabled = 0 THEN NULL "
            "ELSE failing_since END WHERE id = :id"),
        {{":target", subscription.target}, {":events", subscription.events.join(u' ')},
            {":description", notNull(subscription.description)},
            {":enabled", boolean(subscription.enabled)},
            {":enabled2", boolean(subscription.enabled)},
            {":enabled3", boolean(subscription.enabled)}, {":now", now()},
            {":id", subscription.id}},
        "update subscription");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

Result<bool> SubscriptionRepository::remove(qint64 id)
{
    Result<QSqlQuery> query =
        exec(m_database, QStringLiteral("DELETE FROM subscriptions WHERE id = :id"), {{":id", id}},
            "delete subscription");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

Result<bool> SubscriptionRepository::rotateSecret(
    qint64 id, const QString &secret, qint64 previousUntilMs)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE subscriptions SET previous_secret = secret, "
                       "previous_secret_until = :until, secret = :secret, updated_at = :now "
                       "WHERE id = :id"),
        {{":until", previousUntilMs}, {":secret", secret}, {":now", now()}, {":id", id}},
        "rotate subscription secret");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

Result<bool> SubscriptionRepository::disable(qint64 id, const QString &reason)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE subscriptions SET enabled = 0, disabled_reason = :reason, "
                       "updated_at = :now WHERE id = :id AND enabled = 1"),
        {{":reason", reason}, {":now", now()}, {":id", id}}, "disable subscription");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

} // namespace Outpost::Server
