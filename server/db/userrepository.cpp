#include "userrepository.h"

#include "database.h"
#include "pgreader.h"
#include "rowformat.h"
#include "sqlitereader.h"
#include "sqlsupport.h"

#include <QSqlQuery>
#include <QStringList>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

const auto kUserRow = rowFormat<StoredUser>([](auto &c, StoredUser &stored) {
    c.column("id", stored.user.id);
    c.column("email", stored.user.email);
    c.column("username", stored.user.username); // NULL: empty
    c.column("password_hash", stored.passwordHash);
    c.column("role", stored.user.role);
    c.column("disabled", stored.user.disabled);
    c.column("token_version", stored.tokenVersion);
    c.column("created_at", stored.user.createdAt);
});
const QString kUserColumns = kUserRow.columns();

const auto kSessionRow = rowFormat<UserSession>([](auto &c, UserSession &session) {
    c.column("email", session.email);
    c.column("role", session.role);
    c.column("disabled", session.disabled);
    c.column("token_version", session.tokenVersion);
});

Result<std::optional<StoredUser>> findOne(
    const Database &database, const QString &where, Bindings bindings, const char *what)
{
    // Every authenticated request looks its user up: keep the statement prepared. The SQL is
    // built from the fixed `where` texts below only.
    Result<CachedQuery> query = execCached(database,
        QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM users WHERE ") + where,
        bindings, what);
    if (!query)
        return fail(query.error());
    if (!(*query)->next())
        return std::optional<StoredUser>();
    return std::optional<StoredUser>(kUserRow.read(QtRow {**query}));
}

} // namespace

UserRepository::UserRepository(const Database &database)
    : m_database(database)
{ }

Result<qint64> UserRepository::insert(const QString &email, const QString &username,
    const QByteArray &passwordHash, const QString &role)
{
    const QString now = seconds(QDateTime::currentDateTimeUtc());
    Result<QVariant> id = scalar(m_database,
        QStringLiteral("INSERT INTO users (email, username, password_hash, role, created_at, "
                       "updated_at) VALUES (:email, :username, :hash, :role, :now, :now2) "
                       "RETURNING id"),
        {{":email", email}, {":username", textOrNull(username)},
            {":hash", QString::fromLatin1(passwordHash)}, {":role", role}, {":now", now},
            {":now2", now}},
        "insert user", Error::conflict(QStringLiteral("a user with this email already exists")));
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<std::optional<StoredUser>> UserRepository::findById(qint64 id) const
{
    return findOne(m_database, QStringLiteral("id = :id"), {{":id", id}}, "find user by id");
}

Result<std::optional<UserSession>> UserRepository::findSession(qint64 id) const
{
    static const QString sql = QStringLiteral("SELECT ") + kSessionRow.columns()
        + QStringLiteral(" FROM users WHERE id = :id");
    if (SqliteReader *reader = SqliteReader::forThread(m_database)) {
        Result<SqliteReader::Rows> rows = reader->exec(sql, {{":id", id}}, "find user session");
        if (!rows)
            return fail(rows.error());
        if (rows->next())
            return std::optional<UserSession>(kSessionRow.read(*rows));
        if (rows->error())
            return fail(*rows->error());
        return std::optional<UserSession>();
    }
    if (PgReader *reader = PgReader::forThread(m_database)) {
        Result<std::optional<PgReader::Rows>> rows =
            reader->exec(sql, {{":id", id}}, "find user session");
        if (!rows)
            return fail(rows.error());
        if (*rows) {
            if ((*rows)->next())
                return std::optional<UserSession>(kSessionRow.read(**rows));
            return std::optional<UserSession>();
        }
    }
    Result<CachedQuery> query = execCached(m_database, sql, {{":id", id}}, "find user session");
    if (!query)
        return fail(query.error());
    if ((*query)->next())
        return std::optional<UserSession>(kSessionRow.read(QtRow {**query}));
    return std::optional<UserSession>();
}

Result<std::optional<StoredUser>> UserRepository::findByEmail(const QString &email) const
{
    return findOne(m_database, QStringLiteral("lower(email) = lower(:email)"), {{":email", email}},
        "find user by email");
}

Result<Page<User>> UserRepository::list(const PageRequest &page, const QString &search) const
{
    // Only fixed text goes into the SQL; the search term is bound.
    QString where;
    BindingList filter;
    if (const QString term = search.trimmed(); !term.isEmpty()) {
        where = QStringLiteral(" WHERE lower(email) LIKE :emailPattern ESCAPE '!'"
                               " OR lower(username) LIKE :usernamePattern ESCAPE '!'");
        const QString pattern = containsPattern(term);
        filter = {{QStringLiteral(":emailPattern"), pattern},
            {QStringLiteral(":usernamePattern"), pattern}};
    }

    Result<QVariant> total = scalar(
        m_database, QStringLiteral("SELECT COUNT(*) FROM users") + where, filter, "count users");
    if (!total)
        return fail(total.error());

    BindingList bindings = filter;
    bindings.append({QStringLiteral(":limit"), page.limit});
    bindings.append({QStringLiteral(":skip"), page.skip});
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM users") + where
            + QStringLiteral(" ORDER BY id LIMIT :limit OFFSET :skip"),
        bindings, "list users");
    if (!query)
        return fail(query.error());

    Page<User> result;
    result.total = total->toLongLong();
    result.limit = page.limit;
    result.skip = page.skip;
    while (query->next())
        result.items.append(kUserRow.read(QtRow {*query}).user);
    return result;
}

