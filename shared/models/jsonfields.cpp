#include "jsonfields.h"

#include "core/timeformat.h"

#include <QJsonValue>

#include <algorithm>

namespace Outpost::JsonFields {

QString isRequired()
{
    return QStringLiteral("is required");
}

QString mustBeString()
{
    return QStringLiteral("must be a string");
}

bool readString(const QJsonObject &json, const QString &key, bool required, QString &out,
    QList<FieldError> &errors)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined()) {
        if (required)
            errors.append({key, isRequired()});
        return false;
    }
    if (!value.isString()) {
        errors.append({key, mustBeString()});
        return false;
    }
    out = value.toString();
    return true;
}

std::optional<qint64> integerValue(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    // toInteger() returns its argument for fractions and out-of-range values.
    const qint64 integer = value.toInteger(0);
    if (integer != value.toInteger(1))
        return std::nullopt;
    return integer;
}

void rejectUnknownFields(
    const QJsonObject &json, std::initializer_list<QString> known, QList<FieldError> &errors)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
            errors.append({it.key(), QStringLiteral("unknown field")});
    }
}

bool readIntegerField(const QJsonObject &json, const QString &key, bool required, qint64 &out,
    QList<FieldError> &errors)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined()) {
        if (required)
            errors.append({key, isRequired()});
        return false;
    }
    const std::optional<qint64> integer = integerValue(value);
    if (!integer) {
        errors.append({key, QStringLiteral("must be an integer")});
        return false;
    }
    out = *integer;
    return true;
}

bool readIntegerOrNull(
    const QJsonObject &json, const QString &key, qint64 &out, QList<FieldError> &errors)
{
    if (json.value(key).isNull())
        return false;
    return readIntegerField(json, key, false, out, errors);
}

bool readBoolField(const QJsonObject &json, const QString &key, bool required, bool &out,
    QList<FieldError> &errors)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined()) {
        if (required)
            errors.append({key, isRequired()});
        return false;
    }
    if (!value.isBool()) {
        errors.append({key, QStringLiteral("must be true or false")});
        return false;
    }
    out = value.toBool();
    return true;
}

bool readStringOrNull(
    const QJsonObject &json, const QString &key, QString &out, QList<FieldError> &errors)
{
    if (json.value(key).isNull())
        return false;
    return readString(json, key, false, out, errors);
}

bool readTimeField(const QJsonObject &json, const QString &key, bool required, QDateTime &out,
    QList<FieldError> &errors)
{
    QString text;
    if (!readString(json, key, required, text, errors))
        return false;
    const QDateTime time = fromRfc3339(text);
    if (!time.isValid()) {
        errors.append({key, QStringLiteral("must be an RFC 3339 time")});
        return false;
    }
    out = time;
    return true;
}

bool readTimeOrNull(
    const QJsonObject &json, const QString &key, QDateTime &out, QList<FieldError> &errors)
{
    if (json.value(key).isNull())
        return false;
    return readTimeField(json, key, false, out, errors);
}

void appendNested(const QString &prefix, const QList<FieldError> &nested, QList<FieldError> &errors)
{
    for (const FieldError &error : nested) {
        errors.append(
            {error.field.isEmpty() ? prefix : prefix + u'.' + error.field, error.message});
    }
}

qsizetype codePointCount(const QString &text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

} // namespace Outpost::JsonFields
