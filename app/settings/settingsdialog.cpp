#include "settingsdialog.h"

#include "appearance.h"
#include "notify/notifier.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

namespace Outpost::App {

SettingsDialog::SettingsDialog(Notifier *notifier, bool trayAvailable, QWidget *parent)
    : QDialog(parent)
    , m_notifier(notifier)
    , m_language(new QComboBox(this))
    , m_theme(new QComboBox(this))
    , m_closeToTray(new QCheckBox(tr("&Close to the tray"), this))
    , m_runFailed(new QCheckBox(tr("A pipeline &run failed"), this))
    , m_userRegistered(new QCheckBox(tr("A new &user registered"), this))
    , m_deliveryFailed(new QCheckBox(tr("A &webhook delivery failed"), this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Preferences"));
    QSettings settings;

    m_language->setObjectName(QStringLiteral("language"));
    m_language->setAccessibleName(tr("Language"));
    m_language->addItem(tr("Follow the system"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->setCurrentIndex(
        std::max(0, m_language->findData(settings.value(QStringLiteral("language")).toString())));

    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->addItem(tr("Follow the system"), Appearance::key(Appearance::Theme::System));
    m_theme->addItem(tr("Light"), Appearance::key(Appearance::Theme::Light));
    m_theme->addItem(tr("Dark"), Appearance::key(Appearance::Theme::Dark));
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(Appearance::key(Appearance::theme()))));

    m_closeToTray->setObjectName(QStringLiteral("closeToTray"));
    m_closeToTray->setChecked(settings.value(QStringLiteral("closeToTray")).toBool());
    m_closeToTray->setEnabled(trayAvailable);
    m_closeToTray->setAccessibleDescription(trayAvailable
            ? tr("Closing the window keeps Outpost in the tray, watching the servers.")
            : tr("This desktop has no tray."));

    const NotificationChoices choices = notifier->choices();
    m_runFailed->setObjectName(QStringLiteral("notifyRunFailed"));
    m_runFailed->setChecked(choices.runFailed);
    m_userRegistered->setObjectName(QStringLiteral("notifyUserRegistered"));
    m_userRegistered->setChecked(choices.userRegistered);
    m_deliveryFailed->setObjectName(QStringLiteral("notifyDeliveryFailed"));
    m_deliveryFailed->setChecked(choices.deliveryFailed);

    auto *form = new QFormLayout;
    form->addRow(tr("&Language:"), m_language);
    auto *languageNote = new QLabel(tr("The language changes the next time Outpost starts."), this);
    languageNote->setWordWrap(true);
    form->addRow(QString(), languageNote);
    form->addRow(tr("&Theme:"), m_theme);
    form->addRow(QString(), m_closeToTray);
    if (!trayAvailable)
        form->addRow(QString(), new QLabel(tr("This desktop has no tray."), this));

    auto *notifications = new QGroupBox(tr("Desktop notifications"), this);
    auto *boxes = new QVBoxLayout(notifications);
    for (QCheckBox *box : {m_runFailed, m_userRegistered, m_deliveryFailed})
        boxes->addWidget(box);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(notifications);
    layout->addWidget(buttons);
}

void SettingsDialog::save()
{
    QSettings settings;
    settings.setValue(QStringLiteral("language"), m_language->currentData().toString());
    settings.setValue(QStringLiteral("closeToTray"), m_closeToTray->isChecked());
    const QString theme = m_theme->currentData().toString();
    Appearance::Theme chosen = Appearance::Theme::System;
    if (theme == Appearance::key(Appearance::Theme::Light)) {
        chosen = Appearance::Theme::Light;
    } else if (theme == Appearance::key(Appearance::Theme::Dark)) {
        chosen = Appearance::Theme::Dark;
    }
    Appearance::setTheme(chosen);
    Appearance::apply(chosen);
    NotificationChoices choices;
    choices.runFailed = m_runFailed->isChecked();
    choices.userRegistered = m_userRegistered->isChecked();
    choices.deliveryFailed = m_deliveryFailed->isChecked();
    choices.save();
    m_notifier->setChoices(choices);
}

} // namespace Outpost::App
