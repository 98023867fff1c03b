// The Subscriptions view, offscreen, against the app's real embedded server and a real webhook
// receiver on 127.0.0.1 (tests/support/webhookreceiver.py, which checks every signature with
// its own HMAC): create a webhook through the dialog, the secret shown once, a signed test
// ping delivered, a failing receiver's answer shown, and a retry delivered.
#include "connection/connectdialog.h"
#include "connection/embeddedserver.h"
#include "connection/session.h"
#include "factories.h"
#include "mainwindow.h"
#include "models/deliveriesmodel.h"
#include "models/subscriptionsmodel.h"
#include "testserver.h"
#include "views/subscriptiondialog.h"
#include "views/subscriptionsview.h"
#include "webhookreceiver.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

constexpr int kWaitMs = 30'000;

// The row of the delivery of this event type (-1 if none).
int deliveryRow(const App::DeliveriesModel *model, const QString &event)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->itemAt(row)->event == event)
            return row;
    }
    return -1;
}

QString deliveryStatus(const App::DeliveriesModel *model, const QString &event)
{
    const int row = deliveryRow(model, event);
    return row < 0 ? QString() : model->itemAt(row)->status;
}

} // namespace

class TestAppSubscriptions final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    WebhookReceiver m_receiver;
    std::unique_ptr<App::MainWindow> m_window;
    App::SubscriptionsView *m_view = nullptr;

    // Fills in and accepts the new-subscription dialog; returns the secret it then shows.
    QString createWebhook(const QString &url, const QString &patterns)
    {
        m_view->createNew();
        App::SubscriptionDialog *dialog = nullptr;
        [&] {
            QTRY_VERIFY((dialog = m_window->findChild<App::SubscriptionDialog *>()) != nullptr);
        }();
        if (!dialog)
            return {};
        dialog->findChild<QLineEdit *>(QStringLiteral("target"))->setText(url);
        auto *events = dialog->findChild<QListWidget *>(QStringLiteral("events"));
        events->item(0)->setCheckState(Qt::Checked); // post.created
        dialog->findChild<QLineEdit *>(QStringLiteral("patterns"))->setText(patterns);
        dialog->findChild<QLineEdit *>(QStringLiteral("description"))
            ->setText(QStringLiteral("from the app test"));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QDialog *shown = nullptr;
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(
                (shown = m_window->findChild<QDialog *>(QStringLiteral("secretDialog"))) != nullptr,
                10'000);
        }();
        if (!shown)
            return {};
        const QString secret = shown->findChild<QLineEdit *>(QStringLiteral("secret"))->text();
        shown->close();
        return secret;
    }

    // Selects the subscription to `url` once it is listed.
    bool selectSubscription(const QString &url)
    {
        const App::SubscriptionsModel *model = m_view->subscriptionsModel();
        qint64 id = 0;
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    for (int row = 0; row < model->rowCount(); ++row) {
                        if (model->itemAt(row)->target == url)
                            id = model->idAt(row);
                    }
                    return id != 0;
                }(),
                10'000);
        }();
        m_view->selectSubscription(id);
        return id != 0 && m_view->deliveriesModel()->subscriptionId() == id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!m_receiver.start(why)) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL(qPrintable(why));
            QSKIP(qPrintable(why));
        }
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_data.isValid());
        m_window = std::make_unique<App::MainWindow>();
        m_window->setEmbeddedDataDir(m_data.path());
        m_window->setEmbeddedBcryptCost(4);
        // Plain http to 127.0.0.1, and a failed delivery given up after one quick retry.
        m_window->setEmbeddedSetting(
            QStringLiteral("WEBHOOK_ALLOW_PRIVATE"), QStringLiteral("true"));
        m_window->setEmbeddedSetting(
            QStringLiteral("WEBHOOK_RETRY_SCHEDULE"), QStringLiteral("1s"));
        m_window->setEmbeddedSetting(QStringLiteral("WEBHOOK_TIMEOUT"), QStringLiteral("5s"));
        m_window->resize(1200, 760);
        m_window->show();
        m_window->startEmbedded();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session() != nullptr, 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isAdmin(), 10'000);
        m_view = m_window->subscriptionsView();
        m_window->showView(m_view);
        // Nothing yet: the list says what to do instead of showing an empty table.
        auto *hint = m_view->findChild<QLabel *>(QStringLiteral("subscriptionsHint"));
        QTRY_VERIFY_WITH_TIMEOUT(hint->isVisible(), 10'000);
        QVERIFY(hint->text().contains(QStringLiteral("New subscription")));
    }

    void cleanupTestCase() { m_window.reset(); }

    void createdWebhookShowsItsSecretOnceAndATestIsDelivered()
    {
        const QString url = m_receiver.url(QStringLiteral("/ok"));
        const QString secret = createWebhook(url, QStringLiteral("file.*"));
        QVERIFY2(secret.startsWith(QStringLiteral("whsec_")), qPrintable(secret));
        m_receiver.addSecret(secret);
        QVERIFY(selectSubscription(url));
        const App::SubscriptionsModel *subscriptions = m_view->subscriptionsModel();
        const int row = subscriptions->rowOfId(m_view->deliveriesModel()->subscriptionId());
        QCOMPARE(subscriptions->index(row, App::SubscriptionsModel::Events).data().toString(),
            QStringLiteral("post.created, file.*"));
        QCOMPARE(subscriptions->itemAt(row)->secret, QString()); // never listed again
        // An admin sees whose subscription it is.
        auto *table = m_view->findChild<QTableView *>(QStringLiteral("subscriptionsTable"));
        QVERIFY(!table->isColumnHidden(App::SubscriptionsModel::Owner));
        QTRY_COMPARE(subscriptions->index(row, App::SubscriptionsModel::Owner).data().toString(),
            App::EmbeddedServer::localAdminEmail());

        m_view->findChild<QAction *>(QStringLiteral("sendTest"))->trigger();
        // The receiver got a ping signed with the secret the dialog showed ...
        QTRY_COMPARE_WITH_TIMEOUT(m_receiver.verified(QStringLiteral("/ok")).size(), 1, kWaitMs);
        const QJsonObject body = QJsonDocument::fromJson(m_receiver.verified(QStringLiteral("/ok"))
                                                             .first()
                                                             .value(QStringLiteral("body"))
                                                             .toString()
                                                             .toUtf8())
                                     .object();
        QCOMPARE(body.value(QStringLiteral("type")).toString(), QStringLiteral("ping"));
        // ... and the deliveries pane follows it to "delivered" without a manual refresh.
        const App::DeliveriesModel *deliveries = m_view->deliveriesModel();
        QTRY_COMPARE_WITH_TIMEOUT(deliveryStatus(deliveries, QStringLiteral("ping")),
            QStringLiteral("delivered"), kWaitMs);
        m_view->selectDelivery(deliveries->idAt(deliveryRow(deliveries, QStringLiteral("ping"))));
        auto *detail = m_view->findChild<QPlainTextEdit *>(QStringLiteral("deliveryDetail"));
        QTRY_VERIFY(detail->toPlainText().contains(QStringLiteral("HTTP 200")));
        QVERIFY(detail->toPlainText().contains(QStringLiteral("thanks")));
        QTRY_VERIFY(subscriptions->index(row, App::SubscriptionsModel::LastDelivery)
                        .data()
                        .toString()
                        .contains(QStringLiteral("delivered")));
    }

    void failedDeliveryShowsTheAnswerAndRetryDelivers()
    {
        // /gate answers 503 until it is opened.
        const QString url = m_receiver.url(QStringLiteral("/gate"));
        const QString secret = createWebhook(url, {});
        QVERIFY(secret.startsWith(QStringLiteral("whsec_")));
        m_receiver.addSecret(secret);
        QVERIFY(selectSubscription(url));
        m_view->sendTest();
        const App::DeliveriesModel *deliveries = m_view->deliveriesModel();
        QTRY_COMPARE_WITH_TIMEOUT(
            deliveryStatus(deliveries, QStringLiteral("ping")), QStringLiteral("failed"), kWaitMs);
        const int row = deliveryRow(deliveries, QStringLiteral("ping"));
        QCOMPARE(deliveries->index(row, App::DeliveriesModel::Attempts).data().toInt(), 2);
        QCOMPARE(deliveries->index(row, App::DeliveriesModel::Response).data().toInt(), 503);
        m_view->selectDelivery(deliveries->idAt(row));
        auto *detail = m_view->findChild<QPlainTextEdit *>(QStringLiteral("deliveryDetail"));
        QTRY_VERIFY(detail->toPlainText().contains(QStringLiteral("HTTP 503")));
        QVERIFY2(detail->toPlainText().contains(QStringLiteral("gate")),
            qPrintable(detail->toPlainText())); // the start of the receiver's body

        m_receiver.open();
        auto *retry = m_view->findChild<QAction *>(QStringLiteral("retry"));
        QVERIFY(retry->isEnabled());
        retry->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(deliveryStatus(deliveries, QStringLiteral("ping")),
            QStringLiteral("delivered"), kWaitMs);
        QTRY_VERIFY(detail->toPlainText().contains(QStringLiteral("HTTP 200")));
        QVERIFY(!m_receiver.verified(QStringLiteral("/gate")).isEmpty());
    }

    void editingTurnsASubscriptionOff()
    {
        const QString url = m_receiver.url(QStringLiteral("/ok"));
        QVERIFY(selectSubscription(url));
        m_view->editSelected();
        App::SubscriptionDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<App::SubscriptionDialog *>()) != nullptr);
        // The dialog shows what the subscription has: the known type ticked, the pattern as text.
        auto *events = dialog->findChild<QListWidget *>(QStringLiteral("events"));
        QCOMPARE(events->item(0)->checkState(), Qt::Checked);
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("patterns"))->text(),
            QStringLiteral("file.*"));
        auto *enabled = dialog->findChild<QCheckBox *>(QStringLiteral("enabled"));
        QVERIFY(enabled->isChecked());
        enabled->setChecked(false);
        dialog->findChild<QLineEdit *>(QStringLiteral("description"))
            ->setText(QStringLiteral("paused"));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        const App::SubscriptionsModel *model = m_view->subscriptionsModel();
        const int row = model->rowOfId(m_view->deliveriesModel()->subscriptionId());
        QTRY_COMPARE_WITH_TIMEOUT(
            model->index(row, App::SubscriptionsModel::Enabled).data().toString(),
            QStringLiteral("No"), 10'000);
        QCOMPARE(model->itemAt(row)->description, QStringLiteral("paused"));
        QCOMPARE(model->itemAt(row)->events,
            (QStringList {QStringLiteral("post.created"), QStringLiteral("file.*")}));
    }

    void rotatingShowsANewSecretAndDeleteAsksFirst()
    {
        const QString url = m_receiver.url(QStringLiteral("/gate"));
        QVERIFY(selectSubscription(url));
        m_view->rotateSecret();
        QMessageBox *box = nullptr;
        QTRY_VERIFY(
            (box = m_window->findChild<QMessageBox *>(QStringLiteral("confirm"))) != nullptr);
        box->button(QMessageBox::Yes)->click();
        QDialog *shown = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (shown = m_window->findChild<QDialog *>(QStringLiteral("secretDialog"))) != nullptr,
            10'000);
        const QString secret = shown->findChild<QLineEdit *>(QStringLiteral("secret"))->text();
        QVERIFY(secret.startsWith(QStringLiteral("whsec_")));
        shown->close();

        const int before = m_view->subscriptionsModel()->rowCount();
        m_view->deleteSelected();
        QTRY_VERIFY(
            (box = m_window->findChild<QMessageBox *>(QStringLiteral("confirm"))) != nullptr);
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(m_view->subscriptionsModel()->rowCount(), before - 1, 10'000);
    }

    void serverErrorsAreShownInTheDialog()
    {
        m_view->createNew();
        App::SubscriptionDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<App::SubscriptionDialog *>()) != nullptr);
        dialog->findChild<QLineEdit *>(QStringLiteral("target"))
            ->setText(QStringLiteral("ftp://example.com/hook"));
        dialog->findChild<QLineEdit *>(QStringLiteral("patterns"))
            ->setText(QStringLiteral("Not A Pattern"));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        auto *targetError = dialog->findChild<QLabel *>(QStringLiteral("targetError"));
        auto *eventsError = dialog->findChild<QLabel *>(QStringLiteral("eventsError"));
        QTRY_VERIFY_WITH_TIMEOUT(targetError->isVisible(), 10'000);
        QVERIFY(targetError->text().contains(QStringLiteral("https")));
        QVERIFY(eventsError->isVisible());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("error"))->isVisible());
        dialog->reject();
    }

    // The same view on a remote server, signed in as a plain user: their own list only, no
    // owner column, and a test delivered from that server.
    void worksOnARemoteServer()
    {
        TestServer remote;
        remote.setEnv(QStringLiteral("OUTPOST_WEBHOOK_ALLOW_PRIVATE"), QStringLiteral("true"));
        QVERIFY2(remote.start(), qPrintable(remote.lastError()));
        const Account admin = createAdmin(remote);
        const Account user = createAccount(remote);
        QVERIFY(admin.ok() && user.ok());
        const HttpResult others = post(remote, QStringLiteral("/v1/subscriptions"),
            {{QStringLiteral("kind"), QStringLiteral("webhook")},
                {QStringLiteral("url"), m_receiver.url(QStringLiteral("/admins"))},
                {QStringLiteral("events"), QJsonArray {QStringLiteral("*")}}},
            admin.auth());
        QCOMPARE(others.status, 201);

        App::ConnectDialog *dialog = m_window->showConnectDialog();
        dialog->findChild<QLineEdit *>(QStringLiteral("url"))->setText(remote.url().toString());
        dialog->findChild<QLineEdit *>(QStringLiteral("email"))->setText(user.email);
        dialog->findChild<QLineEdit *>(QStringLiteral("password"))->setText(user.password);
        QTest::mouseClick(
            dialog->findChild<QPushButton *>(QStringLiteral("connect")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->session() && m_window->session()->mode() == App::Session::Mode::Remote,
            15'000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->user().has_value(), 10'000);
        m_window->showView(m_view);
        auto *hint = m_view->findChild<QLabel *>(QStringLiteral("subscriptionsHint"));
        QTRY_VERIFY_WITH_TIMEOUT(hint->isVisible(), 10'000); // the admin's is not theirs
        auto *table = m_view->findChild<QTableView *>(QStringLiteral("subscriptionsTable"));
        QVERIFY(table->isColumnHidden(App::SubscriptionsModel::Owner));

        const QString url = m_receiver.url(QStringLiteral("/ok"));
        const QString secret = createWebhook(url, QStringLiteral("post.*"));
        QVERIFY(secret.startsWith(QStringLiteral("whsec_")));
        m_receiver.addSecret(secret);
        QVERIFY(selectSubscription(url));
        QCOMPARE(m_view->subscriptionsModel()->rowCount(), 1);
        const qsizetype before = m_receiver.verified(QStringLiteral("/ok")).size();
        m_view->sendTest();
        QTRY_COMPARE_WITH_TIMEOUT(deliveryStatus(m_view->deliveriesModel(), QStringLiteral("ping")),
            QStringLiteral("delivered"), kWaitMs);
        QCOMPARE(m_receiver.verified(QStringLiteral("/ok")).size(), before + 1);
    }
};

QTEST_MAIN(TestAppSubscriptions)
#include "tst_appsubscriptions.moc"
