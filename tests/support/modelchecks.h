#pragma once

#include "core/error.h"
#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Outpost::Test {

// Helpers for the suites that check shared/models and other parsers without a server.

// A JSON object written as text in the test.
inline QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

// A UTC time written as ISO 8601 text in the test.
inline QDateTime utc(const char *text)
{
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toUTC();
}

// "field: message" for every field error, in order; empty when the result is a value.
template<typename T> QStringList fieldErrors(const Result<T> &result)
{
    QStringList errors;
    if (result)
        return errors;
    for (const FieldError &error : result.error().fields)
        errors.append(error.field + QStringLiteral(": ") + error.message);
    return errors;
}

// The fields named by the result's field errors, in order; empty when it is a value.
template<typename T> QStringList errorFields(const Result<T> &result)
{
    QStringList fields;
    if (!result) {
        for (const FieldError &error : result.error().fields)
            fields.append(error.field);
    }
    return fields;
}

} // namespace Outpost::Test
