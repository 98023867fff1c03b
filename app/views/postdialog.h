#pragma once

#include <QByteArray>
#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace Outpost {
struct PostWrite;
}

namespace Outpost::Client {
class ApiClient;
struct ApiError;
} // namespace Outpost::Client

namespace Outpost::App {

// Create or edit a post. The server validates: its 422 field errors appear under the fields
// they name; a stale edit (412, someone saved in between) offers to reload or overwrite.
class PostDialog final : public QDialog
{
    Q_OBJECT

public:
    // postId 0: a new post.
    PostDialog(Client::ApiClient *client, qint64 postId, QWidget *parent = nullptr);

    qint64 postId() const { return m_postId; }
    void save();

Q_SIGNALS:
    void saved(qint64 postId);

private:
    void load();
    void put(const QByteArray &ifMatch);
    void askAboutConflict();
    PostWrite written() const;
    void showErrors(const Client::ApiError &error);
    void clearErrors();
    void setBusy(bool busy);

    Client::ApiClient *m_client;
    qint64 m_postId;
    QByteArray m_etag;
    QLineEdit *m_title;
    QLabel *m_titleError;
    QPlainTextEdit *m_content;
    QLabel *m_contentError;
    QCheckBox *m_published;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace Outpost::App
