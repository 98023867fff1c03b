#include "retention.h"

#include "authservice.h"
#include "db/auditrepository.h"
#include "db/loginattemptrepository.h"
#include "db/refreshtokenrepository.h"
#include "loginthrottle.h"
#include "uploadservice.h"

namespace Outpost::Server {

Retention::Retention(
    const Database &database, UploadService *uploads, std::chrono::seconds auditRetention)
    : m_database(database)
    , m_uploads(uploads)
    , m_auditRetention(auditRetention)
{ }

Result<Retention::Report> Retention::prune(const QDateTime &now)
{
    Report report;
    // Expired tokens, and revoked ones past the grace in which a replay is still recognised.
    RefreshTokenRepository tokens(m_database);
    auto expired = tokens.deleteExpired(now);
    if (!expired)
        return fail(expired.error());
    auto revoked = tokens.deleteRevokedBefore(now.addSecs(-AuthService::kRevokedTokenGraceSeconds));
    if (!revoked)
        return fail(revoked.error());
    report.refreshTokens = *expired + *revoked;

    // Failures older than the throttle's window no longer count for anything.
    auto attempts = LoginAttemptRepository(m_database)
                        .deleteBefore(now.addSecs(-DatabaseLoginThrottle::kWindowSeconds));
    if (!attempts)
        return fail(attempts.error());
    report.loginAttempts = *attempts;

    // expireStale() takes up to 100 at a time (each removed under its own write lock).
    while (m_uploads) {
        const int stale = m_uploads->expireStale(now);
        report.uploads += stale;
        if (stale < 100)
            break;
    }

    if (m_auditRetention.count() > 0) {
        auto audit = AuditRepository(m_database)
                         .deleteBefore(now.addSecs(-qint64(m_auditRetention.count())));
        if (!audit)
            return fail(audit.error());
        report.auditEntries = *audit;
    }
    return report;
}

} // namespace Outpost::Server
