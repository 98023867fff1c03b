#include "subscription.h"

#include "core/timeformat.h"
#include "jsonfields.h"

#include <QJsonArray>

#include <QRegularExpression>
#include <QUrl>
#include <algorithm>

namespace Outpost {

using namespace JsonFields;

namespace {

constexpr qsizetype kMaxDescription = 500;
constexpr qsizetype kMaxUrl = 2000;
constexpr qsizetype kMaxEmail = 254;
constexpr qsizetype kMaxEvents = 50;

const QString kId = QStringLiteral("id");
const QString kOwnerId = QStringLiteral("owner_id");
const QString kKind = QStringLiteral("kind");
const QString kUrl = QStringLiteral("url");
const QString kTo = QStringLiteral("to");
const QString kEvents = QStringLiteral("events");
const QString kDescription = QStringLiteral("description");
const QString kEnabled = QStringLiteral("enabled");
const QString kDisabledReason = QStringLiteral("disabled_reason");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kUpdatedAt = QStringLiteral("updated_at");
const QString kSecret = QStringLiteral("secret");

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toRfc3339(time)) : QJsonValue(QJsonValue::Null);
}

QStringList readEvents(
    const QJsonObject &json, bool required, bool &present, QList<FieldError> &errors)
{
    const QJsonValue value = json.value(kEvents);
    present = !value.isUndefined();
    if (!present) {
        if (required)
            errors.append({kEvents, isRequired()});
        return {};
    }
    if (!value.isArray() || value.toArray().isEmpty()) {
        errors.append({kEvents, QStringLiteral("must be a non-empty array of event types")});
        return {};
    }
    const QJsonArray array = value.toArray();
    if (array.size() > kMaxEvents) {
        errors.append({kEvents, QStringLiteral("may name at most %1 patterns").arg(kMaxEvents)});
        return {};
    }
    QStringList events;
    for (const QJsonValue &item : array) {
        const QString pattern = item.toString();
        if (!item.isString() || !SubscriptionRules::validPattern(pattern)) {
            errors.append({kEvents,
                QStringLiteral("\"%1\" is not an event type or pattern (e.g. \"post.created\", "
                               "\"file.*\", \"*\")")
                    .arg(item.isString() ? pattern.left(100) : QStringLiteral("?"))});
        } else if (!events.contains(pattern)) {
            events.append(pattern);
        }
    }
    return events;
}

