#include "serverspanel.h"

#include "serversmodel.h"
#include "serverstore.h"

#include <QAction>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QVBoxLayout>

namespace Outpost::App {

ServersPanel::ServersPanel(ServerStore *store, ServersModel *model, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(model)
    , m_list(new QListView(this))
    , m_add(new QAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&Add a server…"), this))
    , m_rename(new QAction(tr("&Rename…"), this))
    , m_remove(new QAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("Re&move"), this))
    , m_up(new QAction(tr("Move &up"), this))
    , m_down(new QAction(tr("Move &down"), this))
{
    setObjectName(QStringLiteral("serversPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(2);
    auto *title = new QLabel(tr("Servers"), this);
    title->setObjectName(QStringLiteral("serversTitle"));
    title->setContentsMargins(8, 0, 0, 0);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    title->setBuddy(m_list);
    layout->addWidget(title);

    m_list->setObjectName(QStringLiteral("serversList"));
    m_list->setAccessibleName(tr("Servers"));
    m_list->setAccessibleDescription(
        tr("Every server with its health. Enter switches to the selected server; the context "
           "menu adds, renames, removes and reorders them."));
    m_list->setModel(model);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setIconSize(QSize(16, 16));
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(false);
    m_list->setSpacing(1);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_list);

    m_add->setObjectName(QStringLiteral("addServer"));
    m_rename->setObjectName(QStringLiteral("renameServer"));
    m_rename->setShortcut(QKeySequence(Qt::Key_F2));
    m_remove->setObjectName(QStringLiteral("removeServer"));
    m_up->setObjectName(QStringLiteral("moveServerUp"));
    m_up->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    m_down->setObjectName(QStringLiteral("moveServerDown"));
    m_down->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    for (QAction *action : {m_add, m_rename, m_remove, m_up, m_down}) {
        action->setShortcutContext(Qt::WidgetShortcut);
        m_list->addAction(action);
    }
    connect(m_add, &QAction::triggered, this, &ServersPanel::addRequested);
    connect(m_rename, &QAction::triggered, this, &ServersPanel::renameSelected);
    connect(m_remove, &QAction::triggered, this, &ServersPanel::removeSelected);
    connect(m_up, &QAction::triggered, this, [this] {
        const QString id = selectedId();
        if (m_store->move(id, -1))
            select(id);
    });
    connect(m_down, &QAction::triggered, this, [this] {
        const QString id = selectedId();
        if (m_store->move(id, +1))
            select(id);
    });

    connect(m_list, &QListView::clicked, this, [this](const QModelIndex &index) {
        Q_EMIT switchRequested(index.data(ServersModel::IdRole).toString());
    });
    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT switchRequested(index.data(ServersModel::IdRole).toString());
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        &ServersPanel::updateActions);
    connect(model, &QAbstractItemModel::modelReset, this, &ServersPanel::updateActions);
    updateActions();
}

QString ServersPanel::selectedId() const
{
    return m_list->currentIndex().data(ServersModel::IdRole).toString();
}

void ServersPanel::select(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_list->setCurrentIndex(m_model->index(row));
}

void ServersPanel::updateActions()
{
    const QString id = selectedId();
    const int row = m_model->rowOf(id);
    m_rename->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0 && id != ServerStore::kOfflineId && id != m_model->current());
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row < m_model->rowCount() - 1);
}

void ServersPanel::renameSelected()
{
    const ServerEntry entry = m_store->find(selectedId());
    if (entry.id.isEmpty())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename server"), tr("Name:"),
        QLineEdit::Normal, m_model->displayName(entry), &ok);
    if (ok)
        m_store->rename(entry.id, name);
}

void ServersPanel::removeSelected()
{
    const ServerEntry entry = m_store->find(selectedId());
    if (entry.id.isEmpty() || entry.isOffline())
        return;
    if (QMessageBox::question(this, tr("Remove server"),
            tr("Remove %1 from the list? Its saved sign-in on this computer is forgotten too.")
                .arg(m_model->displayName(entry)))
        == QMessageBox::Yes)
        m_store->remove(entry.id);
}

} // namespace Outpost::App
