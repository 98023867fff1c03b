#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

// What the servers list shows for one server.
struct ServerHealth
{
    enum class State { Unknown, Up, Down, Stopped };
    State state = State::Unknown;
    QString version;           // empty when not known
    qint64 latencyMs = -1;     // of the last /healthz
    int failingPipelines = -1; // -1 when not signed in there
    QString reason;            // why it is down, in plain words
    QString detail;            // Qt's own error text, for the tooltip
    QDateTime checkedAt;
};

// Polls every server of the list in the background, politely: one request at a time per
// server, GET /healthz (up/down and latency) and, now and then, the version (/v1/admin/info
// when signed in as an admin there, else the outpost_build_info line of /metrics), and with a
// signed-in client the number of pipelines whose last run failed.
class HealthMonitor final : public QObject
{
    Q_OBJECT

public:
    explicit HealthMonitor(QObject *parent = nullptr);
    ~HealthMonitor() override;

    static constexpr int kDefaultIntervalMs = 20'000;
    static constexpr int kTimeoutMs = 10'000;

    void setInterval(int ms);
    void setTimeout(int ms) { m_timeoutMs = ms; }
    // The servers to watch (id -> base URL); an empty URL is a stopped server (the offline
    // server before it started). Unknown ids are dropped.
    void setTargets(const QHash<QString, QUrl> &targets);
    void setUrl(const QString &id, const QUrl &url);
    // The signed-in client of a server (nullptr: none), for failing pipelines and version.
    void setClient(const QString &id, Client::ApiClient *client);
    // A server's certificate key pin (see RecentConnections::pin()), accepted like the client.
    void setPin(const QString &id, const QByteArray &pin);

    ServerHealth health(const QString &id) const { return m_servers.value(id).health; }
    // Checks every server that has no check under way, now.
    void checkNow();

    // "connection refused", "server name not found (DNS)", ...: the reason a request failed.
    static QString describe(QNetworkReply::NetworkError error, int httpStatus, bool timedOut);

Q_SIGNALS:
    void healthChanged(const QString &id);

private:
    struct Server
    {
        QUrl url;
        QByteArray pin;
        QPointer<Client::ApiClient> client;
        ServerHealth health;
        bool busy = false;
        int checks = 0;         // the version is asked every kVersionEvery checks
        quint64 generation = 0; // a new URL discards answers for the old one
    };
    static constexpr int kVersionEvery = 10;

    void check(const QString &id);
    void get(const QString &id, const QString &path,
        const std::function<void(QNetworkReply *, bool timedOut)> &done);
    void fetchVersion(const QString &id, quint64 generation, bool asAdmin = true);
    void countFailing(const QString &id, quint64 generation);
    void finish(const QString &id, quint64 generation);
    bool current(const QString &id, quint64 generation) const;

    QNetworkAccessManager *m_network;
    QTimer m_timer;
    int m_timeoutMs = kTimeoutMs;
    QHash<QString, Server> m_servers;
};

} // namespace Outpost::App
