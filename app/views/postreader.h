#pragma once

#include "models/post.h"

#include <QPointer>
#include <QStringList>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTextBrowser;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

class ChipList;
class PostEditor;

// The reading pane beside the posts list: the title, who wrote it and when, votes, whether it
// is published, its key phrases as chips (GET /v1/posts/{id}/phrases) and the text rendered
// as Markdown (QTextDocument's own CommonMark support; links open in the browser, in the
// palette's link colour). Edit turns the pane into the post's editor (PostEditor) until it is
// saved or cancelled. Words found by a search are highlighted in the text.
class PostReader final : public QWidget
{
    Q_OBJECT

public:
    explicit PostReader(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client);
    // Shows `post` (asks for its key phrases when it is another post or it changed); nothing
    // selected shows a placeholder. While editing, a newer version of the edited post only
    // raises the editor's note.
    void showPost(const Post &post);
    void clear();
    qint64 postId() const { return m_post.id; }
    const Post &post() const { return m_post; }

    // Edits the post shown, in place.
    void startEditing();
    bool isEditing() const;
    // Words to highlight in the text (from a search); empty for none.
    void setHighlights(const QStringList &words);

    QTextBrowser *body() const { return m_body; }
    ChipList *phrases() const { return m_phrases; }
    PostEditor *editor() const { return m_editor; }

Q_SIGNALS:
    void phrasesShown();
    void editingChanged(bool editing);
    void saved(const Outpost::Post &post);
    void errorOccurred(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void loadPhrases();
    void renderBody();
    void stopEditing();

    QPointer<Client::ApiClient> m_client;
    Post m_post;
    QStringList m_highlights;
    QStackedWidget *m_pages;
    QLabel *m_title;
    QLabel *m_meta;
    ChipList *m_phrases;
    QTextBrowser *m_body;
    PostEditor *m_editor;
};

} // namespace Outpost::App
