// The Pipelines view, offscreen, against the embedded server with local runners on: the status
// filter over pipelines and runs, the log of a running run followed as it grows, cancel, and
// re-run of a finished run.
#include "connection/session.h"
#include "embeddedwindow.h"
#include "mainwindow.h"
#include "models/pipelinesmodel.h"
#include "models/runsmodel.h"
#include "views/pipelinesview.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost;

class TestAppPipelines final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    QTemporaryDir m_local;
    std::unique_ptr<App::MainWindow> m_window;
    qint64 m_green = 0;
    qint64 m_red = 0;
    qint64 m_waits = 0;

    App::PipelinesView *view() const { return m_window->pipelinesView(); }
    Client::ApiClient *client() const { return m_window->session()->client(); }

    Client::ApiResponse call(Client::ApiCall *call)
    {
        QSignalSpy finished(call, &Client::ApiCall::finished);
        if (!finished.wait(20'000))
            return {};
        return finished.first().at(0).value<Client::ApiResponse>();
    }

    qint64 createPipeline(const QJsonObject &body)
    {
        const Client::ApiResponse created =
            call(client()->post(QStringLiteral("/v1/pipelines"), body));
        return created.status == 201 ? created.object().value(QStringLiteral("id")).toInteger() : 0;
    }

    bool report(qint64 pipeline, int number, const QString &conclusion)
    {
        return call(client()->post(QStringLiteral("/v1/pipelines/%1/runs").arg(pipeline),
                        {{QStringLiteral("run_number"), number},
                            {QStringLiteral("status"), QStringLiteral("completed")},
                            {QStringLiteral("conclusion"), conclusion}}))
                   .status
            == 201;
    }

    QJsonObject run(qint64 id)
    {
        return call(client()->get(QStringLiteral("/v1/runs/%1").arg(id))).object();
    }

    QString serverLog(qint64 id)
    {
        return QString::fromUtf8(
            call(client()->get(QStringLiteral("/v1/runs/%1/log").arg(id))).body);
    }

    void selectPipeline(qint64 id)
    {
        auto *table = view()->findChild<QTableView *>(QStringLiteral("pipelinesTable"));
        QTRY_VERIFY_WITH_TIMEOUT(view()->pipelinesModel()->rowOfId(id) >= 0, 10'000);
        table->setCurrentIndex(
            view()->pipelinesModel()->index(view()->pipelinesModel()->rowOfId(id), 0));
        QTRY_COMPARE_WITH_TIMEOUT(view()->runsModel()->pipelineId(), id, 10'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_data.isValid());
        QVERIFY(m_local.isValid());
        m_window = std::make_unique<App::MainWindow>();
        QVERIFY(Test::startEmbeddedWindow(
            *m_window, m_data.path(), {{QStringLiteral("LOCAL_RUNNERS"), QStringLiteral("on")}}));

        m_green = createPipeline({{QStringLiteral("name"), QStringLiteral("green")}});
        m_red = createPipeline({{QStringLiteral("name"), QStringLiteral("red")}});
        QVERIFY(m_green > 0 && m_red > 0);
        QVERIFY(report(m_green, 1, QStringLiteral("success")));
        QVERIFY(report(m_red, 1, QStringLiteral("success")));
        QVERIFY(report(m_red, 2, QStringLiteral("failure")));
        // A local run that prints "one-2", then waits for the test's "go" file, then prints
        // "two-4": its log grows while the view shows it.
        const QString go = m_local.filePath(QStringLiteral("go"));
        m_waits = createPipeline({{QStringLiteral("name"), QStringLiteral("waits")},
            {QStringLiteral("source"), QStringLiteral("local")},
            {QStringLiteral("definition"),
                QStringLiteral("shell: sh\nstages:\n  - name: wait\n    commands:\n"
                               "      - echo one-$((1+1)); while [ ! -e '%1' ]; do sleep 0.05; "
                               "done; echo two-$((2+2))\n")
                    .arg(go)}});
        QVERIFY(m_waits > 0);
        m_window->showView(view());
        view()->refresh();
    }

    void cleanupTestCase() { m_window.reset(); }

    void filtersPipelinesAndRunsByStatus()
    {
        QTRY_COMPARE_WITH_TIMEOUT(view()->visiblePipelineIds().size(), 3, 10'000);
        view()->setStatusFilter(QStringLiteral("failed"));
        QCOMPARE(view()->statusFilter()->currentText(), QStringLiteral("Failed"));
        QCOMPARE(view()->visiblePipelineIds(), QList<qint64> {m_red});
        view()->setStatusFilter(QStringLiteral("succeeded"));
        QCOMPARE(view()->visiblePipelineIds(), QList<qint64> {m_green});
        view()->setStatusFilter(QString());
        QCOMPARE(view()->visiblePipelineIds().size(), 3);

        // The runs of the selected pipeline too.
        selectPipeline(m_red);
        QTRY_COMPARE_WITH_TIMEOUT(view()->runsModel()->rowCount(), 2, 10'000);
        view()->setStatusFilter(QStringLiteral("failed"));
        QCOMPARE(view()->visibleRunIds().size(), 1);
        QCOMPARE(view()
                     ->runsModel()
                     ->itemAt(view()->runsModel()->rowOfId(view()->visibleRunIds().first()))
                     ->runNumber,
            2);
        view()->setStatusFilter(QStringLiteral("succeeded"));
        QCOMPARE(view()->visibleRunIds().size(), 1);
        QCOMPARE(view()
                     ->runsModel()
                     ->itemAt(view()->runsModel()->rowOfId(view()->visibleRunIds().first()))
                     ->runNumber,
            1);
        view()->setStatusFilter(QStringLiteral("running"));
        QVERIFY(view()->visibleRunIds().isEmpty());
        view()->setStatusFilter(QString());
        QCOMPARE(view()->visibleRunIds().size(), 2);
    }

    void followsTheLogWhileTheRunGoesOnAndReruns()
    {
        selectPipeline(m_waits);
        QSignalSpy started(view(), &App::PipelinesView::runStarted);
        QCOMPARE(call(client()->post(
                          QStringLiteral("/v1/pipelines/%1/trigger").arg(m_waits), QJsonObject()))
                     .status,
            202);
        // The run appears in the list (an event), and is shown when selected.
        QTRY_COMPARE_WITH_TIMEOUT(view()->runsModel()->rowCount(), 1, 10'000);
        const qint64 runId = view()->runsModel()->idAt(0);
        view()
            ->findChild<QTableView *>(QStringLiteral("runsTable"))
            ->setCurrentIndex(view()->runsModel()->index(0, 0));
        QCOMPARE(view()->currentRunId(), runId);

        // The first line arrives while the run goes on.
        QTRY_VERIFY_WITH_TIMEOUT(
            view()->log()->toPlainText().contains(QStringLiteral("\none-2\n")), 20'000);
        QVERIFY(!view()->log()->toPlainText().contains(QStringLiteral("two-4")));
        QCOMPARE(
            run(runId).value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
        QTRY_VERIFY(view()->cancelAction()->isEnabled());
        QVERIFY(!view()->rerunAction()->isEnabled());

        // The rest is appended once it is written: the same text as the server's, nothing twice.
        QFile go(m_local.filePath(QStringLiteral("go")));
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        QTRY_VERIFY_WITH_TIMEOUT(
            view()->log()->toPlainText().contains(QStringLiteral("\ntwo-4\n")), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(run(runId).value(QStringLiteral("status")).toString(),
            QStringLiteral("completed"), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(view()->log()->toPlainText(), serverLog(runId), 20'000);
        QCOMPARE(view()->log()->toPlainText().count(QStringLiteral("one-2")), 1);
        QTRY_VERIFY_WITH_TIMEOUT(view()->rerunAction()->isEnabled(), 10'000);
        QVERIFY(!view()->cancelAction()->isEnabled());

        // Re-run: the same pipeline again, and the new run is the one shown.
        view()->rerunAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 10'000);
        const qint64 again = started.first().at(0).toLongLong();
        QVERIFY(again != runId);
        QCOMPARE(view()->currentRunId(), again);
        QCOMPARE(run(again).value(QStringLiteral("pipeline_id")).toInteger(), m_waits);
        QTRY_COMPARE_WITH_TIMEOUT(run(again).value(QStringLiteral("status")).toString(),
            QStringLiteral("completed"), 20'000);
        QCOMPARE(
            run(again).value(QStringLiteral("conclusion")).toString(), QStringLiteral("success"));
        QTRY_COMPARE_WITH_TIMEOUT(view()->log()->toPlainText(), serverLog(again), 20'000);
    }

    void cancelsARunningRun()
    {
        QVERIFY(QFile::remove(m_local.filePath(QStringLiteral("go")))); // the next run waits
        selectPipeline(m_waits);
        QSignalSpy started(view(), &App::PipelinesView::runStarted);
        QCOMPARE(call(client()->post(
                          QStringLiteral("/v1/pipelines/%1/trigger").arg(m_waits), QJsonObject()))
                     .status,
            202);
        QTRY_COMPARE_WITH_TIMEOUT(view()->runsModel()->rowCount(), 3, 10'000);
        const qint64 runId = view()->runsModel()->idAt(0); // newest first
        view()->showRun(runId);
        QTRY_VERIFY_WITH_TIMEOUT(
            view()->log()->toPlainText().contains(QStringLiteral("\none-2\n")), 20'000);
        QTRY_VERIFY(view()->cancelAction()->isEnabled());

        view()->cancelAction()->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY(
            (box = m_window->findChild<QMessageBox *>(QStringLiteral("confirm"))) != nullptr);
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(run(runId).value(QStringLiteral("conclusion")).toString(),
            QStringLiteral("cancelled"), 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(!view()->cancelAction()->isEnabled(), 10'000);
        QVERIFY(view()->rerunAction()->isEnabled());
        // And the filter finds it among the cancelled.
        view()->setStatusFilter(QStringLiteral("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(view()->visibleRunIds(), QList<qint64> {runId}, 10'000);
        view()->setStatusFilter(QString());
        QCOMPARE(started.count(), 0);
    }
};

QTEST_MAIN(TestAppPipelines)
#include "tst_apppipelines.moc"
