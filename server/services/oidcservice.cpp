#include "oidcservice.h"

#include "auditservice.h"
#include "auth/crypto.h"
#include "authservice.h"
#include "db/oidcrepository.h"
#include "db/userrepository.h"
#include "models/apikey.h"
#include "oidcprovider.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace Outpost::Server {

namespace {

const QString kAudit = QStringLiteral("user");

Error signInRefused(const QString &detail)
{
    return Error::unauthorized(detail);
}

QStringList stringsOf(const QJsonValue &value)
{
    QStringList strings;
    if (value.isString())
        strings.append(value.toString());
    const QJsonArray array = value.toArray();
    for (const auto &entry : array) {
        if (entry.isString())
            strings.append(entry.toString());
    }
    return strings;
}

// A stable negative id for a service account's principal: the rate limiter keys API keys by
// id, and a machine must not share a bucket with another (real keys have positive ids).
qint64 serviceAccountId(const QString &provider, const QString &subject)
{
    const QByteArray digest =
        Crypto::sha256(QByteArray(provider.toUtf8() + '\0' + subject.toUtf8()));
    qint64 id = 0;
    for (int i = 0; i < 7; ++i)
        id = (id << 8) | static_cast<unsigned char>(digest.at(i));
    return -(id + 1);
}

// Verified machine tokens, per HTTP thread, as AuthService does for its own tokens.
struct MachineEntry
{
    Principal principal;
    qint64 expiresAt = 0;
    QString provider;
    QString subject;
    qint64 userId = 0; // a linked user: read again on every request
};

struct MachineCache
{
    static constexpr qsizetype kMaxEntries = 1024;
    const void *owner = nullptr;
    QHash<QByteArray, MachineEntry> entries;
};

} // namespace

OidcService::OidcService(const Database &database, AuthService &auth, const AuditService &audit,
    const QList<OidcProviderSettings> &providers, QString publicUrl)
    : m_database(database)
    , m_auth(auth)
    , m_audit(audit)
    , m_publicUrl(std::move(publicUrl))
{
    for (const OidcProviderSettings &settings : providers)
        m_providers.push_back(std::make_unique<OidcProvider>(settings));
}

OidcService::~OidcService() = default;

void OidcService::discoverAll()
{
    for (const auto &provider : m_providers)
        (void)provider->discover(); // logged inside; tried again on first use
}

QList<OidcProviderInfo> OidcService::providers() const
{
    QList<OidcProviderInfo> list;
    for (const auto &provider : m_providers) {
        list.append({provider->name(), provider->displayName(),
            QStringLiteral("/v1/auth/oidc/%1/login").arg(provider->name()),
            provider->endSessionEndpoint()});
    }
    return list;
}

QStringList OidcService::browserOrigins() const
{
    QStringList origins;
    const auto add = [&origins](const QString &address) {
        const QUrl url(address);
        if (!url.isValid() || url.host().isEmpty())
            return;
        const QString origin = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery
                                      | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
                                   .toString(QUrl::FullyEncoded);
        if (!origins.contains(origin))
            origins.append(origin);
    };
    for (const auto &provider : m_providers) {
        if (provider->settings().audience.isEmpty())
            continue;
        add(provider->settings().issuer);
        add(provider->tokenEndpoint());
    }
    return origins;
}

OidcProvider *OidcService::find(const QString &name) const
{
    for (const auto &provider : m_providers) {
        if (provider->name() == name)
            return provider.get();
    }
    return nullptr;
}

QString OidcService::ownCallback(const QString &provider) const
{
    if (m_publicUrl.isEmpty())
        return {};
    return m_publicUrl + QStringLiteral("/v1/auth/oidc/%1/callback").arg(provider);
}

bool OidcService::redirectAllowed(const QString &provider, const QString &redirectUri) const
{
    if (!ownCallback(provider).isEmpty() && redirectUri == ownCallback(provider))
        return true;
    // RFC 8252 7.3: a native app listens on a loopback port of its choosing. IP literals only
    // (8.3: "localhost" may resolve elsewhere), http, an explicit port, no query or fragment
    // (the provider adds its own query).
    const QUrl url(redirectUri, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != u"http" || url.port() <= 0 || !url.userInfo().isEmpty()
        || url.hasQuery() || url.hasFragment())
        return false;
    const QHostAddress host(url.host());
    return host == QHostAddress(QHostAddress::LocalHost)
        || host == QHostAddress(QHostAddress::LocalHostIPv6);
}

