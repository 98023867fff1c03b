// The app without a mouse, offscreen, against the embedded server: every view reached with its
// shortcut and Ctrl+K, Tab and Shift+Tab through every control of every view and dialog in
// reading order and back without a trap, a post opened, preferences opened and closed, and a
// sign-in started and finished, with key events only (sent to whatever has the focus).
#include "accessibilityaudit.h"
#include "appfixture.h"
#include "connection/connectdialog.h"
#include "models/pipelinesmodel.h"
#include "models/postsmodel.h"
#include "models/subscriptionsmodel.h"
#include "models/usersmodel.h"
#include "settings/settingsdialog.h"
#include "switcher/quickswitcher.h"
#include "views/dashboardview.h"
#include "views/filesview.h"
#include "views/pipelinesview.h"
#include "views/postdialog.h"
#include "views/posteditor.h"
#include "views/postreader.h"
#include "views/postsview.h"
#include "views/subscriptionsview.h"
#include "views/usersview.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QVBoxLayout>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

constexpr int kMaxStops = 200;

// Where a key goes: the focused widget, else the active (modal) window.
QWidget *keyTarget()
{
    if (!QApplication::activeWindow()) {
        // When a dialog closes, the window manager activates the window below it; the
        // offscreen platform has none, so this does it.
        for (QWidget *top : QApplication::topLevelWidgets()) {
            if (qobject_cast<QMainWindow *>(top) && top->isVisible())
                QApplication::setActiveWindow(top);
        }
    }
    if (QWidget *focus = QApplication::focusWidget())
        return focus;
    if (QWidget *modal = QApplication::activeModalWidget())
        return modal;
    return QApplication::activeWindow();
}

void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWidget *target = keyTarget();
    QVERIFY2(target, "nothing has the keyboard");
    QTest::keyClick(target, Qt::Key(key), modifiers);
}

void pressShortcut(const QKeySequence &sequence)
{
    QVERIFY2(!sequence.isEmpty(), "no shortcut");
    const QKeyCombination combination = sequence[0];
    press(combination.key(), combination.keyboardModifiers());
}

void type(const QString &text)
{
    QWidget *target = keyTarget();
    QVERIFY2(target, "nothing has the keyboard");
    QTest::keyClicks(target, text);
}

QRect geometryIn(const QWidget *widget, const QWidget *top)
{
    return QRect(widget->mapTo(top, QPoint(0, 0)), widget->size());
}

// The controls under `top` Tab can stop at: shown, enabled, taking the focus by Tab, and not
// standing in for another (a combo box's line edit is the combo box).
QList<QWidget *> tabStops(QWidget *top)
{
    QList<QWidget *> stops;
    for (QWidget *widget : top->findChildren<QWidget *>()) {
        if (widget->window() != top || !widget->isVisible() || !widget->isEnabled()
            || !(widget->focusPolicy() & Qt::TabFocus) || widget->focusProxy())
            continue;
        stops.append(widget);
    }
    return stops;
}

QString names(const QList<QWidget *> &widgets)
{
    QStringList list;
    for (const QWidget *widget : widgets)
        list << describeWidget(widget);
    return list.join(QStringLiteral(", "));
}

// Tab (or Shift+Tab) from the focused widget until the focus is back there. Fails on a stop
// that keeps the focus, a loop that never returns, or the focus leaving `top`.
QList<QWidget *> tabCycle(QWidget *top, bool backwards, QString &error)
{
    QList<QWidget *> visited {QApplication::focusWidget()};
    if (!visited.first() || visited.first()->window() != top) {
        error = QStringLiteral("the focus is not in %1").arg(describeWidget(top));
        return visited;
    }
    for (int i = 0; i < kMaxStops; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab,
            backwards ? Qt::ShiftModifier : Qt::NoModifier);
        QWidget *now = QApplication::focusWidget();
        if (!now || now->window() != top) {
            error = QStringLiteral("the focus left %1 after %2")
                        .arg(describeWidget(top), describeWidget(visited.last()));
            return visited;
        }
        if (now == visited.first())
            return visited;
        if (now == visited.last()) {
            error = QStringLiteral("Tab is trapped in %1").arg(describeWidget(now));
            return visited;
        }
        if (visited.contains(now)) {
            error = QStringLiteral("Tab loops back to %1 without reaching %2 again")
                        .arg(describeWidget(now), describeWidget(visited.first()));
            return visited;
        }
        visited.append(now);
    }
    error = QStringLiteral("%1 Tab stops and not back to the start").arg(kMaxStops);
    return visited;
}

