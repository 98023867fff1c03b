#include "jsonfields.h"

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
