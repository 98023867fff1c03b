#pragma once

#include "models/post.h"

#include <QByteArray>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QDialogButtonBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace Outpost::Client {
class ApiClient;
struct ApiError;
} // namespace Outpost::Client

namespace Outpost::App {

// Editing a post in the reading pane: title, Markdown text and published, with Save and
// Cancel. The post is read afresh when editing starts, for its ETag; Save sends it as
// If-Match, so when someone else saved in between (412) the editor says so in a panel with
// what they changed (title, and a line diff of the text against the version this edit started
// from), and offers to load their version or to overwrite it with this one. Overwriting sends
// their ETag, so a third edit in the meantime is caught again.
class PostEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit PostEditor(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client);
    // Reads post `id` and starts editing it; started() once it is in the fields.
    void begin(qint64 id);
    qint64 postId() const { return m_base.id; }
    bool isDirty() const;
    // The post changed on the server while being edited here (a live event): says so now,
    // before a Save runs into the conflict.
    void noteRemoteChange(const Post &post);

    void save();
    // Ends editing; with unsaved changes it asks first.
    void cancel();

    QLineEdit *titleEdit() const { return m_title; }
    QPlainTextEdit *contentEdit() const { return m_content; }
    QCheckBox *publishedBox() const { return m_published; }
    QFrame *conflictPanel() const { return m_conflict; }
    QPlainTextEdit *changesView() const { return m_changes; }
    QPushButton *reloadButton() const { return m_reload; }
    QPushButton *overwriteButton() const { return m_overwrite; }
    QDialogButtonBox *buttons() const { return m_buttons; }

Q_SIGNALS:
    void started();
    void saved(const Outpost::Post &post);
    void finished(); // saved or cancelled: back to reading
    void failed(const QString &message);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void fill(const Post &post);
    void put(const QByteArray &ifMatch);
    void showConflict();
    void showErrors(const Client::ApiError &error);
    void clearErrors();
    void setBusy(bool busy);

    QPointer<Client::ApiClient> m_client;
    Post m_base;       // as it was when this edit started (or was last reloaded)
    QByteArray m_etag; // of m_base
    Post m_theirs;     // the newer version found on a conflict
    QByteArray m_theirEtag;
    QLineEdit *m_title;
    QLabel *m_titleError;
    QPlainTextEdit *m_content;
    QLabel *m_contentError;
    QCheckBox *m_published;
    QLabel *m_remoteNote;
    QFrame *m_conflict;
    QLabel *m_conflictText;
    QPlainTextEdit *m_changes;
    QPushButton *m_reload;
    QPushButton *m_overwrite;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace Outpost::App
