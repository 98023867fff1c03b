#include "mainwindow.h"

#include "client/apiclient.h"
#include "client/eventstream.h"
#include "connection/connectdialog.h"
#include "connection/credentialstore.h"
#include "connection/embeddedserver.h"
#include "connection/recentconnections.h"
#include "connection/session.h"
#include "connection/ssosignin.h"
#include "core/version.h"
#include "notify/trayicon.h"
#include "servers/healthmonitor.h"
#include "servers/serversmodel.h"
#include "servers/serverspanel.h"
#include "servers/serverstore.h"
#include "settings/settingsdialog.h"
#include "switcher/quickswitcher.h"
#include "views/backupsdialog.h"
#include "views/dashboardview.h"
#include "views/filesview.h"
#include "views/pipelinesview.h"
#include "views/postsview.h"
#include "views/subscriptionsview.h"
#include "views/usersview.h"
#include "widgets/statusnotice.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace Outpost::App {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_credentials(new CredentialStore(this))
    , m_embeddedDataDir(EmbeddedServer::defaultDataDir())
    , m_sidebar(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_banner(new QLabel(this))
    , m_dashboard(new DashboardView(this))
    , m_posts(new PostsView(this))
    , m_users(new UsersView(this))
    , m_files(new FilesView(this))
    , m_pipelines(new PipelinesView(this))
    , m_subscriptions(new SubscriptionsView(this))
    , m_modeLabel(new QLabel(this))
    , m_userLabel(new QLabel(this))
    , m_latencyLabel(new QLabel(this))
    , m_liveLabel(new QLabel(this))
    , m_servers(new ServerStore(this))
    , m_health(new HealthMonitor(this))
    , m_serversModel(new ServersModel(m_servers, m_health, this))
    , m_serversPanel(new ServersPanel(m_servers, m_serversModel, this))
    , m_notifier(new Notifier(this))
    , m_tray(new TrayIcon(m_serversModel, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Outpost"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/outpost.svg")));

    m_views = {m_dashboard, m_posts, m_users, m_files, m_pipelines, m_subscriptions};
    const QStringList names {tr("Dashboard"), tr("Posts"), tr("Users"), tr("Files"),
        tr("Pipelines"), tr("Subscriptions")};
    const QStringList icons {QStringLiteral("dashboard"), QStringLiteral("posts"),
        QStringLiteral("users"), QStringLiteral("files"), QStringLiteral("pipelines"),
        QStringLiteral("subscriptions")};
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setIconSize(QSize(22, 22));
    m_sidebar->setAccessibleName(tr("Views"));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    for (int i = 0; i < m_views.size(); ++i) {
        auto *item = new QListWidgetItem(
            QIcon(QStringLiteral(":/icons/%1.svg").arg(icons.at(i))), names.at(i), m_sidebar);
        item->setSizeHint(QSize(0, 36));
        m_stack->addWidget(m_views.at(i));
        connect(m_views.at(i), &View::errorOccurred, this,
            [this, view = m_views.at(i)](const QString &message) {
                // Another page's trouble goes to the status bar only.
                if (view == currentView()) {
                    showError(message);
                    return;
                }
                m_notice->showNotice(message);
            });
        connect(m_views.at(i), &View::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 5'000); });
    }
    // The dashboard's audit entries and failing pipelines open their object in its view.
    connect(m_dashboard, &DashboardView::openRequested, this, &MainWindow::openObject);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        m_banner->hide();
        if (!m_currentServer.isEmpty() && row >= 0)
            ServerStore::setLastView(m_currentServer, row);
    });
    m_sidebar->setCurrentRow(0);

    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral(
        "background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bd; padding: 6px;"));
    m_banner->hide();

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    // The left column: the views of the current server, then the servers list.
    auto *left = new QWidget(central);
    left->setObjectName(QStringLiteral("leftColumn"));
    left->setFixedWidth(220);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    m_sidebar->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_sidebar->setFixedHeight(int(m_views.size()) * (36 + 2 * m_sidebar->spacing()) + 8);
    leftLayout->addWidget(m_sidebar);
    leftLayout->addWidget(m_serversPanel, 1);
    layout->addWidget(left);
    auto *right = new QVBoxLayout;
    right->setContentsMargins(6, 6, 6, 0);
    right->addWidget(m_banner);
    right->addWidget(m_stack);
    layout->addLayout(right);
    setCentralWidget(central);

    m_notice = new StatusNotice(this);
    statusBar()->addWidget(m_notice, 1);
    for (QLabel *label : {m_modeLabel, m_userLabel, m_latencyLabel, m_liveLabel})
        statusBar()->addPermanentWidget(label);
    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    m_userLabel->setObjectName(QStringLiteral("userLabel"));
    m_latencyLabel->setObjectName(QStringLiteral("latencyLabel"));
    m_liveLabel->setObjectName(QStringLiteral("liveLabel"));

    connect(
        m_credentials, &CredentialStore::keychainUnavailable, this, [this](const QString &reason) {
            // Plain words in the bar; what QtKeychain said (often about D-Bus) on hover.
            m_notice->showNotice(
                tr("Passwords are not remembered on this computer: no keychain found"),
                tr("Sign-ins are kept only until Outpost quits.\nDetails: %1").arg(reason), 30'000);
        });

    setupServers();
    setupNotifications();
    createMenus();
    updateStatus();
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1100, 700);
}

