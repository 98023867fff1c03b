#include "posteditor.h"

#include "client/apiclient.h"
#include "textdiff.h"
#include "viewsupport.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace Outpost::App {

namespace {

QLabel *errorLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setStyleSheet(QStringLiteral("color: #c0392b;"));
    label->hide();
    return label;
}

// A line with a warning icon, so the state is not told by colour alone.
QWidget *withWarningIcon(QLabel *label, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *icon = new QLabel(row);
    const int size = parent->style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(parent->style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    icon->setAlignment(Qt::AlignTop);
    layout->addWidget(icon);
    layout->addWidget(label, 1);
    return row;
}

} // namespace

PostEditor::PostEditor(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLineEdit(this))
    , m_titleError(errorLabel(QStringLiteral("editTitleError"), this))
    , m_content(new QPlainTextEdit(this))
    , m_contentError(errorLabel(QStringLiteral("editContentError"), this))
    , m_published(new QCheckBox(tr("&Published"), this))
    , m_remoteNote(new QLabel(this))
    , m_conflict(new QFrame(this))
    , m_conflictText(new QLabel(m_conflict))
    , m_changes(new QPlainTextEdit(m_conflict))
    , m_reload(new QPushButton(tr("&Load their version"), m_conflict))
    , m_overwrite(new QPushButton(tr("&Overwrite with mine"), m_conflict))
    , m_error(errorLabel(QStringLiteral("editError"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("postEditor"));
    m_title->setObjectName(QStringLiteral("editTitle"));
    m_title->setAccessibleName(tr("Title"));
    m_content->setObjectName(QStringLiteral("editContent"));
    m_content->setAccessibleName(tr("Text (Markdown)"));
    m_content->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_content->setTabChangesFocus(true);
    m_published->setObjectName(QStringLiteral("editPublished"));
    m_buttons->setObjectName(QStringLiteral("editButtons"));
    m_remoteNote->setObjectName(QStringLiteral("remoteChangeNote"));
    m_remoteNote->setWordWrap(true);
    m_remoteNote->setTextFormat(Qt::PlainText);

    m_conflict->setObjectName(QStringLiteral("conflictPanel"));
    m_conflict->setFrameShape(QFrame::StyledPanel);
    m_conflict->setAccessibleName(tr("Edit conflict"));
    m_conflictText->setObjectName(QStringLiteral("conflictText"));
    m_conflictText->setWordWrap(true);
    m_conflictText->setTextFormat(Qt::PlainText);
    m_changes->setObjectName(QStringLiteral("conflictChanges"));
    m_changes->setAccessibleName(tr("Their changes"));
    m_changes->setReadOnly(true);
    m_changes->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_changes->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_changes->setMaximumHeight(160);
    m_reload->setObjectName(QStringLiteral("conflictReload"));
    m_overwrite->setObjectName(QStringLiteral("conflictOverwrite"));
    auto *conflictLayout = new QVBoxLayout(m_conflict);
    conflictLayout->addWidget(withWarningIcon(m_conflictText, m_conflict));
    conflictLayout->addWidget(m_changes);
    auto *choices = new QHBoxLayout;
    choices->addStretch(1);
    choices->addWidget(m_reload);
    choices->addWidget(m_overwrite);
    conflictLayout->addLayout(choices);
    m_conflict->hide();

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    auto *titleLabel = new QLabel(tr("&Title:"), this);
    titleLabel->setBuddy(m_title);
    auto *titleBox = new QVBoxLayout;
    titleBox->addWidget(m_title);
    titleBox->addWidget(m_titleError);
    form->addRow(titleLabel, titleBox);
    auto *contentLabel = new QLabel(tr("Te&xt:"), this);
    contentLabel->setBuddy(m_content);
    contentLabel->setToolTip(tr("Markdown: **bold**, *italic*, [links](https://…), lists"));
    auto *contentBox = new QVBoxLayout;
    contentBox->addWidget(m_content, 1);
    contentBox->addWidget(m_contentError);
    form->addRow(contentLabel, contentBox);
    form->addRow(QString(), m_published);

    auto *remoteRow = withWarningIcon(m_remoteNote, this);
    remoteRow->setObjectName(QStringLiteral("remoteChangeRow"));
    remoteRow->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 0, 0, 0);
    layout->addWidget(remoteRow);
    layout->addWidget(m_conflict);
    layout->addLayout(form, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    setTabOrder(m_title, m_content);
    setTabOrder(m_content, m_published);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &PostEditor::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PostEditor::cancel);
    connect(m_reload, &QPushButton::clicked, this, [this] {
        m_base = m_theirs;
        m_etag = m_theirEtag;
        fill(m_theirs);
    });
    connect(m_overwrite, &QPushButton::clicked, this, [this] { put(m_theirEtag); });
}

void PostEditor::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_base = Post();
}

void PostEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        cancel();
        return;
    }
    if (event->matches(QKeySequence::Save)) {
        save();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool PostEditor::isDirty() const
{
    return m_base.id != 0
        && (m_title->text() != m_base.title || m_content->toPlainText() != m_base.content
            || m_published->isChecked() != m_base.published);
}

void PostEditor::begin(qint64 id)
{
    if (!m_client || id == 0)
        return;
    setBusy(true);
    m_client->posts().get(id).then(
        this, [this](const Client::ApiResult<Client::Versioned<Post>> &post) {
            setBusy(false);
            if (!post) {
                Q_EMIT failed(post.error().text());
                return;
            }
            m_base = post->value;
            m_etag = post->etag;
            fill(m_base);
            m_title->setFocus();
            Q_EMIT started();
        });
}

void PostEditor::fill(const Post &post)
{
    clearErrors();
    m_conflict->hide();
    findChild<QWidget *>(QStringLiteral("remoteChangeRow"))->hide();
    m_title->setText(post.title);
    m_content->setPlainText(post.content);
    m_published->setChecked(post.published);
}

void PostEditor::noteRemoteChange(const Post &post)
{
    const bool changed = post.updatedAt != m_base.updatedAt || post.title != m_base.title
        || post.content != m_base.content || post.published != m_base.published;
    if (post.id != m_base.id || !changed)
        return;
    m_remoteNote->setText(
        tr("Someone else saved this post while you are editing it. Saving will show what "
           "they changed."));
    findChild<QWidget *>(QStringLiteral("remoteChangeRow"))->show();
}

void PostEditor::setBusy(bool busy)
{
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!busy);
    m_reload->setEnabled(!busy);
    m_overwrite->setEnabled(!busy);
}

void PostEditor::clearErrors()
{
    clearErrorLabels({m_titleError, m_contentError, m_error});
}

void PostEditor::showErrors(const Client::ApiError &error)
{
    showFieldErrors(error,
        {{QStringLiteral("title"), m_titleError}, {QStringLiteral("content"), m_contentError}},
        m_error);
}

void PostEditor::save()
{
    if (m_base.id == 0)
        return;
    put(m_etag);
}

void PostEditor::put(const QByteArray &ifMatch)
{
    if (!m_client)
        return;
    clearErrors();
    setBusy(true);
    PostWrite write;
    write.title = m_title->text();
    write.content = m_content->toPlainText();
    write.published = m_published->isChecked();
    m_client->posts()
        .replace(m_base.id, write, ifMatch)
        .then(this, [this](const Client::ApiResult<Client::Versioned<Post>> &post) {
            if (!post && post.error().code == ErrorCode::PreconditionFailed) {
                showConflict();
                return;
            }
            setBusy(false);
            if (!post) {
                showErrors(post.error());
                return;
            }
            m_base = post->value;
            m_etag = post->etag;
            m_conflict->hide();
            Q_EMIT saved(post->value);
            Q_EMIT finished();
        });
}

// Their version, and what differs from the one this edit started from.
void PostEditor::showConflict()
{
    const qint64 id = m_base.id;
    m_client->posts().get(id).then(
        this, [this, id](const Client::ApiResult<Client::Versioned<Post>> &post) {
            setBusy(false);
            if (id != m_base.id)
                return;
            if (!post) {
                // Deleted meanwhile, or the connection failed: say that instead.
                m_error->setText(post.error().code == ErrorCode::NotFound
                        ? tr("Someone else deleted this post while you were editing it.")
                        : post.error().text());
                m_error->show();
                return;
            }
            m_theirs = post->value;
            m_theirEtag = post->etag;
            QStringList what;
            if (m_theirs.title != m_base.title)
                what << tr("Title: “%1” → “%2”").arg(m_base.title, m_theirs.title);
            if (m_theirs.published != m_base.published) {
                what << (m_theirs.published ? tr("They published it.")
                                            : tr("They unpublished it."));
            }
            const TextDiff diff = TextDiff::compute(m_base.content, m_theirs.content);
            if (diff.tooLarge) {
                what << tr("The text changed (too long to compare here).");
            } else if (!diff.isEmpty()) {
                what << tr("The text changed:");
            } else if (what.isEmpty()) {
                what << tr("Nothing you can see changed (perhaps only the votes or the owner).");
            }
            m_conflictText->setText(
                tr("Someone else saved this post after you started editing it. Load their "
                   "version (your changes here are lost), or overwrite theirs with yours.")
                + u'\n' + what.join(u'\n'));
            m_changes->setPlainText(diff.toText());
            m_changes->setVisible(!diff.tooLarge && !diff.isEmpty());
            m_conflict->show();
            findChild<QWidget *>(QStringLiteral("remoteChangeRow"))->hide();
            m_reload->setFocus();
        });
}

void PostEditor::cancel()
{
    if (!isDirty()) {
        Q_EMIT finished();
        return;
    }
    confirm(
        this, tr("Discard changes"), tr("Discard your changes to “%1”?").arg(m_base.title), [this] {
            fill(m_base);
            Q_EMIT finished();
        });
}

} // namespace Outpost::App
