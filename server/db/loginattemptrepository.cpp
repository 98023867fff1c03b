#include "loginattemptrepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

// failed_at holds milliseconds: several failures can land within one second, and "since"
// windows compare as text.

namespace {

const auto kFailuresRow = rowFormat<LoginAttemptRepository::Failures>([](auto &c, auto &failures) {
    c.column("COUNT(*)", failures.count);
    c.column("MAX(failed_at)", failures.latest);
});

} // namespace

LoginAttemptRepository::LoginAttemptRepository(const Database &database)
    : m_database(database)
{ }

Status LoginAttemptRepository::recordFailure(const QString &key, const QDateTime &at)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("INSERT INTO login_attempts (key, failed_at) VALUES (:key, :at)"),
        {{":key", key}, {":at", milliseconds(at)}}, "record failed login");
    if (!query)
        return fail(query.error());
    return {};
}

Result<LoginAttemptRepository::Failures> LoginAttemptRepository::failuresSince(
    const QString &key, const QDateTime &since) const
{
    static const QString sql = QStringLiteral("SELECT ") + kFailuresRow.columns()
        + QStringLiteral(" FROM login_attempts WHERE key = :key AND failed_at >= :since");
    Result<QSqlQuery> query = exec(
        m_database, sql, {{":key", key}, {":since", milliseconds(since)}}, "count failed logins");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return Failures {};
    return kFailuresRow.read(QtRow {*query});
}

Status LoginAttemptRepository::clear(const QString &key)
{
    Result<QSqlQuery> query =
        exec(m_database, QStringLiteral("DELETE FROM login_attempts WHERE key = :key"),
            {{":key", key}}, "clear failed logins");
    if (!query)
        return fail(query.error());
    return {};
}

Status LoginAttemptRepository::pruneBefore(const QDateTime &before)
{
    Result<QSqlQuery> query =
        exec(m_database, QStringLiteral("DELETE FROM login_attempts WHERE failed_at < :before"),
            {{":before", milliseconds(before)}}, "prune failed logins");
    if (!query)
        return fail(query.error());
    return {};
}

Result<qint64> LoginAttemptRepository::deleteBefore(const QDateTime &before)
{
    return deleteInBatches(m_database, QStringLiteral("login_attempts"),
        QStringLiteral("failed_at < :before"), {{QStringLiteral(":before"), milliseconds(before)}},
        "prune failed logins");
}

} // namespace Outpost::Server
