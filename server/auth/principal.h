#pragma once

#include "models/user.h"

#include <QString>
#include <QStringList>

namespace Outpost::Server {

// Who is calling, as established from a bearer token or an API key.
struct Principal
{
    qint64 userId = 0;   // API keys: the user who created the key (0 if deleted)
    QString role;        // "admin" | "user"; empty for API keys
    QString email;       // for audit labels
    QStringList scopes;  // API keys only
    qint64 apiKeyId = 0; // non-zero for API keys
    QString apiKeyName;
    // Access tokens: the last second (since the epoch) the token is accepted; 0 for API keys.
    qint64 validUntil = 0;

    bool isApiKey() const { return apiKeyId != 0; }
    bool isAdmin() const { return !isApiKey() && role == Roles::admin; }
    bool hasScope(const QString &scope) const { return scopes.contains(scope); }
    QString label() const { return isApiKey() ? QStringLiteral("api-key:") + apiKeyName : email; }
};

} // namespace Outpost::Server
