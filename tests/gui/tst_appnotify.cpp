// Desktop notifications, offscreen (no tray: the Notifier decides, the tray only displays):
// against a real server, a run reported as failed through the API, a new registration and a
// webhook delivery that failed each raise one notification, the choices turn them off, and
// opening one shows its item.
#include "client/eventstream.h"
#include "connection/connectdialog.h"
#include "connection/session.h"
#include "factories.h"
#include "mainwindow.h"
#include "notify/notifier.h"
#include "notify/trayicon.h"
#include "servers/healthmonitor.h"
#include "servers/serversmodel.h"
#include "switcher/quickswitcher.h"
#include "testserver.h"
#include "views/pipelinesview.h"
#include "views/postdialog.h"
#include "views/postreader.h"
#include "views/postsview.h"
#include "views/usersview.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

Q_DECLARE_METATYPE(Outpost::App::Notification)

namespace {

constexpr int kWaitMs = 30'000;

} // namespace

class TestAppNotify final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    std::unique_ptr<App::MainWindow> m_window;
    qint64 m_pipeline = 0;

    App::Notification takeNotification(QSignalSpy &spy, int index = 0)
    {
        return spy.at(index).at(0).value<App::Notification>();
    }

    qint64 reportRun(int number, const QString &conclusion)
    {
        const HttpResult run =
            post(m_server, QStringLiteral("/v1/pipelines/%1/runs").arg(m_pipeline),
                {{QStringLiteral("run_number"), number},
                    {QStringLiteral("status"), QStringLiteral("completed")},
                    {QStringLiteral("conclusion"), conclusion}},
                m_admin.auth());
        if (run.status != 201)
            qWarning() << "report:" << run.status << run.body;
        return idOf(run);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<App::Notification>();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        // Webhooks to 127.0.0.1, given up after one quick retry.
        m_server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_ALLOW_PRIVATE"), QStringLiteral("true"));
        m_server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_RETRY_SCHEDULE"), QStringLiteral("1s"));
        m_server.setEnv(QStringLiteral("OUTPOST_WEBHOOK_TIMEOUT"), QStringLiteral("5s"));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        const HttpResult pipeline = post(m_server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("shop")},
                {QStringLiteral("repository"), QStringLiteral("acme/shop")}},
            m_admin.auth());
        QCOMPARE(pipeline.status, 201);
        m_pipeline = idOf(pipeline);

        m_window = std::make_unique<App::MainWindow>();
        m_window->notifier()->setDeliveryPollInterval(300);
        m_window->show();
        QSignalSpy started(m_window.get(), &App::MainWindow::sessionStarted);
        App::ConnectDialog *dialog = m_window->showConnectDialog();
        dialog->setRemote(m_server.url(), m_admin.email, m_admin.password);
        dialog->connectRemote();
        QVERIFY(started.wait(15'000));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->events()->isOnline(), kWaitMs);
    }

    void cleanupTestCase() { m_window.reset(); }

    void noTrayOffscreenButTheNotifierStillDecides()
    {
        QVERIFY(!m_window->trayIcon()->isAvailable());
        QVERIFY(!m_window->closesToTray());
        QSettings().setValue(QStringLiteral("closeToTray"), true);
        QVERIFY(!m_window->closesToTray()); // nothing to close to
        // What the tray's icon would show: the remote server up, the offline one not running.
        QTRY_COMPARE_WITH_TIMEOUT(App::TrayIcon::overall(m_window->serversModel()),
            App::TrayIcon::Overall::AllUp, kWaitMs);
        QCOMPARE(App::TrayIcon::summary(m_window->serversModel()),
            QStringLiteral("Outpost — all servers are up"));
    }

    void failedRunIsNotifiedOnce()
    {
        QSignalSpy notified(m_window->notifier(), &App::Notifier::notify);
        QVERIFY(reportRun(1, QStringLiteral("success")) > 0);
        const qint64 failed = reportRun(2, QStringLiteral("failure"));
        QVERIFY(failed > 0);
        QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, kWaitMs);
        const App::Notification notification = takeNotification(notified);
        QCOMPARE(notification.kind, App::Notification::Kind::RunFailed);
        QCOMPARE(notification.itemId, failed);
        QCOMPARE(notification.serverId, m_window->currentServer());
        QCOMPARE(notification.title, QStringLiteral("Run #2 of shop failed"));
        QVERIFY2(notification.message.contains(QStringLiteral("ended in failure")),
            qPrintable(notification.message));

        // Another update of the same run is not a second notification; the next failure is.
        const HttpResult again = patch(m_server, QStringLiteral("/v1/runs/%1").arg(failed),
            {{QStringLiteral("actor"), QStringLiteral("ci")}}, m_admin.auth());
        QVERIFY2(again.status == 200, again.body.constData());
        const qint64 timedOut = reportRun(3, QStringLiteral("timed_out"));
        QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 2, kWaitMs);
        QCOMPARE(takeNotification(notified, 1).itemId, timedOut);
        QVERIFY(takeNotification(notified, 1).message.contains(QStringLiteral("timed out")));
    }

    void newRegistrationIsNotifiedAndChoicesTurnItOff()
    {
        QSignalSpy notified(m_window->notifier(), &App::Notifier::notify);
        const Account someone = createAccount(m_server, QStringLiteral("someone@example.com"));
        QVERIFY(someone.ok());
        QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, kWaitMs);
        QCOMPARE(takeNotification(notified).kind, App::Notification::Kind::UserRegistered);
        QCOMPARE(takeNotification(notified).itemId, someone.id);
        QCOMPARE(
            takeNotification(notified).title, QStringLiteral("New account: someone@example.com"));

        // Registrations off: the next one passes silently; the failed run after it (the stream
        // keeps the order) is still notified, and is the only one.
        App::NotificationChoices choices = m_window->notifier()->choices();
        choices.userRegistered = false;
        m_window->notifier()->setChoices(choices);
        QVERIFY(createAccount(m_server, QStringLiteral("quiet@example.com")).ok());
        const qint64 failed = reportRun(4, QStringLiteral("failure"));
        QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 2, kWaitMs);
        QCOMPARE(takeNotification(notified, 1).kind, App::Notification::Kind::RunFailed);
        QCOMPARE(takeNotification(notified, 1).itemId, failed);
        choices.userRegistered = true;
        m_window->notifier()->setChoices(choices);
    }

    void failedWebhookDeliveryIsNotified()
    {
        // A port nobody listens on: every attempt is refused.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        QSignalSpy notified(m_window->notifier(), &App::Notifier::notify);
        const HttpResult subscription = post(m_server, QStringLiteral("/v1/subscriptions"),
            {{QStringLiteral("kind"), QStringLiteral("webhook")},
                {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/hook").arg(port)},
                {QStringLiteral("events"), QJsonArray {QStringLiteral("post.created")}}},
            m_admin.auth());
        QCOMPARE(subscription.status, 201);
        QVERIFY(createPost(m_server, m_admin, QStringLiteral("Nobody hears this")) > 0);
        // The server gives up on it ...
        const QString deliveries =
            QStringLiteral("/v1/subscriptions/%1/deliveries").arg(idOf(subscription));
        QByteArray last;
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                const HttpResult listed = get(m_server, deliveries, m_admin.auth());
                last = listed.body;
                const QJsonArray items = itemsOf(listed);
                return !items.isEmpty()
                    && textOf(items.first().toObject(), "status") == QLatin1String("failed");
            }(),
            last.constData(), kWaitMs);
        // ... and the app says so.
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), kWaitMs);
        const App::Notification notification = takeNotification(notified);
        QCOMPARE(notification.kind, App::Notification::Kind::DeliveryFailed);
        QCOMPARE(notification.itemId, idOf(subscription));
        QVERIFY2(notification.message.contains(QStringLiteral("post.created")),
            qPrintable(notification.message));
    }

    void openingANotificationShowsItsItem()
    {
        auto *sidebar = m_window->findChild<QListWidget *>(QStringLiteral("sidebar"));
        sidebar->setCurrentRow(0);
        App::Notification run;
        run.kind = App::Notification::Kind::RunFailed;
        run.serverId = m_window->currentServer();
        run.itemId = reportRun(5, QStringLiteral("failure"));
        m_window->openNotification(run);
        QCOMPARE(sidebar->currentItem()->text(), QStringLiteral("Pipelines"));
        App::Notification user;
        user.kind = App::Notification::Kind::UserRegistered;
        user.serverId = m_window->currentServer();
        m_window->openNotification(user);
        QCOMPARE(sidebar->currentItem()->text(), QStringLiteral("Users"));
    }

    // Ctrl+K: views and servers by name, posts by title from the server; Enter goes there.
    void quickSwitcherGoesToViewsAndPosts()
    {
        const qint64 post = createPost(m_server, m_admin, QStringLiteral("Quarterly report"));
        QVERIFY(post > 0);
        auto *sidebar = m_window->findChild<QListWidget *>(QStringLiteral("sidebar"));
        sidebar->setCurrentRow(0);
        App::QuickSwitcher *switcher = m_window->showQuickSwitcher();
        QVERIFY(switcher->isVisible());
        QTest::keyClicks(switcher->input(), QStringLiteral("pipel"));
        QCOMPARE(switcher->shown().size(), 1);
        QCOMPARE(switcher->shown().first().kind, App::QuickSwitcher::Kind::View);
        QTest::keyClick(switcher->input(), Qt::Key_Return);
        QCOMPARE(sidebar->currentItem()->text(), QStringLiteral("Pipelines"));

        switcher = m_window->showQuickSwitcher();
        switcher->setPostSearchDelay(0);
        QSignalSpy posts(switcher, &App::QuickSwitcher::postsShown);
        QTest::keyClicks(switcher->input(), QStringLiteral("quarterly"));
        QTRY_VERIFY_WITH_TIMEOUT(!switcher->shown().isEmpty(), kWaitMs);
        QCOMPARE(switcher->shown().first().kind, App::QuickSwitcher::Kind::Post);
        QCOMPARE(switcher->shown().first().key, QString::number(post));
        QTest::keyClick(switcher->input(), Qt::Key_Return);
        QCOMPARE(sidebar->currentItem()->text(), QStringLiteral("Posts"));
        // The post opens in the reading pane (where it is also edited), not in a dialog.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->postsView()->reader()->postId(), post, kWaitMs);
        QVERIFY(m_window->findChild<App::PostDialog *>() == nullptr);
    }
};

QTEST_MAIN(TestAppNotify)
#include "tst_appnotify.moc"
