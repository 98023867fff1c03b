#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

namespace Outpost::Server {

class Database;

// Failed sign-ins by key ("account:<lower email>" or "address:<ip>"), in the database so that
// every replica sees the same counts.
class LoginAttemptRepository
{
public:
    explicit LoginAttemptRepository(const Database &database);

    Status recordFailure(const QString &key, const QDateTime &at);
    // How many failures since `since`, and the time of the newest one.
    struct Failures
    {
        int count = 0;
        QDateTime latest;
    };
    Result<Failures> failuresSince(const QString &key, const QDateTime &since) const;
    Status clear(const QString &key);
    Status pruneBefore(const QDateTime &before);
    // The same for housekeeping: in batches, each under the write lock; returns how many went.
    Result<qint64> deleteBefore(const QDateTime &before);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
