#pragma once

#include "core/result.h"

namespace Outpost::Server {

class Database;

struct Counts
{
    qint64 users = 0;
    qint64 posts = 0;
    qint64 files = 0;
    qint64 pipelines = 0;
};

// Whole-table counts for the admin dashboard, in one round trip.
class StatsRepository
{
public:
    explicit StatsRepository(const Database &database);
    Result<Counts> counts() const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
