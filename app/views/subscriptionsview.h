#pragma once

#include "view.h"

#include "models/subscription.h"

#include <QPointer>

class QAction;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace Outpost::App {

class DeliveriesModel;
class SubscriptionsModel;

// Subscriptions to events (webhooks and e-mail): list (admins: everyone's, with the owner),
// create (a webhook's secret shown once), edit, delete, rotate the secret, send a test; and
// the selected subscription's deliveries, where a failed one shows the receiver's answer and
// can be sent again.
class SubscriptionsView final : public View
{
    Q_OBJECT

public:
    explicit SubscriptionsView(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client) override;
    void refresh() override;
    void createNew() override;
    void deleteSelected() override;
    // Admins see everyone's subscriptions, with an owner column.
    void setAdmin(bool admin);

    SubscriptionsModel *subscriptionsModel() const { return m_subscriptions; }
    DeliveriesModel *deliveriesModel() const { return m_deliveries; }
    void selectSubscription(qint64 id);
    void selectDelivery(qint64 id);
    void editSelected();
    void sendTest();
    void rotateSecret();
    void retryDelivery();

protected:
    // The server sends no events for subscriptions: a list shown again is reloaded.
    void showEvent(QShowEvent *event) override;

private:
    const Subscription *currentSubscription() const;
    void showDelivery();
    void updateActions();
    void updateHints();

    QPointer<Client::ApiClient> m_client;
    bool m_endpointMissing = false;
    qint64 m_keepDelivery = 0; // selected again when the deliveries are reloaded
    SubscriptionsModel *m_subscriptions;
    DeliveriesModel *m_deliveries;
    QTableView *m_subscriptionTable;
    QTableView *m_deliveryTable;
    QPlainTextEdit *m_detail;
    QLabel *m_emptyHint;
    QLabel *m_deliveriesHint;
    QAction *m_new;
    QAction *m_edit;
    QAction *m_test;
    QAction *m_rotate;
    QAction *m_delete;
    QAction *m_retry;
    QAction *m_refresh;
};

} // namespace Outpost::App
