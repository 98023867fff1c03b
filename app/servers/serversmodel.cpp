#include "serversmodel.h"

#include "healthmonitor.h"
#include "serverstore.h"

#include <QFont>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace Outpost::App {

namespace {

// A dot with a mark inside, so the state does not rest on colour alone: ✓ up, ✕ down, – other.
QIcon statusIcon(ServerHealth::State state)
{
    static QHash<int, QIcon> cache;
    auto it = cache.constFind(int(state));
    if (it != cache.cend())
        return *it;
    QColor colour(QStringLiteral("#8a8f98"));
    QString mark = QStringLiteral("–");
    if (state == ServerHealth::State::Up) {
        colour = QColor(QStringLiteral("#2e9d44"));
        mark = QStringLiteral("✓");
    } else if (state == ServerHealth::State::Down) {
        colour = QColor(QStringLiteral("#c0392b"));
        mark = QStringLiteral("✕");
    }
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawEllipse(2, 2, 28, 28);
    painter.setPen(Qt::white);
    QFont font = painter.font();
    font.setPixelSize(20);
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(pixmap.rect(), Qt::AlignCenter, mark);
    painter.end();
    return *cache.insert(int(state), QIcon(pixmap));
}

} // namespace

ServersModel::ServersModel(ServerStore *store, HealthMonitor *health, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_health(health)
{
    connect(store, &ServerStore::changed, this, [this] {
        beginResetModel();
        endResetModel();
    });
    connect(health, &HealthMonitor::healthChanged, this, [this](const QString &id) {
        const int row = rowOf(id);
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row));
    });
}

int ServersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_store->servers().size());
}

QString ServersModel::idAt(int row) const
{
    const QList<ServerEntry> servers = m_store->servers();
    return row >= 0 && row < servers.size() ? servers.at(row).id : QString();
}

int ServersModel::rowOf(const QString &id) const
{
    return m_store->indexOf(id);
}

void ServersModel::setCurrent(const QString &id)
{
    const int before = rowOf(m_current);
    m_current = id;
    if (before >= 0)
        Q_EMIT dataChanged(index(before), index(before));
    if (rowOf(id) >= 0)
        Q_EMIT dataChanged(index(rowOf(id)), index(rowOf(id)));
}

QString ServersModel::displayName(const ServerEntry &entry) const
{
    if (!entry.name.isEmpty())
        return entry.name;
    return entry.isOffline() ? tr("This computer (offline)") : ServerStore::defaultName(entry.url);
}

ServerHealth ServersModel::health(const QString &id) const
{
    return m_health->health(id);
}

QString ServersModel::statusText(const QString &id) const
{
    const ServerHealth health = m_health->health(id);
    switch (health.state) {
    case ServerHealth::State::Unknown:
        return tr("checking…");
    case ServerHealth::State::Stopped:
        return tr("not running");
    case ServerHealth::State::Down:
        return tr("down: %1").arg(health.reason);
    case ServerHealth::State::Up:
        break;
    }
    QStringList parts {tr("up")};
    if (!health.version.isEmpty())
        parts << health.version;
    if (health.latencyMs >= 0)
        parts << tr("%1 ms").arg(health.latencyMs);
    if (health.failingPipelines > 0) {
        parts << (health.failingPipelines == 1
                ? tr("1 failing pipeline")
                : tr("%1 failing pipelines").arg(health.failingPipelines));
    }
    return parts.join(QStringLiteral(" · "));
}

QVariant ServersModel::data(const QModelIndex &index, int role) const
{
    const QList<ServerEntry> servers = m_store->servers();
    if (!index.isValid() || index.row() >= servers.size())
        return {};
    const ServerEntry &entry = servers.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QString(displayName(entry) + QLatin1Char('\n') + statusText(entry.id));
    case Qt::AccessibleTextRole:
        return (entry.id == m_current ? tr("%1 (current), %2") : tr("%1, %2"))
            .arg(displayName(entry), statusText(entry.id));
    case Qt::ToolTipRole: {
        const ServerHealth health = m_health->health(entry.id);
        QString tip = entry.isOffline()
            ? tr("The server on this computer")
            : tr("%1\nSigned in as %2").arg(entry.url.toString(), entry.email);
        if (!health.detail.isEmpty())
            tip += QLatin1Char('\n') + health.detail;
        // Counting needs a signed-in client there, and only the current server has one (a
        // second sign-in in the background would rotate the saved refresh token under the
        // session that later uses it).
        if (health.state == ServerHealth::State::Up && health.failingPipelines < 0) {
            tip += QLatin1Char('\n')
                + tr("Failing pipelines are counted for the server you are signed in to: "
                     "switch to this one to see its count.");
        }
        if (health.checkedAt.isValid()) {
            tip += QLatin1Char('\n')
                + tr("Checked at %1")
                      .arg(QLocale().toString(
                          health.checkedAt.toLocalTime().time(), QLocale::ShortFormat));
        }
        return tip;
    }
    case Qt::DecorationRole:
        return statusIcon(m_health->health(entry.id).state);
    case Qt::FontRole: {
        QFont font;
        font.setBold(entry.id == m_current);
        return font;
    }
    case IdRole:
        return entry.id;
    case StatusRole:
        return statusText(entry.id);
    default:
        return {};
    }
}

} // namespace Outpost::App
