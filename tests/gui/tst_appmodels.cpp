// The app's list models over a real server, checked by QAbstractItemModelTester: paging
// through fetchMore, server-side sorting and search, rows following events.
#include "factories.h"
#include "models/auditmodel.h"
#include "models/pipelinesmodel.h"
#include "models/postsmodel.h"
#include "models/runsmodel.h"
#include "models/usersmodel.h"
#include "testserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

class TestAppModels final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    Client::ApiClient m_client;
    static constexpr int kPosts = 120; // more than two pages of PagedTableModel::kPageSize

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        for (int i = 0; i < kPosts; ++i) {
            const QString title =
                i % 10 == 0 ? QStringLiteral("needle %1").arg(i) : QStringLiteral("post %1").arg(i);
            QVERIFY(createPost(m_server, m_admin, title) > 0);
        }
        m_client.setBaseUrl(m_server.url());
        m_client.setTokens(
            QString::fromLatin1(m_admin.accessToken), QString::fromLatin1(m_admin.refreshToken));
    }

    void pagesThroughFetchMore()
    {
        App::PostsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setClient(&m_client);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), App::PagedTableModel::kPageSize, 10'000);
        QCOMPARE(model.total(), kPosts);
        QVERIFY(model.canFetchMore({}));
        while (model.canFetchMore({}) || model.isLoading()) {
            const int before = model.rowCount();
            if (model.canFetchMore({}))
                model.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > before || !model.isLoading(), 10'000);
        }
        QCOMPARE(model.rowCount(), kPosts);
        QVERIFY(!model.canFetchMore({}));
        // Newest first by default.
        QCOMPARE(model.index(0, App::PostsModel::Title).data().toString(),
            QStringLiteral("post %1").arg(kPosts - 1));
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(),
            QStringLiteral("Title"));
    }

    void auditNamesHowTheFirstAdminGotIn()
    {
        // createAdmin() registers from 127.0.0.1 on a server without an admin: nobody signed
        // in, so "Who" says how the first admin was let in instead of staying empty.
        App::AuditModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setClient(&m_client);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 10'000);
        while (model.canFetchMore({}) || model.isLoading()) {
            if (model.canFetchMore({}))
                model.fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10'000);
        }
        int found = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.index(row, App::AuditModel::Action).data().toString()
                != u"user.bootstrap_admin")
                continue;
            ++found;
            QCOMPARE(model.index(row, App::AuditModel::Actor).data().toString(),
                QStringLiteral("Registration on the server's computer (first administrator)"));
        }
        QCOMPARE(found, 1);
        AuditEntry byToken;
        byToken.detail = {{QStringLiteral("method"), QStringLiteral("setup_token")}};
        QCOMPARE(App::AuditModel::actorText(byToken),
            QStringLiteral("Setup token (first administrator)"));
        AuditEntry byCli;
        byCli.actorLabel = QStringLiteral("cli");
        QCOMPARE(
            App::AuditModel::actorText(byCli), QStringLiteral("Command line (outpost-server)"));
    }

    void sortsOnTheServer()
    {
        App::PostsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setClient(&m_client);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), App::PagedTableModel::kPageSize, 10'000);
        model.sort(App::PostsModel::Created, Qt::AscendingOrder);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), App::PagedTableModel::kPageSize, 10'000);
        QCOMPARE(
            model.index(0, App::PostsModel::Title).data().toString(), QStringLiteral("needle 0"));
    }

    void searchesOnTheServer()
    {
        App::PostsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setClient(&m_client);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 10'000);
        model.setSearch(QStringLiteral("needle"));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kPosts / 10, 10'000);
        QCOMPARE(model.total(), kPosts / 10);
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(model.index(row, 0).data().toString().startsWith(QStringLiteral("needle")));
    }

    void refreshesAndRemovesSingleRows()
    {
        App::PostsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setClient(&m_client);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 1, 10'000);
        const qint64 id = model.idAt(0);
        const HttpResult changed = put(m_server, postPath(id),
            {{QStringLiteral("title"), QStringLiteral("changed elsewhere")},
                {QStringLiteral("content"), QStringLiteral("c")}},
            m_admin.auth());
        QCOMPARE(changed.status, 200);
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        model.refreshRow(id);
        QTRY_COMPARE_WITH_TIMEOUT(dataChanged.count(), 1, 10'000);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("changed elsewhere"));
        const int rows = model.rowCount();
        model.removeId(id);
        QCOMPARE(model.rowCount(), rows - 1);
        QCOMPARE(model.rowOfId(id), -1);
    }

    void listsUsersForAnAdmin()
    {
        App::UsersModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setClient(&m_client);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10'000);
        QCOMPARE(model.index(0, App::UsersModel::Email).data().toString(), m_admin.email);
        QCOMPARE(model.index(0, App::UsersModel::Role).data().toString(),
            QStringLiteral("Administrator"));
    }

    void coloursRunsByOutcome()
    {
        const auto colour = [](const char *status, const char *conclusion) {
            return App::PipelinesModel::statusColor(
                QString::fromLatin1(status), QString::fromLatin1(conclusion));
        };
        const QColor green = colour("completed", "success");
        const QColor red = colour("completed", "failure");
        const QColor amber = colour("in_progress", "");
        const QColor grey = colour("queued", "");
        QVERIFY(green.green() > green.red());
        QVERIFY(red.red() > red.green());
        QVERIFY(amber.red() > amber.blue() && amber.green() > amber.blue());
        QCOMPARE(colour("completed", "cancelled"), grey);
        QCOMPARE(colour("completed", "timed_out"), red);
        QCOMPARE(App::PipelinesModel::statusText(QStringLiteral("in_progress"), QString()),
            QStringLiteral("running"));
        QCOMPARE(
            App::PipelinesModel::statusText(QString(), QString()), QStringLiteral("never run"));
    }

    void showsPipelinesWithTheirLastRun()
    {
        Client::ApiClient &client = m_client;
        PipelineCreate create;
        create.name = QStringLiteral("models pipeline");
        QSignalSpy created(client.pipelines().create(create).call(), &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10'000);
        const auto pipeline =
            Pipeline::fromJson(created.first().at(0).value<Client::ApiResponse>().object());
        QVERIFY(pipeline);
        RunUpdate report;
        report.runNumber = 7;
        report.status = QStringLiteral("completed");
        report.conclusion = QStringLiteral("failure");
        report.headBranch = QStringLiteral("release");
        report.startedAt = QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC);
        report.finishedAt = QDateTime(QDate(2026, 11, 23), QTime(9, 1, 5), Qt::UTC);
        QSignalSpy reported(
            client.pipelines().report(pipeline->id, report).call(), &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(reported.count(), 1, 10'000);

        App::PipelinesModel pipelines;
        QAbstractItemModelTester tester(
            &pipelines, QAbstractItemModelTester::FailureReportingMode::Fatal);
        pipelines.setClient(&client);
        QTRY_VERIFY_WITH_TIMEOUT(pipelines.rowOfId(pipeline->id) >= 0, 10'000);
        const int row = pipelines.rowOfId(pipeline->id);
        QCOMPARE(pipelines.index(row, App::PipelinesModel::LastRun).data().toString(),
            QStringLiteral("#7 failure"));
        QCOMPARE(pipelines.index(row, App::PipelinesModel::Branch).data().toString(),
            QStringLiteral("release"));

        App::RunsModel runs;
        QAbstractItemModelTester runsTester(
            &runs, QAbstractItemModelTester::FailureReportingMode::Fatal);
        runs.setClient(&client);
        runs.setPipeline(pipeline->id);
        QTRY_COMPARE_WITH_TIMEOUT(runs.rowCount(), 1, 10'000);
        QCOMPARE(runs.index(0, App::RunsModel::Number).data().toString(), QStringLiteral("#7"));
        QCOMPARE(
            runs.index(0, App::RunsModel::Duration).data().toString(), QStringLiteral("1 m 05 s"));
        // A run event refreshes its row from GET /v1/runs/{id}, and keeps it.
        QSignalSpy changed(&runs, &QAbstractItemModel::dataChanged);
        runs.refreshRow(runs.idAt(0));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10'000);
        QCOMPARE(runs.rowCount(), 1);
    }

    void runsWaitForAPipeline()
    {
        App::RunsModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy errors(&model, &App::PagedTableModel::errorOccurred);
        QSignalSpy missing(&model, &App::PagedTableModel::endpointMissing);
        model.setClient(&m_client); // no pipeline chosen: no request at all
        QTest::qWait(200);
        QCOMPARE(errors.count() + missing.count(), 0);
        QCOMPARE(model.rowCount(), 0);
    }

    void reportsAnErrorForAPlainUser()
    {
        const Account plain = createAccount(m_server);
        QVERIFY(plain.ok());
        Client::ApiClient client;
        client.setBaseUrl(m_server.url());
        client.setTokens(
            QString::fromLatin1(plain.accessToken), QString::fromLatin1(plain.refreshToken));
        App::UsersModel model;
        QSignalSpy errors(&model, &App::PagedTableModel::errorOccurred);
        model.setClient(&client);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10'000);
        QVERIFY(errors.first().at(0).toString().startsWith(QStringLiteral("Forbidden")));
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestAppModels)
#include "tst_appmodels.moc"
