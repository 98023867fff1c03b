#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;

namespace Outpost::App {

class Notifier;

// Settings ▸ Preferences…: language (at the next start), theme (at once), close to the tray,
// and which desktop notifications to show. Stored with QSettings.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(Notifier *notifier, bool trayAvailable, QWidget *parent = nullptr);

    // Stores the choices and applies what applies now (theme, notifications).
    void save();

private:
    Notifier *m_notifier;
    QComboBox *m_language;
    QComboBox *m_theme;
    QCheckBox *m_closeToTray;
    QCheckBox *m_runFailed;
    QCheckBox *m_userRegistered;
    QCheckBox *m_deliveryFailed;
};

} // namespace Outpost::App