// Reading order: the next stop is below or to the right of this one; going back up is fine
// only into a column further right (a toolbar's search box after the list under it is not).
// Around the whole cycle that happens once, where it wraps from the last stop to the first.
QStringList orderProblems(const QList<QWidget *> &cycle, QWidget *top)
{
    QStringList problems;
    for (qsizetype i = 0; i < cycle.size(); ++i) {
        QWidget *from = cycle.at(i);
        QWidget *to = cycle.at((i + 1) % cycle.size());
        const QRect a = geometryIn(from, top);
        const QRect b = geometryIn(to, top);
        if (b.bottom() < a.top() && b.left() < a.right())
            problems << QStringLiteral("%1 → %2 goes back up")
                            .arg(describeWidget(from), describeWidget(to));
    }
    return problems.size() > 1 ? problems : QStringList();
}

} // namespace

class TestAppKeyboard final : public QObject
{
    Q_OBJECT

private:
    AppFixture m_app;

    App::MainWindow *window() const { return m_app.window(); }

    QList<App::View *> views() const
    {
        return {window()->dashboardView(), window()->postsView(), window()->usersView(),
            window()->filesView(), window()->pipelinesView(), window()->subscriptionsView()};
    }

    QAction *action(const QString &name) const { return window()->findChild<QAction *>(name); }

