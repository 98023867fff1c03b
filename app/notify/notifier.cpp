#include "notifier.h"

#include "client/apiclient.h"
#include "client/pipelinesresource.h"
#include "client/subscriptionsresource.h"
#include "client/usersresource.h"

#include <QSettings>

namespace Outpost::App {

NotificationChoices NotificationChoices::load()
{
    QSettings settings;
    NotificationChoices choices;
    choices.runFailed = settings.value(QStringLiteral("notify/runFailed"), true).toBool();
    choices.userRegistered = settings.value(QStringLiteral("notify/userRegistered"), true).toBool();
    choices.deliveryFailed = settings.value(QStringLiteral("notify/deliveryFailed"), true).toBool();
    return choices;
}

void NotificationChoices::save() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("notify/runFailed"), runFailed);
    settings.setValue(QStringLiteral("notify/userRegistered"), userRegistered);
    settings.setValue(QStringLiteral("notify/deliveryFailed"), deliveryFailed);
}

Notifier::Notifier(QObject *parent)
    : QObject(parent)
    , m_choices(NotificationChoices::load())
{
    m_deliveryPoll.setInterval(kDeliveryPollMs);
    connect(&m_deliveryPoll, &QTimer::timeout, this, &Notifier::checkDeliveries);
}

void Notifier::setClient(
    const QString &serverId, const QString &serverName, Client::ApiClient *client)
{
    m_client = client;
    m_serverId = serverId;
    m_serverName = serverName;
    ++m_generation;
    m_deliveriesBusy = false;
    if (client) {
        m_deliveryPoll.start();
        checkDeliveries(); // the baseline
    } else {
        m_deliveryPoll.stop();
    }
}

QString Notifier::keyOf(const Notification &notification, qint64 uniqueId)
{
    return QStringLiteral("%1/%2/%3")
        .arg(notification.serverId)
        .arg(int(notification.kind))
        .arg(uniqueId < 0 ? notification.itemId : uniqueId);
}

void Notifier::emitOnce(const Notification &notification, qint64 uniqueId)
{
    const QString key = keyOf(notification, uniqueId);
    if (m_notified.contains(key))
        return;
    m_notified.insert(key);
    Q_EMIT notify(notification);
}

void Notifier::handleEvent(const QString &type, qint64 id)
{
    if (!m_client)
        return;
    const QString serverId = m_serverId;
    const QString server = m_serverName;
    if (m_choices.runFailed
        && (type == QLatin1String("run.updated") || type == QLatin1String("run.created"))) {
        m_client->pipelines().run(id).then(
            this, [this, serverId, server](const Client::ApiResult<Run> &run) {
                if (!run || serverId != m_serverId)
                    return;
                if (run->conclusion != QLatin1String("failure")
                    && run->conclusion != QLatin1String("timed_out"))
                    return;
                m_client->pipelines()
                    .get(run->pipelineId)
                    .then(this,
                        [this, serverId, server, run = *run](const Client::ApiResult<Pipeline> &p) {
                            const QString name =
                                p ? p->name : tr("pipeline %1").arg(run.pipelineId);
                            emitOnce({Notification::Kind::RunFailed, serverId, run.id,
                                tr("Run #%1 of %2 failed").arg(run.runNumber).arg(name),
                                run.conclusion == QLatin1String("timed_out")
                                    ? tr("On %1: the run timed out.").arg(server)
                                    : tr("On %1: the run ended in failure.").arg(server)});
                        });
            });
        return;
    }
    if (m_choices.userRegistered && type == QLatin1String("user.created")) {
        m_client->users().get(id).then(
            this, [this, serverId, server](const Client::ApiResult<User> &user) {
                if (!user || serverId != m_serverId)
                    return;
                emitOnce({Notification::Kind::UserRegistered, serverId, user->id,
                    tr("New account: %1").arg(user->email),
                    tr("On %1: a new user registered.").arg(server)});
            });
    }
}

void Notifier::checkDeliveries()
{
    if (!m_client || m_deliveriesBusy || !m_choices.deliveryFailed)
        return;
    m_deliveriesBusy = true;
    const quint64 generation = m_generation;
    m_client->subscriptions().list({100, 0}).then(
        this, [this, generation](const Client::ApiResult<Page<Subscription>> &page) {
            if (generation != m_generation)
                return;
            QList<qint64> webhooks;
            if (page) {
                for (const Subscription &subscription : page->items)
                    webhooks.append(subscription.id);
            }
            checkSubscription(webhooks, 0, generation);
        });
}

void Notifier::checkSubscription(const QList<qint64> &subscriptions, int index, quint64 generation)
{
    if (index >= subscriptions.size()) {
        m_deliveriesLooked.insert(m_serverId);
        m_deliveriesBusy = false;
        return;
    }
    const qint64 subscription = subscriptions.at(index);
    m_client->subscriptions()
        .deliveries(subscription, {20, 0})
        .then(this,
            [this, subscriptions, index, generation, subscription](
                const Client::ApiResult<Page<SubscriptionDelivery>> &page) {
                if (generation != m_generation)
                    return;
                // The first look only learns the failures that were there before.
                const bool firstLook = !m_deliveriesLooked.contains(m_serverId);
                for (const SubscriptionDelivery &delivery :
                    page ? page->items : QList<SubscriptionDelivery>()) {
                    if (delivery.status != QLatin1String("failed"))
                        continue;
                    Notification notification {Notification::Kind::DeliveryFailed, m_serverId,
                        subscription, tr("A webhook delivery failed"),
                        tr("On %1: %2 could not be delivered (%3).")
                            .arg(m_serverName, delivery.event,
                                delivery.lastError.isEmpty()
                                    ? tr("HTTP %1").arg(delivery.responseCode)
                                    : delivery.lastError)};
                    if (firstLook) {
                        m_notified.insert(keyOf(notification, delivery.id));
                    } else {
                        emitOnce(notification, delivery.id);
                    }
                }
                checkSubscription(subscriptions, index + 1, generation);
            });
}

} // namespace Outpost::App
