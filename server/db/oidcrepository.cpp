#include "oidcrepository.h"

#include "database.h"
#include "sqlsupport.h"
#include "transaction.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

OidcRepository::OidcRepository(const Database &database)
    : m_database(database)
{ }

Result<std::optional<qint64>> OidcRepository::findUserId(
    const QString &provider, const QString &subject) const
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT user_id FROM oidc_identities "
                       "WHERE provider = :provider AND subject = :subject"),
        {{":provider", provider}, {":subject", subject}}, "find OpenID identity");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return std::optional<qint64>();
    return std::optional<qint64>(query->value(0).toLongLong());
}

Status OidcRepository::link(const QString &provider, const QString &subject, qint64 userId)
{
    const QString now = seconds(QDateTime::currentDateTimeUtc());
    Result<QVariant> id = scalar(m_database,
        QStringLiteral("INSERT INTO oidc_identities (provider, subject, user_id, created_at, "
                       "last_login_at) VALUES (:provider, :subject, :user, :now, :now2) "
                       "RETURNING id"),
        {{":provider", provider}, {":subject", subject}, {":user", userId}, {":now", now},
            {":now2", now}},
        "link OpenID identity",
        Error::conflict(QStringLiteral("this provider account is already linked")));
    if (!id)
        return fail(id.error());
    return {};
}

Status OidcRepository::touch(const QString &provider, const QString &subject, const QDateTime &at)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE oidc_identities SET last_login_at = :at "
                       "WHERE provider = :provider AND subject = :subject"),
        {{":at", seconds(at)}, {":provider", provider}, {":subject", subject}},
        "touch OpenID identity");
    if (!query)
        return fail(query.error());
    return {};
}

Status OidcRepository::insertFlow(const QByteArray &stateHash, const OidcFlow &flow)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("INSERT INTO oidc_flows (state_hash, provider, nonce, code_verifier, "
                       "redirect_uri, expires_at) VALUES (:state, :provider, :nonce, :verifier, "
                       ":redirect, :expires)"),
        {{":state", hexText(stateHash)}, {":provider", flow.provider}, {":nonce", flow.nonce},
            {":verifier", flow.codeVerifier}, {":redirect", flow.redirectUri},
            {":expires", seconds(flow.expiresAt)}},
        "insert OpenID flow");
    if (!query)
        return fail(query.error());
    return {};
}

Result<std::optional<OidcFlow>> OidcRepository::takeFlow(
    const QByteArray &stateHash, const QDateTime &now)
{
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return fail(begun.error());
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT provider, nonce, code_verifier, redirect_uri, expires_at "
                       "FROM oidc_flows WHERE state_hash = :state"),
        {{":state", hexText(stateHash)}}, "find OpenID flow");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return std::optional<OidcFlow>();
    OidcFlow flow;
    flow.provider = query->value(0).toString();
    flow.nonce = query->value(1).toString();
    flow.codeVerifier = query->value(2).toString();
    flow.redirectUri = query->value(3).toString();
    flow.expiresAt = toDateTime(query->value(4));
    query->finish();
    // The DELETE decides: of two callbacks with the same state, only one removes the row.
    Result<QSqlQuery> removed =
        exec(m_database, QStringLiteral("DELETE FROM oidc_flows WHERE state_hash = :state"),
            {{":state", hexText(stateHash)}}, "take OpenID flow");
    if (!removed)
        return fail(removed.error());
    const bool mine = removed->numRowsAffected() == 1;
    if (auto committed = transaction.commit(); !committed)
        return fail(committed.error());
    if (!mine || !flow.expiresAt.isValid() || flow.expiresAt < now)
        return std::optional<OidcFlow>();
    return std::optional<OidcFlow>(flow);
}

Result<qint64> OidcRepository::deleteExpiredFlows(const QDateTime &now)
{
    return deleteInBatches(m_database, QStringLiteral("oidc_flows"),
        QStringLiteral("expires_at < :now"), {{QStringLiteral(":now"), seconds(now)}},
        "delete expired OpenID flows");
}

} // namespace Outpost::Server
