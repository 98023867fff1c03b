#include "postreader.h"

#include "client/apiclient.h"
#include "models/modelformat.h"
#include "posteditor.h"
#include "widgets/chiplist.h"

#include <QEvent>
#include <QLabel>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace Outpost::App {

PostReader::PostReader(QWidget *parent)
    : QWidget(parent)
    , m_pages(new QStackedWidget(this))
    , m_title(new QLabel(this))
    , m_meta(new QLabel(this))
    , m_phrases(new ChipList(this))
    , m_body(new QTextBrowser(this))
    , m_editor(new PostEditor(this))
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
    m_pages->addWidget(m_editor);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);

    connect(m_editor, &PostEditor::started, this, [this] {
        m_pages->setCurrentWidget(m_editor);
        Q_EMIT editingChanged(true);
    });
    connect(m_editor, &PostEditor::failed, this, &PostReader::errorOccurred);
    connect(m_editor, &PostEditor::saved, this, [this](const Post &post) {
        Q_EMIT saved(post);
        showPost(post);
    });
    connect(m_editor, &PostEditor::finished, this, &PostReader::stopEditing);
}

bool PostReader::isEditing() const
{
    return m_pages->currentWidget() == m_editor;
}

void PostReader::startEditing()
{
    if (m_post.id != 0 && !isEditing())
        m_editor->begin(m_post.id);
}

void PostReader::stopEditing()
{
    if (!isEditing())
        return;
    m_pages->setCurrentIndex(m_post.id == 0 ? 0 : 1);
    Q_EMIT editingChanged(false);
}

void PostReader::setHighlights(const QStringList &words)
{
    if (words == m_highlights)
        return;
    m_highlights = words;
    if (m_post.id != 0)
        renderBody();
}

void PostReader::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // A theme switch: the links and highlights take the new palette's colours.
    if (event->type() == QEvent::PaletteChange && m_post.id != 0)
        renderBody();
}

// The Markdown as a document, then the palette's link colour on every link (the importer's
// own colour is the light theme's) and the search's words highlighted.
void PostReader::renderBody()
{
    const int scroll = m_body->verticalScrollBar()->value();
    m_body->setMarkdown(m_post.content);
    QTextDocument *document = m_body->document();
    QTextCharFormat link;
    link.setForeground(palette().color(QPalette::Link));
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || !fragment.charFormat().isAnchor())
                continue;
            QTextCursor cursor(document);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(link);
        }
    }
    QTextCharFormat mark;
    mark.setBackground(palette().color(QPalette::Highlight));
    mark.setForeground(palette().color(QPalette::HighlightedText));
    for (const QString &word : std::as_const(m_highlights)) {
        QTextCursor found(document);
        while (!(found = document->find(word, found)).isNull())
            found.mergeCharFormat(mark);
    }
    m_body->document()->setModified(false);
    m_body->verticalScrollBar()->setValue(scroll);
}

void PostReader::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_editor->setClient(client);
    stopEditing();
    clear();
}

void PostReader::clear()
{
    if (isEditing())
        return; // the edited post stays until it is saved or cancelled
    m_post = Post();
    m_phrases->setChips({});
    m_body->clear();
    m_pages->setCurrentIndex(0);
}

void PostReader::showPost(const Post &post)
{
    if (isEditing()) {
        m_editor->noteRemoteChange(post);
        if (post.id != m_post.id)
            return;
    }
    const bool samePost = post.id == m_post.id;
    const bool changed = !samePost || post.updatedAt != m_post.updatedAt
        || post.title != m_post.title || post.content != m_post.content;
    m_post = post;
    if (!isEditing())
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
    if (!samePost)
        m_body->verticalScrollBar()->setValue(0);
    renderBody(); // an edit elsewhere keeps the place
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
