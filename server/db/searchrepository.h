#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/post.h"
#include "viewer.h"

#include <QString>

namespace Outpost::Server {

class Database;

// Full-text search over posts (title, content) and file paths: SQLite FTS5 here, kept in sync
// by triggers; PostgreSQL: tsvector columns (migration 0002). The query is user text,
// never query syntax.
class SearchRepository
{
public:
    explicit SearchRepository(const Database &database);
    Result<Page<SearchHit>> search(
        const QString &text, const PageRequest &page, const Viewer &viewer) const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
