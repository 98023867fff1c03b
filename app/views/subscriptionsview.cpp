#include "subscriptionsview.h"

#include "client/apiclient.h"
#include "models/deliveriesmodel.h"
#include "models/modelformat.h"
#include "models/subscriptionsmodel.h"
#include "subscriptiondialog.h"
#include "viewsupport.h"

#include <QAction>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace Outpost::App {

namespace {

// While a shown delivery is pending, the list is read again this often (the server sends no
// events for deliveries).
constexpr int kPendingPollMs = 1'000;

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    setupTable(table);
    table->setContextMenuPolicy(Qt::ActionsContextMenu);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QLabel *hint(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setStyleSheet(QStringLiteral("color: #6b7280; padding: 12px;"));
    return label;
}

} // namespace

SubscriptionsView::SubscriptionsView(QWidget *parent)
    : View(parent)
    , m_subscriptions(new SubscriptionsModel(this))
    , m_deliveries(new DeliveriesModel(this))
    , m_subscriptionTable(makeTable(m_subscriptions, QStringLiteral("subscriptionsTable"), this))
    , m_deliveryTable(makeTable(m_deliveries, QStringLiteral("deliveriesTable"), this))
    , m_detail(new QPlainTextEdit(this))
    , m_emptyHint(hint(QStringLiteral("subscriptionsHint"), this))
    , m_deliveriesHint(hint(QStringLiteral("deliveriesHint"), this))
    , m_new(new QAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&New subscription…"), this))
    , m_edit(new QAction(QIcon(QStringLiteral(":/icons/edit.svg")), tr("&Edit…"), this))
    , m_test(new QAction(QIcon(QStringLiteral(":/icons/run.svg")), tr("Send &test"), this))
    , m_rotate(new QAction(tr("Rotate &secret…"), this))
    , m_delete(new QAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Delete"), this))
    , m_retry(new QAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("Re&try"), this))
    , m_refresh(new QAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Refresh"), this))
{
    setObjectName(QStringLiteral("subscriptionsView"));
    m_test->setObjectName(QStringLiteral("sendTest"));
    m_retry->setObjectName(QStringLiteral("retry"));
    m_detail->setObjectName(QStringLiteral("deliveryDetail"));
    m_detail->setAccessibleName(tr("Delivery details"));
    m_subscriptionTable->setAccessibleName(tr("Subscriptions"));
    m_deliveryTable->setAccessibleName(tr("Deliveries"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFont(QStringLiteral("monospace")));
    m_detail->setPlaceholderText(
        tr("Select a delivery to see the receiver's answer: its status code, the start of its "
           "body and the last error."));
    m_emptyHint->hide();

    // The target and the event take what room there is (elided, with the whole text as a
    // tooltip) rather than pushing the other columns out of sight.
    QHeaderView *columns = m_subscriptionTable->horizontalHeader();
    columns->setStretchLastSection(false);
    columns->setSectionResizeMode(SubscriptionsModel::Target, QHeaderView::Stretch);
    m_subscriptionTable->setColumnWidth(SubscriptionsModel::Kind, 75);
    m_subscriptionTable->setColumnWidth(SubscriptionsModel::Events, 150);
    m_subscriptionTable->setColumnWidth(SubscriptionsModel::Enabled, 70);
    m_subscriptionTable->setColumnWidth(SubscriptionsModel::LastDelivery, 165);
    m_subscriptionTable->setColumnWidth(SubscriptionsModel::Description, 130);
    m_subscriptionTable->setColumnHidden(SubscriptionsModel::Owner, true);
    columns = m_deliveryTable->horizontalHeader();
    columns->setStretchLastSection(false);
    columns->setSectionResizeMode(DeliveriesModel::Event, QHeaderView::Stretch);
    m_deliveryTable->setColumnWidth(DeliveriesModel::Status, 90);
    m_deliveryTable->setColumnWidth(DeliveriesModel::Attempts, 65);
    m_deliveryTable->setColumnWidth(DeliveriesModel::Response, 70);
    m_deliveryTable->setColumnWidth(DeliveriesModel::Latency, 60);
    m_deliveryTable->setColumnWidth(DeliveriesModel::NextAttempt, 145);
    m_deliveryTable->setColumnWidth(DeliveriesModel::Created, 145);
    rememberColumns(m_subscriptionTable->horizontalHeader(), QStringLiteral("subscriptionsTable"));
    rememberColumns(m_deliveryTable->horizontalHeader(), QStringLiteral("deliveriesTable"));

    m_subscriptionTable->addActions({m_edit, m_test, m_rotate, m_delete});
    m_deliveryTable->addActions({m_retry});

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_new, m_edit, m_test, m_rotate, m_delete});
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_emptyHint);
    topLayout->addWidget(m_subscriptionTable);

    auto *deliveriesBox = new QGroupBox(tr("Deliveries"), this);
    auto *deliveriesBar = new QToolBar(deliveriesBox);
    deliveriesBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    deliveriesBar->addAction(m_retry);
    auto *deliveriesSplit = new QSplitter(Qt::Horizontal, deliveriesBox);
    auto *list = new QWidget(deliveriesSplit);
    auto *listLayout = new QVBoxLayout(list);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_deliveriesHint);
    listLayout->addWidget(m_deliveryTable);
    deliveriesSplit->addWidget(list);
    deliveriesSplit->addWidget(m_detail);
    deliveriesSplit->setSizes({720, 280});
    auto *deliveriesLayout = new QVBoxLayout(deliveriesBox);
    deliveriesLayout->addWidget(deliveriesBar);
    deliveriesLayout->addWidget(deliveriesSplit, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(deliveriesBox);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);

    connect(m_new, &QAction::triggered, this, &SubscriptionsView::createNew);
    connect(m_edit, &QAction::triggered, this, &SubscriptionsView::editSelected);
    connect(m_test, &QAction::triggered, this, &SubscriptionsView::sendTest);
    connect(m_rotate, &QAction::triggered, this, &SubscriptionsView::rotateSecret);
    connect(m_delete, &QAction::triggered, this, &SubscriptionsView::deleteSelected);
    connect(m_retry, &QAction::triggered, this, &SubscriptionsView::retryDelivery);
    connect(m_refresh, &QAction::triggered, this, &SubscriptionsView::refresh);
    connect(
        m_subscriptionTable, &QTableView::doubleClicked, this, &SubscriptionsView::editSelected);
    for (PagedTableModel *model : {static_cast<PagedTableModel *>(m_subscriptions),
             static_cast<PagedTableModel *>(m_deliveries)})
        connect(model, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    connect(m_subscriptions, &PagedTableModel::endpointMissing, this, [this] {
        m_endpointMissing = true;
        updateHints();
    });
    connect(m_subscriptions, &PagedTableModel::loaded, this, &SubscriptionsView::updateHints);
    connect(m_subscriptions, &QAbstractItemModel::modelReset, this, [this] {
        m_deliveries->setSubscription(0);
        updateActions();
        updateHints();
    });
    connect(
        m_subscriptions, &QAbstractItemModel::dataChanged, this, &SubscriptionsView::updateActions);
    connect(m_subscriptionTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (m_deliveries->client() != m_client)
                m_deliveries->setClient(m_client);
            m_deliveries->setSubscription(
                current.isValid() ? m_subscriptions->idAt(current.row()) : 0);
            updateActions();
            updateHints();
        });
    connect(
        m_deliveryTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
            showDelivery();
            updateActions();
        });
    // A pending delivery is watched until it is delivered or has failed; the row selected
    // stays selected across the reloads.
    auto *poll = new QTimer(this);
    poll->setSingleShot(true);
    poll->setInterval(kPendingPollMs);
    connect(poll, &QTimer::timeout, this, [this] {
        if (isVisible() && m_deliveries->subscriptionId() != 0)
            m_deliveries->refresh();
    });
    connect(m_deliveries, &PagedTableModel::modelAboutToBeReset, this, [this] {
        const QModelIndex current = m_deliveryTable->currentIndex();
        m_keepDelivery = current.isValid() ? m_deliveries->idAt(current.row()) : 0;
    });
    connect(m_deliveries, &PagedTableModel::loaded, this, [this, poll] {
        if (const int row = m_deliveries->rowOfId(m_keepDelivery); row >= 0)
            m_deliveryTable->setCurrentIndex(m_deliveries->index(row, 0));
        bool pending = false;
        for (int row = 0; row < m_deliveries->rowCount(); ++row)
            pending = pending || m_deliveries->itemAt(row)->status == QLatin1String("pending");
        if (pending)
            poll->start();
        m_subscriptions->refreshLastDelivery(m_deliveries->subscriptionId());
        showDelivery();
        updateHints();
    });
    updateActions();
    updateHints();
}

