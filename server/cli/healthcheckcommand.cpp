#include "healthcheckcommand.h"

#include "cli.h"
#include "servecommand.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

namespace Outpost::Server::Cli {

namespace {

constexpr int timeoutMs = 5'000;

// http://HOST:PORT/healthz of the listen address in the settings (https:// when the server
// speaks TLS, with `certificate` set to the one it serves); an empty QUrl and `error` when there
// is none to reach.
QUrl configuredUrl(const QCommandLineParser &parser, const ServeOptions &options,
    QSslCertificate &certificate, QString &error)
{
    auto config = loadConfig(parser, options);
    if (!config) {
        error = config.error().detail;
        return {};
    }
    if (config->listenPort == 0) {
        error = QStringLiteral("the server listens on port 0 (any free port): give --url");
        return {};
    }
    QHostAddress host = config->listenAddress;
    // A server on every address answers on loopback too.
    if (host == QHostAddress(QHostAddress::AnyIPv6)) {
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    } else if (host.isEqual(QHostAddress(QHostAddress::Any), QHostAddress::TolerantConversion)
        || host == QHostAddress(QHostAddress::AnyIPv4)) {
        host = QHostAddress(QHostAddress::LocalHost);
    }
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    if (config->tlsEnabled()) {
        // Loopback is not the name the certificate was issued for: trust exactly the
        // certificate the server is configured to serve, and nothing else, instead.
        const QList<QSslCertificate> chain = QSslCertificate::fromPath(config->tlsCertFile);
        if (chain.isEmpty()) {
            error = QStringLiteral("cannot read the TLS certificate %1").arg(config->tlsCertFile);
            return {};
        }
        certificate = chain.first();
        url.setScheme(QStringLiteral("https"));
    }
    url.setHost(host.toString());
    url.setPort(config->listenPort);
    url.setPath(QStringLiteral("/healthz"));
    return url;
}

} // namespace

int runHealthcheckCommand(
    const QCommandLineParser &parser, const ServeOptions &options, const QString &url)
{
    QUrl target;
    QSslCertificate configured; // the server's own certificate, when the URL comes from settings
    if (url.isEmpty()) {
        QString error;
        target = configuredUrl(parser, options, configured, error);
        if (target.isEmpty())
            return failWith(QStringLiteral("healthcheck: ") + error, Failure);
    } else {
        target = QUrl(url, QUrl::StrictMode);
        if (!target.isValid() || target.host().isEmpty()
            || (target.scheme() != u"http" && target.scheme() != u"https")) {
            return failWith(
                QStringLiteral("healthcheck: --url must be an http:// or https:// URL (got \"%1\")")
                    .arg(url),
                Failure);
        }
    }

    QNetworkAccessManager manager;
    // The check is about this server, never a proxy that http_proxy may name.
    manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(target);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = manager.get(request);
    if (!configured.isNull()) {
        QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply, configured] {
            if (reply->sslConfiguration().peerCertificate() == configured)
                reply->ignoreSslErrors();
        });
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    // One deadline for the whole exchange, connecting included.
    bool timedOut = false;
    QTimer::singleShot(timeoutMs, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    if (!reply->isFinished())
        loop.exec();

    const QString where = target.toString(QUrl::RemoveUserInfo);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString errorText = reply->errorString();
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    delete reply;
    if (timedOut) {
        return failWith(QStringLiteral("healthcheck: %1: no answer within %2 s")
                            .arg(where)
                            .arg(timeoutMs / 1000));
    }
    if (status == 200)
        return Ok;
    if (status != 0) {
        return failWith(QStringLiteral("healthcheck: %1 answered %2 %3")
                            .arg(where)
                            .arg(status)
                            .arg(reason)
                            .trimmed());
    }
    return failWith(QStringLiteral("healthcheck: %1: %2").arg(where, errorText));
}

} // namespace Outpost::Server::Cli
