#pragma once

#include "models/subscription.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

// Creates a subscription (kind, URL or address, events, description) or changes one (events,
// description, on or off). The events are a checkable list of the known types plus free text
// for patterns ("file.*", "*"). Field errors from the server appear beneath their fields.
class SubscriptionDialog final : public QDialog
{
    Q_OBJECT

public:
    // `existing` null: a new subscription.
    SubscriptionDialog(
        Client::ApiClient *client, const Subscription *existing, QWidget *parent = nullptr);

    // The event types the server publishes, as offered in the list.
    static QStringList knownEvents();

Q_SIGNALS:
    // The server's answer: with "secret" for a new webhook subscription.
    void saved(const Outpost::Subscription &subscription);

private:
    void save();
    QStringList chosenEvents() const;
    void updateKind();

    QPointer<Client::ApiClient> m_client;
    qint64 m_id = 0;
    QString m_originalTarget;
    QComboBox *m_kind;
    QLabel *m_targetLabel;
    QLineEdit *m_target;
    QListWidget *m_events;
    QLineEdit *m_patterns;
    QLineEdit *m_description;
    QCheckBox *m_enabled;
    QLabel *m_targetError;
    QLabel *m_eventsError;
    QLabel *m_error;
};

// Shows a webhook's signing secret once, with a Copy button and words that say it will not be
// shown again. Non-modal, deletes itself on close.
QDialog *showSecretDialog(QWidget *parent, const QString &secret, const QString &title);

} // namespace Outpost::App
