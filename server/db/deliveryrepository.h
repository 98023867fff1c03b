#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

namespace Outpost::Server {

class Database;

// Webhook deliveries already handled, so redeliveries change nothing.
class DeliveryRepository
{
public:
    explicit DeliveryRepository(const Database &database);
    // false when this delivery was recorded before.
    Result<bool> record(const QString &source, const QString &deliveryId);
    // Forgets deliveries received before `before` (providers redeliver within days).
    Status prune(const QDateTime &before);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