MainWindow::~MainWindow()
{
    delete m_session;
    if (m_embedded)
        m_embedded->stop();
}

void MainWindow::createMenus()
{
    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    QAction *offline = connection->addAction(
        QIcon(QStringLiteral(":/icons/computer.svg")), tr("Work &offline on this computer"));
    connect(offline, &QAction::triggered, this, &MainWindow::startEmbedded);
    QAction *remote = connection->addAction(
        QIcon(QStringLiteral(":/icons/server.svg")), tr("&Connect to a server…"));
    remote->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(remote, &QAction::triggered, this, &MainWindow::showConnectDialog);
    QAction *signOut = connection->addAction(tr("&Sign out"));
    connect(signOut, &QAction::triggered, this, [this] {
        if (!m_session)
            return;
        m_session->client()->auth().logout();
        if (m_session->mode() == Session::Mode::Remote && m_session->user()) {
            SsoSignIn::offerProviderSignOut(
                this, {m_session->url(), m_session->user()->email}, systemBrowser());
        }
        setSession(nullptr);
    });
    connection->addSeparator();
    QAction *quit = connection->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &MainWindow::quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *refresh =
        view->addAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Refresh"));
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QAction::triggered, this, [this] {
        if (View *current = currentView())
            current->refresh();
    });
    QAction *search = view->addAction(tr("&Search"));
    search->setShortcut(QKeySequence::Find);
    connect(search, &QAction::triggered, this, [this] {
        if (View *current = currentView())
            current->focusSearch();
    });
    QAction *create = view->addAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&New…"));
    create->setShortcut(QKeySequence::New);
    connect(create, &QAction::triggered, this, [this] {
        if (View *current = currentView())
            current->createNew();
    });
    QAction *remove = view->addAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Delete"));
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WindowShortcut);
    connect(remove, &QAction::triggered, this, [this] {
        if (View *current = currentView())
            current->deleteSelected();
    });
    QAction *goTo = view->addAction(tr("&Go to…"));
    goTo->setObjectName(QStringLiteral("goTo"));
    goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(goTo, &QAction::triggered, this, &MainWindow::showQuickSwitcher);
    view->addSeparator();
    for (int i = 0; i < m_views.size(); ++i) {
        QAction *go = view->addAction(m_sidebar->item(i)->text());
        go->setShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + i)));
        connect(go, &QAction::triggered, this, [this, i] { m_sidebar->setCurrentRow(i); });
    }

    m_adminMenu = menuBar()->addMenu(tr("&Admin"));
    m_adminMenu->setObjectName(QStringLiteral("adminMenu"));
    QAction *backUp = m_adminMenu->addAction(tr("&Back up now"));
    backUp->setObjectName(QStringLiteral("backUpNow"));
    connect(backUp, &QAction::triggered, this, &MainWindow::backUpNow);
    QAction *backups = m_adminMenu->addAction(tr("Back&ups…"));
    backups->setObjectName(QStringLiteral("showBackups"));
    connect(backups, &QAction::triggered, this, &MainWindow::showBackups);
    updateAdminMenu();

    QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
    QAction *preferences = settingsMenu->addAction(tr("&Preferences…"));
    preferences->setObjectName(QStringLiteral("preferences"));
    preferences->setShortcut(QKeySequence::Preferences);
    if (preferences->shortcut().isEmpty())
        preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);
    connect(preferences, &QAction::triggered, this, &MainWindow::showSettings);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    connect(
        help->addAction(tr("&About Outpost")), &QAction::triggered, this, &MainWindow::showAbout);
    connect(help->addAction(tr("About &Qt")), &QAction::triggered, qApp, &QApplication::aboutQt);
}

