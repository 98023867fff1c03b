#pragma once

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace Outpost::App {

// A time from the API in the user's time zone and locale, short form; empty when unset.
inline QString displayTime(const QDateTime &at)
{
    return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
}

// "1 m 05 s", "12 s", "350 ms".
inline QString displayDuration(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    return QStringLiteral("%1 m %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace Outpost::App
