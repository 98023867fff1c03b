// The Dashboard and the Users view's audit trail against a real server (outpost-server,
// signed in remotely), offscreen: the error-rate chart from real 5xx answers, audit entries and
// failing pipelines that open their item, the metrics history kept across a restart (and
// bounded on disk), charts that follow the dark theme, and a user's own audit trail.
#include "client/eventstream.h"
#include "connection/session.h"
#include "factories.h"
#include "mainwindow.h"
#include "models/auditmodel.h"
#include "models/usersmodel.h"
#include "remotesignin.h"
#include "settings/appearance.h"
#include "testserver.h"
#include "views/dashboardview.h"
#include "views/metricshistory.h"
#include "views/pipelinesview.h"
#include "views/usersview.h"

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

constexpr int kWaitMs = 30'000;

bool anyAbove(const QLineSeries *series, double value)
{
    const QList<QPointF> points = series->points();
    return std::any_of(points.cbegin(), points.cend(),
        [value](const QPointF &point) { return point.y() > value; });
}

void doubleClickRow(QAbstractItemView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    const QPoint at = view->visualRect(index).center();
    // The first click selects, the second activates (as in every item view).
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
}

} // namespace

class TestAppDashboard final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    std::unique_ptr<App::MainWindow> m_window;
    qint64 m_failedRun = 0;

    App::DashboardView *dashboard() const { return m_window->dashboardView(); }

    // A new main window, signed in to the test server (as a restart of the app would).
    void openWindow()
    {
        m_window = std::make_unique<App::MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(connectRemote(*m_window, m_server.url(), m_admin.email, m_admin.password));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->events()->isOnline(), kWaitMs);
        m_window->showView(dashboard());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        const HttpResult pipeline = post(m_server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("shop")},
                {QStringLiteral("repository"), QStringLiteral("acme/shop")}},
            m_admin.auth());
        QCOMPARE(pipeline.status, 201);
        const HttpResult run =
            post(m_server, QStringLiteral("/v1/pipelines/%1/runs").arg(idOf(pipeline)),
                {{QStringLiteral("run_number"), 7},
                    {QStringLiteral("status"), QStringLiteral("completed")},
                    {QStringLiteral("conclusion"), QStringLiteral("failure")}},
                m_admin.auth());
        QCOMPARE(run.status, 201);
        m_failedRun = idOf(run);
        // The history of earlier runs of this test must not leak in.
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
            + QStringLiteral("/metrics"))
            .removeRecursively();

        openWindow();
    }

    void cleanupTestCase() { m_window.reset(); }

    // A test that failed between closing and opening the window leaves one for the next.
    void cleanup()
    {
        if (!m_window)
            openWindow();
    }

    void errorRateChartShowsServerErrors()
    {
        // Answers with a 503 (no generation service is configured), among ordinary ones.
        QTRY_VERIFY_WITH_TIMEOUT(dashboard()->history().samples().size() >= 1, kWaitMs);
        QVERIFY(!anyAbove(dashboard()->errorSeries(), 0));
        for (int i = 0; i < 3; ++i) {
            const HttpResult failed = post(m_server, QStringLiteral("/v1/files/generated"),
                {{QStringLiteral("file_path"), QStringLiteral("note.txt")},
                    {QStringLiteral("prompt"), QStringLiteral("hello")},
                    {QStringLiteral("generation_type"), QStringLiteral("text")}},
                m_admin.auth());
            QCOMPARE(failed.status, 503);
            QCOMPARE(get(m_server, QStringLiteral("/healthz")).status, 200);
        }
        QTRY_VERIFY_WITH_TIMEOUT(anyAbove(dashboard()->errorSeries(), 0), kWaitMs);
        const QList<QPointF> points = dashboard()->errorSeries()->points();
        for (const QPointF &point : points)
            QVERIFY2(point.y() >= 0 && point.y() <= 100, qPrintable(QString::number(point.y())));
        QCOMPARE(dashboard()->charts().size(), 3);
        QCOMPARE(dashboard()->charts().last()->title(),
            QStringLiteral("Server errors (5xx, % of answers)"));
    }

    void historySurvivesARestart()
    {
        QTRY_VERIFY_WITH_TIMEOUT(dashboard()->history().samples().size() >= 3, kWaitMs);
        const QString path = dashboard()->history().path();
        QVERIFY(!path.isEmpty());
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(QFile::exists(path));
        const auto before = dashboard()->history().samples();
        // The app closes and starts again, signed in to the same server.
        const QString server = m_window->currentServer();
        m_window.reset();
        App::MetricsHistory reopened;
        reopened.open(App::MetricsHistory::pathFor(server), QDateTime::currentMSecsSinceEpoch());
        const QList<App::MetricsHistory::Sample> stored = reopened.samples();
        reopened.close();
        openWindow();
        QVERIFY(m_window && m_window->session());

        QVERIFY(stored.size() >= before.size());
        QCOMPARE(stored.first().atMs, before.first().atMs);
        QCOMPARE(float(stored.first().rps), float(before.first().rps));
        bool errorsKept = false;
        for (const auto &sample : stored)
            errorsKept = errorsKept || sample.errorPercent > 0;
        QVERIFY(errorsKept);
        QCOMPARE(m_window->currentServer(), server);
        QVERIFY(dashboard()->history().samples().size() >= before.size());
        QCOMPARE(dashboard()->history().samples().first().atMs, before.first().atMs);
        dashboard()->setChartWindow(3600);
        QTRY_VERIFY_WITH_TIMEOUT(anyAbove(dashboard()->errorSeries(), 0), kWaitMs);
    }

    void historyFileIsBoundedAndSurvivesDamage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("metrics/a.samples"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 start = now - 2 * App::MetricsHistory::kKeepMs; // two days, one a minute
        App::MetricsHistory history;
        history.open(path, start);
        for (qint64 at = start; at <= now; at += 60'000)
            history.append({at, 1.5, 20, 0});
        const qsizetype kept = history.samples().size();
        QVERIFY(kept >= 24 * 60 && kept <= 24 * 60 + 1);
        QVERIFY(history.samples().first().atMs >= now - App::MetricsHistory::kKeepMs);
        QVERIFY2(history.storedRecords() <= 2 * qMax<qsizetype>(kept, 1024),
            qPrintable(QString::number(history.storedRecords())));
        QCOMPARE(QFileInfo(path).size(),
            8 + history.storedRecords() * App::MetricsHistory::kRecordBytes);
        history.close();

        App::MetricsHistory again;
        again.open(path, now);
        QCOMPARE(again.samples().size(), kept);
        QCOMPARE(again.storedRecords(), kept); // rewritten with only what is kept
        again.close();

        // Not our file: read as empty and started afresh.
        QFile garbage(path);
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("not a history file at all, just some text");
        garbage.close();
        App::MetricsHistory damaged;
        damaged.open(path, now);
        QVERIFY(damaged.samples().isEmpty());
        damaged.append({now, 2, 3, 4});
        damaged.close();
        App::MetricsHistory repaired;
        repaired.open(path, now + 1);
        QCOMPARE(repaired.samples().size(), qsizetype(1));
        QCOMPARE(repaired.samples().first().errorPercent, 4.0);
    }

    void failingPipelineOpensItsRun()
    {
        QListWidget *failing = dashboard()->failingList();
        QTRY_VERIFY_WITH_TIMEOUT(failing->count() == 1
                && failing->item(0)->data(Qt::UserRole).toLongLong() == m_failedRun,
            kWaitMs);
        QVERIFY2(failing->item(0)->text().contains(QStringLiteral("shop")),
            qPrintable(failing->item(0)->text()));
        QVERIFY(failing->item(0)->text().contains(QStringLiteral("#7 failed")));
        doubleClickRow(failing, failing->model()->index(0, 0));
        QTRY_VERIFY(m_window->pipelinesView()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->pipelinesView()->currentRunId(), m_failedRun, kWaitMs);
        m_window->showView(dashboard());
    }

    void auditEntryOpensItsUser()
    {
        const QString email = uniqueEmail(QStringLiteral("audited"));
        const qint64 id = createUser(m_server, email);
        QVERIFY(id > 0);
        QCOMPARE(patch(m_server, QStringLiteral("/v1/users/%1").arg(id),
                     {{QStringLiteral("username"), QStringLiteral("audited_one")}}, m_admin.auth())
                     .status,
            200);
        dashboard()->refresh();
        QTableView *table = dashboard()->auditTable();
        auto *audit = static_cast<App::AuditModel *>(table->model());
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int i = 0; i < audit->rowCount(); ++i) {
                    const AuditEntry *entry = audit->itemAt(i);
                    if (entry->action == u"user.updated" && entry->targetId == QString::number(id))
                        row = i;
                }
                return row >= 0;
            }(),
            kWaitMs);
        doubleClickRow(table, audit->index(row, 0));
        QTRY_VERIFY(m_window->usersView()->isVisible());
        App::AuditModel *trail = m_window->usersView()->userAuditModel();
        QTRY_COMPARE_WITH_TIMEOUT(trail->userId(), id, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(trail->rowCount() >= 1 && !trail->isLoading(), kWaitMs);
        m_window->showView(dashboard());
    }

    void usersViewShowsTheSelectedUsersTrail()
    {
        const QString email = uniqueEmail(QStringLiteral("trail"));
        const qint64 id = createUser(m_server, email);
        QVERIFY(id > 0);
        QVERIFY(login(m_server, email).ok());
        QCOMPARE(patch(m_server, QStringLiteral("/v1/users/%1").arg(id),
                     {{QStringLiteral("username"), QStringLiteral("trail_one")}}, m_admin.auth())
                     .status,
            200);
        App::UsersView *users = m_window->usersView();
        m_window->showView(users);
        users->refresh();
        App::UsersModel *model = users->usersModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfId(id) >= 0, kWaitMs);
        users->usersTable()->setCurrentIndex(model->index(model->rowOfId(id), 0));
        App::AuditModel *trail = users->userAuditModel();
        QCOMPARE(trail->userId(), id);
        QVERIFY(
            users->findChild<QLabel *>(QStringLiteral("userAuditTitle"))->text().contains(email));
        QTRY_VERIFY_WITH_TIMEOUT(!trail->isLoading() && trail->rowCount() >= 2, kWaitMs);
        QStringList actions;
        for (int i = 0; i < trail->rowCount(); ++i) {
            const AuditEntry *entry = trail->itemAt(i);
            const bool byThem = entry->actorId == id;
            const bool aboutThem =
                entry->targetType == u"user" && entry->targetId == QString::number(id);
            QVERIFY2(byThem || aboutThem, qPrintable(entry->action));
            actions << entry->action;
        }
        QVERIFY2(actions.contains(QStringLiteral("user.updated")), qPrintable(actions.join(u',')));
        QVERIFY2(
            actions.contains(QStringLiteral("login.succeeded")), qPrintable(actions.join(u',')));
        // Another user: another trail.
        const qint64 admin = m_admin.id;
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfId(admin) >= 0, kWaitMs);
        users->usersTable()->setCurrentIndex(model->index(model->rowOfId(admin), 0));
        QCOMPARE(trail->userId(), admin);
        QTRY_VERIFY_WITH_TIMEOUT(!trail->isLoading() && trail->rowCount() >= 1, kWaitMs);
        for (int i = 0; i < trail->rowCount(); ++i) {
            const AuditEntry *entry = trail->itemAt(i);
            QVERIFY2(entry->actorId == admin
                    || (entry->targetType == u"user" && entry->targetId == QString::number(admin)),
                qPrintable(entry->action));
        }
        m_window->showView(dashboard());
    }

    void chartsFollowTheDarkTheme()
    {
        App::Appearance::apply(App::Appearance::Theme::Dark);
        QTRY_VERIFY(App::Appearance::isDark(dashboard()->palette()));
        const QColor darkBase = App::Appearance::darkPalette().color(QPalette::Base);
        for (QChart *chart : dashboard()->charts()) {
            QCOMPARE(chart->theme(), QChart::ChartThemeDark);
            QCOMPARE(chart->backgroundBrush().color(), darkBase);
            QVERIFY(chart->titleBrush().color().lightness() > 160);
        }
        App::Appearance::apply(App::Appearance::Theme::Light);
        QTRY_VERIFY(!App::Appearance::isDark(dashboard()->palette()));
        for (QChart *chart : dashboard()->charts()) {
            QCOMPARE(chart->theme(), QChart::ChartThemeLight);
            QVERIFY(chart->backgroundBrush().color().lightness() > 160);
        }
    }
};

QTEST_MAIN(TestAppDashboard)
#include "tst_appdashboard.moc"