QuickSwitcher *MainWindow::showQuickSwitcher()
{
    QList<QuickSwitcher::Entry> fixed;
    for (int i = 0; i < m_views.size(); ++i)
        fixed.append({QuickSwitcher::Kind::View, QString::number(i), m_sidebar->item(i)->text()});
    for (const ServerEntry &entry : m_servers->servers())
        fixed.append({QuickSwitcher::Kind::Server, entry.id, m_serversModel->displayName(entry)});
    auto *switcher = new QuickSwitcher(fixed, m_session ? m_session->client() : nullptr, this);
    switcher->setAttribute(Qt::WA_DeleteOnClose);
    connect(switcher, &QuickSwitcher::chosen, this, [this](const QuickSwitcher::Entry &entry) {
        switch (entry.kind) {
        case QuickSwitcher::Kind::Server:
            switchToServer(entry.key);
            break;
        case QuickSwitcher::Kind::View:
            m_sidebar->setCurrentRow(entry.key.toInt());
            break;
        case QuickSwitcher::Kind::Post:
            showView(m_posts);
            m_posts->showPost(entry.key.toLongLong());
            break;
        }
    });
    switcher->open();
    return switcher;
}

SettingsDialog *MainWindow::showSettings()
{
    auto *dialog = new SettingsDialog(m_notifier, m_tray->isAvailable(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::updateAdminMenu()
{
    // The server refuses these to anyone else (403); the menu says so by being disabled.
    const bool admin = m_session && m_session->isAdmin();
    for (QAction *action : m_adminMenu->actions())
        action->setEnabled(admin);
}

BackupsDialog *MainWindow::showBackups()
{
    if (!m_session)
        return nullptr;
    if (!m_backups) {
        m_backups = new BackupsDialog(m_session->client(), this);
        m_backups->setAttribute(Qt::WA_DeleteOnClose);
        connect(
            m_backups, &BackupsDialog::backupFinished, this, [this](bool, const QString &message) {
                statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 10'000);
            });
    }
    m_backups->show();
    m_backups->raise();
    m_backups->activateWindow();
    return m_backups;
}

BackupsDialog *MainWindow::backUpNow()
{
    BackupsDialog *dialog = showBackups();
    if (dialog)
        dialog->startBackup();
    return dialog;
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Outpost"),
        tr("<h3>Outpost %1</h3>"
           "<p>A self-hosted API service and its admin console.</p>"
           "<p>Revision %2. Built with Qt %3.</p>"
           "<p>Outpost is free software under the MIT licence. It uses Qt (LGPL 3), "
           "QtKeychain (BSD), OpenSSL (Apache 2.0), SQLite (public domain) and http-parser "
           "(MIT); Swagger UI (Apache 2.0) is bundled with the server.</p>")
            .arg(QString::fromLatin1(kVersion), QString::fromLatin1(kGitRevision),
                QString::fromLatin1(qVersion())));
}

View *MainWindow::currentView() const
{
    return qobject_cast<View *>(m_stack->currentWidget());
}

void MainWindow::showView(View *view)
{
    m_sidebar->setCurrentRow(int(m_views.indexOf(view)));
}

QString MainWindow::lastError() const
{
    return m_banner->isVisibleTo(this) ? m_banner->text() : QString();
}

void MainWindow::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->show(); // the banner says it in full: not repeated, cut short, in the status bar
}

void MainWindow::startEmbedded()
{
    if (m_embedded && m_embedded->isRunning() && m_session
        && m_session->mode() == Session::Mode::Embedded)
        return;
    if (!m_embedded) {
        m_embedded = new EmbeddedServer(m_embeddedDataDir, this);
        if (m_bcryptCost > 0)
            m_embedded->setBcryptCost(m_bcryptCost);
        m_embedded->setSettings(m_embeddedSettings);
        connect(m_embedded, &EmbeddedServer::failed, this, [this](const QString &message) {
            showError(tr("The offline server did not start: %1").arg(message));
            Q_EMIT connectionFailed(message);
        });
        connect(m_embedded, &EmbeddedServer::started, this,
            [this](const QUrl &url, const QString &email, const QString &password) {
                m_embeddedUrl = url;
                m_health->setUrl(ServerStore::kOfflineId, url);
                auto *client = new Client::ApiClient;
                client->setBaseUrl(url);
                client->auth()
                    .login(email, password)
                    .then(this, [this, client](const Client::ApiResult<TokenPair> &tokens) {
                        if (!tokens) {
                            client->deleteLater(); // the call is its child, still emitting
                            showError(tr("Could not sign in to the offline server: %1")
                                          .arg(tokens.error().text()));
                            Q_EMIT connectionFailed(tokens.error().text());
                            return;
                        }
                        RecentConnections::setLastMode(QStringLiteral("embedded"));
                        setSession(new Session(Session::Mode::Embedded, client, this));
                    });
            });
    }
    statusBar()->showMessage(tr("Starting the offline server…"));
    if (m_embedded->isRunning()) {
        // Back to the embedded server after a remote session: sign in again.
        m_embedded->stop();
    }
    m_embedded->start();
}

ConnectDialog *MainWindow::showConnectDialog()
{
    auto *dialog = new ConnectDialog(m_credentials, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ConnectDialog::offlineChosen, this, &MainWindow::startEmbedded);
    connect(dialog, &ConnectDialog::remoteConnected, this,
        [this](Client::ApiClient *client, const QString &email) {
            setSession(new Session(Session::Mode::Remote, client, this), email);
        });
    dialog->open();
    return dialog;
}

void MainWindow::openInitialConnection()
{
    if (RecentConnections::lastMode() == QLatin1String("embedded")) {
        startEmbedded();
        return;
    }
    showConnectDialog();
}

void MainWindow::setupServers()
{
    connect(m_servers, &ServerStore::changed, this, &MainWindow::updateHealthTargets);
    connect(m_servers, &ServerStore::removed, this, [this](const ServerEntry &entry) {
        m_credentials->remove(RecentConnection {entry.url, entry.email}.keychainKey());
    });
    connect(m_serversPanel, &ServersPanel::switchRequested, this, &MainWindow::switchToServer);
    connect(m_serversPanel, &ServersPanel::addRequested, this, &MainWindow::showConnectDialog);
    updateHealthTargets();
}

void MainWindow::updateHealthTargets()
{
    QHash<QString, QUrl> targets;
    for (const ServerEntry &entry : m_servers->servers()) {
        targets.insert(entry.id, entry.isOffline() ? m_embeddedUrl : entry.url);
        if (!entry.isOffline())
            m_health->setPin(entry.id, RecentConnections::pin(entry.url));
    }
    m_health->setTargets(targets);
}

void MainWindow::setupNotifications()
{
    connect(m_notifier, &Notifier::notify, this, [this](const Notification &notification) {
        if (m_tray->isAvailable()) {
            m_tray->showNotification(notification);
        } else {
            statusBar()->showMessage(notification.title, 10'000);
        }
    });
    connect(m_tray, &TrayIcon::notificationClicked, this, &MainWindow::openNotification);
    connect(m_tray, &TrayIcon::switchRequested, this, [this](const QString &id) {
        showNormal();
        raise();
        activateWindow();
        switchToServer(id);
    });
    connect(m_tray, &TrayIcon::showRequested, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
}

bool MainWindow::closesToTray() const
{
    return m_tray->isAvailable() && QSettings().value(QStringLiteral("closeToTray")).toBool();
}

void MainWindow::quit()
{
    m_quitting = true;
    // A window in the tray is hidden: closing it would not end the app.
    const bool hidden = !isVisible();
    close();
    if (hidden)
        QCoreApplication::quit();
}

void MainWindow::openNotification(const Notification &notification)
{
    showNormal();
    raise();
    activateWindow();
    if (notification.serverId == m_currentServer && m_session) {
        openItem(notification);
        return;
    }
    // Its server first; the item once signed in there.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection =
        connect(this, &MainWindow::sessionStarted, this, [this, notification, connection] {
            disconnect(*connection);
            if (notification.serverId == m_currentServer)
                openItem(notification);
        });
    switchToServer(notification.serverId);
}

void MainWindow::openItem(const Notification &notification)
{
    switch (notification.kind) {
    case Notification::Kind::RunFailed:
        showView(m_pipelines);
        m_pipelines->showRun(notification.itemId);
        break;
    case Notification::Kind::UserRegistered:
        showView(m_users);
        break;
    case Notification::Kind::DeliveryFailed:
        showView(m_subscriptions);
        m_subscriptions->selectSubscription(notification.itemId);
        break;
    }
}

void MainWindow::openObject(const QString &type, const QString &id)
{
    const qint64 number = id.toLongLong();
    if (type == u"user") {
        showView(m_users);
        m_users->showUser(number);
    } else if (type == u"api_key") {
        showView(m_users);
        m_users->showApiKey(number);
    } else if (type == u"post") {
        showView(m_posts);
        m_posts->showPost(number);
    } else if (type == u"file") {
        showView(m_files);
        m_files->selectPath(id);
    } else if (type == u"run") {
        showView(m_pipelines);
        m_pipelines->showRun(number);
    } else if (type == u"pipeline") {
        showView(m_pipelines); // the list; a deleted pipeline is not in it any more
    } else if (type == u"subscription") {
        showView(m_subscriptions);
        m_subscriptions->selectSubscription(number);
    } else {
        statusBar()->showMessage(tr("There is no view for a %1.").arg(type), 5'000);
    }
}

void MainWindow::switchToServer(const QString &id)
{
    if (id.isEmpty() || (id == m_currentServer && m_session))
        return;
    const ServerEntry entry = m_servers->find(id);
    if (entry.id.isEmpty())
        return;
    if (entry.isOffline()) {
        startEmbedded();
        return;
    }
    ConnectDialog *dialog = showConnectDialog();
    dialog->setRemote(entry.url, entry.email);
    dialog->connectRemote();
}

void MainWindow::setSession(Session *session, const QString &email)
{
    if (m_session) {
        m_session->disconnect(this);
        m_session->deleteLater();
    }
    if (!m_currentServer.isEmpty())
        m_health->setClient(m_currentServer, nullptr);
    m_session = session;
    m_currentServer.clear();
    if (session) {
        m_currentServer = session->mode() == Session::Mode::Embedded
            ? ServerStore::kOfflineId
            : m_servers->ensureRemote(session->url(), email);
        m_serversModel->setCurrent(m_currentServer);
        m_serversPanel->select(m_currentServer);
        m_health->setClient(m_currentServer, session->client());
        m_notifier->setClient(m_currentServer,
            m_serversModel->displayName(m_servers->find(m_currentServer)), session->client());
    } else {
        m_serversModel->setCurrent(QString());
        m_notifier->setClient(QString(), QString(), nullptr);
    }
    delete m_backups; // it belongs to the session it was opened for
    m_banner->hide();
    m_latencyMs = -1;
    Client::ApiClient *client = session ? session->client() : nullptr;
    if (session) {
        connect(client, &Client::ApiClient::latencyMeasured, this, [this](qint64 ms) {
            m_latencyMs = ms;
            updateStatus();
        });
        connect(client, &Client::ApiClient::sessionExpired, this, [this] {
            showError(tr("Your session has expired. Use Connection ▸ Connect to a server… to "
                         "sign in again."));
        });
        // A changed key mid-session (a REST call or the event stream): refused by the client;
        // say so, with both fingerprints. Accepting a new key goes through the connect dialog.
        connect(client, &Client::ApiClient::pinMismatch, this,
            [this](const QByteArray &pinned, const QByteArray &presented, const QSslCertificate &) {
                showError(tr("The server now presents another key than the one you trusted, so "
                             "nothing more was sent to it.\nTrusted: %1\nPresented: %2\nSomeone "
                             "may be intercepting the connection. Use Connection ▸ Connect to a "
                             "server… to review the new key.")
                              .arg(Client::ApiClient::formatPin(pinned),
                                  Client::ApiClient::formatPin(presented)));
            });
        connect(session->events(), &Client::EventStream::onlineChanged, this,
            &MainWindow::updateStatus);
        connect(session->events(), &Client::EventStream::eventReceived, this,
            [this](const QString &type, qint64 id) {
                for (View *view : std::as_const(m_views))
                    view->handleEvent(type, id);
                m_notifier->handleEvent(type, id);
            });
        connect(session, &Session::userLoaded, this, [this] {
            updateStatus();
            m_users->setAdmin(m_session->isAdmin());
            updateAdminMenu();
            m_subscriptions->setAdmin(m_session->isAdmin());
        });
        session->start();
    }
    m_dashboard->setServerId(m_currentServer); // whose metrics history to keep
    for (View *view : std::as_const(m_views))
        view->setClient(client);
    updateAdminMenu();
    updateStatus();
    if (session) {
        // Back to the view this server was last seen in.
        const int view = ServerStore::lastView(m_currentServer);
        if (view >= 0 && view < m_views.size())
            m_sidebar->setCurrentRow(view);
        statusBar()->showMessage(tr("Connected"), 3'000);
        Q_EMIT sessionStarted();
    }
}

void MainWindow::updateStatus()
{
    if (!m_session) {
        m_modeLabel->setText(tr("Not connected"));
        m_userLabel->clear();
        m_latencyLabel->clear();
        m_liveLabel->clear();
        setWindowTitle(tr("Outpost"));
        return;
    }
    const bool embedded = m_session->mode() == Session::Mode::Embedded;
    const QString where = m_session->url().toString();
    m_modeLabel->setText(
        embedded ? tr("Offline (this computer) · %1").arg(where) : tr("Remote · %1").arg(where));
    const std::optional<User> user = m_session->user();
    m_userLabel->setText(user ? tr("Signed in as %1").arg(user->email) : QString());
    m_latencyLabel->setText(m_latencyMs < 0 ? QString() : tr("%1 ms").arg(m_latencyMs));
    const bool live = m_session->events()->isOnline();
    m_liveLabel->setText(live ? tr("● Live") : tr("○ Offline — reconnecting"));
    m_liveLabel->setStyleSheet(
        live ? QStringLiteral("color: #2e9d44;") : QStringLiteral("color: #b9770e;"));
    setWindowTitle(embedded ? tr("Outpost — this computer") : tr("Outpost — %1").arg(where));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (!m_quitting && closesToTray()) {
        // Still watching the servers and notifying; the tray's menu brings it back or quits.
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace Outpost::App
