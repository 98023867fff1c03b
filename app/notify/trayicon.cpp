#include "trayicon.h"

#include "servers/healthmonitor.h"
#include "servers/serversmodel.h"

#include <QAction>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

namespace Outpost::App {

namespace {

// The app's icon with a badge: green with a tick when all is up, red with a cross when not.
QIcon badgedIcon(TrayIcon::Overall overall)
{
    QPixmap pixmap = QIcon(QStringLiteral(":/icons/outpost.svg")).pixmap(64, 64);
    if (overall == TrayIcon::Overall::Unknown)
        return QIcon(pixmap);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const bool up = overall == TrayIcon::Overall::AllUp;
    painter.setPen(QPen(Qt::white, 3));
    painter.setBrush(QColor(up ? QStringLiteral("#2e9d44") : QStringLiteral("#c0392b")));
    const QRectF badge(34, 34, 28, 28);
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setPixelSize(20);
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(badge, Qt::AlignCenter, up ? QStringLiteral("✓") : QStringLiteral("!"));
    painter.end();
    return QIcon(pixmap);
}

} // namespace

TrayIcon::TrayIcon(ServersModel *servers, QObject *parent)
    : QObject(parent)
    , m_servers(servers)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(this);
    m_menu = new QMenu();
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
        [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT showRequested();
        });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this,
        [this] { Q_EMIT notificationClicked(m_last); });
    connect(servers, &QAbstractItemModel::dataChanged, this, &TrayIcon::update);
    connect(servers, &QAbstractItemModel::modelReset, this, &TrayIcon::update);
    connect(m_menu, &QMenu::aboutToShow, this, &TrayIcon::rebuildMenu);
    rebuildMenu();
    update();
    m_tray->show();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

TrayIcon::Overall TrayIcon::overall(const ServersModel *servers)
{
    bool anyUp = false;
    for (int row = 0; row < servers->rowCount(); ++row) {
        const QString id = servers->idAt(row);
        switch (servers->health(id).state) {
        case ServerHealth::State::Down:
            return Overall::SomeDown;
        case ServerHealth::State::Up:
            anyUp = true;
            break;
        default:
            break;
        }
    }
    return anyUp ? Overall::AllUp : Overall::Unknown;
}

QString TrayIcon::summary(const ServersModel *servers)
{
    int down = 0;
    int watched = 0;
    for (int row = 0; row < servers->rowCount(); ++row) {
        const ServerHealth::State state = servers->health(servers->idAt(row)).state;
        if (state == ServerHealth::State::Down)
            ++down;
        if (state == ServerHealth::State::Down || state == ServerHealth::State::Up)
            ++watched;
    }
    if (down == 0)
        return watched == 0 ? tr("Outpost") : tr("Outpost — all servers are up");
    return tr("Outpost — %1 of %2 servers down").arg(down).arg(watched);
}

void TrayIcon::update()
{
    if (!m_tray)
        return;
    const Overall now = overall(m_servers);
    if (now != m_shown || m_tray->icon().isNull()) {
        m_shown = now;
        m_tray->setIcon(badgedIcon(now));
    }
    m_tray->setToolTip(summary(m_servers));
}

void TrayIcon::rebuildMenu()
{
    m_menu->clear();
    for (int row = 0; row < m_servers->rowCount(); ++row) {
        const QModelIndex index = m_servers->index(row);
        const QString id = index.data(ServersModel::IdRole).toString();
        QAction *action = m_menu->addAction(index.data(Qt::DecorationRole).value<QIcon>(),
            index.data(Qt::DisplayRole)
                .toString()
                .replace(QLatin1Char('\n'), QStringLiteral(" — ")));
        action->setCheckable(true);
        action->setChecked(id == m_servers->current());
        connect(action, &QAction::triggered, this, [this, id] { Q_EMIT switchRequested(id); });
    }
    m_menu->addSeparator();
    connect(m_menu->addAction(tr("&Show Outpost")), &QAction::triggered, this,
        &TrayIcon::showRequested);
    connect(m_menu->addAction(tr("&Quit")), &QAction::triggered, this, &TrayIcon::quitRequested);
}

void TrayIcon::showNotification(const Notification &notification)
{
    if (!m_tray)
        return;
    m_last = notification;
    m_tray->showMessage(notification.title, notification.message,
        notification.kind == Notification::Kind::UserRegistered ? QSystemTrayIcon::Information
                                                                : QSystemTrayIcon::Warning);
}

} // namespace Outpost::App
