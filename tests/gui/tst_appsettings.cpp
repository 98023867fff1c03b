// Settings ▸ Preferences…, offscreen: the dark theme is a real dark palette on the Fusion style
// across the application (and light and "follow the system" undo it), the language is kept for
// the next start, and the notification choices reach the Notifier and QSettings.
#include "mainwindow.h"
#include "notify/notifier.h"
#include "settings/appearance.h"
#include "settings/settingsdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QListView>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTest>

using namespace Outpost;

class TestAppSettings final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App::MainWindow> m_window;
    QString m_startStyle;

    App::SettingsDialog *open()
    {
        App::SettingsDialog *dialog = m_window->showSettings();
        return dialog;
    }
    static void choose(QComboBox *box, const QString &data)
    {
        box->setCurrentIndex(box->findData(data));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_startStyle = QApplication::style()->name();
        m_window = std::make_unique<App::MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
    }

    void cleanupTestCase() { m_window.reset(); }

    void darkThemeIsADarkPaletteAppWide()
    {
        QVERIFY(!App::Appearance::isDark(QApplication::palette()));
        App::SettingsDialog *dialog = open();
        auto *theme = dialog->findChild<QComboBox *>(QStringLiteral("theme"));
        QCOMPARE(theme->currentData().toString(), QStringLiteral("system"));
        QCOMPARE(theme->accessibleName(), QStringLiteral("Theme"));
        choose(theme, QStringLiteral("dark"));
        dialog->save();
        dialog->close();
        QCOMPARE(QSettings().value(QStringLiteral("theme")).toString(), QStringLiteral("dark"));
        QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
        QVERIFY(App::Appearance::isDark(QApplication::palette()));
        // Every widget follows, the servers list and the window included.
        // (the palette change reaches widgets as an event).
        QTRY_VERIFY(App::Appearance::isDark(m_window->palette()));
        auto *servers = m_window->findChild<QListView *>(QStringLiteral("serversList"));
        QTRY_VERIFY(servers->palette().color(QPalette::Base).lightness() < 64);
        QVERIFY(servers->palette().color(QPalette::Text).lightness() > 192);
        // Disabled text stays readable but distinct.
        const QPalette palette = QApplication::palette();
        QVERIFY(palette.color(QPalette::Disabled, QPalette::Text)
            != palette.color(QPalette::Active, QPalette::Text));
        // The next start reads it back.
        QCOMPARE(App::Appearance::theme(), App::Appearance::Theme::Dark);
    }

    void lightAndSystemUndoIt()
    {
        App::SettingsDialog *dialog = open();
        auto *theme = dialog->findChild<QComboBox *>(QStringLiteral("theme"));
        QCOMPARE(theme->currentData().toString(), QStringLiteral("dark"));
        choose(theme, QStringLiteral("light"));
        dialog->save();
        dialog->close();
        QVERIFY(!App::Appearance::isDark(QApplication::palette()));
        QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
        dialog = open();
        choose(dialog->findChild<QComboBox *>(QStringLiteral("theme")), QStringLiteral("system"));
        dialog->save();
        dialog->close();
        QCOMPARE(QApplication::style()->name(), m_startStyle);
        QVERIFY(!App::Appearance::isDark(QApplication::palette()));
    }

    void languageIsKeptForTheNextStart()
    {
        App::SettingsDialog *dialog = open();
        auto *language = dialog->findChild<QComboBox *>(QStringLiteral("language"));
        QCOMPARE(language->currentData().toString(), QString()); // follow the system
        choose(language, QStringLiteral("de"));
        dialog->save();
        dialog->close();
        QCOMPARE(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("de"));
        dialog = open();
        QCOMPARE(dialog->findChild<QComboBox *>(QStringLiteral("language"))->currentText(),
            QStringLiteral("Deutsch"));
        dialog->close();
    }

    void notificationChoicesReachTheNotifier()
    {
        App::SettingsDialog *dialog = open();
        auto *runs = dialog->findChild<QCheckBox *>(QStringLiteral("notifyRunFailed"));
        auto *users = dialog->findChild<QCheckBox *>(QStringLiteral("notifyUserRegistered"));
        QVERIFY(runs->isChecked());
        QVERIFY(users->isChecked());
        // No tray offscreen: nothing to close to, and the box says so by being off.
        QVERIFY(!dialog->findChild<QCheckBox *>(QStringLiteral("closeToTray"))->isEnabled());
        users->setChecked(false);
        dialog->save();
        dialog->close();
        QVERIFY(!m_window->notifier()->choices().userRegistered);
        QVERIFY(m_window->notifier()->choices().runFailed);
        QCOMPARE(QSettings().value(QStringLiteral("notify/userRegistered")).toBool(), false);
        QVERIFY(!App::NotificationChoices::load().userRegistered);
    }
};

QTEST_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