void SubscriptionsView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_endpointMissing = false;
    m_subscriptions->forgetLookups();
    m_subscriptions->setClient(client);
    m_deliveries->setClient(nullptr);
    m_deliveries->setSubscription(0);
}

void SubscriptionsView::setAdmin(bool admin)
{
    m_subscriptions->setShowOwners(admin);
    m_subscriptionTable->setColumnHidden(SubscriptionsModel::Owner, !admin);
    if (admin)
        m_subscriptionTable->setColumnWidth(SubscriptionsModel::Owner, 175);
    if (m_client && isVisible())
        refresh();
}

void SubscriptionsView::showEvent(QShowEvent *event)
{
    View::showEvent(event);
    if (m_client)
        refresh();
}

void SubscriptionsView::refresh()
{
    const Subscription *current = currentSubscription();
    const qint64 id = current ? current->id : 0;
    m_subscriptions->refresh();
    if (id != 0) {
        // Selected again once the list is back.
        auto *once = new QObject(this);
        connect(m_subscriptions, &PagedTableModel::loaded, once, [this, id, once] {
            once->deleteLater();
            selectSubscription(id);
        });
    }
}

const Subscription *SubscriptionsView::currentSubscription() const
{
    const QModelIndex index = m_subscriptionTable->currentIndex();
    return index.isValid() ? m_subscriptions->itemAt(index.row()) : nullptr;
}

