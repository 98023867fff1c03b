#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/pipeline.h"

#include <optional>

namespace Outpost::Server {

class Database;

// All SQL about pipelines. Portable SQL only (SQLite and PostgreSQL): ON CONFLICT, RETURNING,
// LIMIT/OFFSET; timestamps are computed in C++ and bound as RFC 3339 text.
class PipelineRepository
{
public:
    explicit PipelineRepository(const Database &database);

    // Newest first, each with its latest run (without stages).
    Result<Page<Pipeline>> list(const PageRequest &page) const;
    Result<std::optional<Pipeline>> find(qint64 id) const;
    Result<qint64> insert(const Pipeline &pipeline);
    // The pipeline of (source, externalId), made when missing; its name and repository are
    // refreshed when they are given.
    Result<qint64> ensure(const QString &source, const QString &externalId, const QString &name,
        const QString &repository);
    Result<bool> remove(qint64 id);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
