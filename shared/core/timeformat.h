#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonValue>
#include <QString>

namespace Outpost {

// RFC 3339 in UTC with a Z and whole seconds: "2026-11-22T10:00:00Z" (the API's format).
// Formatted and parsed by hand: QDateTime's ISO conversions cost more than the rest of a
// row of a post list.
QString toRfc3339(const QDateTime &time);
void appendRfc3339(QByteArray &out, const QDateTime &time); // nothing for an invalid time
QJsonValue toJsonTime(const QDateTime &time);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" quickly and anything else Qt's ISO parser takes;
// UTC result, invalid on failure.
QDateTime fromRfc3339(const QString &text);

} // namespace Outpost
