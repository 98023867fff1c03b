#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

namespace Outpost::App {

// One deployment the app knows: the offline server on this computer, or a remote server with
// the email signed in there (its refresh token lives in the keychain, never here).
struct ServerEntry
{
    QString id; // kOfflineId, or a generated id for a remote server
    QString name;
    QUrl url; // empty for the offline server
    QString email;

    bool isOffline() const;
};

// The servers list, in the user's order, kept in QSettings ("servers/list"). Remote servers
// signed in to through the connect dialog (RecentConnections) join it on load; removing one
// forgets it there too, so it stays removed.
class ServerStore final : public QObject
{
    Q_OBJECT

public:
    explicit ServerStore(QObject *parent = nullptr);

    static const QString kOfflineId;

    QList<ServerEntry> servers() const { return m_servers; }
    int indexOf(const QString &id) const;
    // The entry, or an empty one (no id) when there is none.
    ServerEntry find(const QString &id) const;
    // The id of the remote server at `url` signed in to as `email`, added when new.
    QString ensureRemote(const QUrl &url, const QString &email);
    void rename(const QString &id, const QString &name);
    // The offline server cannot be removed.
    bool remove(const QString &id);
    // Moves a server up (-1) or down (+1); false at either end.
    bool move(const QString &id, int delta);

    // The view (sidebar row) last shown for a server, restored when switching back to it.
    static int lastView(const QString &id);
    static void setLastView(const QString &id, int row);
    // A name for a new server: its host, and its port when not the scheme's default.
    static QString defaultName(const QUrl &url);

    void reload();

Q_SIGNALS:
    void changed();
    // A remote server left the list (its keychain entry may go too).
    void removed(const Outpost::App::ServerEntry &entry);

private:
    void save() const;

    QList<ServerEntry> m_servers;
};

} // namespace Outpost::App
