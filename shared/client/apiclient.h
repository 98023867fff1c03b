#pragma once

#include "adminresource.h"
#include "apicall.h"
#include "apikeysresource.h"
#include "authresource.h"
#include "filesresource.h"
#include "pipelinesresource.h"
#include "postsresource.h"
#include "subscriptionsresource.h"
#include "usersresource.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>
#include <QUrlQuery>

class QIODevice;

namespace Outpost::Client {

// The asynchronous Outpost API client: one per connection, for the embedded server and a
// remote deployment alike. It adds the bearer token to every call and, when a call is
// answered 401, refreshes the access token once with the refresh token (rotation) and
// repeats the call, so a session outlives the 15-minute access tokens silently. Calls made
// while a refresh is under way wait for it.
//
// The typed calls are grouped by resource (client.posts().list(query)); each returns a
// Reply<T> whose handler gets the shared model or an ApiError. The untyped calls below are
// their transport, and stay public for what has no model (tests probing raw answers).
class ApiClient final : public QObject
{
    Q_OBJECT

public:
    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_baseUrl; }
    // An absolute URL for a path like "/v1/posts" (query optional).
    QUrl url(const QString &path, const QUrlQuery &query = {}) const;

    void setTokens(const QString &accessToken, const QString &refreshToken);
    QString accessToken() const { return m_accessToken; }
    QString refreshToken() const { return m_refreshToken; }
    bool isSignedIn() const { return !m_accessToken.isEmpty(); }

    // A certificate the user chose to trust although it did not verify (self-signed, wrong
    // host): TLS errors about exactly this certificate are ignored from now on.
    void trustCertificate(const QSslCertificate &certificate);
    QList<QSslCertificate> trustedCertificates() const { return m_trusted; }

    // The public key this server must present, like SSH's known hosts: the SHA-256 of the
    // certificate's SubjectPublicKeyInfo (publicKeyPin()). Empty: no pin. A certificate with
    // that key is accepted even if it does not verify (it was trusted before); any other key
    // is refused, the request fails and pinMismatch() says what changed.
    void setPinnedPublicKey(const QByteArray &pin) { m_pin = pin; }
    QByteArray pinnedPublicKey() const { return m_pin; }
    static QByteArray publicKeyPin(const QSslCertificate &certificate);
    // With a pin: whether `presented` (the server's own certificate) carries the pinned key;
    // when it does not, pinMismatch() is emitted and the caller must refuse the connection.
    bool matchesPin(const QSslCertificate &presented);
    // "AB:CD:..." for people to compare.
    static QString formatPin(const QByteArray &pin);

    AuthResource auth() { return AuthResource(this); }
    UsersResource users() { return UsersResource(this); }
    PostsResource posts() { return PostsResource(this); }
    ApiKeysResource apiKeys() { return ApiKeysResource(this); }
    AdminResource admin() { return AdminResource(this); }
    FilesResource files() { return FilesResource(this); }
    PipelinesResource pipelines() { return PipelinesResource(this); }
    SubscriptionsResource subscriptions() { return SubscriptionsResource(this); }

    // POST /v1/login (JSON); on success the tokens are kept and tokensChanged() emitted.
    ApiCall *login(const QString &email, const QString &password);
    // POST /v1/logout with the refresh token, then forgets the tokens.
    ApiCall *logout();
    // GET `callbackPath` with the provider's percent-encoded `query` (single sign-on's last
    // step, without a bearer token); on success the tokens are kept, as after login().
    ApiCall *finishSso(const QString &callbackPath, const QString &query);

    ApiCall *get(const QString &path, const QUrlQuery &query = {});
    ApiCall *post(const QString &path, const QJsonObject &body);
    ApiCall *put(const QString &path, const QJsonObject &body, const QByteArray &ifMatch = {});
    ApiCall *patch(const QString &path, const QJsonObject &body);
    ApiCall *del(const QString &path);
    // Any request with a body held in memory.
    ApiCall *send(const QByteArray &method, const QString &path, const QUrlQuery &query,
        const QByteArray &body, const ApiCall::Headers &headers = {});
    // A request whose body is streamed from `device` (file uploads); not repeated after a
    // refresh, so the caller sees the 401 if the token had expired mid-upload.
    ApiCall *sendDevice(const QByteArray &method, const QString &path, QIODevice *device,
        const QByteArray &contentType);
    // GET streaming a 2xx body into `sink` instead of memory (file downloads).
    ApiCall *download(const QString &path, QIODevice *sink, const ApiCall::Headers &headers = {});

    QNetworkAccessManager *network() { return &m_network; }

Q_SIGNALS:
    void tokensChanged(const QString &accessToken, const QString &refreshToken);
    // The refresh token was refused: the user must sign in again.
    void sessionExpired();
    // Round-trip time of the last answered call.
    void latencyMeasured(qint64 ms);
    // A TLS handshake failed on a certificate nobody trusted yet.
    void sslErrorsOccurred(const QList<QSslError> &errors);
    // The server presented another public key than the pinned one; the request was refused.
    void pinMismatch(
        const QByteArray &pinned, const QByteArray &presented, const QSslCertificate &certificate);

private:
    ApiCall *makeCall(const QByteArray &method, const QString &path, const QUrlQuery &query);
    void dispatch(ApiCall *call);
    void onReplyFinished(ApiCall *call, QNetworkReply *reply);
    void startRefresh();
    void finishRefresh(bool ok);

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QString m_accessToken;
    QString m_refreshToken;
    QList<QSslCertificate> m_trusted;
    QByteArray m_pin;
    bool m_refreshing = false;
    QList<QPointer<ApiCall>> m_waiting; // for the refresh to finish
};

} // namespace Outpost::Client
