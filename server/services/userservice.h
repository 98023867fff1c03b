#pragma once

#include "auth/principal.h"
#include "config/config.h"
#include "core/result.h"
#include "models/page.h"
#include "models/user.h"

#include <QByteArray>
#include <QMutex>

#include <optional>

namespace Outpost::Server {

class AuditService;
class Database;
class EventBus;
class PasswordHasher;

// Who is asking, beyond the principal: where from, and whether they showed the setup token.
struct Caller
{
    std::optional<Principal> principal;
    QString clientAddress;
    bool direct = false;   // from a loopback address, not through a proxy
    QByteArray setupToken; // X-Setup-Token, if sent
};

// Users and their roles. Registration, bootstrap of the first admin, the last-admin rule.
// Methods that hash passwords are slow on purpose: call them off the HTTP threads.
class UserService
{
public:
    // `events`, when given, hears user.created, user.updated and user.deleted, each for the
    // user concerned and admins: the desktop app's users view refreshes on them, and event
    // streams check their subscriber again (a disabled user's stream ends).
    // `passwordLogin` (OUTPOST_PASSWORD_LOGIN) also governs registration with a password: a
    // password account nobody may sign in with is not made for a stranger (see registerUser).
    UserService(const Database &database, const PasswordHasher &hasher, const AuditService &audit,
        bool registrationOpen, PasswordLogin passwordLogin, EventBus *events = nullptr);

    // POST /v1/users. While no admin exists, a registration made directly from this machine
    // or with the setup token becomes the admin; anything else makes a plain user.
    // With password sign-in `off`, only an admin registers users (accounts that SSO links by
    // verified e-mail); with `admins-only`, an admin or the bootstrap of the first admin.
    // Everyone else signs up through SSO (OUTPOST_OIDC_ALLOW_SIGNUP) or the CLI.
    Result<User> registerUser(const UserCreate &create, const Caller &caller);
    // For the CLI and OUTPOST_ADMIN_EMAIL: no registration rules, any role.
    Result<User> createUser(
        const UserCreate &create, const QString &role, const QString &actorLabel);

    Result<User> get(qint64 id) const;
    Result<User> getByEmail(const QString &email) const;
    Result<Page<User>> list(const PageRequest &page, const QString &search) const;
    // Admins: role, disabled, username, password. Others: their own username and password
    // (password needs current_password). The last enabled admin cannot be demoted or disabled.
    Result<User> update(qint64 id, const UserUpdate &update, const Caller &caller);
    Status remove(qint64 id, const Caller &caller);

    bool hasAdmin() const;
    // A fresh one-time setup token while no admin exists (empty otherwise); printed at start.
    QByteArray issueSetupToken();

private:
    bool setupTokenMatches(const QByteArray &token) const;
    void announce(const QString &type, qint64 id) const;

    const Database &m_database;
    const PasswordHasher &m_hasher;
    const AuditService &m_audit;
    bool m_registrationOpen;
    PasswordLogin m_passwordLogin;
    EventBus *m_events;
    mutable QMutex m_setupMutex;
    QByteArray m_setupTokenHash;
};

} // namespace Outpost::Server
