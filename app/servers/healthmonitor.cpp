#include "healthmonitor.h"

#include "client/adminresource.h"
#include "client/apiclient.h"
#include "client/pipelinesresource.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSslConfiguration>

namespace Outpost::App {

HealthMonitor::HealthMonitor(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &HealthMonitor::checkNow);
    m_timer.start();
}

HealthMonitor::~HealthMonitor() = default;

void HealthMonitor::setInterval(int ms)
{
    m_timer.start(ms);
}

void HealthMonitor::setTargets(const QHash<QString, QUrl> &targets)
{
    for (auto it = m_servers.begin(); it != m_servers.end();) {
        if (!targets.contains(it.key())) {
            it = m_servers.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = targets.cbegin(); it != targets.cend(); ++it) {
        if (!m_servers.contains(it.key()) || m_servers.value(it.key()).url != it.value())
            setUrl(it.key(), it.value());
    }
}

void HealthMonitor::setUrl(const QString &id, const QUrl &url)
{
    Server &server = m_servers[id];
    if (server.url == url && server.health.state != ServerHealth::State::Unknown)
        return;
    server.url = url;
    ++server.generation;
    server.busy = false;
    server.checks = 0;
    server.health = {};
    if (url.isEmpty())
        server.health.state = ServerHealth::State::Stopped;
    Q_EMIT healthChanged(id);
    check(id);
}

void HealthMonitor::setClient(const QString &id, Client::ApiClient *client)
{
    Server &server = m_servers[id];
    server.client = client;
    server.checks = 0; // ask for the version again, now perhaps as an admin
    if (!client)
        server.health.failingPipelines = -1;
    check(id);
}

void HealthMonitor::setPin(const QString &id, const QByteArray &pin)
{
    m_servers[id].pin = pin;
}

void HealthMonitor::checkNow()
{
    const QStringList ids = m_servers.keys();
    for (const QString &id : ids)
        check(id);
}

bool HealthMonitor::current(const QString &id, quint64 generation) const
{
    auto it = m_servers.constFind(id);
    return it != m_servers.cend() && it->generation == generation;
}

void HealthMonitor::get(
    const QString &id, const QString &path, const std::function<void(QNetworkReply *, bool)> &done)
{
    const Server &server = m_servers[id];
    QUrl url = server.url;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    QNetworkRequest request(url);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    QNetworkReply *reply = m_network->get(request);
    const QByteArray pin = server.pin;
    if (!pin.isEmpty()) {
        // A certificate the user trusted by its key (the connect dialog's pin), as the client.
        connect(reply, &QNetworkReply::sslErrors, reply, [reply, pin](const QList<QSslError> &) {
            const QSslCertificate presented = reply->sslConfiguration().peerCertificate();
            if (Client::ApiClient::publicKeyPin(presented) == pin)
                reply->ignoreSslErrors();
        });
    }
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    auto timedOut = std::make_shared<bool>(false);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(m_timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [reply, timedOut, done] {
        reply->deleteLater();
        done(reply, *timedOut);
    });
}

void HealthMonitor::check(const QString &id)
{
    auto it = m_servers.find(id);
    if (it == m_servers.end() || it->busy || it->url.isEmpty())
        return;
    it->busy = true;
    const quint64 generation = it->generation;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    get(id, QStringLiteral("/healthz"),
        [this, id, generation, clock](QNetworkReply *reply, bool timedOut) {
            if (!current(id, generation))
                return;
            Server &server = m_servers[id];
            ServerHealth &health = server.health;
            health.checkedAt = QDateTime::currentDateTimeUtc();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() != QNetworkReply::NoError || status != 200) {
                health.state = ServerHealth::State::Down;
                health.reason = describe(reply->error(), status, timedOut);
                health.detail = timedOut ? QString() : reply->errorString();
                health.latencyMs = -1;
                server.checks = 0; // ask for the version again once it is back
                finish(id, generation);
                return;
            }
            health.state = ServerHealth::State::Up;
            health.reason.clear();
            health.detail.clear();
            health.latencyMs = clock->elapsed();
            if (server.checks++ % kVersionEvery == 0) {
                fetchVersion(id, generation);
                return;
            }
            countFailing(id, generation);
        });
}

void HealthMonitor::fetchVersion(const QString &id, quint64 generation, bool asAdmin)
{
    Client::ApiClient *client = m_servers.value(id).client;
    if (client && asAdmin) {
        client->admin().info().then(
            this, [this, id, generation](const Client::ApiResult<ServerInfo> &info) {
                if (!current(id, generation))
                    return;
                if (info) {
                    m_servers[id].health.version = info->version;
                    countFailing(id, generation);
                    return;
                }
                // Not an admin there: /metrics says it too, when it is public.
                fetchVersion(id, generation, false);
            });
        return;
    }
    get(id, QStringLiteral("/metrics"), [this, id, generation](QNetworkReply *reply, bool) {
        if (!current(id, generation))
            return;
        static const QRegularExpression build(
            QStringLiteral("outpost_build_info\\{[^}]*version=\"([^\"]*)\""));
        if (reply->error() == QNetworkReply::NoError) {
            const QRegularExpressionMatch match = build.match(QString::fromUtf8(reply->readAll()));
            if (match.hasMatch())
                m_servers[id].health.version = match.captured(1);
        }
        countFailing(id, generation);
    });
}

void HealthMonitor::countFailing(const QString &id, quint64 generation)
{
    Client::ApiClient *client = m_servers.value(id).client;
    if (!client) {
        m_servers[id].health.failingPipelines = -1;
        finish(id, generation);
        return;
    }
    client->pipelines().list({100, 0}).then(
        this, [this, id, generation](const Client::ApiResult<Page<Pipeline>> &page) {
            if (!current(id, generation))
                return;
            int failing = -1;
            if (page) {
                failing = 0;
                for (const Pipeline &pipeline : page->items) {
                    const QString conclusion =
                        pipeline.lastRun ? pipeline.lastRun->conclusion : QString();
                    if (conclusion == QLatin1String("failure")
                        || conclusion == QLatin1String("timed_out"))
                        ++failing;
                }
            }
            m_servers[id].health.failingPipelines = failing;
            finish(id, generation);
        });
}

void HealthMonitor::finish(const QString &id, quint64 generation)
{
    if (!current(id, generation))
        return;
    m_servers[id].busy = false;
    Q_EMIT healthChanged(id);
}

QString HealthMonitor::describe(QNetworkReply::NetworkError error, int httpStatus, bool timedOut)
{
    if (timedOut)
        return tr("no answer in time (timeout)");
    switch (error) {
    case QNetworkReply::NoError:
        break;
    case QNetworkReply::ConnectionRefusedError:
        return tr("connection refused");
    case QNetworkReply::HostNotFoundError:
        return tr("server name not found (DNS)");
    case QNetworkReply::TimeoutError:
        return tr("no answer in time (timeout)");
    case QNetworkReply::RemoteHostClosedError:
        return tr("the server closed the connection");
    case QNetworkReply::SslHandshakeFailedError:
        return tr("TLS error: the certificate is not trusted");
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
        return tr("network unreachable");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::UnknownProxyError:
        return tr("the proxy failed");
    default:
        if (httpStatus == 0)
            return tr("no answer");
    }
    if (httpStatus >= 500)
        return tr("server error (HTTP %1)").arg(httpStatus);
    return tr("unexpected answer (HTTP %1)").arg(httpStatus);
}

} // namespace Outpost::App
