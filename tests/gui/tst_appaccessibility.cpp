// What a screen reader finds in the app, read through QAccessible, offscreen, against the
// embedded server with data in every view: every control it can reach has a name, field labels
// are their fields' buddies, tables expose named column headers, nothing focusable is
// unnamed. Runs twice, in English and in German (the catalogue installed before any widget,
// as the app does), since a name that exists in one language only is no name.
#include "accessibilityaudit.h"
#include "appfixture.h"
#include "connection/connectdialog.h"
#include "servers/serverspanel.h"
#include "settings/settingsdialog.h"
#include "switcher/quickswitcher.h"
#include "views/backupsdialog.h"
#include "views/dashboardview.h"
#include "views/filesview.h"
#include "views/pipelinesview.h"
#include "views/postdialog.h"
#include "views/posteditor.h"
#include "views/postreader.h"
#include "views/postsview.h"
#include "views/subscriptiondialog.h"
#include "views/subscriptionsview.h"
#include "views/usersview.h"

#include "models/pipelinesmodel.h"
#include "models/postsmodel.h"
#include "models/runsmodel.h"
#include "models/subscriptionsmodel.h"
#include "models/usersmodel.h"

#include <QAccessible>
#include <QApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Outpost;
using namespace Outpost::Test;

class TestAppAccessibility final : public QObject
{
    Q_OBJECT

public:
    explicit TestAppAccessibility(QString language)
        : m_language(std::move(language))
    { }

private:
    QString m_language;
    std::unique_ptr<AppLanguage> m_translation;
    std::unique_ptr<AppFixture> m_app;

    App::MainWindow *window() const { return m_app->window(); }

    // The audit of `root` as one failure message per finding.
    static bool audited(QWidget *root, QString &report)
    {
        const QStringList problems = AccessibilityAudit::run(root);
        report = problems.join(QLatin1Char('\n'));
        return problems.isEmpty();
    }

