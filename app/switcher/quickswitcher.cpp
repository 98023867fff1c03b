#include "quickswitcher.h"

#include "client/apiclient.h"
#include "client/postsresource.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace Outpost::App {

QuickSwitcher::QuickSwitcher(const QList<Entry> &fixed, Client::ApiClient *client, QWidget *parent)
    : QDialog(parent)
    , m_fixed(fixed)
    , m_client(client)
    , m_input(new QLineEdit(this))
    , m_results(new QListWidget(this))
{
    setObjectName(QStringLiteral("quickSwitcher"));
    setWindowTitle(tr("Go to"));
    m_input->setObjectName(QStringLiteral("quickSwitcherInput"));
    m_input->setPlaceholderText(tr("A server, a view or a post title"));
    m_input->setAccessibleName(tr("Go to"));
    m_input->setAccessibleDescription(
        tr("Type part of a server's name, a view or a post's title; Enter goes there."));
    m_input->installEventFilter(this);
    m_results->setObjectName(QStringLiteral("quickSwitcherResults"));
    m_results->setAccessibleName(tr("Matches"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_input);
    layout->addWidget(m_results);
    resize(480, 360);

    m_postSearch.setSingleShot(true);
    m_postSearch.setInterval(200);
    connect(&m_postSearch, &QTimer::timeout, this, &QuickSwitcher::searchPosts);
    connect(m_input, &QLineEdit::textChanged, this, &QuickSwitcher::filter);
    connect(m_input, &QLineEdit::returnPressed, this, &QuickSwitcher::choose);
    connect(m_results, &QListWidget::itemActivated, this, &QuickSwitcher::choose);
    filter();
}

void QuickSwitcher::filter()
{
    const QString text = m_input->text().trimmed();
    m_posts.clear();
    ++m_generation;
    show(fixedMatches());
    if (!text.isEmpty() && m_client)
        m_postSearch.start();
}

QList<QuickSwitcher::Entry> QuickSwitcher::fixedMatches() const
{
    const QString text = m_input->text().trimmed();
    QList<Entry> matches;
    for (const Entry &entry : std::as_const(m_fixed)) {
        if (entry.text.contains(text, Qt::CaseInsensitive))
            matches.append(entry);
    }
    return matches;
}

void QuickSwitcher::searchPosts()
{
    PostQuery query;
    query.limit = 10;
    query.search = m_input->text().trimmed();
    const quint64 generation = m_generation;
    m_client->posts().list(query).then(
        this, [this, generation](const Client::ApiResult<Page<Post>> &page) {
            if (generation != m_generation)
                return;
            if (page) {
                for (const Post &post : page->items)
                    m_posts.append({Kind::Post, QString::number(post.id), post.title});
            }
            show(fixedMatches() + m_posts);
            Q_EMIT postsShown();
        });
}

void QuickSwitcher::show(const QList<Entry> &entries)
{
    m_shown = entries;
    m_results->clear();
    for (const Entry &entry : entries) {
        QString kind;
        switch (entry.kind) {
        case Kind::Server:
            kind = tr("Server");
            break;
        case Kind::View:
            kind = tr("View");
            break;
        case Kind::Post:
            kind = tr("Post");
            break;
        }
        m_results->addItem(tr("%1 — %2").arg(entry.text, kind));
    }
    m_results->setCurrentRow(entries.isEmpty() ? -1 : 0);
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const int key = dynamic_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp
            || key == Qt::Key_PageDown) {
            QCoreApplication::sendEvent(m_results, event);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickSwitcher::choose()
{
    const int row = m_results->currentRow();
    if (row < 0 || row >= m_shown.size())
        return;
    const Entry entry = m_shown.at(row);
    accept();
    Q_EMIT chosen(entry);
}

} // namespace Outpost::App