    // Tab around `top` both ways: every stop reached, in reading order, back the same way.
    void walk(QWidget *top)
    {
        QString error;
        const QList<QWidget *> forward = tabCycle(top, false, error);
        QVERIFY2(
            error.isEmpty(), qPrintable(error + QStringLiteral("\nvisited: ") + names(forward)));
        QList<QWidget *> missed;
        for (QWidget *stop : tabStops(top)) {
            if (!forward.contains(stop))
                missed << stop;
        }
        QVERIFY2(missed.isEmpty(),
            qPrintable(QStringLiteral("never reached by Tab: ") + names(missed)
                + QStringLiteral("\nvisited: ") + names(forward)));
        const QStringList disorder = orderProblems(forward, top);
        QVERIFY2(disorder.isEmpty(), qPrintable(disorder.join(QLatin1Char('\n'))));
        const QList<QWidget *> backward = tabCycle(top, true, error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QList<QWidget *> expected {forward.first()};
        for (qsizetype i = forward.size() - 1; i > 0; --i)
            expected << forward.at(i);
        QVERIFY2(backward == expected,
            qPrintable(QStringLiteral("Shift+Tab: ") + names(backward)
                + QStringLiteral("\nTab reversed: ") + names(expected)));
    }

    // The dialog of this type once it is shown, active and has a focused control (the
    // keyboard is there); nullptr if it does not come.
    template<typename T> T *activeDialog() const
    {
        T *dialog = nullptr;
        const bool ready = QTest::qWaitFor(
            [&] {
                dialog = window()->findChild<T *>();
                return dialog && dialog->isVisible() && QApplication::activeWindow() == dialog
                    && QApplication::focusWidget()
                    && QApplication::focusWidget()->window() == dialog;
            },
            10'000);
        return ready ? dialog : nullptr;
    }

    // Keys until `widget` has the focus (Tab only); false if it never comes.
    static bool tabTo(const QWidget *widget)
    {
        for (int i = 0; i < kMaxStops && QApplication::focusWidget() != widget; ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        return QApplication::focusWidget() == widget;
    }

    // F5 (View ▸ Refresh) reads the view's data again, then it is waited for.
    void waitForData(App::View *view)
    {
        press(Qt::Key_F5);
        if (view == window()->postsView()) {
            QTRY_VERIFY_WITH_TIMEOUT(
                window()->postsView()->model()->rowOfId(m_app.postId) >= 0, 10'000);
        } else if (view == window()->usersView()) {
            QTRY_VERIFY_WITH_TIMEOUT(window()->usersView()->usersModel()->rowCount() > 0, 10'000);
        } else if (view == window()->filesView()) {
            QTRY_VERIFY_WITH_TIMEOUT(!window()->filesView()->listedPaths().isEmpty(), 10'000);
        } else if (view == window()->pipelinesView()) {
            QTRY_VERIFY_WITH_TIMEOUT(
                window()->pipelinesView()->pipelinesModel()->rowCount() > 0, 10'000);
        } else if (view == window()->subscriptionsView()) {
            QTRY_VERIFY_WITH_TIMEOUT(
                window()->subscriptionsView()->subscriptionsModel()->rowCount() > 0, 10'000);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY2(m_app.start(), "the embedded server did not start");
        QVERIFY(m_app.seed());
        QApplication::setActiveWindow(window());
        QVERIFY(QTest::qWaitForWindowActive(window()));
        QVERIFY(QApplication::focusWidget()); // something has the keyboard from the start
    }

    void cleanupTestCase() { QSettings().clear(); }

    void walkFindsATrap()
    {
        // The walk itself: a text field that takes Tab as text, and a list that moves its
        // cursor with Tab, keep the focus forever.
        QDialog dialog;
        auto *layout = new QVBoxLayout(&dialog);
        auto *field = new QLineEdit(&dialog);
        auto *text = new QPlainTextEdit(&dialog);
        text->setObjectName(QStringLiteral("editor"));
        layout->addWidget(field);
        layout->addWidget(text);
        dialog.show();
        QApplication::setActiveWindow(&dialog);
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        field->setFocus();
        QString error;
        tabCycle(&dialog, false, error);
        QVERIFY2(
            error.contains(QStringLiteral("trapped in QPlainTextEdit#editor")), qPrintable(error));
        text->setTabChangesFocus(true);
        field->setFocus();
        error.clear();
        QCOMPARE(tabCycle(&dialog, false, error).size(), 2);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        dialog.close();
        QApplication::setActiveWindow(window());
    }

    void viewShortcutsSwitchViews()
    {
        auto *sidebar = window()->findChild<QListWidget *>(QStringLiteral("sidebar"));
        for (int i = int(views().size()) - 1; i >= 0; --i) {
            press(Qt::Key_1 + i, Qt::ControlModifier);
            QCOMPARE(sidebar->currentRow(), i);
            QVERIFY(views().at(i)->isVisible());
        }
    }

    void quickSwitcherGoesToAViewAndEscapeCloses()
    {
        press(Qt::Key_K, Qt::ControlModifier);
        QVERIFY(activeDialog<App::QuickSwitcher>());
        QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("quickSwitcherInput"));
        type(QStringLiteral("Pipelines"));
        press(Qt::Key_Return);
        QVERIFY(window()->pipelinesView()->isVisible());
        QTRY_VERIFY(window()->findChild<App::QuickSwitcher *>() == nullptr);
        // Escape leaves it without going anywhere, the focus back in the window.
        press(Qt::Key_K, Qt::ControlModifier);
        QVERIFY(activeDialog<App::QuickSwitcher>());
        type(QStringLiteral("Users"));
        press(Qt::Key_Escape);
        QTRY_VERIFY(window()->findChild<App::QuickSwitcher *>() == nullptr);
        QVERIFY(window()->pipelinesView()->isVisible());
        QWidget *target = keyTarget();
        QCOMPARE(target, QApplication::focusWidget()); // back in the window, on a control
        QCOMPARE(target->window(), window());
    }

    void tabReachesEveryControlOfEveryView_data()
    {
        QTest::addColumn<int>("view");
        const QStringList names {QStringLiteral("dashboard"), QStringLiteral("posts"),
            QStringLiteral("users"), QStringLiteral("files"), QStringLiteral("pipelines"),
            QStringLiteral("subscriptions")};
        for (int i = 0; i < names.size(); ++i)
            QTest::newRow(qPrintable(names.at(i))) << i;
    }

    void tabReachesEveryControlOfEveryView()
    {
        QFETCH(int, view);
        press(Qt::Key_1 + view, Qt::ControlModifier);
        QVERIFY(views().at(view)->isVisible());
        waitForData(views().at(view));
        if (QTest::currentTestFailed())
            return;
        walk(window());
    }

    void opensAPostWithTheKeyboard()
    {
        press(Qt::Key_2, Qt::ControlModifier);
        App::PostsView *posts = window()->postsView();
        waitForData(posts);
        QVERIFY(tabTo(posts->table()));
        // Arrows choose a post and the reading pane shows it; Enter edits it there.
        press(Qt::Key_Home);
        for (int i = 0; i < posts->model()->rowCount() && posts->reader()->postId() != m_app.postId;
             ++i)
            press(Qt::Key_Down);
        QCOMPARE(posts->reader()->postId(), m_app.postId);
        press(Qt::Key_Return);
        QTRY_VERIFY(posts->reader()->isEditing());
        App::PostEditor *editor = posts->reader()->editor();
        QTRY_COMPARE(editor->titleEdit()->text(), QStringLiteral("Lighthouse maintenance"));
        QTRY_COMPARE(keyTarget(), editor->titleEdit());
        // Esc with nothing changed leaves the editor without asking.
        press(Qt::Key_Escape);
        QTRY_VERIFY(!posts->reader()->isEditing());
        QVERIFY(window()->findChild<QMessageBox *>() == nullptr);
    }

    void quickSwitcherOpensAPostByTitle()
    {
        press(Qt::Key_1, Qt::ControlModifier);
        press(Qt::Key_K, Qt::ControlModifier);
        QVERIFY(activeDialog<App::QuickSwitcher>());
        type(QStringLiteral("Lighthouse"));
        auto *results = window()->findChild<QListWidget *>(QStringLiteral("quickSwitcherResults"));
        QVERIFY(results);
        QTRY_VERIFY_WITH_TIMEOUT(results->count() > 0, 10'000);
        press(Qt::Key_Return);
        // The post opens in the reading pane of the Posts view.
        QTRY_VERIFY(window()->postsView()->isVisible());
        QTRY_COMPARE(window()->postsView()->reader()->postId(), m_app.postId);
    }

    void opensPreferencesAndClosesThem()
    {
        QAction *preferences = action(QStringLiteral("preferences"));
        QVERIFY(preferences);
        pressShortcut(preferences->shortcut());
        auto *dialog = activeDialog<App::SettingsDialog>();
        QVERIFY(dialog);
        walk(dialog);
        press(Qt::Key_Escape);
        QTRY_VERIFY(window()->findChild<App::SettingsDialog *>() == nullptr);
    }

    void menusOpenFromTheKeyboard()
    {
        // Alt+<mnemonic> opens a menu; Escape closes it again.
        press(Qt::Key_V, Qt::AltModifier);
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) != nullptr);
        QVERIFY(menu->actions().contains(action(QStringLiteral("goTo"))));
        press(Qt::Key_Escape);
        QTRY_VERIFY(QApplication::activePopupWidget() == nullptr);
    }

    void startsASignInWithTheKeyboard()
    {
        // A user of the embedded server, signed in to over HTTP like any remote server.
        UserCreate user;
        user.email = QStringLiteral("keys@example.org");
        user.username = QStringLiteral("keys");
        user.password = QStringLiteral("Keyboard-Only-42");
        const auto created = awaitReply(m_app.client()->users().create(user));
        QVERIFY(created && *created);
        const QUrl url = window()->session()->url();

        press(Qt::Key_O, Qt::ControlModifier | Qt::ShiftModifier);
        auto *dialog = activeDialog<App::ConnectDialog>();
        QVERIFY(dialog);
        walk(dialog);
        // The server URL by its mnemonic, then Tab from field to field.
        press(Qt::Key_U, Qt::AltModifier);
        QCOMPARE(
            QApplication::focusWidget(), dialog->findChild<QLineEdit *>(QStringLiteral("url")));
        type(url.toString());
        press(Qt::Key_Tab);
        QCOMPARE(
            QApplication::focusWidget(), dialog->findChild<QLineEdit *>(QStringLiteral("email")));
        type(user.email);
        press(Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(),
            dialog->findChild<QLineEdit *>(QStringLiteral("password")));
        type(user.password);
        QSignalSpy connected(window(), &App::MainWindow::sessionStarted);
        press(Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15'000);
        QCOMPARE(window()->session()->mode(), App::Session::Mode::Remote);
        QTRY_VERIFY(window()->session()->user().has_value());
        QCOMPARE(window()->session()->user()->email, user.email);
    }
};

QTEST_MAIN(TestAppKeyboard)
#include "tst_appkeyboard.moc"