Status UserRepository::update(qint64 id, const UserChanges &changes)
{
    // Column names come from this function only; every value is bound.
    QStringList assignments;
    BindingList bindings;
    if (changes.role) {
        assignments.append(QStringLiteral("role = :role"));
        bindings.append({QStringLiteral(":role"), *changes.role});
    }
    if (changes.disabled) {
        assignments.append(QStringLiteral("disabled = :disabled"));
        bindings.append({QStringLiteral(":disabled"), boolean(*changes.disabled)});
    }
    if (changes.username) {
        assignments.append(QStringLiteral("username = :username"));
        bindings.append({QStringLiteral(":username"), textOrNull(*changes.username)});
    }
    if (changes.passwordHash) {
        assignments.append(QStringLiteral("password_hash = :hash"));
        bindings.append({QStringLiteral(":hash"), QString::fromLatin1(*changes.passwordHash)});
    }
    if (changes.bumpTokenVersion)
        assignments.append(QStringLiteral("token_version = token_version + 1"));

    if (assignments.isEmpty()) {
        // Nothing to change: still tell the caller whether the user exists.
        Result<std::optional<StoredUser>> found = findById(id);
        if (!found)
            return fail(found.error());
        if (!*found)
            return fail(Error::notFound(QStringLiteral("user %1 does not exist").arg(id)));
        return {};
    }
    assignments.append(QStringLiteral("updated_at = :now"));
    bindings.append({QStringLiteral(":now"), seconds(QDateTime::currentDateTimeUtc())});
    bindings.append({QStringLiteral(":id"), id});

    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE users SET ") + assignments.join(QStringLiteral(", "))
            + QStringLiteral(" WHERE id = :id"),
        bindings, "update user");
    if (!query)
        return fail(query.error());
    if (query->numRowsAffected() == 0)
        return fail(Error::notFound(QStringLiteral("user %1 does not exist").arg(id)));
    return {};
}

Status UserRepository::remove(qint64 id)
{
    // Refresh tokens go with the user (ON DELETE CASCADE); API keys and audit entries stay.
    Result<QSqlQuery> query = exec(m_database, QStringLiteral("DELETE FROM users WHERE id = :id"),
        {{":id", id}}, "delete user");
    if (!query)
        return fail(query.error());
    if (query->numRowsAffected() == 0)
        return fail(Error::notFound(QStringLiteral("user %1 does not exist").arg(id)));
    return {};
}

Result<qint64> UserRepository::countAdmins() const
{
    Result<QVariant> count = scalar(m_database,
        QStringLiteral("SELECT COUNT(*) FROM users WHERE role = :role AND disabled = :no"),
        {{":role", Roles::admin}, {":no", boolean(false)}}, "count admins");
    if (!count)
        return fail(count.error());
    return count->toLongLong();
}

Result<qint64> UserRepository::count() const
{
    Result<QVariant> count =
        scalar(m_database, QStringLiteral("SELECT COUNT(*) FROM users"), {}, "count users");
    if (!count)
        return fail(count.error());
    return count->toLongLong();
}

} // namespace Outpost::Server
