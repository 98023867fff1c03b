#pragma once

#include <QList>
#include <QMainWindow>
#include <QMap>
#include <QPointer>

#include "connection/session.h"
#include "notify/notifier.h"

class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QVBoxLayout;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

class BackupsDialog;
class ConnectDialog;
class CredentialStore;
class DashboardView;
class EmbeddedServer;
class FilesView;
class QuickSwitcher;
class SettingsDialog;
class TrayIcon;
class HealthMonitor;
class ServersModel;
class ServersPanel;
class ServerStore;
class PipelinesView;
class PostsView;
class Session;
class StatusNotice;
class SubscriptionsView;
class UsersView;
class View;

// The admin console: a sidebar with Dashboard, Posts, Users, Files, Pipelines and
// Subscriptions, a status bar with the connection (embedded or remote, URL, user, latency, live
// or offline), a Connection menu to switch and an Admin menu (backups) for admins.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Where the embedded server keeps its data (default: the user's data directory).
    void setEmbeddedDataDir(const QString &dir) { m_embeddedDataDir = dir; }
    void setEmbeddedBcryptCost(int cost) { m_bcryptCost = cost; }
    // A server setting for the embedded server (name without OUTPOST_, e.g. "MAX_BODY_BYTES").
    void setEmbeddedSetting(const QString &name, const QString &value)
    {
        m_embeddedSettings.insert(name, value);
    }

    // "Work offline on this computer".
    void startEmbedded();
    // The connect dialog (non-modal); its result switches the session.
    ConnectDialog *showConnectDialog();
    // Opens what was used last (embedded or the connect dialog).
    void openInitialConnection();

    Session *session() const { return m_session; }
    DashboardView *dashboardView() const { return m_dashboard; }
    PostsView *postsView() const { return m_posts; }
    UsersView *usersView() const { return m_users; }
    FilesView *filesView() const { return m_files; }
    PipelinesView *pipelinesView() const { return m_pipelines; }
    SubscriptionsView *subscriptionsView() const { return m_subscriptions; }
    void showView(View *view);
    QString lastError() const;
    StatusNotice *statusNotice() const { return m_notice; }

    // The servers list (sidebar section "Servers"): every remembered deployment and the
    // offline server, with live health.
    ServerStore *servers() const { return m_servers; }
    HealthMonitor *healthMonitor() const { return m_health; }
    ServersModel *serversModel() const { return m_serversModel; }
    ServersPanel *serversPanel() const { return m_serversPanel; }
    // The server the current session is on (ServerStore::kOfflineId for the offline one).
    QString currentServer() const { return m_currentServer; }
    // Switches to a server of the list: the offline server starts; a remote one signs in with
    // its saved sign-in (the connect dialog asks for the password when there is none). The
    // view last shown for it comes back.
    void switchToServer(const QString &id);

    // Decides the desktop notifications of the current server; the tray shows them.
    Notifier *notifier() const { return m_notifier; }
    TrayIcon *trayIcon() const { return m_tray; }
    // What a click on a notification does: the window comes up at the item (switching to its
    // server first when needed).
    void openNotification(const Notification &notification);
    // Settings ▸ Close to tray (and a tray to close to).
    bool closesToTray() const;
    // Leaves the app even when it closes to the tray.
    void quit();
    // Settings ▸ Preferences…
    SettingsDialog *showSettings();
    // View ▸ Go to… (Ctrl+K): servers, views and posts by title.
    QuickSwitcher *showQuickSwitcher();

    // Admin ▸ Backups…: the backups of the current server (one dialog, raised if open).
    BackupsDialog *showBackups();
    // Admin ▸ Back up now: the same dialog, starting a backup.
    BackupsDialog *backUpNow();

Q_SIGNALS:
    void sessionStarted();
    void connectionFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setSession(Session *session, const QString &email = {});
    void createMenus();
    void showError(const QString &message);
    void updateStatus();
    void updateAdminMenu();
    View *currentView() const;
    void showAbout();
    void setupServers();
    void updateHealthTargets();
    void setupNotifications();
    void openItem(const Notification &notification);
    // An audit entry's object ("user", "post", "run", ...) in its view.
    void openObject(const QString &type, const QString &id);

    CredentialStore *m_credentials;
    EmbeddedServer *m_embedded = nullptr;
    QString m_embeddedDataDir;
    int m_bcryptCost = 0;
    QMap<QString, QString> m_embeddedSettings;
    QPointer<Session> m_session;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    QLabel *m_banner;
    DashboardView *m_dashboard;
    PostsView *m_posts;
    UsersView *m_users;
    FilesView *m_files;
    PipelinesView *m_pipelines;
    SubscriptionsView *m_subscriptions;
    QList<View *> m_views;
    QMenu *m_adminMenu = nullptr;
    QPointer<BackupsDialog> m_backups;
    QLabel *m_modeLabel;
    QLabel *m_userLabel;
    QLabel *m_latencyLabel;
    QLabel *m_liveLabel;
    StatusNotice *m_notice = nullptr;
    qint64 m_latencyMs = -1;
    ServerStore *m_servers;
    HealthMonitor *m_health;
    ServersModel *m_serversModel;
    ServersPanel *m_serversPanel;
    QString m_currentServer;
    QUrl m_embeddedUrl;
    Notifier *m_notifier;
    TrayIcon *m_tray;
    bool m_quitting = false;
};

} // namespace Outpost::App
