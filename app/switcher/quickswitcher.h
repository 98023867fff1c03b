#pragma once

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QTimer>

class QLineEdit;
class QListWidget;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

// Ctrl+K: type to find a server, a view or a post (by title, searched on the current server)
// and press Enter to go there.
class QuickSwitcher final : public QDialog
{
    Q_OBJECT

public:
    enum class Kind { Server, View, Post };
    struct Entry
    {
        Kind kind;
        QString key; // the server id, the view's row, the post id
        QString text;
    };

    // `fixed`: the servers and views, filtered here; posts come from `client` (may be null).
    QuickSwitcher(const QList<Entry> &fixed, Client::ApiClient *client, QWidget *parent = nullptr);

    QLineEdit *input() const { return m_input; }
    QListWidget *results() const { return m_results; }
    // The matches shown now.
    QList<Entry> shown() const { return m_shown; }
    void setPostSearchDelay(int ms) { m_postSearch.setInterval(ms); }

Q_SIGNALS:
    void chosen(const Outpost::App::QuickSwitcher::Entry &entry);
    // The post search for the current text answered.
    void postsShown();

protected:
    // Up and Down in the text field move through the matches.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter();
    QList<Entry> fixedMatches() const;
    void searchPosts();
    void show(const QList<Entry> &entries);
    void choose();

    QList<Entry> m_fixed;
    QList<Entry> m_posts;
    QList<Entry> m_shown;
    QPointer<Client::ApiClient> m_client;
    QLineEdit *m_input;
    QListWidget *m_results;
    QTimer m_postSearch;
    quint64 m_generation = 0;
};

} // namespace Outpost::App