void SubscriptionsView::selectSubscription(qint64 id)
{
    const int row = m_subscriptions->rowOfId(id);
    if (row >= 0)
        m_subscriptionTable->setCurrentIndex(m_subscriptions->index(row, 0));
}

void SubscriptionsView::selectDelivery(qint64 id)
{
    const int row = m_deliveries->rowOfId(id);
    if (row >= 0)
        m_deliveryTable->setCurrentIndex(m_deliveries->index(row, 0));
}

void SubscriptionsView::updateActions()
{
    const Subscription *subscription = currentSubscription();
    for (QAction *action : {m_edit, m_test, m_delete})
        action->setEnabled(subscription != nullptr);
    m_rotate->setEnabled(subscription && subscription->kind == SubscriptionKinds::webhook);
    m_retry->setEnabled(m_deliveryTable->currentIndex().isValid());
}

void SubscriptionsView::updateHints()
{
    const bool none = m_subscriptions->rowCount() == 0 && !m_subscriptions->isLoading();
    m_emptyHint->setText(m_endpointMissing
            ? tr("This server does not offer subscriptions.")
            : tr("No subscriptions yet. Use “New subscription…” to have events such as "
                 "post.created or run.* sent to a webhook (a signed HTTP POST) or an e-mail "
                 "address."));
    m_emptyHint->setVisible(m_subscriptions->client() && (none || m_endpointMissing));
    if (!currentSubscription()) {
        m_deliveriesHint->setText(
            none ? QString() : tr("Select a subscription to see its deliveries."));
    } else if (m_deliveries->rowCount() == 0 && !m_deliveries->isLoading()) {
        m_deliveriesHint->setText(
            tr("No deliveries yet. “Send test” sends a ping event to this subscription."));
    } else {
        m_deliveriesHint->clear();
    }
    m_deliveriesHint->setVisible(!m_deliveriesHint->text().isEmpty());
}

