#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <initializer_list>
#include <optional>

namespace Outpost::JsonFields {

// Helpers for the models' fromJson, which collect every field error instead of stopping at
// the first. Internal to shared/models.

QString isRequired();   // "is required"
QString mustBeString(); // "must be a string"

// Reads a string member into `out`. Absent leaves `out` untouched (an error when `required`);
// anything but a string is an error. Returns whether a string was read.
bool readString(const QJsonObject &json, const QString &key, bool required, QString &out,
    QList<FieldError> &errors);

// A JSON number that is a whole qint64; nullopt for anything else (including 1.5).
std::optional<qint64> integerValue(const QJsonValue &value);

// Adds "unknown field" for every member not in `known`.
void rejectUnknownFields(
    const QJsonObject &json, std::initializer_list<QString> known, QList<FieldError> &errors);

// Readers for the clients' fromJson (server answers): each reads the member `key` into `out`
// and returns whether it did; a wrong type is an error named `key`, and so is an absent member
// when `required`. Null counts as absent for the nullable ones ("…OrNull"), which leave `out`
// untouched (empty string, invalid time, 0).
bool readIntegerField(const QJsonObject &json, const QString &key, bool required, qint64 &out,
    QList<FieldError> &errors);
bool readIntegerOrNull(
    const QJsonObject &json, const QString &key, qint64 &out, QList<FieldError> &errors);
bool readBoolField(const QJsonObject &json, const QString &key, bool required, bool &out,
    QList<FieldError> &errors);
bool readStringOrNull(
    const QJsonObject &json, const QString &key, QString &out, QList<FieldError> &errors);
bool readTimeField(const QJsonObject &json, const QString &key, bool required, QDateTime &out,
    QList<FieldError> &errors);
bool readTimeOrNull(
    const QJsonObject &json, const QString &key, QDateTime &out, QList<FieldError> &errors);

// `errors` of a nested object, renamed "<prefix>.<field>" (or `prefix` for an unnamed one).
void appendNested(
    const QString &prefix, const QList<FieldError> &nested, QList<FieldError> &errors);

// Characters as a user counts them: Unicode code points, not UTF-16 units.
qsizetype codePointCount(const QString &text);

} // namespace Outpost::JsonFields
