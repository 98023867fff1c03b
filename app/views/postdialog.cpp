#include "postdialog.h"

#include "client/apiclient.h"

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
    auto *call = m_client->get(QStringLiteral("/v1/posts/%1").arg(m_postId));
    connect(call, &Client::ApiCall::finished, this, [this](const Client::ApiResponse &response) {
        setBusy(false);
        if (!response.ok()) {
            showResponseErrors(response);
            return;
        }
        const QJsonObject post = response.object();
        m_etag = response.etag;
        m_title->setText(post.value(QStringLiteral("title")).toString());
        m_content->setPlainText(post.value(QStringLiteral("content")).toString());
        m_published->setChecked(post.value(QStringLiteral("published")).toBool());
    });
}

void PostDialog::clearErrors()
{
    for (QLabel *label : {m_titleError, m_contentError, m_error}) {
        label->clear();
        label->hide();
    }
}

void PostDialog::showResponseErrors(const Client::ApiResponse &response)
{
    bool shownAtField = false;
    const std::pair<QString, QLabel *> fields[] = {
        {QStringLiteral("title"), m_titleError}, {QStringLiteral("content"), m_contentError}};
    for (const auto &[field, label] : fields) {
        const QString message = response.problem.fieldMessage(field);
        if (!message.isEmpty()) {
            label->setText(message);
            label->show();
            shownAtField = true;
        }
    }
    if (!shownAtField || response.status != 422) {
        m_error->setText(response.errorText());
        m_error->show();
    }
}

void PostDialog::save()
{
    clearErrors();
    if (m_postId != 0) {
        put(m_etag);
        return;
    }
    setBusy(true);
    const QJsonObject body {{QStringLiteral("title"), m_title->text()},
        {QStringLiteral("content"), m_content->toPlainText()},
        {QStringLiteral("published"), m_published->isChecked()}};
    auto *call = m_client->post(QStringLiteral("/v1/posts"), body);
    connect(call, &Client::ApiCall::finished, this, [this](const Client::ApiResponse &response) {
        setBusy(false);
        if (!response.ok()) {
            showResponseErrors(response);
            return;
        }
        m_postId = response.object().value(QStringLiteral("id")).toInteger();
        Q_EMIT saved(m_postId);
        accept();
    });
}

void PostDialog::put(const QByteArray &ifMatch)
{
    setBusy(true);
    const QJsonObject body {{QStringLiteral("title"), m_title->text()},
        {QStringLiteral("content"), m_content->toPlainText()},
        {QStringLiteral("published"), m_published->isChecked()}};
    auto *call = m_client->put(QStringLiteral("/v1/posts/%1").arg(m_postId), body, ifMatch);
    connect(call, &Client::ApiCall::finished, this, [this](const Client::ApiResponse &response) {
        setBusy(false);
        if (response.status == 412) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Edit conflict"),
                tr("Someone else saved this post after you opened it."), QMessageBox::NoButton,
                this);
            box->setObjectName(QStringLiteral("conflict"));
            box->setInformativeText(
                tr("Reload to see their version (your changes are lost), or overwrite it with "
                   "yours."));
            QPushButton *reload = box->addButton(tr("&Reload"), QMessageBox::ResetRole);
            QPushButton *overwrite = box->addButton(tr("&Overwrite"), QMessageBox::DestructiveRole);
            box->addButton(QMessageBox::Cancel);
            box->setAttribute(Qt::WA_DeleteOnClose);
            connect(box, &QMessageBox::buttonClicked, this,
                [this, reload, overwrite](QAbstractButton *button) {
                    if (button == reload)
                        load();
                    else if (button == overwrite)
                        put({});
                });
            box->open();
            return;
        }
        if (!response.ok()) {
            showResponseErrors(response);
            return;
        }
        m_etag = response.etag;
        Q_EMIT saved(m_postId);
        accept();
    });
}

} // namespace Outpost::App
