#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/user.h"

#include <optional>

namespace Outpost::Server {

class Database;

struct StoredUser
{
    User user;
    QByteArray passwordHash;
    int tokenVersion = 0; // access tokens carry it; bumping it ends them all
};

// What a request signed in as a user needs to know of them, read on every such request.
struct UserSession
{
    QString email;
    QString role;
    bool disabled = false;
    int tokenVersion = 0;
};

// Changes to one user; unset fields stay as they are.
struct UserChanges
{
    std::optional<QString> role;
    std::optional<bool> disabled;
    std::optional<QString> username; // empty string: NULL
    std::optional<QByteArray> passwordHash;
    bool bumpTokenVersion = false;
};

// All SQL about users. Email lookups and uniqueness are case-insensitive (lower(email)).
class UserRepository
{
public:
    explicit UserRepository(const Database &database);

    // Conflict when the email is taken (any case).
    Result<qint64> insert(const QString &email, const QString &username,
        const QByteArray &passwordHash, const QString &role);
    Result<std::optional<StoredUser>> findById(qint64 id) const;
    // Only the columns authentication needs: it runs on every authenticated request.
    Result<std::optional<UserSession>> findSession(qint64 id) const;
    Result<std::optional<StoredUser>> findByEmail(const QString &email) const;
    // Ordered by id; `search` matches email or username, case-insensitive substring.
    Result<Page<User>> list(const PageRequest &page, const QString &search) const;
    // NotFound when no such user.
    Status update(qint64 id, const UserChanges &changes);
    Status remove(qint64 id);
    Result<qint64> countAdmins() const; // enabled admins
    Result<qint64> count() const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