// An absolute http(s) URL with a host and no user information. Whether plain http or a
// private address is allowed is the server's rule (OUTPOST_WEBHOOK_ALLOW_PRIVATE).
bool readUrl(const QJsonObject &json, bool required, QString &out, QList<FieldError> &errors)
{
    if (!readString(json, kUrl, required, out, errors))
        return false;
    const QUrl url(out, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (out.size() > kMaxUrl || !url.isValid() || url.host().isEmpty()
        || (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        || !url.userInfo().isEmpty() || !url.fragment().isEmpty()) {
        errors.append({kUrl,
            QStringLiteral("must be an absolute https URL with a host, without user "
                           "information or fragment")});
        return false;
    }
    return true;
}

bool readTo(const QJsonObject &json, bool required, QString &out, QList<FieldError> &errors)
{
    if (!readString(json, kTo, required, out, errors))
        return false;
    out = out.trimmed();
    if (!SubscriptionRules::validEmail(out)) {
        errors.append({kTo, QStringLiteral("must be an e-mail address")});
        return false;
    }
    return true;
}

bool readDescription(const QJsonObject &json, QString &out, QList<FieldError> &errors)
{
    if (!readString(json, kDescription, false, out, errors))
        return false;
    if (codePointCount(out) > kMaxDescription) {
        errors.append(
            {kDescription, QStringLiteral("must be at most %1 characters").arg(kMaxDescription)});
        return false;
    }
    return true;
}

} // namespace

bool eventMatches(const QString &pattern, const QString &type)
{
    if (pattern == QLatin1String("*"))
        return true;
    if (pattern.endsWith(QLatin1String(".*")))
        return type.startsWith(pattern.left(pattern.size() - 1));
    return pattern == type;
}

bool Subscription::matches(const QString &type) const
{
    return std::any_of(events.cbegin(), events.cend(),
        [&type](const QString &pattern) { return eventMatches(pattern, type); });
}

QJsonObject Subscription::toJson() const
{
    QJsonObject json {{kId, id}, {kOwnerId, ownerId}, {kKind, kind},
        {kEvents, QJsonArray::fromStringList(events)}, {kDescription, description},
        {kEnabled, enabled},
        {kDisabledReason,
            disabledReason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(disabledReason)},
        {kCreatedAt, timeOrNull(createdAt)}, {kUpdatedAt, timeOrNull(updatedAt)}};
    json.insert(kind == SubscriptionKinds::email ? kTo : kUrl, target);
    if (!secret.isEmpty())
        json.insert(kSecret, secret);
    return json;
}

Result<Subscription> Subscription::fromJson(const QJsonObject &json)
{
    Subscription subscription;
    QList<FieldError> errors;
    readIntegerField(json, kId, true, subscription.id, errors);
    readIntegerField(json, kOwnerId, true, subscription.ownerId, errors);
    readString(json, kKind, true, subscription.kind, errors);
    readString(json, subscription.kind == SubscriptionKinds::email ? kTo : kUrl, true,
        subscription.target, errors);
    const QJsonValue events = json.value(kEvents);
    if (!events.isArray())
        errors.append({kEvents, QStringLiteral("must be an array of strings")});
    for (const QJsonValue &event : events.toArray())
        subscription.events.append(event.toString());
    readString(json, kDescription, false, subscription.description, errors);
    readBoolField(json, kEnabled, true, subscription.enabled, errors);
    readStringOrNull(json, kDisabledReason, subscription.disabledReason, errors);
    readTimeField(json, kCreatedAt, true, subscription.createdAt, errors);
    readTimeOrNull(json, kUpdatedAt, subscription.updatedAt, errors);
    readString(json, kSecret, false, subscription.secret, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(std::move(errors)));
    return subscription;
}

QJsonObject SubscriptionCreate::toJson() const
{
    QJsonObject json {{kKind, kind}, {kEvents, QJsonArray::fromStringList(events)}};
    json.insert(kind == SubscriptionKinds::email ? kTo : kUrl, target);
    if (!description.isEmpty())
        json.insert(kDescription, description);
    return json;
}

QJsonObject SubscriptionUpdate::toJson() const
{
    QJsonObject json;
    if (url)
        json.insert(kUrl, *url);
    if (to)
        json.insert(kTo, *to);
    if (events)
        json.insert(kEvents, QJsonArray::fromStringList(*events));
    if (description)
        json.insert(kDescription, *description);
    if (enabled)
        json.insert(kEnabled, *enabled);
    return json;
}

Result<SubscriptionCreate> SubscriptionCreate::fromJson(const QJsonObject &json)
{
    QList<FieldError> errors;
    SubscriptionCreate create;
    rejectUnknownFields(json, {kKind, kUrl, kTo, kEvents, kDescription}, errors);
    if (readString(json, kKind, true, create.kind, errors)
        && create.kind != SubscriptionKinds::webhook && create.kind != SubscriptionKinds::email) {
        errors.append({kKind, QStringLiteral("must be \"webhook\" or \"email\"")});
    }
    if (create.kind == SubscriptionKinds::webhook) {
        readUrl(json, true, create.target, errors);
        if (json.contains(kTo))
            errors.append({kTo, QStringLiteral("is for e-mail subscriptions")});
    } else if (create.kind == SubscriptionKinds::email) {
        readTo(json, true, create.target, errors);
        if (json.contains(kUrl))
            errors.append({kUrl, QStringLiteral("is for webhook subscriptions")});
    }
    bool present = false;
    create.events = readEvents(json, true, present, errors);
    readDescription(json, create.description, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(std::move(errors)));
    return create;
}

Result<SubscriptionUpdate> SubscriptionUpdate::fromJson(const QJsonObject &json)
{
    QList<FieldError> errors;
    SubscriptionUpdate update;
    rejectUnknownFields(json, {kUrl, kTo, kEvents, kDescription, kEnabled}, errors);
    QString text;
    if (json.contains(kUrl) && readUrl(json, false, text, errors))
        update.url = text;
    if (json.contains(kTo) && readTo(json, false, text, errors))
        update.to = text;
    bool present = false;
    const QStringList events = readEvents(json, false, present, errors);
    if (present && !events.isEmpty())
        update.events = events;
    if (json.contains(kDescription) && readDescription(json, text, errors))
        update.description = text;
    bool enabled = false;
    if (readBoolField(json, kEnabled, false, enabled, errors))
        update.enabled = enabled;
    if (!errors.isEmpty())
        return fail(Error::validation(std::move(errors)));
    return update;
}

QJsonObject SubscriptionDelivery::toJson() const
{
    return {{kId, id}, {QStringLiteral("subscription_id"), subscriptionId},
        {QStringLiteral("message_id"), messageId}, {QStringLiteral("event"), event},
        {QStringLiteral("status"), status}, {QStringLiteral("attempts"), attempts},
        {QStringLiteral("response_code"),
            responseCode > 0 ? QJsonValue(responseCode) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("response_body"),
            responseBody.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(responseBody)},
        {QStringLiteral("latency_ms"),
            latencyMs >= 0 ? QJsonValue(latencyMs) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("last_error"),
            lastError.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(lastError)},
        {QStringLiteral("next_attempt_at"), timeOrNull(nextAttemptAt)},
        {kCreatedAt, timeOrNull(createdAt)},
        {QStringLiteral("finished_at"), timeOrNull(finishedAt)}};
}

Result<SubscriptionDelivery> SubscriptionDelivery::fromJson(const QJsonObject &json)
{
    SubscriptionDelivery delivery;
    QList<FieldError> errors;
    readIntegerField(json, kId, true, delivery.id, errors);
    readIntegerField(
        json, QStringLiteral("subscription_id"), true, delivery.subscriptionId, errors);
    readString(json, QStringLiteral("message_id"), true, delivery.messageId, errors);
    readString(json, QStringLiteral("event"), true, delivery.event, errors);
    readString(json, QStringLiteral("status"), true, delivery.status, errors);
    qint64 number = 0;
    if (readIntegerField(json, QStringLiteral("attempts"), true, number, errors))
        delivery.attempts = int(number);
    number = 0;
    if (readIntegerOrNull(json, QStringLiteral("response_code"), number, errors))
        delivery.responseCode = int(number);
    readStringOrNull(json, QStringLiteral("response_body"), delivery.responseBody, errors);
    readIntegerOrNull(json, QStringLiteral("latency_ms"), delivery.latencyMs, errors);
    readStringOrNull(json, QStringLiteral("last_error"), delivery.lastError, errors);
    readTimeOrNull(json, QStringLiteral("next_attempt_at"), delivery.nextAttemptAt, errors);
    readTimeField(json, kCreatedAt, true, delivery.createdAt, errors);
    readTimeOrNull(json, QStringLiteral("finished_at"), delivery.finishedAt, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(std::move(errors)));
    return delivery;
}

namespace SubscriptionRules {

bool validPattern(const QString &pattern)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?)$"));
    return pattern.size() <= 100 && re.match(pattern).hasMatch();
}

bool validEmail(const QString &address)
{
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    return address.size() <= kMaxEmail && re.match(address).hasMatch()
        && std::none_of(address.begin(), address.end(),
            [](QChar c) { return c.category() == QChar::Other_Control; });
}

} // namespace SubscriptionRules

} // namespace Outpost
