#include "postdialog.h"

#include "client/apiclient.h"
#include "viewsupport.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Outpost::App {

namespace {

QLabel *errorLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #c0392b;"));
    label->hide();
    return label;
}

} // namespace

PostDialog::PostDialog(Client::ApiClient *client, qint64 postId, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_postId(postId)
    , m_title(new QLineEdit(this))
    , m_titleError(errorLabel(QStringLiteral("titleError"), this))
    , m_content(new QPlainTextEdit(this))
    , m_contentError(errorLabel(QStringLiteral("contentError"), this))
    , m_published(new QCheckBox(tr("&Published"), this))
    , m_error(errorLabel(QStringLiteral("error"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("postDialog"));
    setWindowTitle(postId == 0 ? tr("New post") : tr("Edit post"));
    m_title->setObjectName(QStringLiteral("title"));
    m_content->setObjectName(QStringLiteral("content"));
    m_published->setObjectName(QStringLiteral("published"));
    m_published->setChecked(true);

    auto *form = new QFormLayout;
    auto *titleBox = new QVBoxLayout;
    titleBox->addWidget(m_title);
    titleBox->addWidget(m_titleError);
    form->addRow(tr("&Title:"), titleBox);
    auto *contentBox = new QVBoxLayout;
    contentBox->addWidget(m_content);
    contentBox->addWidget(m_contentError);
    form->addRow(tr("&Content:"), contentBox);
    // The labels name the fields inside the boxes (and their mnemonics go there).
    qobject_cast<QLabel *>(form->labelForField(titleBox))->setBuddy(m_title);
    qobject_cast<QLabel *>(form->labelForField(contentBox))->setBuddy(m_content);
    // Tab moves on instead of typing a tab into the text (which would trap the keyboard).
    m_content->setTabChangesFocus(true);
    form->addRow(QString(), m_published);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(560, 420);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &PostDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (postId != 0)
        load();
}

void PostDialog::setBusy(bool busy)
{
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!busy);
}

void PostDialog::load()
{
    setBusy(true);
    m_client->posts().get(m_postId).then(
        this, [this](const Client::ApiResult<Client::Versioned<Post>> &post) {
            setBusy(false);
            if (!post) {
                showErrors(post.error());
                return;
            }
            m_etag = post->etag;
            m_title->setText(post->value.title);
            m_content->setPlainText(post->value.content);
            m_published->setChecked(post->value.published);
        });
}

void PostDialog::clearErrors()
{
    clearErrorLabels({m_titleError, m_contentError, m_error});
}

void PostDialog::showErrors(const Client::ApiError &error)
{
    showFieldErrors(error,
        {{QStringLiteral("title"), m_titleError}, {QStringLiteral("content"), m_contentError}},
        m_error);
}

PostWrite PostDialog::written() const
{
    PostWrite post;
    post.title = m_title->text();
    post.content = m_content->toPlainText();
    post.published = m_published->isChecked();
    return post;
}

void PostDialog::save()
{
    clearErrors();
    if (m_postId != 0) {
        put(m_etag);
        return;
    }
    setBusy(true);
    m_client->posts().create(written()).then(
        this, [this](const Client::ApiResult<Client::Versioned<Post>> &post) {
            setBusy(false);
            if (!post) {
                showErrors(post.error());
                return;
            }
            m_postId = post->value.id;
            Q_EMIT saved(m_postId);
            accept();
        });
}

void PostDialog::put(const QByteArray &ifMatch)
{
    setBusy(true);
    m_client->posts()
        .replace(m_postId, written(), ifMatch)
        .then(this, [this](const Client::ApiResult<Client::Versioned<Post>> &post) {
            setBusy(false);
            if (!post && post.error().code == ErrorCode::PreconditionFailed) {
                askAboutConflict();
                return;
            }
            if (!post) {
                showErrors(post.error());
                return;
            }
            m_etag = post->etag;
            Q_EMIT saved(m_postId);
            accept();
        });
}

// Someone saved the post after it was loaded here: reload theirs, or overwrite it.
void PostDialog::askAboutConflict()
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Edit conflict"),
        tr("Someone else saved this post after you opened it."), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("conflict"));
    box->setInformativeText(
        tr("Reload to see their version (your changes are lost), or overwrite it with "
           "yours."));
    QPushButton *reload = box->addButton(tr("&Reload"), QMessageBox::ResetRole);
    QPushButton *overwrite = box->addButton(tr("&Overwrite"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        box, &QMessageBox::buttonClicked, this, [this, reload, overwrite](QAbstractButton *button) {
            if (button == reload) {
                load();
            } else if (button == overwrite) {
                put({});
            }
        });
    box->open();
}

} // namespace Outpost::App
