#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace Outpost::Server {

class AuditService;
class Database;
class Mailer;
class PasswordHasher;

// Password recovery by e-mail: a single-use token, valid an hour, mailed to the account's
// address; presenting it with a new password sets the password and ends every session.
// Both methods hash (SHA-256, bcrypt): run them off the HTTP threads.
class PasswordRecoveryService
{
public:
    static constexpr int kTokenLifetimeSeconds = 3600;

    PasswordRecoveryService(const Database &database, const PasswordHasher &hasher,
        const AuditService &audit, Mailer &mailer, QString publicUrl);

    // False without SMTP: then both routes are "not found".
    bool enabled() const;

    // Mails a token when `email` belongs to an enabled account. Does the same work (a token
    // and its hash, one lookup) whether it does or not, and tells the caller nothing: the
    // answer is the same either way. The clock is the caller's so tests can move it.
    Status request(const QString &email, const QString &clientAddress, const QDateTime &now);

    // Validation on "token" for an unknown, used or expired token and on "new_password" for a
    // password the rules refuse; nothing changes then.
    Status reset(const QByteArray &token, const QString &newPassword, const QString &clientAddress,
        const QDateTime &now);

    // Deletes tokens that expired a day or more before `now`, for the housekeeping thread (a
    // day longer, so an expired token is still told apart from an unknown one). How many went.
    Result<qint64> pruneExpired(const QDateTime &now);

private:
    const Database &m_database;
    const PasswordHasher &m_hasher;
    const AuditService &m_audit;
    Mailer &m_mailer;
    QString m_publicUrl;
};

} // namespace Outpost::Server
