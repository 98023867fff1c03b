#include "postreader.h"

#include "client/apiclient.h"
#include "models/modelformat.h"
#include "widgets/chiplist.h"

#include <QLabel>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Outpost::App {

PostReader::PostReader(QWidget *parent)
    : QWidget(parent)
    , m_pages(new QStackedWidget(this))
    , m_title(new QLabel(this))
    , m_meta(new QLabel(this))
    , m_phrases(new ChipList(this))
    , m_body(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("postReader"));
    m_title->setObjectName(QStringLiteral("readerTitle"));
    m_meta->setObjectName(QStringLiteral("readerMeta"));
    m_phrases->setObjectName(QStringLiteral("readerPhrases"));
    m_body->setObjectName(QStringLiteral("readerBody"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_meta->setWordWrap(true);
    m_meta->setTextFormat(Qt::PlainText);
    m_meta->setEnabled(false); // secondary text
    m_phrases->setAccessibleName(tr("Key phrases"));
    m_body->setOpenExternalLinks(true);
    m_body->setAccessibleName(tr("Post text"));

    auto *placeholder = new QLabel(tr("Select a post to read it here."), this);
    placeholder->setObjectName(QStringLiteral("readerPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setEnabled(false);
    auto *reading = new QWidget(this);
    auto *layout = new QVBoxLayout(reading);
    layout->setContentsMargins(8, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_meta);
    layout->addWidget(m_phrases);
    layout->addWidget(m_body, 1);
    m_pages->addWidget(placeholder);
    m_pages->addWidget(reading);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);
}

void PostReader::setClient(Client::ApiClient *client)
{
    m_client = client;
    clear();
}

void PostReader::clear()
{
    m_post = Post();
    m_phrases->setChips({});
    m_body->clear();
    m_pages->setCurrentIndex(0);
}

void PostReader::showPost(const Post &post)
{
    const bool samePost = post.id == m_post.id;
    const bool changed = !samePost || post.updatedAt != m_post.updatedAt
        || post.title != m_post.title || post.content != m_post.content;
    m_post = post;
    m_pages->setCurrentIndex(1);
    m_title->setText(post.title);
    const QString owner = post.owner.username.isEmpty()
        ? post.owner.email
        : QStringLiteral("%1 <%2>").arg(post.owner.username, post.owner.email);
    QStringList meta {tr("By %1").arg(owner), tr("created %1").arg(displayTime(post.createdAt))};
    if (post.updatedAt.isValid() && post.updatedAt != post.createdAt)
        meta << tr("edited %1").arg(displayTime(post.updatedAt));
    meta << tr("votes: %1").arg(post.votes);
    meta << (post.published ? tr("published") : tr("draft (not published)"));
    m_meta->setText(meta.join(QStringLiteral(" · ")));
    if (!changed)
        return;
    const int scroll = samePost ? m_body->verticalScrollBar()->value() : 0;
    m_body->setMarkdown(post.content);
    m_body->verticalScrollBar()->setValue(scroll); // an edit elsewhere keeps the place
    loadPhrases();
}

void PostReader::loadPhrases()
{
    if (!m_client || m_post.id == 0)
        return;
    const qint64 id = m_post.id;
    m_client->posts().phrases(id).then(
        this, [this, id](const Client::ApiResult<QStringList> &phrases) {
            if (id != m_post.id)
                return;
            // An older server without key phrases: the pane simply shows none.
            m_phrases->setChips(phrases ? *phrases : QStringList());
            Q_EMIT phrasesShown();
        });
}

} // namespace Outpost::App
