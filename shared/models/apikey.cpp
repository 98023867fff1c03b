#include "apikey.h"

#include "core/timeformat.h"
#include "jsonfields.h"

#include <QJsonArray>
#include <QJsonValue>
#include <algorithm>

namespace Outpost {

using namespace JsonFields;

namespace {

constexpr qsizetype kMaxNameLength = 100;

const QString kId = QStringLiteral("id");
const QString kName = QStringLiteral("name");
const QString kScopes = QStringLiteral("scopes");
const QString kPrefix = QStringLiteral("prefix");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kLastUsedAt = QStringLiteral("last_used_at");
const QString kCreatedBy = QStringLiteral("created_by");
const QString kKey = QStringLiteral("key");

bool hasControlCharacter(const QString &text)
{
    return std::any_of(
        text.begin(), text.end(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

// An optional RFC 3339 member: absent or null is an invalid QDateTime.
QDateTime readOptionalTime(const QJsonObject &json, const QString &key, QList<FieldError> &errors)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return {};
    const QDateTime time = value.isString() ? fromRfc3339(value.toString()) : QDateTime();
    if (!time.isValid())
        errors.append({key, QStringLiteral("must be an RFC 3339 time or null")});
    return time;
}

// Scopes of a request: a non-empty array of distinct known scope names.
QStringList readScopes(const QJsonObject &json, QList<FieldError> &errors)
{
    const QJsonValue value = json.value(kScopes);
    if (value.isUndefined()) {
        errors.append({kScopes, isRequired()});
        return {};
    }
    if (!value.isArray()) {
        errors.append({kScopes, QStringLiteral("must be an array of strings")});
        return {};
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty()) {
        errors.append({kScopes, QStringLiteral("must name at least one scope")});
        return {};
    }
    const QStringList known = Scopes::all();
    QStringList scopes;
    for (const QJsonValue &item : array) {
        if (!item.isString()) {
            errors.append({kScopes, QStringLiteral("must be an array of strings")});
            continue;
        }
        const QString scope = item.toString();
        if (!known.contains(scope)) {
            errors.append({kScopes,
                QStringLiteral("\"%1\" is not a scope (known: %2)")
                    .arg(scope, known.join(QStringLiteral(", ")))});
        } else if (scopes.contains(scope)) {
            errors.append({kScopes, QStringLiteral("names \"%1\" more than once").arg(scope)});
        } else {
            scopes.append(scope);
        }
    }
    return scopes;
}

} // namespace

QStringList Scopes::all()
{
    return {pipelinesWrite, filesWrite, read};
}

QJsonObject ApiKey::toJson() const
{
    QJsonObject json {{kId, id}, {kName, name}, {kScopes, QJsonArray::fromStringList(scopes)},
        {kPrefix, prefix}, {kCreatedAt, toJsonTime(createdAt)},
        {kLastUsedAt, toJsonTime(lastUsedAt)},
        {kCreatedBy, createdBy != 0 ? QJsonValue(createdBy) : QJsonValue()}};
    if (!key.isEmpty())
        json.insert(kKey, key);
    return json;
}

// Lenient about members it does not know, so clients keep working with newer servers.
Result<ApiKey> ApiKey::fromJson(const QJsonObject &json)
{
    ApiKey apiKey;
    QList<FieldError> errors;

    if (const std::optional<qint64> id = integerValue(json.value(kId)))
        apiKey.id = *id;
    else
        errors.append(
            {kId, json.contains(kId) ? QStringLiteral("must be an integer") : isRequired()});

    readString(json, kName, true, apiKey.name, errors);

    const QJsonValue scopes = json.value(kScopes);
    if (scopes.isArray()) {
        for (const QJsonValue &scope : scopes.toArray()) {
            if (scope.isString())
                apiKey.scopes.append(scope.toString());
            else
                errors.append({kScopes, QStringLiteral("must be an array of strings")});
        }
    } else {
        errors.append({kScopes,
            scopes.isUndefined() ? isRequired() : QStringLiteral("must be an array of strings")});
    }

    readString(json, kPrefix, true, apiKey.prefix, errors);

    QString createdAt;
    if (readString(json, kCreatedAt, true, createdAt, errors)) {
        apiKey.createdAt = fromRfc3339(createdAt);
        if (!apiKey.createdAt.isValid())
            errors.append({kCreatedAt, QStringLiteral("must be an RFC 3339 time")});
    }
    apiKey.lastUsedAt = readOptionalTime(json, kLastUsedAt, errors);

    const QJsonValue createdBy = json.value(kCreatedBy);
    if (!createdBy.isUndefined() && !createdBy.isNull()) {
        if (const std::optional<qint64> by = integerValue(createdBy))
            apiKey.createdBy = *by;
        else
            errors.append({kCreatedBy, QStringLiteral("must be an integer or null")});
    }

    readString(json, kKey, false, apiKey.key, errors);

    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return apiKey;
}

QJsonObject ApiKeyCreate::toJson() const
{
    return {{kName, name}, {kScopes, QJsonArray::fromStringList(scopes)}};
}

Result<ApiKeyCreate> ApiKeyCreate::fromJson(const QJsonObject &json)
{
    ApiKeyCreate create;
    QList<FieldError> errors;

    if (readString(json, kName, true, create.name, errors)) {
        create.name = create.name.trimmed();
        const qsizetype length = codePointCount(create.name);
        if (length == 0)
            errors.append({kName, QStringLiteral("must not be empty")});
        else if (length > kMaxNameLength)
            errors.append(
                {kName, QStringLiteral("must be at most %1 characters").arg(kMaxNameLength)});
        else if (hasControlCharacter(create.name))
            errors.append({kName, QStringLiteral("must not contain control characters")});
    }
    create.scopes = readScopes(json, errors);

    rejectUnknownFields(json, {kName, kScopes}, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return create;
}

} // namespace Outpost
