// The servers list, offscreen, against two real outpost-server processes: both listed with
// their health (up, version, latency, failing pipelines), switching between them keeps each
// sign-in and restores the view, one stopped mid-test turns to "down: connection refused",
// and rename, reorder and remove are kept in QSettings.
#include "connection/connectdialog.h"
#include "connection/recentconnections.h"
#include "connection/session.h"
#include "core/version.h"
#include "factories.h"
#include "mainwindow.h"
#include "remotesignin.h"
#include "servers/healthmonitor.h"
#include "servers/serversmodel.h"
#include "servers/serverspanel.h"
#include "servers/serverstore.h"
#include "testserver.h"
#include "views/pipelinesview.h"

#include <QAction>
#include <QJsonObject>
#include <QListView>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

constexpr int kWaitMs = 20'000;

} // namespace

class TestAppServers final : public QObject
{
    Q_OBJECT

private:
    TestServer m_a;
    TestServer m_b;
    Account m_adminA;
    Account m_adminB;
    std::unique_ptr<App::MainWindow> m_window;
    QString m_idA;
    QString m_idB;

    QString status(const QString &id) const { return m_window->serversModel()->statusText(id); }
    QString rowText(const QString &id) const
    {
        const App::ServersModel *model = m_window->serversModel();
        return model->index(model->rowOf(id)).data().toString();
    }
    QListWidget *sidebar() const
    {
        return m_window->findChild<QListWidget *>(QStringLiteral("sidebar"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY2(m_a.start(), qPrintable(m_a.lastError()));
        QVERIFY2(m_b.start(), qPrintable(m_b.lastError()));
        m_adminA = createAdmin(m_a);
        m_adminB = createAdmin(m_b);
        QVERIFY(m_adminA.ok());
        QVERIFY(m_adminB.ok());
        m_window = std::make_unique<App::MainWindow>();
        m_window->healthMonitor()->setInterval(250);
        m_window->resize(1280, 800);
        m_window->show();
    }

    void cleanupTestCase() { m_window.reset(); }

    void listsTheOfflineServerFirstAndNotRunning()
    {
        const QList<App::ServerEntry> servers = m_window->servers()->servers();
        QCOMPARE(servers.size(), 1);
        QVERIFY(servers.first().isOffline());
        QCOMPARE(status(App::ServerStore::kOfflineId), QStringLiteral("not running"));
        QVERIFY(rowText(App::ServerStore::kOfflineId)
                    .startsWith(QStringLiteral("This computer (offline)\n")));
    }

    void signedInServersJoinTheListWithTheirHealth()
    {
        QVERIFY(connectRemote(*m_window, m_a.url(), m_adminA.email, m_adminA.password));
        m_idA = m_window->currentServer();
        QVERIFY(connectRemote(*m_window, m_b.url(), m_adminB.email, m_adminB.password));
        m_idB = m_window->currentServer();
        QVERIFY(!m_idA.isEmpty());
        QVERIFY(!m_idB.isEmpty());
        QVERIFY(m_idA != m_idB);
        QCOMPARE(m_window->servers()->servers().size(), 3);
        QCOMPARE(m_window->servers()->find(m_idA).url, m_a.url());
        QCOMPARE(m_window->servers()->find(m_idB).email, m_adminB.email);
        // Up, with the version (the admin's server info on B, /metrics on A) and a latency.
        const QString version = QString::fromLatin1(kVersion);
        QTRY_VERIFY_WITH_TIMEOUT(
            status(m_idA).startsWith(QStringLiteral("up · ") + version + QStringLiteral(" · ")),
            kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            status(m_idB).startsWith(QStringLiteral("up · ") + version + QStringLiteral(" · ")),
            kWaitMs);
        QVERIFY2(status(m_idB).endsWith(QStringLiteral(" ms")), qPrintable(status(m_idB)));
        QVERIFY(m_window->healthMonitor()->health(m_idB).latencyMs >= 0);
        // The current server in bold, and said so to a screen reader.
        const App::ServersModel *model = m_window->serversModel();
        QVERIFY(model->index(model->rowOf(m_idB)).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model->index(model->rowOf(m_idA)).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(model->index(model->rowOf(m_idB))
                    .data(Qt::AccessibleTextRole)
                    .toString()
                    .contains(QStringLiteral("(current)")));
    }

    void failedRunShowsAsAFailingPipeline()
    {
        const HttpResult pipeline = post(m_b, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("shop")},
                {QStringLiteral("repository"), QStringLiteral("acme/shop")}},
            m_adminB.auth());
        QCOMPARE(pipeline.status, 201);
        const HttpResult run =
            post(m_b, QStringLiteral("/v1/pipelines/%1/runs").arg(idOf(pipeline)),
                {{QStringLiteral("run_number"), 1},
                    {QStringLiteral("status"), QStringLiteral("completed")},
                    {QStringLiteral("conclusion"), QStringLiteral("failure")}},
                m_adminB.auth());
        QCOMPARE(run.status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(
            status(m_idB).endsWith(QStringLiteral(" · 1 failing pipeline")), kWaitMs);
        // Not signed in there any more (A is not current): no count for A.
        QCOMPARE(m_window->healthMonitor()->health(m_idA).failingPipelines, -1);
        // ... and its tooltip says why, where the current one's does not.
        App::ServersModel *model = m_window->serversModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->index(model->rowOf(m_idA))
                                     .data(Qt::ToolTipRole)
                                     .toString()
                                     .contains(QStringLiteral("switch to this one")),
            kWaitMs);
        QVERIFY(!model->index(model->rowOf(m_idB))
                     .data(Qt::ToolTipRole)
                     .toString()
                     .contains(QStringLiteral("switch to this one")));
    }

    void switchingKeepsTheSignInAndRestoresTheView()
    {
        QCOMPARE(m_window->currentServer(), m_idB);
        m_window->showView(m_window->pipelinesView());
        const int pipelinesRow = sidebar()->currentRow();
        QVERIFY(pipelinesRow > 0);

        // To A with the panel: no password typed, the saved sign-in is used.
        QSignalSpy started(m_window.get(), &App::MainWindow::sessionStarted);
        auto *list = m_window->serversPanel()->list();
        const App::ServersModel *model = m_window->serversModel();
        const QRect rect = list->visualRect(model->index(model->rowOf(m_idA)));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        QVERIFY(started.wait(15'000));
        QCOMPARE(m_window->currentServer(), m_idA);
        QCOMPARE(m_window->session()->url(), m_a.url());
        QCOMPARE(sidebar()->currentRow(), 0); // A was on the dashboard
        sidebar()->setCurrentRow(1);          // Posts, on A

        // Back to B: its view comes back.
        m_window->switchToServer(m_idB);
        QVERIFY(started.wait(15'000));
        QCOMPARE(m_window->currentServer(), m_idB);
        QCOMPARE(m_window->session()->url(), m_b.url());
        QCOMPARE(sidebar()->currentRow(), pipelinesRow);
        m_window->switchToServer(m_idA);
        QVERIFY(started.wait(15'000));
        QCOMPARE(sidebar()->currentRow(), 1);
    }

    void stoppedServerTurnsDownWithTheReason()
    {
        QTRY_VERIFY_WITH_TIMEOUT(status(m_idA).startsWith(QStringLiteral("up")), kWaitMs);
        QCOMPARE(m_a.stop(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            status(m_idA), QStringLiteral("down: connection refused"), kWaitMs);
        QCOMPARE(m_window->healthMonitor()->health(m_idA).state, App::ServerHealth::State::Down);
        // B goes on being up.
        QVERIFY(status(m_idB).startsWith(QStringLiteral("up")));
        QVERIFY(rowText(m_idA).endsWith(QStringLiteral("\ndown: connection refused")));
    }

    void describesNetworkErrorsInPlainWords()
    {
        using App::HealthMonitor;
        QCOMPARE(HealthMonitor::describe(QNetworkReply::HostNotFoundError, 0, false),
            QStringLiteral("server name not found (DNS)"));
        QCOMPARE(HealthMonitor::describe(QNetworkReply::ConnectionRefusedError, 0, false),
            QStringLiteral("connection refused"));
        QCOMPARE(HealthMonitor::describe(QNetworkReply::SslHandshakeFailedError, 0, false),
            QStringLiteral("TLS error: the certificate is not trusted"));
        QCOMPARE(HealthMonitor::describe(QNetworkReply::InternalServerError, 503, false),
            QStringLiteral("server error (HTTP 503)"));
        QCOMPARE(HealthMonitor::describe(QNetworkReply::OperationCanceledError, 0, true),
            QStringLiteral("no answer in time (timeout)"));
        QCOMPARE(HealthMonitor::describe(QNetworkReply::ContentNotFoundError, 404, false),
            QStringLiteral("unexpected answer (HTTP 404)"));
    }

    void renameReorderAndRemoveAreKept()
    {
        App::ServerStore *store = m_window->servers();
        store->rename(m_idB, QStringLiteral("Staging"));
        QVERIFY(rowText(m_idB).startsWith(QStringLiteral("Staging\n")));
        // Move B up with the panel's action (Alt+Up on the list).
        m_window->serversPanel()->select(m_idB);
        auto *up = m_window->serversPanel()->findChild<QAction *>(QStringLiteral("moveServerUp"));
        QVERIFY(up->isEnabled());
        up->trigger();
        QCOMPARE(store->indexOf(m_idB), 1);
        QCOMPARE(m_window->serversPanel()->selectedId(), m_idB);
        // The offline server is never removed.
        QVERIFY(!store->remove(App::ServerStore::kOfflineId));
        {
            App::ServerStore again;
            QCOMPARE(again.indexOf(m_idB), 1);
            QCOMPARE(again.find(m_idB).name, QStringLiteral("Staging"));
            QCOMPARE(again.servers().size(), 3);
        }
        // Removing A forgets its connection too: it does not come back on the next load.
        QVERIFY(store->remove(m_idA));
        QCOMPARE(store->servers().size(), 2);
        QCOMPARE(m_window->serversModel()->rowCount(), 2);
        for (const App::RecentConnection &recent : App::RecentConnections::load())
            QVERIFY(recent.url != m_a.url());
        App::ServerStore again;
        QCOMPARE(again.indexOf(m_idA), -1);
        QCOMPARE(again.servers().size(), 2);
    }
};

QTEST_MAIN(TestAppServers)
#include "tst_appservers.moc"
