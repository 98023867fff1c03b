#pragma once

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

// A desktop notification: what happened, on which server, and the item to open on a click.
struct Notification
{
    enum class Kind { RunFailed, UserRegistered, DeliveryFailed };
    Kind kind = Kind::RunFailed;
    QString serverId;
    qint64 itemId = 0; // the run, the user, the subscription
    QString title;
    QString message;
};

// Which notifications the user wants (Settings ▸ Notifications), kept in QSettings.
struct NotificationChoices
{
    bool runFailed = true;
    bool userRegistered = true;
    bool deliveryFailed = true;

    static NotificationChoices load();
    void save() const;
};

// Decides what to notify, apart from how it is shown (the tray only displays): a run that
// ended in failure or timed out (run.created/run.updated on the event stream), a new account
// (user.created), and a webhook delivery that failed (the subscriptions' deliveries, looked at
// every minute, one request at a time). Each run, user and delivery is notified once.
class Notifier final : public QObject
{
    Q_OBJECT

public:
    explicit Notifier(QObject *parent = nullptr);

    static constexpr int kDeliveryPollMs = 60'000;

    // The signed-in client of the current server (nullptr: none).
    void setClient(const QString &serverId, const QString &serverName, Client::ApiClient *client);
    void setChoices(const NotificationChoices &choices) { m_choices = choices; }
    NotificationChoices choices() const { return m_choices; }
    void setDeliveryPollInterval(int ms) { m_deliveryPoll.setInterval(ms); }

    // An event from the session's stream.
    void handleEvent(const QString &type, qint64 id);
    // Looks at the webhook deliveries now.
    void checkDeliveries();

Q_SIGNALS:
    void notify(const Outpost::App::Notification &notification);

private:
    // Once per item (or per `uniqueId` when given, e.g. a delivery of a subscription).
    void emitOnce(const Notification &notification, qint64 uniqueId = -1);
    void checkSubscription(const QList<qint64> &subscriptions, int index, quint64 generation);
    static QString keyOf(const Notification &notification, qint64 uniqueId);

    QPointer<Client::ApiClient> m_client;
    QString m_serverId;
    QString m_serverName;
    NotificationChoices m_choices;
    QSet<QString> m_notified; // "<server>/<kind>/<id>"
    QTimer m_deliveryPoll;
    bool m_deliveriesBusy = false;
    quint64 m_generation = 0;
    QSet<QString> m_deliveriesLooked; // servers whose failed deliveries are known
};

} // namespace Outpost::App
