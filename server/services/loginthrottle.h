#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace Outpost::Server {

// Limits failed sign-ins per account and per client address. The state lives behind this
// interface so that replicas can share it (the database implementation below does).
class LoginThrottle
{
public:
    virtual ~LoginThrottle() = default;
    // 0 when a sign-in may be tried now, else the seconds to wait.
    virtual int retryAfter(const QStringList &keys, const QDateTime &now) const = 0;
    virtual void recordFailure(const QStringList &keys, const QDateTime &now) = 0;
    virtual void reset(const QString &key) = 0;

    static QString accountKey(const QString &email)
    {
        return QStringLiteral("account:") + email.toLower();
    }
    static QString addressKey(const QString &address)
    {
        return QStringLiteral("address:") + address;
    }
};

class Database;

// Policy: within a 15-minute window, the first 5 failures for a key are free; after that
// the key waits 2^(failures-5) × 30 s after its latest failure, at most 15 minutes.
class DatabaseLoginThrottle final : public LoginThrottle
{
public:
    static constexpr int kFreeFailures = 5;
    static constexpr int kWindowSeconds = 15 * 60;
    static constexpr int kBaseDelaySeconds = 30;
    static constexpr int kMaxDelaySeconds = 15 * 60;

    explicit DatabaseLoginThrottle(const Database &database);
    int retryAfter(const QStringList &keys, const QDateTime &now) const override;
    void recordFailure(const QStringList &keys, const QDateTime &now) override;
    void reset(const QString &key) override;

    // The wait after `failures` failures, the newest at `latest` (pure, for tests).
    static int delayFor(int failures, const QDateTime &latest, const QDateTime &now);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