Result<QString> OidcService::startLogin(const QString &name, const QString &requestedRedirect)
{
    OidcProvider *provider = find(name);
    if (!provider)
        return fail(Error::notFound(QStringLiteral("no sign-in provider named %1").arg(name)));
    const QString redirectUri = requestedRedirect.isEmpty() ? ownCallback(name) : requestedRedirect;
    if (redirectUri.isEmpty()) {
        return fail(Error::validation(QStringLiteral("redirect_uri"),
            QStringLiteral("is required unless OUTPOST_PUBLIC_URL is set")));
    }
    if (!redirectAllowed(name, redirectUri)) {
        return fail(Error::validation(QStringLiteral("redirect_uri"),
            QStringLiteral("must be this server's callback or http://127.0.0.1:PORT/... "
                           "(or [::1])")));
    }
    if (auto discovered = provider->discover(); !discovered)
        return fail(discovered.error());

    const QString state = QString::fromLatin1(Crypto::newOpaqueToken());
    OidcFlow flow;
    flow.provider = name;
    flow.nonce = QString::fromLatin1(Crypto::newOpaqueToken());
    flow.codeVerifier = QString::fromLatin1(Crypto::newOpaqueToken()); // 43 characters
    flow.redirectUri = redirectUri;
    flow.expiresAt = QDateTime::currentDateTimeUtc().addSecs(kFlowLifetimeSeconds);
    if (auto stored =
            OidcRepository(m_database).insertFlow(Crypto::sha256Hex(state.toLatin1()), flow);
        !stored)
        return fail(stored.error());

    const OidcProviderSettings &settings = provider->settings();
    QUrl url(provider->authorizationEndpoint());
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("client_id"), settings.clientId);
    query.addQueryItem(QStringLiteral("redirect_uri"), redirectUri);
    query.addQueryItem(QStringLiteral("scope"), settings.scopes.join(u' '));
    query.addQueryItem(QStringLiteral("state"), state);
    query.addQueryItem(QStringLiteral("nonce"), flow.nonce);
    query.addQueryItem(QStringLiteral("code_challenge"),
        QString::fromLatin1(Crypto::base64Url(Crypto::sha256(flow.codeVerifier.toLatin1()))));
    query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    // QUrlQuery leaves '+' and some delimiters as they are; encode every value strictly.
    QString encoded;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!encoded.isEmpty())
            encoded += u'&';
        encoded += QString::fromLatin1(QUrl::toPercentEncoding(key)) + u'='
            + QString::fromLatin1(QUrl::toPercentEncoding(value));
    }
    url.setQuery(encoded, QUrl::StrictMode);
    return url.toString(QUrl::FullyEncoded);
}

