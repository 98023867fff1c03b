#include "postsview.h"

#include "client/apiclient.h"
#include "client/searchresource.h"
#include "models/postsmodel.h"
#include "postdialog.h"
#include "posteditor.h"
#include "postreader.h"
#include "searchsnippet.h"
#include "viewsupport.h"

#include <QAction>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QRegularExpression>
#include <QSplitter>
#include <QStackedWidget>
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
    , m_left(new QStackedWidget(this))
    , m_results(new QListWidget(this))
    , m_resultsSummary(new QLabel(this))
    , m_search(new SearchField(this))
    , m_new(new QAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&New post…"), this))
    , m_edit(new QAction(QIcon(QStringLiteral(":/icons/edit.svg")), tr("&Edit"), this))
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
    m_edit->setObjectName(QStringLiteral("editPost"));
    // F2 edits the post shown, wherever the focus is in this view.
    m_edit->setShortcut(Qt::Key_F2);
    m_edit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_edit);
    m_edit->setToolTip(tr("Edit the post in the reading pane (F2; Ctrl+S saves, Esc cancels)"));
    m_search->setPlaceholderText(tr("Search posts (Ctrl+F)"));

    // The hits of a search, ranked, in place of the list while the search box has text.
    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setAccessibleName(tr("Search results"));
    m_results->setItemDelegate(new SnippetDelegate(kSnippetRole, m_results));
    m_results->setWordWrap(true);
    m_results->setUniformItemSizes(false);
    m_results->setContextMenuPolicy(Qt::CustomContextMenu);
    m_resultsSummary->setObjectName(QStringLiteral("searchSummary"));
    m_resultsSummary->setTextFormat(Qt::PlainText);
    m_resultsSummary->setWordWrap(true);
    auto *resultsPage = new QWidget(this);
    auto *resultsLayout = new QVBoxLayout(resultsPage);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(m_resultsSummary);
    resultsLayout->addWidget(m_results, 1);
    m_left->addWidget(m_table);
    m_left->addWidget(resultsPage);

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
    splitter->addWidget(m_left);
    splitter->addWidget(m_reader);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    chainTabOrder({m_search, m_table, m_reader->body()});
    // Enter on the list edits the post in the reading pane, as a double click does (F2 stays
    // the view's shortcut for it).
    auto *open = new QAction(m_table);
    open->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    open->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(open);
    connect(open, &QAction::triggered, m_reader, &PostReader::startEditing);

    connect(m_new, &QAction::triggered, this, &PostsView::createNew);
    connect(m_edit, &QAction::triggered, m_reader, &PostReader::startEditing);
    connect(m_delete, &QAction::triggered, this, &PostsView::deleteSelected);
    connect(m_publish, &QAction::triggered, this, [this] { setPublished(true); });
    connect(m_unpublish, &QAction::triggered, this, [this] { setPublished(false); });
    connect(m_vote, &QAction::triggered, this, &PostsView::vote);
    connect(m_refresh, &QAction::triggered, this, &PostsView::refresh);
    connect(m_search, &SearchField::searchChanged, this, &PostsView::runSearch);
    connect(m_table, &QTableView::doubleClicked, m_reader, &PostReader::startEditing);
    connect(m_results, &QListWidget::itemDoubleClicked, m_reader, &PostReader::startEditing);
    const auto contextMenu = [this](QAbstractItemView *list, const QPoint &pos) {
        QMenu menu(this);
        menu.addActions({m_new, m_edit, m_delete});
        menu.addSeparator();
        menu.addActions({m_publish, m_unpublish, m_vote});
        menu.exec(list->viewport()->mapToGlobal(pos));
    };
    connect(m_table, &QWidget::customContextMenuRequested, this,
        [this, contextMenu](const QPoint &pos) { contextMenu(m_table, pos); });
    connect(m_results, &QWidget::customContextMenuRequested, this,
        [this, contextMenu](const QPoint &pos) { contextMenu(m_results, pos); });
    connect(m_results, &QListWidget::currentRowChanged, this, &PostsView::showHit);
    connect(m_reader, &PostReader::editingChanged, this, &PostsView::setEditing);
    connect(m_reader, &PostReader::errorOccurred, this, &View::errorOccurred);
    connect(m_reader, &PostReader::saved, this, [this](const Post &post) {
        m_model->refreshRow(post.id);
        Q_EMIT statusMessage(tr("Post saved"));
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

bool PostsView::isSearching() const
{
    return !m_searchText.isEmpty();
}

void PostsView::setEditing(bool editing)
{
    // The list waits while a post is edited: Save or Cancel (Esc) first.
    m_left->setEnabled(!editing);
    m_search->setEnabled(!editing);
    for (QAction *action : {m_new, m_delete, m_publish, m_unpublish, m_vote, m_refresh})
        action->setEnabled(!editing);
    if (editing) {
        m_edit->setEnabled(false);
        Q_EMIT statusMessage(
            tr("Editing “%1”: Ctrl+S saves, Esc cancels").arg(m_reader->post().title));
    } else {
        updateActions();
        if (isSearching()) {
            m_results->setFocus();
        } else {
            m_table->setFocus();
        }
    }
}

void PostsView::runSearch(const QString &text)
{
    m_searchText = text;
    const int serial = ++m_searchSerial;
    if (text.isEmpty() || !m_client) {
        m_left->setCurrentIndex(0);
        m_results->clear();
        m_searchWords.clear();
        m_reader->setHighlights({});
        updateReader();
        updateActions();
        return;
    }
    m_left->setCurrentIndex(1);
    m_resultsSummary->setText(tr("Searching…"));
    PageRequest page;
    page.limit = kSearchLimit;
    Client::SearchResource(m_client)
        .search(text, page)
        .then(this, [this, serial, text](const Client::ApiResult<Page<SearchHit>> &hits) {
            if (serial != m_searchSerial)
                return; // a newer search is under way
            m_results->clear();
            if (!hits) {
                m_resultsSummary->setText(tr("The search failed: %1").arg(hits.error().text()));
                Q_EMIT searchShown();
                return;
            }
            const QPalette colours = m_results->palette();
            for (const SearchHit &hit : hits->items) {
                if (hit.kind != u"post")
                    continue; // file paths are searched in the Files view
                auto *item = new QListWidgetItem(hit.title, m_results);
                item->setData(kIdRole, hit.id);
                item->setData(kSnippetRole,
                    snippetHtml(hit.snippet, colours.color(QPalette::Highlight),
                        colours.color(QPalette::HighlightedText)));
                item->setData(Qt::UserRole + 2, snippetMatches(hit.snippet));
                const QString plain = snippetPlainText(hit.snippet);
                item->setToolTip(plain);
                item->setData(Qt::AccessibleDescriptionRole, plain);
            }
            m_searchWords =
                text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            const int found = m_results->count();
            m_resultsSummary->setText(found == 0 ? tr("No post matches “%1”.").arg(text)
                    : found == 1
                    ? tr("One post matches “%1”.").arg(text)
                    : tr("%n posts match “%1”, best first.", nullptr, found).arg(text));
            if (m_results->count() > 0)
                m_results->setCurrentRow(0);
            updateActions();
            Q_EMIT searchShown();
        });
}

void PostsView::showHit()
{
    QListWidgetItem *item = m_results->currentItem();
    if (!item || !m_client)
        return;
    QStringList words = item->data(Qt::UserRole + 2).toStringList();
    for (const QString &word : std::as_const(m_searchWords)) {
        if (!words.contains(word, Qt::CaseInsensitive))
            words.append(word);
    }
    m_reader->setHighlights(words);
    showPost(item->data(kIdRole).toLongLong());
}

void PostsView::showPost(qint64 id, bool edit)
{
    if (!m_client || id == 0)
        return;
    const int row = m_model->rowOfId(id);
    if (!isSearching() && row >= 0) {
        m_table->setCurrentIndex(m_model->index(row, 0));
        if (edit)
            m_reader->startEditing();
        return;
    }
    m_client->posts().get(id).then(
        this, [this, edit](const Client::ApiResult<Client::Versioned<Post>> &post) {
            if (!post) {
                Q_EMIT errorOccurred(post.error().text());
                return;
            }
            m_reader->showPost(post->value);
            updateActions();
            if (edit)
                m_reader->startEditing();
        });
}

void PostsView::updateReader()
{
    if (isSearching())
        return;
    const Post *post = m_model->itemAt(m_table->currentIndex().row());
    if (post) {
        m_reader->showPost(*post);
    } else if (m_model->rowOfId(m_reader->postId()) < 0 && !m_model->isLoading()) {
        m_reader->clear();
    }
    updateActions(); // they act on the post shown
}

void PostsView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_reader->setClient(client);
    m_model->setClient(client);
    m_search->clear();
    runSearch({});
}

void PostsView::refresh()
{
    m_model->refresh();
    if (isSearching())
        runSearch(m_searchText);
}

void PostsView::handleEvent(const QString &type, qint64 id)
{
    if (type == QLatin1String("post.created")) {
        m_model->refresh();
    } else if (type == QLatin1String("post.deleted")) {
        m_model->removeId(id);
    } else if (type.startsWith(QLatin1String("post.")) || type.startsWith(QLatin1String("vote."))) {
        m_model->refreshRow(id);
        if (isSearching() && id == currentId())
            showPost(id); // the list is not shown: the reading pane reads it itself
    }
}

void PostsView::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

qint64 PostsView::currentId() const
{
    return m_reader->postId();
}

void PostsView::updateActions()
{
    if (m_reader->isEditing())
        return;
    const bool selected = currentId() != 0
        && (isSearching() ? m_results->currentItem() != nullptr
                          : m_table->selectionModel()->hasSelection());
    const bool published = selected && m_reader->post().published;
    m_edit->setEnabled(selected);
    m_delete->setEnabled(selected);
    m_vote->setEnabled(selected);
    m_publish->setEnabled(selected && !published);
    m_unpublish->setEnabled(selected && published);
}

void PostsView::createNew()
{
    if (!m_client || m_reader->isEditing())
        return;
    auto *dialog = new PostDialog(m_client, 0, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PostDialog::saved, this, [this](qint64 /*savedId*/) {
        m_model->refresh();
        Q_EMIT statusMessage(tr("Post saved"));
    });
    dialog->open();
}

void PostsView::deleteSelected()
{
    const qint64 id = currentId();
    if (!m_client || id == 0 || m_reader->isEditing())
        return;
    const QString title = m_reader->post().title;
    confirm(this, tr("Delete post"), tr("Delete the post “%1”? This cannot be undone.").arg(title),
        [this, id] {
            m_client->posts().remove(id).then(
                this, [this, id](const Client::ApiResult<void> &removed) {
                    if (!removed) {
                        Q_EMIT errorOccurred(removed.error().text());
                        return;
                    }
                    m_model->removeId(id);
                    if (isSearching())
                        runSearch(m_searchText);
                    Q_EMIT statusMessage(tr("Post deleted"));
                });
        });
}

void PostsView::setPublished(bool published)
{
    const qint64 id = currentId();
    if (!m_client || id == 0)
        return;
    const Post &post = m_reader->post();
    PostWrite write;
    write.title = post.title;
    write.content = post.content;
    write.published = published;
    m_client->posts().replace(id, write).then(
        this, [this, id](const Client::ApiResult<Client::Versioned<Post>> &saved) {
            if (!saved) {
                Q_EMIT errorOccurred(saved.error().text());
                return;
            }
            m_model->refreshRow(id);
            m_reader->showPost(saved->value);
            updateActions();
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
        if (isSearching())
            showPost(id);
    });
}

} // namespace Outpost::App
