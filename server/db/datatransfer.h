#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace Outpost::Server {

class Database;

// The SQL of `outpost-server export`, `import` and `import-fastapi`: rows of the portable
// tables as JSON objects keyed by column name, read from one database and written into
// another of either dialect.
class DataTransfer
{
public:
    struct Table
    {
        QString name;
        QStringList columns;
        QString orderBy;
        bool hasIdentity = false; // an `id` column whose sequence import moves past the rows
    };
    // Users, posts, votes, files, pipelines, runs, stages: parents before children. Derived
    // values are left out (posts.votes_count: the votes' triggers rebuild it on import).
    static const QList<Table> &tables();

    explicit DataTransfer(const Database &database);

    // Calls `sink` for every row of every table, in tables() order; stops when it returns false.
    Status exportRows(
        const std::function<bool(const QString &table, const QJsonObject &row)> &sink) const;
    // Rows in the portable tables; import refuses a database that has any.
    Result<qint64> existingRows() const;

    // Writes rows in one transaction: begin(), insert() per row, commit(). Nothing is kept
    // unless commit() succeeds (the destructor rolls back).
    Status begin();
    // Error::validation naming the table or column when the row does not fit.
    Status insert(const QString &table, const QJsonObject &row);
    Status commit();
    ~DataTransfer();
    DataTransfer(const DataTransfer &) = delete;
    DataTransfer &operator=(const DataTransfer &) = delete;

    // The original FastAPI posts service's tables (users(id, email, password, created_at),
    // posts(id, title, content, published, created_at, owner_id), votes(user_id, post_id)) as
    // rows of ours, users with their passlib bcrypt hashes as they are.
    Status readFastApi(
        const std::function<bool(const QString &table, const QJsonObject &row)> &sink) const;

private:
    const Database &m_database;
    bool m_open = false;
};

} // namespace Outpost::Server
