#pragma once

#include "core/result.h"

#include <QSqlDatabase>

namespace Outpost::Server {

class Database;

// A transaction on the calling thread's connection, rolled back unless committed. On SQLite
// it starts with BEGIN IMMEDIATE, so read-check-write sequences (the last admin, vote
// toggles) are serialised against other writers, in this process and in others; on
// PostgreSQL a transaction-level advisory lock does the same across every replica.
class Transaction
{
public:
    explicit Transaction(const Database &database);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    Status begin();
    Status commit();
    QSqlDatabase connection() const { return m_db; }

private:
    QSqlDatabase m_db;
    QString m_dialect;
    bool m_open = false;
};

} // namespace Outpost::Server
