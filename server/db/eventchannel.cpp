#include "eventchannel.h"

#include "dblog.h"

#include <QPointer>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <atomic>
#include <optional>

namespace Outpost::Server {

namespace {

const QString kChannel = QStringLiteral("outpost_events");
constexpr int kHealthCheckMs = 2000;
std::atomic<int> g_nextChannel {1};

} // namespace

class EventChannelWorker final : public QObject
{
public:
    EventChannelWorker(DatabaseUrl url, std::function<void(const QByteArray &)> receive)
        : m_url(std::move(url))
        , m_receive(std::move(receive))
        , m_name(QStringLiteral("outpost.events.%1").arg(g_nextChannel.fetch_add(1)))
    { }

    // In the worker thread.
    void start()
    {
        m_timer = new QTimer(this);
        m_timer->setInterval(kHealthCheckMs);
        connect(m_timer, &QTimer::timeout, this, &EventChannelWorker::check);
        m_timer->start();
        connectAndListen();
    }

    void stop()
    {
        if (m_timer)
            m_timer->stop();
        m_notify.reset();
        if (QSqlDatabase::contains(m_name)) {
            {
                QSqlDatabase db = QSqlDatabase::database(m_name, false);
                if (db.isOpen() && db.driver())
                    db.driver()->unsubscribeFromNotification(kChannel);
                db.close();
            }
            QSqlDatabase::removeDatabase(m_name);
        }
    }

    void send(const QByteArray &payload)
    {
        if (!m_listening && !connectAndListen())
            return;
        // Prepared once per connection: each event is then one round trip (EXECUTE), not
        // three (PREPARE, EXECUTE, DEALLOCATE, as a fresh QSqlQuery costs on PostgreSQL).
        if (!m_notify) {
            m_notify.emplace(QSqlDatabase::database(m_name, false));
            if (!m_notify->prepare(QStringLiteral("SELECT pg_notify(?, ?)"))) {
                qCWarning(lcDb).noquote()
                    << "cannot send an event to other replicas:" << m_notify->lastError().text();
                m_notify.reset();
                m_listening = false;
                return;
            }
        }
        m_notify->bindValue(0, kChannel);
        m_notify->bindValue(1, QString::fromUtf8(payload));
        if (!m_notify->exec()) {
            qCWarning(lcDb).noquote()
                << "cannot send an event to other replicas:" << m_notify->lastError().text();
            m_notify.reset();
            m_listening = false;
            return;
        }
        m_notify->finish();
    }

private:
    bool connectAndListen()
    {
        QSqlDatabase db = QSqlDatabase::contains(m_name)
            ? QSqlDatabase::database(m_name, false)
            : QSqlDatabase::addDatabase(m_url.qtDriverName(), m_name);
        m_notify.reset(); // prepared on the connection about to be closed
        if (db.isOpen())
            db.close();
        db.setHostName(m_url.host);
        db.setPort(m_url.port);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        db.setDatabaseName(m_url.database);
        QStringList options;
        for (auto it = m_url.options.cbegin(); it != m_url.options.cend(); ++it)
            options.append(it.key() + u'=' + it.value());
        db.setConnectOptions(options.join(u';'));
        if (!db.open()) {
            if (!m_warned)
                qCWarning(lcDb).noquote()
                    << "event channel: cannot connect -" << db.lastError().text();
            m_warned = true;
            return false;
        }
        if (!db.driver()->subscribeToNotification(kChannel)) {
            qCWarning(lcDb).noquote()
                << "event channel: LISTEN failed -" << db.driver()->lastError().text();
            return false;
        }
        if (m_subscribed != db.driver()) {
            connect(db.driver(), &QSqlDriver::notification, this,
                [this](const QString &name, QSqlDriver::NotificationSource source,
                    const QVariant &payload) {
                    if (name != kChannel || source == QSqlDriver::SelfSource)
                        return;
                    m_receive(payload.toString().toUtf8());
                });
            m_subscribed = db.driver();
        }
        m_listening = true;
        if (m_warned)
            qCInfo(lcDb) << "event channel: listening again";
        m_warned = false;
        return true;
    }

    void check()
    {
        if (m_listening) {
            QSqlQuery query(QSqlDatabase::database(m_name, false));
            if (query.exec(QStringLiteral("SELECT 1")))
                return;
            qCWarning(lcDb).noquote()
                << "event channel: connection lost -" << query.lastError().text();
            m_listening = false;
        }
        connectAndListen();
    }

    DatabaseUrl m_url;
    std::function<void(const QByteArray &)> m_receive;
    QString m_name;
    QTimer *m_timer = nullptr;
    QPointer<QSqlDriver> m_subscribed;
    std::optional<QSqlQuery> m_notify; // SELECT pg_notify(?, ?), prepared on this connection
    bool m_listening = false;
    bool m_warned = false;
};

PgEventChannel::PgEventChannel(
    const DatabaseUrl &url, std::function<void(const QByteArray &)> receive)
    : m_worker(new EventChannelWorker(url, std::move(receive)))
{
    m_thread.setObjectName(QStringLiteral("event-channel"));
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->start(); });
}

PgEventChannel::~PgEventChannel()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void PgEventChannel::send(const QByteArray &payload)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, payload] { worker->send(payload); });
}

} // namespace Outpost::Server
