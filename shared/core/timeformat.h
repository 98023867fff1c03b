#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QString>

namespace Outpost {

// RFC 3339 in UTC with a Z and whole seconds: "2026-11-22T10:00:00Z" (the API's format).
inline QString toRfc3339(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

inline QJsonValue toJsonTime(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toRfc3339(time)) : QJsonValue(QJsonValue::Null);
}

// Accepts what the database and clients write (with or without milliseconds); UTC result.
inline QDateTime fromRfc3339(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

} // namespace Outpost
