#pragma once

#include "notifier.h"

#include <QIcon>
#include <QObject>

class QAbstractItemModel;
class QMenu;
class QSystemTrayIcon;

namespace Outpost::App {

class ServersModel;

// The system tray icon (where there is a tray): its icon and tooltip tell whether every server
// is up, its menu lists the servers (a click switches) with Show and Quit, and it shows the
// Notifier's notifications; a click on one asks to open its item. It only displays: what to
// notify is the Notifier's decision.
class TrayIcon final : public QObject
{
    Q_OBJECT

public:
    enum class Overall { Unknown, AllUp, SomeDown };

    TrayIcon(ServersModel *servers, QObject *parent = nullptr);
    ~TrayIcon() override;

    // False on platforms without a tray (offscreen, some desktops): then nothing is shown.
    bool isAvailable() const { return m_tray != nullptr; }
    void showNotification(const Notification &notification);
    // What the icon shows, from the servers' health.
    static Overall overall(const ServersModel *servers);
    // "All servers are up", "1 of 3 servers is down", ...
    static QString summary(const ServersModel *servers);

Q_SIGNALS:
    void switchRequested(const QString &serverId);
    void showRequested();
    void quitRequested();
    void notificationClicked(const Outpost::App::Notification &notification);

private:
    void update();
    void rebuildMenu();

    ServersModel *m_servers;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    Notification m_last;
    Overall m_shown = Overall::Unknown;
};

} // namespace Outpost::App
