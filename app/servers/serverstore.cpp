#include "serverstore.h"

#include "connection/recentconnections.h"

#include <QSettings>
#include <QUuid>

namespace Outpost::App {

const QString ServerStore::kOfflineId = QStringLiteral("offline");

bool ServerEntry::isOffline() const
{
    return id == ServerStore::kOfflineId;
}

namespace {

const QString kListKey = QStringLiteral("servers/list");

QString viewKey(const QString &id)
{
    return QStringLiteral("servers/views/%1").arg(id);
}

} // namespace

ServerStore::ServerStore(QObject *parent)
    : QObject(parent)
{
    reload();
}

void ServerStore::reload()
{
    m_servers.clear();
    QSettings settings;
    const int size = settings.beginReadArray(kListKey);
    for (int i = 0; i < size; ++i) {
        settings.setArrayIndex(i);
        ServerEntry entry {settings.value(QStringLiteral("id")).toString(),
            settings.value(QStringLiteral("name")).toString(),
            QUrl(settings.value(QStringLiteral("url")).toString()),
            settings.value(QStringLiteral("email")).toString()};
        if (entry.id.isEmpty() || (!entry.isOffline() && !entry.url.isValid()))
            continue;
        m_servers.append(entry);
    }
    settings.endArray();
    if (indexOf(kOfflineId) < 0)
        m_servers.prepend({kOfflineId, QString(), QUrl(), QString()});
    // Connections made through the connect dialog before this list existed, or since.
    bool added = false;
    for (const RecentConnection &recent : RecentConnections::load()) {
        const bool known = std::any_of(m_servers.cbegin(), m_servers.cend(),
            [&](const ServerEntry &e) { return e.url == recent.url && e.email == recent.email; });
        if (!known) {
            m_servers.append({QUuid::createUuid().toString(QUuid::WithoutBraces),
                defaultName(recent.url), recent.url, recent.email});
            added = true;
        }
    }
    if (added || size == 0)
        save();
    Q_EMIT changed();
}

void ServerStore::save() const
{
    QSettings settings;
    settings.beginWriteArray(kListKey, int(m_servers.size()));
    for (int i = 0; i < m_servers.size(); ++i) {
        const ServerEntry &entry = m_servers.at(i);
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("id"), entry.id);
        settings.setValue(QStringLiteral("name"), entry.name);
        settings.setValue(QStringLiteral("url"), entry.url.toString());
        settings.setValue(QStringLiteral("email"), entry.email);
    }
    settings.endArray();
}

int ServerStore::indexOf(const QString &id) const
{
    for (int i = 0; i < m_servers.size(); ++i) {
        if (m_servers.at(i).id == id)
            return i;
    }
    return -1;
}

ServerEntry ServerStore::find(const QString &id) const
{
    const int index = indexOf(id);
    return index < 0 ? ServerEntry() : m_servers.at(index);
}

QString ServerStore::ensureRemote(const QUrl &url, const QString &email)
{
    for (const ServerEntry &entry : std::as_const(m_servers)) {
        if (!entry.isOffline() && entry.url == url && entry.email == email)
            return entry.id;
    }
    ServerEntry entry {
        QUuid::createUuid().toString(QUuid::WithoutBraces), defaultName(url), url, email};
    m_servers.append(entry);
    save();
    Q_EMIT changed();
    return entry.id;
}

void ServerStore::rename(const QString &id, const QString &name)
{
    const int index = indexOf(id);
    if (index < 0)
        return;
    m_servers[index].name = name.trimmed();
    save();
    Q_EMIT changed();
}

bool ServerStore::remove(const QString &id)
{
    const int index = indexOf(id);
    if (index < 0 || m_servers.at(index).isOffline())
        return false;
    const ServerEntry entry = m_servers.takeAt(index);
    RecentConnections::forget({entry.url, entry.email});
    QSettings().remove(viewKey(id));
    save();
    Q_EMIT removed(entry);
    Q_EMIT changed();
    return true;
}

bool ServerStore::move(const QString &id, int delta)
{
    const int index = indexOf(id);
    const int to = index + delta;
    if (index < 0 || to < 0 || to >= m_servers.size())
        return false;
    m_servers.move(index, to);
    save();
    Q_EMIT changed();
    return true;
}

int ServerStore::lastView(const QString &id)
{
    return QSettings().value(viewKey(id), 0).toInt();
}

void ServerStore::setLastView(const QString &id, int row)
{
    QSettings().setValue(viewKey(id), row);
}

QString ServerStore::defaultName(const QUrl &url)
{
    const int standard = url.scheme() == QLatin1String("https") ? 443 : 80;
    const int port = url.port(standard);
    return port == standard ? url.host() : QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

} // namespace Outpost::App
