// The app's list models over a real server, checked by QAbstractItemModelTester: paging
// through fetchMore, server-side sorting and search, rows following events.
#include "factories.h"
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
        auto run = [](const char *status, const char *conclusion) {
            QJsonObject object {{QStringLiteral("status"), QString::fromLatin1(status)}};
            if (conclusion)
                object.insert(QStringLiteral("conclusion"), QString::fromLatin1(conclusion));
            return object;
        };
        const QColor green = App::PipelinesModel::statusColor(run("completed", "success"));
        const QColor red = App::PipelinesModel::statusColor(run("completed", "failure"));
        const QColor amber = App::PipelinesModel::statusColor(run("in_progress", nullptr));
        const QColor grey = App::PipelinesModel::statusColor(run("queued", nullptr));
        QVERIFY(green.green() > green.red());
        QVERIFY(red.red() > red.green());
        QVERIFY(amber.red() > amber.blue() && amber.green() > amber.blue());
        QCOMPARE(App::PipelinesModel::statusColor(run("completed", "cancelled")), grey);
        QCOMPARE(App::PipelinesModel::statusColor(run("completed", "timed_out")), red);
        QCOMPARE(App::PipelinesModel::statusText(run("in_progress", nullptr)),
            QStringLiteral("running"));
        QCOMPARE(App::PipelinesModel::statusText({}), QStringLiteral("never run"));
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