    template<typename T> T *waitForChild(const QString &name = {})
    {
        T *found = nullptr;
        (void)QTest::qWaitFor(
            [&] {
                return (found = window()->findChild<T *>(name)) != nullptr && found->isVisible();
            },
            10'000);
        return found;
    }

    // The view shown, with its data in (and a row selected where a pane shows the selection).
    void show(App::View *view)
    {
        window()->showView(view);
        view->refresh();
        if (view == window()->postsView()) {
            App::PostsModel *model = window()->postsView()->model();
            QTRY_VERIFY_WITH_TIMEOUT(model->rowOfId(m_app->postId) >= 0, 10'000);
            window()->postsView()->table()->setCurrentIndex(
                model->index(model->rowOfId(m_app->postId), 0));
            QCOMPARE(window()->postsView()->reader()->postId(), m_app->postId);
        } else if (view == window()->usersView()) {
            QTRY_VERIFY_WITH_TIMEOUT(window()->usersView()->usersModel()->rowCount() > 0, 10'000);
        } else if (view == window()->filesView()) {
            QTRY_VERIFY_WITH_TIMEOUT(
                window()->filesView()->listedPaths().contains(QStringLiteral("docs/readme.txt")),
                10'000);
            window()->filesView()->selectPath(QStringLiteral("docs/readme.txt"));
        } else if (view == window()->pipelinesView()) {
            App::PipelinesView *pipelines = window()->pipelinesView();
            QTRY_VERIFY_WITH_TIMEOUT(pipelines->pipelinesModel()->rowCount() > 0, 10'000);
            pipelines->findChild<QTableView *>(QStringLiteral("pipelinesTable"))
                ->setCurrentIndex(pipelines->pipelinesModel()->index(0, 0));
            QTRY_VERIFY_WITH_TIMEOUT(pipelines->runsModel()->rowCount() > 0, 10'000);
            pipelines->findChild<QTableView *>(QStringLiteral("runsTable"))
                ->setCurrentIndex(pipelines->runsModel()->index(0, 0));
        } else if (view == window()->subscriptionsView()) {
            App::SubscriptionsView *subscriptions = window()->subscriptionsView();
            QTRY_VERIFY_WITH_TIMEOUT(subscriptions->subscriptionsModel()->rowCount() > 0, 10'000);
            subscriptions->selectSubscription(subscriptions->subscriptionsModel()->idAt(0));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("language: %s", qPrintable(m_language));
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QAccessible::setActive(true); // as when a screen reader is running
        m_translation = std::make_unique<AppLanguage>();
        if (m_language != QLatin1String("en"))
            QVERIFY2(m_translation->install(m_language), "no compiled catalogue for the language");
        m_app = std::make_unique<AppFixture>();
        QVERIFY2(m_app->start(), "the embedded server did not start");
        QVERIFY(m_app->seed());
    }

    void cleanupTestCase()
    {
        m_app.reset();
        m_translation.reset();
        QSettings().clear();
    }

    void auditFindsWhatIsMissing()
    {
        // The audit itself, on a form with one of each mistake.
        QWidget form;
        form.setObjectName(QStringLiteral("badForm"));
        auto *layout = new QVBoxLayout(&form);
        auto *table = new QTableView(&form);
        table->setObjectName(QStringLiteral("unnamedTable"));
        QStandardItemModel model(2, 3);
        table->setModel(&model);
        table->horizontalHeader()->hide();
        auto *label = new QLabel(QStringLiteral("&Email:"), &form); // no buddy
        auto *field = new QLineEdit(&form);
        field->setObjectName(QStringLiteral("unnamedField"));
        field->setPlaceholderText(QStringLiteral("a placeholder is no name"));
        auto *iconOnly =
            new QPushButton(QIcon(QStringLiteral(":/icons/new.svg")), QString(), &form);
        iconOnly->setObjectName(QStringLiteral("iconOnly"));
        for (QWidget *widget : std::initializer_list<QWidget *> {table, label, field, iconOnly})
            layout->addWidget(widget);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        const QString report = AccessibilityAudit::run(&form).join(QLatin1Char('\n'));
        for (const QString &expected :
            {QStringLiteral(
                 "QTableView#unnamedTable in QWidget#badForm (Table) has no accessible name"),
                QStringLiteral(
                    "QTableView#unnamedTable in QWidget#badForm shows 3 columns without a header"),
                QStringLiteral("QLineEdit#unnamedField in QWidget#badForm (EditableText) has no "
                               "accessible name"),
                QStringLiteral(
                    "QPushButton#iconOnly in QWidget#badForm (Button) has no accessible name"),
                QStringLiteral("label \"Email:\"")})
            QVERIFY2(report.contains(expected),
                qPrintable(expected + QStringLiteral("\nnot in:\n") + report));
        // Named, labelled and with its header, the same form passes.
        table->setAccessibleName(QStringLiteral("Things"));
        table->horizontalHeader()->show();
        model.setHorizontalHeaderLabels(
            {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")});
        label->setBuddy(field);
        iconOnly->setAccessibleName(QStringLiteral("New"));
        QCOMPARE(AccessibilityAudit::run(&form), QStringList());
    }

    void namesAreInTheChosenLanguage()
    {
        // Not an English window passing for a German one.
        auto *sidebar = window()->findChild<QListWidget *>(QStringLiteral("sidebar"));
        const bool german = m_language == QLatin1String("de");
        QCOMPARE(sidebar->item(1)->text(),
            german ? QStringLiteral("Beiträge") : QStringLiteral("Posts"));
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(sidebar);
        QCOMPARE(iface->text(QAccessible::Name),
            german ? QStringLiteral("Ansichten") : QStringLiteral("Views"));
        // A name given for screen readers only, translated too.
        auto *search = window()->postsView()->findChild<QLineEdit *>(QStringLiteral("search"));
        QCOMPARE(QAccessible::queryAccessibleInterface(search)->text(QAccessible::Name),
            german ? QStringLiteral("Suchen") : QStringLiteral("Search"));
    }

    void everyViewNamesItsControls_data()
    {
        QTest::addColumn<int>("view");
        const QStringList names {QStringLiteral("dashboard"), QStringLiteral("posts"),
            QStringLiteral("users"), QStringLiteral("files"), QStringLiteral("pipelines"),
            QStringLiteral("subscriptions")};
        for (int i = 0; i < names.size(); ++i)
            QTest::newRow(qPrintable(names.at(i))) << i;
    }

    void everyViewNamesItsControls()
    {
        QFETCH(int, view);
        const QList<App::View *> views {window()->dashboardView(), window()->postsView(),
            window()->usersView(), window()->filesView(), window()->pipelinesView(),
            window()->subscriptionsView()};
        show(views.at(view));
        if (QTest::currentTestFailed())
            return;
        // The whole window: the view, the sidebar, the servers list, menus and status bar.
        QString report;
        QVERIFY2(audited(window(), report), qPrintable(report));
        QVERIFY(AccessibilityAudit::controlsNamed(views.at(view)) > 1);
    }

    void serversListIsNamed()
    {
        App::ServersPanel *panel = window()->serversPanel();
        QVERIFY(panel->isVisible());
        QString report;
        QVERIFY2(audited(panel, report), qPrintable(report));
        QVERIFY(AccessibilityAudit::controlsNamed(panel) >= 1); // the list (its actions: a menu)
    }

    void welcomeDialogIsNamed()
    {
        App::ConnectDialog *dialog = window()->showConnectDialog();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QString report;
        const bool ok = audited(dialog, report);
        dialog->reject();
        QVERIFY2(ok, qPrintable(report));
    }

    void signInDialogIsNamed()
    {
        // Signing in to a server (here the embedded one, over HTTP like any other): its
        // sign-in methods are asked for and the password row shown.
        App::ConnectDialog *dialog = window()->showConnectDialog();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QSignalSpy providers(dialog, &App::ConnectDialog::providersShown);
        dialog->setRemote(window()->session()->url(), QStringLiteral("admin@example.test"));
        QTRY_VERIFY_WITH_TIMEOUT(providers.count() > 0, 10'000);
        QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("password"))->isVisible());
        QString report;
        const bool ok = audited(dialog, report);
        dialog->reject();
        QVERIFY2(ok, qPrintable(report));
    }

    void preferencesAreNamed()
    {
        App::SettingsDialog *dialog = window()->showSettings();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QString report;
        const bool ok = audited(dialog, report);
        dialog->close();
        QVERIFY2(ok, qPrintable(report));
    }

    void quickSwitcherIsNamed()
    {
        App::QuickSwitcher *dialog = window()->showQuickSwitcher();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QString report;
        const bool ok = audited(dialog, report);
        dialog->close();
        QVERIFY2(ok, qPrintable(report));
    }

    void postDialogIsNamed()
    {
        window()->showView(window()->postsView());
        window()->postsView()->createNew();
        auto *dialog = waitForChild<App::PostDialog>();
        QVERIFY(dialog);
        QString report;
        const bool ok = audited(dialog, report);
        dialog->reject();
        QVERIFY2(ok, qPrintable(report));
        QTRY_VERIFY(window()->findChild<App::PostDialog *>() == nullptr);
    }

    void postEditorIsNamed()
    {
        App::PostsView *posts = window()->postsView();
        window()->showView(posts);
        posts->editPost(m_app->postId);
        QTRY_VERIFY_WITH_TIMEOUT(posts->reader()->isEditing(), 10'000);
        QString report;
        const bool ok = audited(posts->reader()->editor(), report);
        posts->reader()->editor()->cancel();
        QVERIFY2(ok, qPrintable(report));
        QTRY_VERIFY(!posts->reader()->isEditing());
    }

    void subscriptionDialogIsNamed()
    {
        window()->showView(window()->subscriptionsView());
        window()->subscriptionsView()->createNew();
        auto *dialog = waitForChild<App::SubscriptionDialog>();
        QVERIFY(dialog);
        QString report;
        const bool ok = audited(dialog, report);
        dialog->reject();
        QVERIFY2(ok, qPrintable(report));
    }

    void apiKeyDialogIsNamed()
    {
        window()->showView(window()->usersView());
        window()->usersView()->createKey();
        auto *dialog = waitForChild<QDialog>(QStringLiteral("keyDialog"));
        QVERIFY(dialog);
        QString report;
        const bool ok = audited(dialog, report);
        dialog->reject();
        QVERIFY2(ok, qPrintable(report));
    }

    void backupsDialogIsNamed()
    {
        App::BackupsDialog *dialog = window()->showBackups();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QString report;
        const bool ok = audited(dialog, report);
        dialog->close();
        QVERIFY2(ok, qPrintable(report));
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    QTEST_SET_MAIN_SOURCE_PATH
    int failed = 0;
    for (const QString &language : {QStringLiteral("en"), QStringLiteral("de")}) {
        TestAppAccessibility test(language);
        failed += QTest::qExec(&test, argc, argv);
    }
    return failed;
}

#include "tst_appaccessibility.moc"