Result<OidcSignIn> OidcService::finishLogin(const QString &name, const QString &state,
    const QString &code, const QString &issuer, const QString &clientAddress)
{
    OidcProvider *provider = find(name);
    if (!provider)
        return fail(Error::notFound(QStringLiteral("no sign-in provider named %1").arg(name)));
    if (!issuer.isNull() && issuer != provider->settings().issuer) {
        return fail(signInRefused(
            QStringLiteral("the answer comes from another issuer than this provider")));
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto flow = OidcRepository(m_database).takeFlow(Crypto::sha256Hex(state.toLatin1()), now);
    if (!flow)
        return fail(flow.error());
    if (!*flow || (*flow)->provider != name) {
        return fail(signInRefused(
            QStringLiteral("unknown, used or expired sign-in state; start the sign-in again")));
    }
    auto answer = provider->exchangeCode(code, (*flow)->redirectUri, (*flow)->codeVerifier);
    if (!answer)
        return fail(answer.error());
    const QByteArray idToken = answer->value(QStringLiteral("id_token")).toString().toLatin1();
    if (idToken.isEmpty())
        return fail(signInRefused(QStringLiteral("the provider sent no ID token")));
    auto verified = provider->verify(idToken, now.toSecsSinceEpoch());
    if (!verified)
        return fail(verified.error());
    const OidcProviderSettings &settings = provider->settings();
    OidcClaimRules rules;
    rules.issuer = settings.issuer;
    rules.audience = settings.clientId;
    rules.authorizedParty = settings.clientId;
    rules.nonce = (*flow)->nonce;
    rules.now = now.toSecsSinceEpoch();
    if (auto checked = checkOidcClaims(verified->claims, rules); !checked)
        return fail(checked.error());
    const auto expiresAt = qint64(verified->claims.value(QStringLiteral("exp")).toDouble());
    if (!m_nonces.consume((*flow)->nonce, expiresAt, rules.now))
        return fail(signInRefused(QStringLiteral("this ID token has been used already")));

    QJsonObject claims = verified->claims;
    if (auto completed = withUserInfo(
            *provider, claims, answer->value(QStringLiteral("access_token")).toString());
        !completed)
        return fail(completed.error());
    auto user = signIn(*provider, claims, clientAddress);
    if (!user)
        return fail(user.error());
    auto stored = UserRepository(m_database).findById(user->id);
    if (!stored)
        return fail(stored.error());
    if (!*stored)
        return fail(signInRefused(QStringLiteral("the user no longer exists")));
    auto tokens = m_auth.issueTokens((*stored)->user, (*stored)->tokenVersion);
    if (!tokens)
        return fail(tokens.error());
    m_audit.recordAs(user->id, user->email, QStringLiteral("login.succeeded"), kAudit,
        QString::number(user->id), clientAddress,
        {{QStringLiteral("method"), QStringLiteral("oidc")}, {QStringLiteral("provider"), name}});
    OidcSignIn signedIn {std::move(*tokens), QString::fromLatin1(idToken), {}};
    signedIn.endSessionUrl = endSessionUrl(*provider, idToken);
    return signedIn;
}

QString OidcService::endSessionUrl(const OidcProvider &provider, const QByteArray &idToken)
{
    const QString endpoint = provider.endSessionEndpoint();
    if (endpoint.isEmpty())
        return {};
    // OpenID Connect RP-Initiated Logout 1.0, 2: id_token_hint (so the provider ends this
    // user's session without asking who) and client_id (so it knows whose token it is).
    QUrl url(endpoint);
    QString query = url.query(QUrl::FullyEncoded);
    if (!query.isEmpty())
        query += u'&';
    query += QStringLiteral("id_token_hint=")
        + QString::fromLatin1(QUrl::toPercentEncoding(QString::fromLatin1(idToken)))
        + QStringLiteral("&client_id=")
        + QString::fromLatin1(QUrl::toPercentEncoding(provider.settings().clientId));
    url.setQuery(query, QUrl::StrictMode);
    return url.toString(QUrl::FullyEncoded);
}

Status OidcService::withUserInfo(
    OidcProvider &provider, QJsonObject &claims, const QString &accessToken)
{
    // Providers may keep the profile claims out of the ID token of the code flow (Core 5.4:
    // "MAY be returned ... from the UserInfo Endpoint"), as oidc-provider does by default.
    const OidcProviderSettings &settings = provider.settings();
    const bool wantsGroups = !settings.adminGroups.isEmpty();
    const bool lacksEmail = !claims.contains(QStringLiteral("email"));
    const bool lacksGroups = wantsGroups && !claims.contains(settings.groupsClaim);
    if ((!lacksEmail && !lacksGroups) || provider.userInfoEndpoint().isEmpty())
        return {};
    auto info = provider.userInfo(accessToken);
    if (!info)
        return fail(info.error());
    // Core 5.3.2: the sub of the userinfo answer MUST be the ID token's, or its claims belong
    // to someone else (a token substitution) and must not be used.
    if (info->value(QStringLiteral("sub")).toString()
        != claims.value(QStringLiteral("sub")).toString()) {
        return fail(
            signInRefused(QStringLiteral("the provider's userinfo answer is about another user")));
    }
    const auto take = [&](const QString &claim) {
        if (!claims.contains(claim) && info->contains(claim))
            claims.insert(claim, info->value(claim));
    };
    if (lacksEmail) {
        take(QStringLiteral("email"));
        take(QStringLiteral("email_verified"));
    }
    if (lacksGroups)
        take(settings.groupsClaim);
    return {};
}

Result<User> OidcService::signIn(
    OidcProvider &provider, const QJsonObject &claims, const QString &clientAddress)
{
    const OidcProviderSettings &settings = provider.settings();
    const QString subject = claims.value(QStringLiteral("sub")).toString();
    const QString email = claims.value(QStringLiteral("email")).toString().trimmed();
    const bool emailVerified = claims.value(QStringLiteral("email_verified")).toBool(false);
    const QJsonObject auditDetail {
        {QStringLiteral("provider"), settings.name}, {QStringLiteral("subject"), subject}};
    const auto refuse = [&](qint64 userId, const QString &reason, const Error &error) {
        QJsonObject detail = auditDetail;
        detail.insert(QStringLiteral("method"), QStringLiteral("oidc"));
        detail.insert(QStringLiteral("reason"), reason);
        m_audit.recordAs(userId, email, QStringLiteral("login.failed"), kAudit,
            userId ? QString::number(userId) : QString(), clientAddress, detail);
        return fail(error);
    };

    OidcRepository identities(m_database);
    UserRepository users(m_database);
    auto linked = identities.findUserId(settings.name, subject);
    if (!linked)
        return fail(linked.error());
    std::optional<StoredUser> user;
    if (*linked) {
        auto found = users.findById(**linked);
        if (!found)
            return fail(found.error());
        user = *found;
    } else if (!email.isEmpty()) {
        // Not linked yet: an account with this e-mail is linked only if the provider vouches
        // for the address, or whoever controls the provider account could take it over.
        auto byEmail = users.findByEmail(UserRules::normalizedEmail(email));
        if (!byEmail)
            return fail(byEmail.error());
        if (*byEmail) {
            if (!emailVerified) {
                return refuse((*byEmail)->user.id, QStringLiteral("e-mail not verified"),
                    Error::conflict(QStringLiteral(
                        "an account with this e-mail address exists, and the provider has not "
                        "verified the address, so it cannot be linked")));
            }
            if (auto done = identities.link(settings.name, subject, (*byEmail)->user.id); !done)
                return fail(done.error());
            m_audit.recordAs((*byEmail)->user.id, (*byEmail)->user.email,
                QStringLiteral("oidc.linked"), kAudit, QString::number((*byEmail)->user.id),
                clientAddress, auditDetail);
            user = *byEmail;
        }
    }
    if (!user) {
        if (!settings.allowSignup) {
            return refuse(0, QStringLiteral("sign-up off"),
                Error::forbidden(QStringLiteral("there is no account for this sign-in, and "
                                                "sign-up with %1 is off")
                                     .arg(provider.displayName())));
        }
        if (email.isEmpty() || UserRules::emailProblem(email)) {
            return refuse(0, QStringLiteral("no e-mail"),
                Error::forbidden(QStringLiteral("the provider did not share a usable e-mail "
                                                "address (scope email); it is needed to make "
                                                "an account")));
        }
        // No password: "!" is no bcrypt hash, so password sign-in can never match.
        auto id = users.insert(
            UserRules::normalizedEmail(email), QString(), QByteArrayLiteral("!"), Roles::user);
        if (!id)
            return fail(id.error());
        if (auto done = identities.link(settings.name, subject, *id); !done)
            return fail(done.error());
        m_audit.recordAs(*id, email, QStringLiteral("oidc.signup"), kAudit, QString::number(*id),
            clientAddress, auditDetail);
        auto created = users.findById(*id);
        if (!created)
            return fail(created.error());
        user = *created;
    }
    if (!user)
        return fail(signInRefused(QStringLiteral("the linked user no longer exists")));
    if (user->user.disabled) {
        return refuse(user->user.id, QStringLiteral("disabled"),
            signInRefused(QStringLiteral("this account is disabled")));
    }
    // The groups claim decides the role at every sign-in, once admin groups are configured.
    if (!settings.adminGroups.isEmpty()) {
        const QStringList groups = stringsOf(claims.value(settings.groupsClaim));
        bool admin = false;
        for (const QString &group : groups)
            admin = admin || settings.adminGroups.contains(group);
        const QString role = admin ? Roles::admin : Roles::user;
        if (role != user->user.role) {
            QJsonObject withRole = auditDetail;
            withRole.insert(QStringLiteral("role"), role);
            UserChanges changes;
            changes.role = role;
            if (auto updated = users.update(user->user.id, changes); !updated)
                return fail(updated.error());
            m_audit.recordAs(user->user.id, user->user.email, QStringLiteral("oidc.role_changed"),
                kAudit, QString::number(user->user.id), clientAddress, withRole);
            user->user.role = role;
        }
    }
    identities.touch(settings.name, subject, QDateTime::currentDateTimeUtc());
    return user->user;
}

bool OidcService::acceptsMachineTokens() const
{
    for (const auto &provider : m_providers) {
        if (!provider->settings().audience.isEmpty())
            return true;
    }
    return false;
}

Result<Principal> OidcService::authenticateMachine(const QByteArray &token) const
{
    thread_local MachineCache cache;
    if (cache.owner != this) {
        cache.entries.clear();
        cache.owner = this;
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    MachineEntry entry;
    if (auto hit = cache.entries.constFind(token);
        hit != cache.entries.cend() && now <= hit->expiresAt) {
        entry = *hit;
    } else {
        // The issuer says which provider; only then are its keys used.
        const QList<QByteArray> parts = token.split('.');
        bool ok = false;
        const QByteArray payload =
            parts.size() == 3 ? Crypto::fromBase64Url(parts[1], &ok) : QByteArray();
        const QString issuer = ok
            ? QJsonDocument::fromJson(payload).object().value(QStringLiteral("iss")).toString()
            : QString();
        OidcProvider *provider = nullptr;
        for (const auto &candidate : m_providers) {
            if (!candidate->settings().audience.isEmpty() && candidate->settings().issuer == issuer)
                provider = candidate.get();
        }
        if (!provider)
            return fail(Error::unauthorized(QStringLiteral("invalid token")));
        auto verified = provider->verify(token, now);
        if (!verified)
            return fail(verified.error());
        OidcClaimRules rules;
        rules.issuer = provider->settings().issuer;
        rules.audience = provider->settings().audience;
        rules.now = now;
        if (auto checked = checkOidcClaims(verified->claims, rules); !checked)
            return fail(checked.error());
        entry.provider = provider->name();
        entry.subject = verified->claims.value(QStringLiteral("sub")).toString();
        entry.expiresAt = qint64(verified->claims.value(QStringLiteral("exp")).toDouble());
        auto linked = OidcRepository(m_database).findUserId(entry.provider, entry.subject);
        if (!linked)
            return fail(linked.error());
        if (*linked) {
            entry.userId = **linked;
        } else {
            const QStringList granted = verified->claims.value(QStringLiteral("scope"))
                                            .toString()
                                            .split(u' ', Qt::SkipEmptyParts);
            for (const QString &scope : Scopes::all()) {
                if (granted.contains(scope))
                    entry.principal.scopes.append(scope);
            }
            entry.principal.apiKeyId = serviceAccountId(entry.provider, entry.subject);
            entry.principal.apiKeyName =
                QStringLiteral("oidc:%1:%2").arg(entry.provider, entry.subject);
        }
        entry.principal.validUntil = entry.expiresAt + OidcClaimRules::kDefaultLeewaySeconds;
        if (cache.entries.size() >= MachineCache::kMaxEntries)
            cache.entries.clear();
        cache.entries.insert(token, entry);
    }
    if (entry.userId == 0)
        return entry.principal;
    // A user's token: disabled users and deleted links end it at once, as for Outpost's tokens.
    auto session = UserRepository(m_database).findSession(entry.userId);
    if (!session)
        return fail(session.error());
    if (!*session || (*session)->disabled)
        return fail(Error::unauthorized(QStringLiteral("this token is no longer valid")));
    Principal principal;
    principal.userId = entry.userId;
    principal.role = std::move((*session)->role);
    principal.email = std::move((*session)->email);
    principal.validUntil = entry.principal.validUntil;
    return principal;
}

Result<qint64> OidcService::pruneFlows(const QDateTime &now)
{
    return OidcRepository(m_database).deleteExpiredFlows(now);
}

} // namespace Outpost::Server
