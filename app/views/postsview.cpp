#include "postsview.h"

#include "client/apiclient.h"
#include "models/postsmodel.h"
#include "postdialog.h"
#include "viewsupport.h"

#include <QAction>
#include <QHeaderView>
#include <QIcon>
#include <QMenu>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace Outpost::App {

PostsView::PostsView(QWidget *parent)
    : View(parent)
    , m_model(new PostsModel(this))
    , m_table(new QTableView(this))
    , m_search(new SearchField(this))
    , m_new(new QAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&New post…"), this))
    , m_edit(new QAction(QIcon(QStringLiteral(":/icons/edit.svg")), tr("&Edit…"), this))
    , m_delete(new QAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Delete"), this))
    , m_publish(new QAction(tr("&Publish"), this))
    , m_unpublish(new QAction(tr("&Unpublish"), this))
    , m_vote(new QAction(QIcon(QStringLiteral(":/icons/vote.svg")), tr("&Vote"), this))
    , m_refresh(new QAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Refresh"), this))
{
    setObjectName(QStringLiteral("postsView"));
    m_table->setObjectName(QStringLiteral("postsTable"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PostsModel::Created, Qt::DescendingOrder);
    setupTable(m_table);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(PostsModel::Title, QHeaderView::Stretch);
    rememberColumns(m_table->horizontalHeader(), QStringLiteral("posts"));

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_new, m_edit, m_delete});
    toolbar->addSeparator();
    toolbar->addActions({m_publish, m_unpublish, m_vote});
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_search->setMaximumWidth(280);
    toolbar->addWidget(m_search);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_table);

    connect(m_new, &QAction::triggered, this, &PostsView::createNew);
    connect(m_edit, &QAction::triggered, this, [this] { editPost(currentId()); });
    connect(m_delete, &QAction::triggered, this, &PostsView::deleteSelected);
    connect(m_publish, &QAction::triggered, this, [this] { setPublished(true); });
    connect(m_unpublish, &QAction::triggered, this, [this] { setPublished(false); });
    connect(m_vote, &QAction::triggered, this, &PostsView::vote);
    connect(m_refresh, &QAction::triggered, this, &PostsView::refresh);
    connect(m_search, &SearchField::searchChanged, m_model, &PagedTableModel::setSearch);
    connect(m_table, &QTableView::doubleClicked, this,
        [this](const QModelIndex &index) { editPost(m_model->idAt(index.row())); });
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addActions({m_new, m_edit, m_delete});
        menu.addSeparator();
        menu.addActions({m_publish, m_unpublish, m_vote});
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_model, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &PostsView::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PostsView::updateActions);
    updateActions();
}

void PostsView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_model->setClient(client);
}

void PostsView::refresh()
{
    m_model->refresh();
}

void PostsView::handleEvent(const QString &type, qint64 id)
{
    if (type == QLatin1String("post.created"))
        m_model->refresh();
    else if (type == QLatin1String("post.deleted"))
        m_model->removeId(id);
    else if (type.startsWith(QLatin1String("post.")) || type.startsWith(QLatin1String("vote.")))
        m_model->refreshRow(id);
}

void PostsView::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

qint64 PostsView::currentId() const
{
    const QModelIndex index = m_table->currentIndex();
    return index.isValid() ? m_model->idAt(index.row()) : 0;
}

void PostsView::updateActions()
{
    const bool selected = m_table->selectionModel()->hasSelection();
    const bool published = selected
        && m_model->objectAt(m_table->currentIndex().row())
               .value(QStringLiteral("published"))
               .toBool();
    m_edit->setEnabled(selected);
    m_delete->setEnabled(selected);
    m_vote->setEnabled(selected);
    m_publish->setEnabled(selected && !published);
    m_unpublish->setEnabled(selected && published);
}

void PostsView::createNew()
{
    editPost(0);
}

void PostsView::editPost(qint64 id)
{
    if (!m_client)
        return;
    auto *dialog = new PostDialog(m_client, id, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PostDialog::saved, this, [this, id](qint64 savedId) {
        if (id == 0)
            m_model->refresh();
        else
            m_model->refreshRow(savedId);
        Q_EMIT statusMessage(tr("Post saved"));
    });
    dialog->open();
}

void PostsView::deleteSelected()
{
    const qint64 id = currentId();
    if (!m_client || id == 0)
        return;
    const QString title =
        m_model->objectAt(m_table->currentIndex().row()).value(QStringLiteral("title")).toString();
    confirm(this, tr("Delete post"), tr("Delete the post “%1”? This cannot be undone.").arg(title),
        [this, id] {
            auto *call = m_client->del(QStringLiteral("/v1/posts/%1").arg(id));
            connect(call, &Client::ApiCall::finished, this,
                [this, id](const Client::ApiResponse &response) {
                    if (!response.ok()) {
                        Q_EMIT errorOccurred(response.errorText());
                        return;
                    }
                    m_model->removeId(id);
                    Q_EMIT statusMessage(tr("Post deleted"));
                });
        });
}

void PostsView::setPublished(bool published)
{
    const int row = m_table->currentIndex().row();
    const qint64 id = currentId();
    if (!m_client || id == 0)
        return;
    const QJsonObject post = m_model->objectAt(row);
    const QJsonObject body {{QStringLiteral("title"), post.value(QStringLiteral("title"))},
        {QStringLiteral("content"), post.value(QStringLiteral("content"))},
        {QStringLiteral("published"), published}};
    auto *call = m_client->put(QStringLiteral("/v1/posts/%1").arg(id), body);
    connect(
        call, &Client::ApiCall::finished, this, [this, id](const Client::ApiResponse &response) {
            if (!response.ok()) {
                Q_EMIT errorOccurred(response.errorText());
                return;
            }
            m_model->refreshRow(id);
        });
}

void PostsView::vote()
{
    const qint64 id = currentId();
    if (!m_client || id == 0)
        return;
    auto *call = m_client->post(
        QStringLiteral("/v1/vote"), {{QStringLiteral("post_id"), id}, {QStringLiteral("dir"), 1}});
    connect(
        call, &Client::ApiCall::finished, this, [this, id](const Client::ApiResponse &response) {
            if (response.status == 409) {
                Q_EMIT statusMessage(tr("You have already voted for this post"));
                return;
            }
            if (!response.ok()) {
                Q_EMIT errorOccurred(response.errorText());
                return;
            }
            m_model->refreshRow(id);
        });
}

} // namespace Outpost::App
