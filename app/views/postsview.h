#pragma once

#include "view.h"

#include <QPointer>

class QAction;
class QLabel;
class QListWidget;
class QStackedWidget;
class QTableView;

namespace Outpost::App {

class PostReader;
class PostsModel;
class SearchField;

// Posts: a sortable list (server-side) with create, edit, delete, publish and vote, and a
// reading pane beside it for the selected post, which is also where a post is edited; rows
// follow live events. Typing in the search box shows the ranked hits of /v1/search instead of
// the list, each with its snippet and the matches highlighted (escaped: see snippetHtml).
class PostsView final : public View
{
    Q_OBJECT

public:
    explicit PostsView(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client) override;
    void refresh() override;
    void handleEvent(const QString &type, qint64 id) override;
    void focusSearch() override;
    void createNew() override;
    void deleteSelected() override;

    PostsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    PostReader *reader() const { return m_reader; }
    QListWidget *searchResults() const { return m_results; }
    bool isSearching() const;
    // Shows post `id` in the reading pane (selecting it in the list when it is there), and
    // with `edit` starts editing it there.
    void showPost(qint64 id, bool edit = false);
    void editPost(qint64 id) { showPost(id, true); }

    static constexpr int kSearchLimit = 50;
    static constexpr int kSnippetRole = Qt::UserRole + 1;
    static constexpr int kIdRole = Qt::UserRole;

Q_SIGNALS:
    // The hits of the latest search are listed.
    void searchShown();

private:
    qint64 currentId() const;
    void setPublished(bool published);
    void vote();
    void updateActions();
    void updateReader();
    void runSearch(const QString &text);
    void showHit();
    void setEditing(bool editing);

    QPointer<Client::ApiClient> m_client;
    PostsModel *m_model;
    QTableView *m_table;
    PostReader *m_reader;
    QStackedWidget *m_left;
    QListWidget *m_results;
    QLabel *m_resultsSummary;
    SearchField *m_search;
    QString m_searchText;
    QStringList m_searchWords;
    int m_searchSerial = 0;
    QAction *m_new;
    QAction *m_edit;
    QAction *m_delete;
    QAction *m_publish;
    QAction *m_unpublish;
    QAction *m_vote;
    QAction *m_refresh;
};

} // namespace Outpost::App
