#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Outpost::Test {

// A real OpenID provider for tests: panva's oidc-provider (tools/node_modules) run by node
// through tests/oidc/provider.mjs on 127.0.0.1 and a free port. Its clients: "outpost"
// (secret "outpost-secret") and "outpost-public" (PKCE only), both native apps that may
// redirect to http://127.0.0.1:ANY/callback; "machine" (secret "machine-secret", client
// credentials). Stopped by stop() or the destructor, and killed with the test process
// (childprocess.h). Start it on the main thread.
class OidcTestProvider
{
public:
    OidcTestProvider();
    ~OidcTestProvider();
    OidcTestProvider(const OidcTestProvider &) = delete;
    OidcTestProvider &operator=(const OidcTestProvider &) = delete;

    // False (with lastError()) if node or oidc-provider is missing or it did not start.
    bool start(int timeoutMs = 30'000);
    void stop();
    QString lastError() const { return m_error; }
    QString issuer() const { return m_issuer; }

    // Adds or replaces an account: its sub is `id`.
    bool setAccount(const QString &id, const QString &email, bool emailVerified,
        const QStringList &groups = {});
    // Signs in at `authorizationUrl` as `account` (login and consent forms posted like a
    // browser would) and returns where the provider redirects back; empty on failure.
    QUrl login(const QUrl &authorizationUrl, const QString &account);
    // A new signing key with a new kid; the old one is no longer published.
    QString rotateKey();
    // A JWT signed with the current key: iss, iat and exp (now + 300 s) unless `claims` says
    // otherwise; `header` adds to or replaces alg RS256, kid and typ at+jwt.
    QByteArray sign(const QJsonObject &claims, const QJsonObject &header = {});
    // An access token from the client credentials grant (client "machine"), for `resource`.
    QByteArray clientCredentialsToken(const QString &scope, const QString &resource);
    // How often the key set has been fetched.
    int keySetFetches();
    // How often the userinfo endpoint has been called.
    int userInfoFetches();
    // On: the provider keeps email and groups out of the ID token of the code flow and gives
    // them from its userinfo endpoint only (oidc-provider's conformIdTokenClaims).
    bool setConformIdTokenClaims(bool on);
    // The userinfo endpoint answers `answer` instead of the truth; an empty object ends that.
    bool setUserInfoAnswer(const QJsonObject &answer);

private:
    QJsonObject control(const QByteArray &method, const QString &path, const QJsonObject &body);

    QProcess m_process;
    QString m_issuer;
    QString m_error;
};

// Whether a suite that needs a real peer must fail rather than skip when the peer is missing:
// in CI (CI=true) every tool is installed, so a missing one is an error.
bool peersRequired();

} // namespace Outpost::Test
