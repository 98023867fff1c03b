#pragma once

#include "models/post.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTextBrowser;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

class ChipList;

// The reading pane beside the posts list: the title, who wrote it and when, votes, whether it
// is published, its key phrases as chips (GET /v1/posts/{id}/phrases) and the text rendered
// as Markdown (QTextDocument's own CommonMark support; links open in the browser).
class PostReader final : public QWidget
{
    Q_OBJECT

public:
    explicit PostReader(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client);
    // Shows `post` (asks for its key phrases when it is another post or it changed); nothing
    // selected shows a placeholder.
    void showPost(const Post &post);
    void clear();
    qint64 postId() const { return m_post.id; }

    QTextBrowser *body() const { return m_body; }
    ChipList *phrases() const { return m_phrases; }

Q_SIGNALS:
    void phrasesShown();

private:
    void loadPhrases();

    QPointer<Client::ApiClient> m_client;
    Post m_post;
    QStackedWidget *m_pages;
    QLabel *m_title;
    QLabel *m_meta;
    ChipList *m_phrases;
    QTextBrowser *m_body;
};

} // namespace Outpost::App
