#pragma once

#include "view.h"

#include <QPointer>

class QAction;
class QTableView;

namespace Outpost::App {

class PostReader;
class PostsModel;
class SearchField;

// Posts: a sortable, searchable list (server-side) with create, edit, delete, publish and
// vote, and a reading pane beside it for the selected post; rows follow live events.
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
    void editPost(qint64 id);

private:
    qint64 currentId() const;
    void setPublished(bool published);
    void vote();
    void updateActions();
    void updateReader();

    QPointer<Client::ApiClient> m_client;
    PostsModel *m_model;
    QTableView *m_table;
    PostReader *m_reader;
    SearchField *m_search;
    QAction *m_new;
    QAction *m_edit;
    QAction *m_delete;
    QAction *m_publish;
    QAction *m_unpublish;
    QAction *m_vote;
    QAction *m_refresh;
};

} // namespace Outpost::App