void SubscriptionsView::showDelivery()
{
    const QModelIndex index = m_deliveryTable->currentIndex();
    const SubscriptionDelivery *delivery =
        index.isValid() ? m_deliveries->itemAt(index.row()) : nullptr;
    if (!delivery) {
        m_detail->clear();
        return;
    }
    QStringList lines;
    lines << tr("Event: %1").arg(delivery->event) << tr("Message id: %1").arg(delivery->messageId)
          << tr("Status: %1, attempts: %2")
                 .arg(SubscriptionsModel::statusText(delivery->status))
                 .arg(delivery->attempts);
    if (delivery->responseCode > 0) {
        lines << (delivery->latencyMs >= 0
                ? tr("The receiver answered HTTP %1 in %2.")
                      .arg(delivery->responseCode)
                      .arg(displayDuration(delivery->latencyMs))
                : tr("The receiver answered HTTP %1.").arg(delivery->responseCode));
    } else if (delivery->attempts > 0) {
        lines << tr("No HTTP answer from the receiver.");
    }
    if (!delivery->lastError.isEmpty())
        lines << tr("Last error: %1").arg(delivery->lastError);
    if (delivery->nextAttemptAt.isValid())
        lines << tr("Next attempt: %1").arg(displayTime(delivery->nextAttemptAt));
    if (!delivery->responseBody.isEmpty())
        lines << QString() << tr("Response body (start):") << delivery->responseBody;
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

void SubscriptionsView::createNew()
{
    if (!m_client)
        return;
    auto *dialog = new SubscriptionDialog(m_client, nullptr, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SubscriptionDialog::saved, this, [this](const Subscription &subscription) {
        if (!subscription.secret.isEmpty())
            showSecretDialog(this, subscription.secret, tr("Webhook subscription created"));
        Q_EMIT statusMessage(tr("Subscription created"));
        const qint64 id = subscription.id;
        m_subscriptions->refresh();
        auto *once = new QObject(this);
        connect(m_subscriptions, &PagedTableModel::loaded, once, [this, id, once] {
            once->deleteLater();
            selectSubscription(id);
        });
    });
    dialog->open();
}

void SubscriptionsView::editSelected()
{
    const Subscription *subscription = currentSubscription();
    if (!m_client || !subscription)
        return;
    auto *dialog = new SubscriptionDialog(m_client, subscription, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SubscriptionDialog::saved, this, [this](const Subscription &saved) {
        m_subscriptions->refreshRow(saved.id);
        Q_EMIT statusMessage(tr("Subscription saved"));
    });
    dialog->open();
}

void SubscriptionsView::deleteSelected()
{
    const Subscription *subscription = currentSubscription();
    if (!m_client || !subscription)
        return;
    const qint64 id = subscription->id;
    confirm(this, tr("Delete subscription"),
        tr("Delete the subscription to %1? Its pending deliveries are dropped; this cannot be "
           "undone.")
            .arg(subscription->target),
        [this, id] {
            m_client->subscriptions().remove(id).then(
                this, [this, id](const Client::ApiResult<void> &removed) {
                    if (!removed) {
                        Q_EMIT errorOccurred(removed.error().text());
                        return;
                    }
                    m_subscriptions->removeId(id);
                    m_deliveries->setSubscription(0);
                    updateActions();
                    updateHints();
                    Q_EMIT statusMessage(tr("Subscription deleted"));
                });
        });
}

void SubscriptionsView::sendTest()
{
    const Subscription *subscription = currentSubscription();
    if (!m_client || !subscription)
        return;
    const qint64 id = subscription->id;
    m_client->subscriptions().test(id).then(
        this, [this, id](const Client::ApiResult<SubscriptionDelivery> &queued) {
            if (!queued) {
                Q_EMIT errorOccurred(queued.error().text());
                return;
            }
            Q_EMIT statusMessage(tr("Test event queued"));
            if (m_deliveries->subscriptionId() == id) {
                m_deliveries->refresh();
                m_keepDelivery = queued->id; // after the reset, which keeps the current one
            }
        });
}

void SubscriptionsView::rotateSecret()
{
    const Subscription *subscription = currentSubscription();
    if (!m_client || !subscription || subscription->kind != SubscriptionKinds::webhook)
        return;
    const qint64 id = subscription->id;
    confirm(this, tr("Rotate secret"),
        tr("Give the webhook to %1 a new signing secret? For 24 hours every delivery carries "
           "both signatures, the new and the old, so the receiver can switch over.")
            .arg(subscription->target),
        [this, id] {
            m_client->subscriptions().rotateSecret(id).then(
                this, [this](const Client::ApiResult<Subscription> &rotated) {
                    if (!rotated) {
                        Q_EMIT errorOccurred(rotated.error().text());
                        return;
                    }
                    showSecretDialog(this, rotated->secret, tr("New signing secret"));
                });
        });
}

void SubscriptionsView::retryDelivery()
{
    const QModelIndex index = m_deliveryTable->currentIndex();
    const SubscriptionDelivery *delivery =
        index.isValid() ? m_deliveries->itemAt(index.row()) : nullptr;
    if (!m_client || !delivery)
        return;
    const qint64 subscriptionId = delivery->subscriptionId;
    m_client->subscriptions()
        .retry(subscriptionId, delivery->id)
        .then(this, [this, subscriptionId](const Client::ApiResult<void> &retried) {
            if (!retried) {
                Q_EMIT errorOccurred(retried.error().text());
                return;
            }
            Q_EMIT statusMessage(tr("Delivery queued again"));
            if (m_deliveries->subscriptionId() == subscriptionId)
                m_deliveries->refresh();
        });
}

} // namespace Outpost::App
