#include "timeformat.h"

#include <array>

namespace Outpost {

namespace {

constexpr qint64 kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
qint64 daysFromCivil(qint64 y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civilFromDays(qint64 z, qint64 &y, int &m, int &d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

// "YYYY-MM-DDTHH:MM:SSZ" into 20 chars; false outside years 0..9999.
bool format(const QDateTime &time, std::array<char, 20> &out)
{
    const qint64 ms = time.toMSecsSinceEpoch();
    qint64 days = ms / kMsPerDay;
    qint64 msOfDay = ms % kMsPerDay;
    if (msOfDay < 0) {
        msOfDay += kMsPerDay;
        --days;
    }
    qint64 year = 0;
    int month = 0;
    int day = 0;
    civilFromDays(days, year, month, day);
    if (year < 0 || year > 9999)
        return false;
    const int seconds = int(msOfDay / 1000);
    const auto two = [&out](int at, int value) {
        out.at(size_t(at)) = char('0' + value / 10);
        out.at(size_t(at) + 1) = char('0' + value % 10);
    };
    two(0, int(year / 100));
    two(2, int(year % 100));
    out[4] = '-';
    two(5, month);
    out[7] = '-';
    two(8, day);
    out[10] = 'T';
    two(11, seconds / 3600);
    out[13] = ':';
    two(14, seconds / 60 % 60);
    out[16] = ':';
    two(17, seconds % 60);
    out[19] = 'Z';
    return true;
}

} // namespace

QString toRfc3339(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    std::array<char, 20> text {};
    if (!format(time, text))
        return time.toUTC().toString(Qt::ISODate);
    return QString::fromLatin1(text.data(), qsizetype(text.size()));
}

void appendRfc3339(QByteArray &out, const QDateTime &time)
{
    if (!time.isValid())
        return;
    std::array<char, 20> text {};
    if (format(time, text))
        out.append(text.data(), qsizetype(text.size()));
    else
        out.append(time.toUTC().toString(Qt::ISODate).toLatin1());
}

QJsonValue toJsonTime(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toRfc3339(time)) : QJsonValue(QJsonValue::Null);
}

QDateTime fromRfc3339(const QString &text)
{
    const qsizetype n = text.size();
    const auto *s = reinterpret_cast<const char16_t *>(text.utf16());
    const auto digits = [s](qsizetype at, int count, int &value) {
        value = 0;
        for (int i = 0; i < count; ++i) {
            const char16_t c = s[at + i];
            if (c < u'0' || c > u'9')
                return false;
            value = value * 10 + int(c - u'0');
        }
        return true;
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    const bool plain = n == 20 && s[19] == u'Z';
    const bool withMillis = n == 24 && s[19] == u'.' && s[23] == u'Z' && digits(20, 3, millis);
    if ((plain || withMillis) && s[4] == u'-' && s[7] == u'-' && (s[10] == u'T' || s[10] == u't')
        && s[13] == u':' && s[16] == u':' && digits(0, 4, year) && digits(5, 2, month)
        && digits(8, 2, day) && digits(11, 2, hour) && digits(14, 2, minute)
        && digits(17, 2, second) && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24
        && minute < 60 && second < 61) {
        const qint64 ms = daysFromCivil(year, month, day) * kMsPerDay
            + ((hour * 60 + minute) * 60 + second) * 1000LL + millis;
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

} // namespace Outpost
