#pragma once

#include "core/result.h"

namespace Outpost::Server {

class Database;

// Votes. Inserting or deleting a row is all: triggers keep posts.votes_count.
class VoteRepository
{
public:
    explicit VoteRepository(const Database &database);
    Result<bool> insert(qint64 userId, qint64 postId); // false: already voted
    Result<bool> remove(qint64 userId, qint64 postId); // false: no such vote

private:
    const Database &m_database;
};

} // namespace Outpost::Server
