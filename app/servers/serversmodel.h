#pragma once

#include <QAbstractListModel>

namespace Outpost::App {

class HealthMonitor;
class ServerStore;
struct ServerEntry;
struct ServerHealth;

// The servers list as rows: the name, and beneath it the health in words ("up · 1.4.0 · 12 ms
// · 2 failing pipelines", "down: connection refused"), a status icon that repeats it, the
// current server in bold.
class ServersModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { IdRole = Qt::UserRole + 1, StatusRole };

    ServersModel(ServerStore *store, HealthMonitor *health, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    void setCurrent(const QString &id);
    QString current() const { return m_current; }
    QString idAt(int row) const;
    int rowOf(const QString &id) const;
    // The second line of a row: "up · …" or "down: reason".
    QString statusText(const QString &id) const;
    QString displayName(const ServerEntry &entry) const;
    ServerHealth health(const QString &id) const;

private:
    ServerStore *m_store;
    HealthMonitor *m_health;
    QString m_current;
};

} // namespace Outpost::App
