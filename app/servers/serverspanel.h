#pragma once

#include <QWidget>

class QAction;
class QListView;

namespace Outpost::App {

class ServerStore;
class ServersModel;

// The "Servers" section of the sidebar: every server with its health; a click (or Enter)
// switches to it. Its context menu (and the keys beside each action) adds, renames, removes
// and reorders them.
class ServersPanel final : public QWidget
{
    Q_OBJECT

public:
    ServersPanel(ServerStore *store, ServersModel *model, QWidget *parent = nullptr);

    QListView *list() const { return m_list; }
    QString selectedId() const;
    void select(const QString &id);

Q_SIGNALS:
    void switchRequested(const QString &id);
    void addRequested();

private:
    void updateActions();
    void renameSelected();
    void removeSelected();

    ServerStore *m_store;
    ServersModel *m_model;
    QListView *m_list;
    QAction *m_add;
    QAction *m_rename;
    QAction *m_remove;
    QAction *m_up;
    QAction *m_down;
};

} // namespace Outpost::App
