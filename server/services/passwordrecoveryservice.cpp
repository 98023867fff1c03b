#include "passwordrecoveryservice.h"

#include "auditservice.h"
#include "auth/crypto.h"
#include "auth/passwordhasher.h"
#include "db/passwordresetrepository.h"
#include "db/refreshtokenrepository.h"
#include "db/transaction.h"
#include "db/userrepository.h"
#include "mailer.h"
#include "models/user.h"

#include <QJsonObject>

namespace Outpost::Server {

namespace {

const QString kUser = QStringLiteral("user");

QByteArray newToken()
{
    return QByteArrayLiteral("opr_")
        + Crypto::randomBytes(32).toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

Error badToken(const QString &why)
{
    return Error::validation(QStringLiteral("token"), why);
}

} // namespace

PasswordRecoveryService::PasswordRecoveryService(const Database &database,
    const PasswordHasher &hasher, const AuditService &audit, Mailer &mailer, QString publicUrl)
    : m_database(database)
    , m_hasher(hasher)
    , m_audit(audit)
    , m_mailer(mailer)
    , m_publicUrl(std::move(publicUrl))
{ }

bool PasswordRecoveryService::enabled() const
{
    return m_mailer.enabled();
}

Status PasswordRecoveryService::request(
    const QString &email, const QString &clientAddress, const QDateTime &now)
{
    const QString normalized = UserRules::normalizedEmail(email);
    // The same work for every request: a token and its hash, then one lookup.
    const QByteArray token = newToken();
    const QByteArray hash = Crypto::sha256Hex(token);
    auto found = UserRepository(m_database).findByEmail(normalized);
    if (!found)
        return fail(found.error());
    const bool usable = *found && !(*found)->user.disabled;
    if (usable) {
        const User &user = (*found)->user;
        auto id = PasswordResetRepository(m_database)
                      .insert(user.id, hash, now, now.addSecs(kTokenLifetimeSeconds));
        if (!id)
            return fail(id.error());
        const QString tokenText = QString::fromLatin1(token);
        QString text = QStringLiteral(
            "Someone (hopefully you) asked to reset the password of your Outpost account %1.\n\n"
            "Your reset token, valid for one hour and only once:\n\n    %2\n\n"
            "Send it with a new password to POST /v1/reset-password "
            "({\"token\": \"...\", \"new_password\": \"...\"})%3, or in the Outpost app.\n\n"
            "If you did not ask for this, ignore this message: your password stays as it is.\n")
                           .arg(user.email, tokenText,
                               m_publicUrl.isEmpty() ? QString()
                                                     : QStringLiteral(" on ") + m_publicUrl);
        QString html = QStringLiteral(
            "<!DOCTYPE html><html><body><p>Someone (hopefully you) asked to reset the password "
            "of your Outpost account %1.</p><p>Your reset token, valid for one hour and only "
            "once:</p><pre>%2</pre><p>Send it with a new password to <code>POST "
            "/v1/reset-password</code>%3, or in the Outpost app.</p><p>If you did not ask for "
            "this, ignore this message: your password stays as it is.</p></body></html>")
                           .arg(MailMessage::htmlEscaped(user.email), tokenText,
                               m_publicUrl.isEmpty() ? QString()
                                                     : QStringLiteral(" on ")
                                       + MailMessage::htmlEscaped(m_publicUrl));
        m_mailer.send(user.email, QStringLiteral("Reset your Outpost password"), text, html);
    }
    // Written after the mail is queued: once the entry is there, so is any mail.
    m_audit.recordAs(usable ? (*found)->user.id : 0, normalized,
        QStringLiteral("password_recovery.requested"), kUser,
        usable ? QString::number((*found)->user.id) : QString(), clientAddress,
        {{QStringLiteral("mailed"), usable}});
    return {};
}

Status PasswordRecoveryService::reset(const QByteArray &token, const QString &newPassword,
    const QString &clientAddress, const QDateTime &now)
{
    if (const auto problem = UserRules::passwordProblem(newPassword))
        return fail(Error::validation(QStringLiteral("new_password"), *problem));
    PasswordResetRepository resets(m_database);
    auto found = resets.findByHash(Crypto::sha256Hex(token));
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(badToken(QStringLiteral("is not a valid password reset token")));
    const StoredPasswordReset reset = **found;
    if (reset.usedAt.isValid())
        return fail(badToken(QStringLiteral("has already been used")));
    if (reset.expiresAt <= now)
        return fail(badToken(QStringLiteral("has expired; ask for a new one")));
    UserRepository users(m_database);
    auto user = users.findById(reset.userId);
    if (!user)
        return fail(user.error());
    if (!*user || (*user)->user.disabled)
        return fail(badToken(QStringLiteral("is not a valid password reset token")));

    auto hash = m_hasher.hash(newPassword.toUtf8());
    if (!hash)
        return fail(hash.error());
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return fail(begun.error());
    auto marked = resets.markUsed(reset.id, now);
    if (!marked)
        return fail(marked.error());
    if (!*marked) // presented twice at once: the other one won
        return fail(badToken(QStringLiteral("has already been used")));
    if (auto others = resets.markAllUsedForUser(reset.userId, now); !others)
        return others;
    UserChanges changes;
    changes.passwordHash = *hash;
    changes.bumpTokenVersion = true; // every access token ends
    if (auto changed = users.update(reset.userId, changes); !changed)
        return changed;
    if (auto revoked = RefreshTokenRepository(m_database).revokeAllForUser(reset.userId); !revoked)
        return revoked;
    if (auto committed = transaction.commit(); !committed)
        return committed;
    m_audit.recordAs(reset.userId, (*user)->user.email, QStringLiteral("password.reset"), kUser,
        QString::number(reset.userId), clientAddress);
    return {};
}

Result<qint64> PasswordRecoveryService::pruneExpired(const QDateTime &now)
{
    return PasswordResetRepository(m_database).deleteExpiredBefore(now.addDays(-1));
}

} // namespace Outpost::Server
