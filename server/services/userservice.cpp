#include "userservice.h"

#include "auditservice.h"
#include "auth/crypto.h"
#include "auth/passwordhasher.h"
#include "db/refreshtokenrepository.h"
#include "db/transaction.h"
#include "db/userrepository.h"
#include "eventbus.h"

#include <QJsonObject>

namespace Outpost::Server {

namespace {

QString idText(qint64 id)
{
    return QString::number(id);
}

Error passwordRegistrationRefused(PasswordLogin mode)
{
    return Error::forbidden(mode == PasswordLogin::Off
            ? QStringLiteral("registration with a password is turned off on this server; sign "
                             "up with single sign-on")
            : QStringLiteral("registration with a password is for admins only on this server; "
                             "sign up with single sign-on"));
}

} // namespace

UserService::UserService(const Database &database, const PasswordHasher &hasher,
    const AuditService &audit, bool registrationOpen, PasswordLogin passwordLogin, EventBus *events)
    : m_database(database)
    , m_hasher(hasher)
    , m_audit(audit)
    , m_registrationOpen(registrationOpen)
    , m_passwordLogin(passwordLogin)
    , m_events(events)
{ }

void UserService::announce(const QString &type, qint64 id) const
{
    if (m_events)
        m_events->publish({type, id, {}, id}); // the user concerned, and admins
}

bool UserService::hasAdmin() const
{
    auto admins = UserRepository(m_database).countAdmins();
    return admins && *admins > 0;
}

QByteArray UserService::issueSetupToken()
{
    if (hasAdmin())
        return {};
    QByteArray token = Crypto::newOpaqueToken();
    QMutexLocker lock(&m_setupMutex);
    m_setupTokenHash = Crypto::sha256(token);
    return token;
}

bool UserService::setupTokenMatches(const QByteArray &token) const
{
    QMutexLocker lock(&m_setupMutex);
    return !token.isEmpty() && !m_setupTokenHash.isEmpty()
        && Crypto::constantTimeEquals(Crypto::sha256(token), m_setupTokenHash);
}

Result<User> UserService::registerUser(const UserCreate &create, const Caller &caller)
{
    const bool callerIsAdmin = caller.principal && caller.principal->isAdmin();
    if (!m_registrationOpen && !callerIsAdmin)
        return fail(Error::forbidden(QStringLiteral("registration is closed on this server")));
    // Checked before the (slow) hash; admins-only checks the bootstrap again in the transaction.
    const bool mayBootstrap = caller.direct || setupTokenMatches(caller.setupToken);
    if (!callerIsAdmin
        && (m_passwordLogin == PasswordLogin::Off
            || (m_passwordLogin == PasswordLogin::AdminsOnly && !mayBootstrap))) {
        return fail(passwordRegistrationRefused(m_passwordLogin));
    }

    auto hash = m_hasher.hash(create.password.toUtf8());
    if (!hash)
        return fail(hash.error());

    UserRepository users(m_database);
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return fail(begun.error());
    auto admins = users.countAdmins();
    if (!admins)
        return fail(admins.error());
    QString role = Roles::user;
    bool bootstrap = false;
    // The token is spent only when an admin is really made (below, after the commit): a
    // registration that fails (duplicate email) leaves it usable.
    if (*admins == 0 && (caller.direct || setupTokenMatches(caller.setupToken))) {
        role = Roles::admin;
        bootstrap = true;
    }
    if (m_passwordLogin != PasswordLogin::On && !callerIsAdmin && !bootstrap)
        return fail(passwordRegistrationRefused(m_passwordLogin)); // the transaction rolls back
    auto id = users.insert(UserRules::normalizedEmail(create.email), create.username, *hash, role);
    if (!id)
        return fail(id.error());
    if (auto committed = transaction.commit(); !committed)
        return fail(committed.error());
    if (bootstrap) {
        QMutexLocker lock(&m_setupMutex);
        m_setupTokenHash.clear(); // one time only: there is an admin now
    }
    if (bootstrap && !caller.principal) {
        // Nobody is signed in yet: the actor is the way the first admin was allowed in (the
        // one-time setup token, or a registration from the server's own machine).
        const bool byToken = !caller.direct;
        m_audit.recordAs(0,
            byToken ? QStringLiteral("setup token") : QStringLiteral("loopback registration"),
            QStringLiteral("user.bootstrap_admin"), QStringLiteral("user"), idText(*id),
            caller.clientAddress,
            {{QStringLiteral("email"), create.email}, {QStringLiteral("role"), role},
                {QStringLiteral("method"),
                    byToken ? QStringLiteral("setup_token") : QStringLiteral("loopback")}});
    } else {
        m_audit.record(caller.principal,
            bootstrap ? QStringLiteral("user.bootstrap_admin") : QStringLiteral("user.registered"),
            QStringLiteral("user"), idText(*id), caller.clientAddress,
            {{QStringLiteral("email"), create.email}, {QStringLiteral("role"), role}});
    }
    announce(QStringLiteral("user.created"), *id);
    return get(*id);
}

Result<User> UserService::createUser(
    const UserCreate &create, const QString &role, const QString &actorLabel)
{
    auto hash = m_hasher.hash(create.password.toUtf8());
    if (!hash)
        return fail(hash.error());
    auto id = UserRepository(m_database)
                  .insert(UserRules::normalizedEmail(create.email), create.username, *hash, role);
    if (!id)
        return fail(id.error());
    m_audit.recordAs(0, actorLabel, QStringLiteral("user.created"), QStringLiteral("user"),
        idText(*id), QString(),
        {{QStringLiteral("email"), create.email}, {QStringLiteral("role"), role}});
    announce(QStringLiteral("user.created"), *id);
    return get(*id);
}

Result<User> UserService::get(qint64 id) const
{
    auto found = UserRepository(m_database).findById(id);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(Error::notFound(QStringLiteral("user %1 does not exist").arg(id)));
    return (*found)->user;
}

Result<User> UserService::getByEmail(const QString &email) const
{
    auto found = UserRepository(m_database).findByEmail(UserRules::normalizedEmail(email));
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(Error::notFound(QStringLiteral("no user has the email %1").arg(email)));
    return (*found)->user;
}

Result<Page<User>> UserService::list(const PageRequest &page, const QString &search) const
{
    return UserRepository(m_database).list(page, search);
}

Result<User> UserService::update(qint64 id, const UserUpdate &update, const Caller &caller)
{
    if (!caller.principal)
        return fail(Error::unauthorized(QStringLiteral("sign-in is required")));
    const Principal &who = *caller.principal;
    const bool self = who.userId == id;
    const bool admin = who.isAdmin();
    if (!admin && !self)
        return fail(Error::forbidden(QStringLiteral("you may only change your own account")));
    if (!admin && (update.role || update.disabled)) {
        return fail(
            Error::forbidden(QStringLiteral("only admins change roles and disable accounts")));
    }
    if (update.isEmpty()) {
        return fail(
            Error::validation(QStringLiteral("body"), QStringLiteral("names no field to change")));
    }

    UserRepository users(m_database);
    auto found = users.findById(id);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(Error::notFound(QStringLiteral("user %1 does not exist").arg(id)));
    const StoredUser current = **found;

    UserChanges changes;
    if (update.password) {
        // Changing one's own password needs the current one (admins too: a stolen session
        // must not be enough to take the account); admins resetting others' do not.
        if (self) {
            if (!update.currentPassword) {
                return fail(Error::validation(QStringLiteral("current_password"),
                    QStringLiteral("is required to change your password")));
            }
            if (!m_hasher.verify(update.currentPassword->toUtf8(), current.passwordHash)) {
                return fail(Error::validation(QStringLiteral("current_password"),
                    QStringLiteral("is not your current password")));
            }
        }
        auto hash = m_hasher.hash(update.password->toUtf8());
        if (!hash)
            return fail(hash.error());
        changes.passwordHash = *hash;
        changes.bumpTokenVersion = true; // other sessions end with the old password
    }
    if (update.username)
        changes.username = *update.username;
    if (update.role)
        changes.role = *update.role;
    if (update.disabled) {
        changes.disabled = *update.disabled;
        if (*update.disabled)
            changes.bumpTokenVersion = true; // tokens end at once
    }

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return fail(begun.error());
    const bool losesAdmin = current.user.isAdmin() && !current.user.disabled
        && ((update.role && *update.role != Roles::admin) || (update.disabled && *update.disabled));
    if (losesAdmin) {
        auto admins = users.countAdmins();
        if (!admins)
            return fail(admins.error());
        if (*admins <= 1) {
            return fail(
                Error::conflict(QStringLiteral("the last admin cannot be demoted or disabled")));
        }
    }
    if (auto changed = users.update(id, changes); !changed)
        return fail(changed.error());
    if (changes.bumpTokenVersion) {
        if (auto revoked = RefreshTokenRepository(m_database).revokeAllForUser(id); !revoked)
            return fail(revoked.error());
    }
    if (auto committed = transaction.commit(); !committed)
        return fail(committed.error());

    QJsonObject detail;
    if (update.role)
        detail.insert(QStringLiteral("role"), *update.role);
    if (update.disabled)
        detail.insert(QStringLiteral("disabled"), *update.disabled);
    if (update.username)
        detail.insert(QStringLiteral("username"), *update.username);
    if (update.password)
        detail.insert(QStringLiteral("password"), QStringLiteral("changed"));
    m_audit.record(caller.principal, QStringLiteral("user.updated"), QStringLiteral("user"),
        idText(id), caller.clientAddress, detail);
    announce(QStringLiteral("user.updated"), id);
    return get(id);
}

Status UserService::remove(qint64 id, const Caller &caller)
{
    UserRepository users(m_database);
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return fail(begun.error());
    auto found = users.findById(id);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(Error::notFound(QStringLiteral("user %1 does not exist").arg(id)));
    if ((*found)->user.isAdmin() && !(*found)->user.disabled) {
        auto admins = users.countAdmins();
        if (!admins)
            return fail(admins.error());
        if (*admins <= 1)
            return fail(Error::conflict(QStringLiteral("the last admin cannot be removed")));
    }
    if (auto removed = users.remove(id); !removed)
        return removed;
    if (auto committed = transaction.commit(); !committed)
        return committed;
    m_audit.record(caller.principal, QStringLiteral("user.deleted"), QStringLiteral("user"),
        idText(id), caller.clientAddress, {{QStringLiteral("email"), (*found)->user.email}});
    announce(QStringLiteral("user.deleted"), id);
    return {};
}

} // namespace Outpost::Server
