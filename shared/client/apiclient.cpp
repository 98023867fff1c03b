#include "apiclient.h"

#include <QCryptographicHash>
#include <QSslKey>

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>

Q_LOGGING_CATEGORY(lcClient, "outpost.client", QtInfoMsg)

namespace Outpost::Client {

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
{
    m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

ApiClient::~ApiClient() = default;

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url.adjusted(QUrl::StripTrailingSlash);
}

QUrl ApiClient::url(const QString &path, const QUrlQuery &query) const
{
    QUrl result = m_baseUrl;
    result.setPath(m_baseUrl.path() + path, QUrl::DecodedMode);
    if (!query.isEmpty())
        result.setQuery(query);
    return result;
}

void ApiClient::setTokens(const QString &accessToken, const QString &refreshToken)
{
    m_accessToken = accessToken;
    m_refreshToken = refreshToken;
    Q_EMIT tokensChanged(m_accessToken, m_refreshToken);
}

void ApiClient::trustCertificate(const QSslCertificate &certificate)
{
    if (!m_trusted.contains(certificate))
        m_trusted.append(certificate);
}

ApiCall *ApiClient::login(const QString &email, const QString &password)
{
    ApiCall *call = makeCall("POST", QStringLiteral("/v1/login"), {});
    call->m_authenticated = false;
    call->m_body =
        compact({{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
    call->m_headers.append({"Content-Type", kJson});
    connect(call, &ApiCall::finished, this, [this](const ApiResponse &response) {
        if (!response.ok())
            return;
        if (const Result<TokenPair> tokens = TokenPair::fromJson(response.object()))
            setTokens(tokens->accessToken, tokens->refreshToken);
    });
    dispatch(call);
    return call;
}

ApiCall *ApiClient::finishSso(const QString &callbackPath, const QString &query)
{
    ApiCall *call = makeCall("GET", callbackPath, {});
    call->m_authenticated = false;
    call->m_url.setQuery(query, QUrl::StrictMode);
    connect(call, &ApiCall::finished, this, [this](const ApiResponse &response) {
        if (!response.ok())
            return;
        if (const Result<TokenPair> tokens = TokenPair::fromJson(response.object()))
            setTokens(tokens->accessToken, tokens->refreshToken);
    });
    dispatch(call);
    return call;
}

ApiCall *ApiClient::logout()
{
    ApiCall *call = makeCall("POST", QStringLiteral("/v1/logout"), {});
    call->m_body = compact({{QStringLiteral("refresh_token"), m_refreshToken}});
    call->m_headers.append({"Content-Type", kJson});
    connect(call, &ApiCall::finished, this, [this] { setTokens({}, {}); });
    dispatch(call);
    return call;
}

ApiCall *ApiClient::get(const QString &path, const QUrlQuery &query)
{
    return send("GET", path, query, {});
}

ApiCall *ApiClient::post(const QString &path, const QJsonObject &body)
{
    return send("POST", path, {}, compact(body), {{"Content-Type", kJson}});
}

ApiCall *ApiClient::put(const QString &path, const QJsonObject &body, const QByteArray &ifMatch)
{
    ApiCall::Headers headers {{"Content-Type", kJson}};
    if (!ifMatch.isEmpty())
        headers.append({"If-Match", ifMatch});
    return send("PUT", path, {}, compact(body), headers);
}

ApiCall *ApiClient::patch(const QString &path, const QJsonObject &body)
{
    return send("PATCH", path, {}, compact(body), {{"Content-Type", kJson}});
}

ApiCall *ApiClient::del(const QString &path)
{
    return send("DELETE", path, {}, {});
}

ApiCall *ApiClient::send(const QByteArray &method, const QString &path, const QUrlQuery &query,
    const QByteArray &body, const ApiCall::Headers &headers)
{
    ApiCall *call = makeCall(method, path, query);
    call->m_body = body;
    call->m_headers = headers;
    dispatch(call);
    return call;
}

ApiCall *ApiClient::sendDevice(
    const QByteArray &method, const QString &path, QIODevice *device, const QByteArray &contentType)
{
    ApiCall *call = makeCall(method, path, {});
    call->m_device = device;
    call->m_retried = true; // a stream cannot be sent twice
    call->m_headers.append({"Content-Type", contentType});
    dispatch(call);
    return call;
}

ApiCall *ApiClient::download(const QString &path, QIODevice *sink, const ApiCall::Headers &headers)
{
    ApiCall *call = makeCall("GET", path, {});
    call->m_sink = sink;
    call->m_headers = headers;
    call->m_retried = true; // part of the body may already be in the sink
    dispatch(call);
    return call;
}

ApiCall *ApiClient::makeCall(const QByteArray &method, const QString &path, const QUrlQuery &query)
{
    auto *call = new ApiCall(this);
    call->m_method = method;
    call->m_url = url(path, query);
    return call;
}

void ApiClient::dispatch(ApiCall *call)
{
    if (call->m_authenticated && m_refreshing) {
        m_waiting.append(call);
        return;
    }
    QNetworkRequest request(call->m_url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(call->m_device || call->m_sink ? 0 : 30'000);
    for (const auto &[name, value] : std::as_const(call->m_headers))
        request.setRawHeader(name, value);
    if (call->m_authenticated && !m_accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    call->m_clock.start();
    QNetworkReply *reply = call->m_device
        ? m_network.sendCustomRequest(request, call->m_method, call->m_device)
        : m_network.sendCustomRequest(request, call->m_method, call->m_body);
    call->attach(reply);
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        if (!m_pin.isEmpty()) {
            // A pinned server: its known key is trusted, any other refused.
            const QSslCertificate presented =
                errors.isEmpty() ? QSslCertificate() : errors.constFirst().certificate();
            if (matchesPin(presented)) {
                reply->ignoreSslErrors(errors);
                return;
            }
            reply->abort();
            return;
        }
        bool allTrusted = true;
        for (const QSslError &error : errors)
            allTrusted = allTrusted && m_trusted.contains(error.certificate());
        if (allTrusted && !m_trusted.isEmpty()) {
            reply->ignoreSslErrors(errors);
            return;
        }
        Q_EMIT sslErrorsOccurred(errors);
    });
    // A certificate that verifies must still carry the pinned key.
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] {
        if (m_pin.isEmpty())
            return;
        if (!matchesPin(reply->sslConfiguration().peerCertificate()))
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, call,
        [this, call, reply] { onReplyFinished(call, reply); });
}

QByteArray ApiClient::publicKeyPin(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    // QSslKey's DER of a public key is the SubjectPublicKeyInfo.
    return QCryptographicHash::hash(certificate.publicKey().toDer(), QCryptographicHash::Sha256);
}

bool ApiClient::matchesPin(const QSslCertificate &presented)
{
    const QByteArray pin = publicKeyPin(presented);
    if (pin == m_pin)
        return true;
    Q_EMIT pinMismatch(m_pin, pin, presented);
    return false;
}

QString ApiClient::formatPin(const QByteArray &pin)
{
    return QString::fromLatin1(pin.toHex(':').toUpper());
}

void ApiClient::onReplyFinished(ApiCall *call, QNetworkReply *reply)
{
    reply->deleteLater();
    call->m_reply = nullptr;
    ApiResponse response;
    response.elapsedMs = call->m_clock.elapsed();
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // Cut off or cancelled after the headers came: the status is there, the answer is not.
    const QNetworkReply::NetworkError transport = reply->error();
    if (transport > QNetworkReply::NoError
        && transport < QNetworkReply::ProxyConnectionRefusedError)
        response.status = 0;
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray(); // not if aborted
    if (call->m_sink && response.ok()) {
        call->m_sink->write(body);
    } else {
        response.body = body;
    }
    response.contentType = reply->rawHeader("Content-Type");
    response.etag = reply->rawHeader("ETag");
    if (response.status == 0) {
        response.aborted =
            call->m_aborted || reply->error() == QNetworkReply::OperationCanceledError;
        response.networkError = response.aborted ? tr("Cancelled") : reply->errorString();
    } else {
        Q_EMIT latencyMeasured(response.elapsedMs);
        if (response.status >= 400)
            response.problem = ApiProblem::fromJson(response.object());
    }

    const bool retry = response.status == 401 && call->m_authenticated && !call->m_retried
        && !m_refreshToken.isEmpty() && !call->m_aborted;
    if (retry) {
        call->m_retried = true;
        m_waiting.append(call);
        if (!m_refreshing)
            startRefresh();
        return;
    }
    call->finish(response);
}

void ApiClient::startRefresh()
{
    m_refreshing = true;
    qCDebug(lcClient) << "refreshing the access token";
    auto *call = new ApiCall(this);
    call->m_method = "POST";
    call->m_url = url(QStringLiteral("/v1/token/refresh"));
    call->m_authenticated = false;
    call->m_body = compact({{QStringLiteral("refresh_token"), m_refreshToken}});
    call->m_headers.append({"Content-Type", kJson});
    connect(call, &ApiCall::finished, this, [this](const ApiResponse &response) {
        const Result<TokenPair> tokens = TokenPair::fromJson(response.object());
        const bool refreshed = response.ok() && tokens;
        if (refreshed)
            setTokens(tokens->accessToken, tokens->refreshToken);
        finishRefresh(refreshed);
    });
    // Not through dispatch(): it must not wait for itself.
    m_refreshing = false;
    dispatch(call);
    m_refreshing = true;
}

void ApiClient::finishRefresh(bool ok)
{
    m_refreshing = false;
    const auto waiting = std::exchange(m_waiting, {});
    if (!ok) {
        qCInfo(lcClient) << "the refresh token was refused: sign-in needed";
        setTokens({}, {});
        Q_EMIT sessionExpired();
    }
    for (const QPointer<ApiCall> &call : waiting) {
        if (!call)
            continue;
        if (ok) {
            dispatch(call);
        } else {
            ApiResponse response;
            response.status = 401;
            response.problem.status = 401;
            response.problem.title = QStringLiteral("Unauthorized");
            response.problem.detail = QStringLiteral("the session has expired: sign in again");
            call->finish(response);
        }
    }
}

} // namespace Outpost::Client
