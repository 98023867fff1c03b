#include "postsview.h"

#include "client/apiclient.h"
#include "models/postsmodel.h"
#include "postdialog.h"
#include "postreader.h"
#include "viewsupport.h"

#include <QAction>
#include <QHeaderView>
#include <QIcon>
#include <QMenu>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace Outpost::App {

PostsView::PostsView(QWidget *parent)
    : View(parent)
    , m_model(new PostsModel(this))
    , m_table(new QTableView(this))
    , m_reader(new PostReader(this))
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
    m_table->setAccessibleName(tr("Posts"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PostsModel::Created, Qt::DescendingOrder);
    setupTable(m_table);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    rememberColumns(m_table->horizontalHeader(), QStringLiteral("posts"));
    fitColumns(m_table, {PostsModel::Title}); // after: an older saved state had other modes

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
    // The list and, beside it, the selected post to read.
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("postsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_table);
    splitter->addWidget(m_reader);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    chainTabOrder({m_search, m_table, m_reader->body()});
    // Enter on the list opens the post, as a double click does.
    m_edit->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    m_edit->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(m_edit);

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
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &PostsView::updateReader);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        if (topLeft.row() == m_table->currentIndex().row())
            updateReader();
    });
    // A refresh empties the list for a moment: the post being read stays until it is back.
    connect(m_model, &PagedTableModel::loaded, this, [this] {
        const int row = m_model->rowOfId(m_reader->postId());
        if (row >= 0 && !m_table->currentIndex().isValid())
            m_table->setCurrentIndex(m_model->index(row, 0));
    });
    updateActions();
}

void PostsView::updateReader()
{
    const Post *post = m_model->itemAt(m_table->currentIndex().row());
    if (post) {
        m_reader->showPost(*post);
    } else if (m_model->rowOfId(m_reader->postId()) < 0 && !m_model->isLoading()) {
        m_reader->clear();
    }
}

void PostsView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_reader->setClient(client);
    m_model->setClient(client);
}

void PostsView::refresh()
{
    m_model->refresh();
}

void PostsView::handleEvent(const QString &type, qint64 id)
{
    if (type == QLatin1String("post.created")) {
        m_model->refresh();
    } else if (type == QLatin1String("post.deleted")) {
        m_model->removeId(id);
    } else if (type.startsWith(QLatin1String("post.")) || type.startsWith(QLatin1String("vote."))) {
        m_model->refreshRow(id);
    }
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
    const Post *post = m_model->itemAt(m_table->currentIndex().row());
    const bool published = selected && post && post->published;
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
        if (id == 0) {
            m_model->refresh();
        } else {
            m_model->refreshRow(savedId);
        }
        Q_EMIT statusMessage(tr("Post saved"));
    });
    dialog->open();
}

void PostsView::deleteSelected()
{
    const qint64 id = currentId();
    if (!m_client || id == 0)
        return;
    const Post *post = m_model->itemAt(m_table->currentIndex().row());
    const QString title = post ? post->title : QString();
    confirm(this, tr("Delete post"), tr("Delete the post “%1”? This cannot be undone.").arg(title),
        [this, id] {
            m_client->posts().remove(id).then(
                this, [this, id](const Client::ApiResult<void> &removed) {
                    if (!removed) {
                        Q_EMIT errorOccurred(removed.error().text());
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
    const Post *post = m_model->itemAt(row);
    if (!post)
        return;
    PostWrite write;
    write.title = post->title;
    write.content = post->content;
    write.published = published;
    m_client->posts().replace(id, write).then(
        this, [this, id](const Client::ApiResult<Client::Versioned<Post>> &saved) {
            if (!saved) {
                Q_EMIT errorOccurred(saved.error().text());
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
    m_client->posts().vote({id, 1}).then(this, [this, id](const Client::ApiResult<void> &voted) {
        if (!voted && voted.error().code == ErrorCode::Conflict) {
            Q_EMIT statusMessage(tr("You have already voted for this post"));
            return;
        }
        if (!voted) {
            Q_EMIT errorOccurred(voted.error().text());
            return;
        }
        m_model->refreshRow(id);
    });
}

} // namespace Outpost::App
