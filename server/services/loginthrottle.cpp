#include "loginthrottle.h"

#include "db/loginattemptrepository.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcThrottle, "outpost.auth", QtInfoMsg)

namespace Outpost::Server {

DatabaseLoginThrottle::DatabaseLoginThrottle(const Database &database)
    : m_database(database)
{ }

int DatabaseLoginThrottle::delayFor(int failures, const QDateTime &latest, const QDateTime &now)
{
    if (failures < kFreeFailures || !latest.isValid())
        return 0;
    const int exponent = qMin(failures - kFreeFailures, 10);
    const qint64 delay = qMin<qint64>(qint64(kBaseDelaySeconds) << exponent, kMaxDelaySeconds);
    const qint64 waited = latest.secsTo(now);
    return waited >= delay ? 0 : int(delay - waited);
}

int DatabaseLoginThrottle::retryAfter(const QStringList &keys, const QDateTime &now) const
{
    LoginAttemptRepository attempts(m_database);
    int wait = 0;
    for (const QString &key : keys) {
        auto failures = attempts.failuresSince(key, now.addSecs(-kWindowSeconds));
        if (!failures) {
            // Fail closed would lock everyone out when the database hiccups; fail open and say so.
            qCWarning(lcThrottle) << "login throttle unavailable:" << failures.error().detail;
            continue;
        }
        wait = qMax(wait, delayFor(failures->count, failures->latest, now));
    }
    return wait;
}

void DatabaseLoginThrottle::recordFailure(const QStringList &keys, const QDateTime &now)
{
    LoginAttemptRepository attempts(m_database);
    for (const QString &key : keys)
        attempts.recordFailure(key, now);
    attempts.pruneBefore(now.addSecs(-kWindowSeconds));
}

void DatabaseLoginThrottle::reset(const QString &key)
{
    LoginAttemptRepository(m_database).clear(key);
}

} // namespace Outpost::Server
