#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace Outpost::Server {

class Database;

// A sign-in under way (authorization code flow with PKCE), between /login and /callback.
struct OidcFlow
{
    QString provider;
    QString nonce;
    QString codeVerifier;
    QString redirectUri;
    QDateTime expiresAt;
};

// All SQL about single sign-on: provider identities linked to users, and flows under way.
class OidcRepository
{
public:
    explicit OidcRepository(const Database &database);

    // The user a provider's subject signs in as, if linked.
    Result<std::optional<qint64>> findUserId(const QString &provider, const QString &subject) const;
    // Conflict when the subject is already linked.
    Status link(const QString &provider, const QString &subject, qint64 userId);
    Status touch(const QString &provider, const QString &subject, const QDateTime &at);

    Status insertFlow(const QByteArray &stateHash, const OidcFlow &flow);
    // Removes and returns the flow: a state works once, on any replica; nothing if unknown,
    // already taken or expired.
    Result<std::optional<OidcFlow>> takeFlow(const QByteArray &stateHash, const QDateTime &now);
    Result<qint64> deleteExpiredFlows(const QDateTime &now);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
