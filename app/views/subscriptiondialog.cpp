#include "subscriptiondialog.h"

#include "client/apiclient.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <array>

namespace Outpost::App {

namespace {

QLabel *fieldError(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setStyleSheet(QStringLiteral("color: #c0392b;"));
    label->setWordWrap(true);
    label->hide();
    return label;
}

} // namespace

QStringList SubscriptionDialog::knownEvents()
{
    return {QStringLiteral("post.created"), QStringLiteral("post.updated"),
        QStringLiteral("post.deleted"), QStringLiteral("vote.created"),
        QStringLiteral("vote.deleted"), QStringLiteral("file.created"),
        QStringLiteral("file.updated"), QStringLiteral("file.deleted"),
        QStringLiteral("user.created"), QStringLiteral("user.updated"),
        QStringLiteral("user.deleted"), QStringLiteral("pipeline.created"),
        QStringLiteral("pipeline.deleted"), QStringLiteral("run.created"),
        QStringLiteral("run.updated"), QStringLiteral("run.deleted")};
}

SubscriptionDialog::SubscriptionDialog(
    Client::ApiClient *client, const Subscription *existing, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_id(existing ? existing->id : 0)
    , m_kind(new QComboBox(this))
    , m_targetLabel(new QLabel(this))
    , m_target(new QLineEdit(this))
    , m_events(new QListWidget(this))
    , m_patterns(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_enabled(new QCheckBox(tr("&Enabled"), this))
    , m_targetError(fieldError(QStringLiteral("targetError"), this))
    , m_eventsError(fieldError(QStringLiteral("eventsError"), this))
    , m_error(fieldError(QStringLiteral("error"), this))
{
    setObjectName(QStringLiteral("subscriptionDialog"));
    setWindowTitle(existing ? tr("Edit subscription") : tr("New subscription"));
    m_kind->setObjectName(QStringLiteral("kind"));
    m_kind->addItem(tr("Webhook (signed HTTP POST)"), SubscriptionKinds::webhook);
    m_kind->addItem(tr("E-mail"), SubscriptionKinds::email);
    m_target->setObjectName(QStringLiteral("target"));
    m_target->setMinimumWidth(420);
    m_events->setObjectName(QStringLiteral("events"));
    m_events->setAccessibleName(tr("Events"));
    m_patterns->setObjectName(QStringLiteral("patterns"));
    m_patterns->setPlaceholderText(tr("e.g. file.* or * (comma-separated)"));
    m_description->setObjectName(QStringLiteral("description"));
    m_enabled->setObjectName(QStringLiteral("enabled"));
    m_targetLabel->setBuddy(m_target);

    const QStringList known = knownEvents();
    for (const QString &type : known) {
        auto *item = new QListWidgetItem(type, m_events);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    // Every known type at once, no scrolling.
    m_events->setMinimumHeight(
        m_events->sizeHintForRow(0) * m_events->count() + 2 * m_events->frameWidth() + 2);

    if (existing) {
        m_kind->setCurrentIndex(existing->kind == SubscriptionKinds::email ? 1 : 0);
        m_kind->setEnabled(false);
        m_target->setText(existing->target);
        m_originalTarget = existing->target;
        QStringList patterns;
        for (const QString &event : existing->events) {
            const int row = int(known.indexOf(event));
            if (row >= 0)
                m_events->item(row)->setCheckState(Qt::Checked);
            else
                patterns.append(event);
        }
        m_patterns->setText(patterns.join(QStringLiteral(", ")));
        m_description->setText(existing->description);
        m_enabled->setChecked(existing->enabled);
        if (!existing->enabled && !existing->disabledReason.isEmpty())
            m_enabled->setToolTip(existing->disabledReason);
    } else {
        m_enabled->hide();
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(existing ? tr("&Save") : tr("&Create"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(m_targetLabel, m_target);
    form->addRow(QString(), m_targetError);
    form->addRow(tr("E&vents:"), m_events);
    form->addRow(tr("&Other patterns:"), m_patterns);
    form->addRow(QString(), m_eventsError);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(QString(), m_enabled);
    form->addRow(m_error);
    form->addRow(buttons);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &SubscriptionDialog::updateKind);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, &SubscriptionDialog::save);
    updateKind();
}

void SubscriptionDialog::updateKind()
{
    const bool email = m_kind->currentData().toString() == SubscriptionKinds::email;
    m_targetLabel->setText(email ? tr("&Address:") : tr("&URL:"));
    m_target->setPlaceholderText(email ? QStringLiteral("someone@example.com")
                                       : QStringLiteral("https://hooks.example.com/outpost"));
}

QStringList SubscriptionDialog::chosenEvents() const
{
    QStringList events;
    for (int row = 0; row < m_events->count(); ++row) {
        if (m_events->item(row)->checkState() == Qt::Checked)
            events.append(m_events->item(row)->text());
    }
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    for (const QString &pattern : m_patterns->text().split(separators, Qt::SkipEmptyParts)) {
        if (!events.contains(pattern))
            events.append(pattern);
    }
    return events;
}

void SubscriptionDialog::save()
{
    if (!m_client)
        return;
    for (QLabel *label : {m_targetError, m_eventsError, m_error})
        label->hide();
    const QStringList events = chosenEvents();
    if (events.isEmpty()) {
        m_eventsError->setText(tr("Choose at least one event, or write a pattern such as file.*"));
        m_eventsError->show();
        return;
    }
    const QString kind = m_kind->currentData().toString();
    const auto answered = [this, kind](const Client::ApiResult<Subscription> &result) {
        if (!result) {
            const Client::ApiError &error = result.error();
            m_targetError->setText(error.fieldMessage(
                kind == SubscriptionKinds::email ? QStringLiteral("to") : QStringLiteral("url")));
            m_targetError->setVisible(!m_targetError->text().isEmpty());
            m_eventsError->setText(error.fieldMessage(QStringLiteral("events")));
            m_eventsError->setVisible(!m_eventsError->text().isEmpty());
            m_error->setText(error.text());
            m_error->show();
            return;
        }
        Q_EMIT saved(*result);
        accept();
    };
    if (m_id == 0) {
        SubscriptionCreate create;
        create.kind = kind;
        create.target = m_target->text().trimmed();
        create.events = events;
        create.description = m_description->text();
        m_client->subscriptions().create(create).then(this, answered);
        return;
    }
    SubscriptionUpdate update;
    const QString target = m_target->text().trimmed();
    if (target != m_originalTarget) {
        if (kind == SubscriptionKinds::email)
            update.to = target;
        else
            update.url = target;
    }
    update.events = events;
    update.description = m_description->text();
    update.enabled = m_enabled->isChecked();
    m_client->subscriptions().update(m_id, update).then(this, answered);
}

QDialog *showSecretDialog(QWidget *parent, const QString &secret, const QString &title)
{
    auto *shown = new QDialog(parent);
    shown->setObjectName(QStringLiteral("secretDialog"));
    shown->setAttribute(Qt::WA_DeleteOnClose);
    shown->setWindowTitle(title);
    auto *text = new QLabel(
        SubscriptionDialog::tr("This is the webhook's signing secret. Copy it now and keep it "
                               "with your receiver: it is shown only this once and cannot be "
                               "read again. (Rotate the secret to get a new one.)"),
        shown);
    text->setWordWrap(true);
    auto *field = new QLineEdit(secret, shown);
    field->setObjectName(QStringLiteral("secret"));
    field->setReadOnly(true);
    field->setMinimumWidth(460);
    field->setFont(QFont(QStringLiteral("monospace")));
    auto *copy = new QPushButton(
        QIcon(QStringLiteral(":/icons/copy.svg")), SubscriptionDialog::tr("&Copy"), shown);
    copy->setObjectName(QStringLiteral("copy"));
    QObject::connect(copy, &QPushButton::clicked, shown, [secret, copy] {
        QGuiApplication::clipboard()->setText(secret);
        copy->setText(SubscriptionDialog::tr("Copied"));
    });
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, shown);
    QObject::connect(close, &QDialogButtonBox::rejected, shown, &QDialog::reject);
    auto *layout = new QVBoxLayout(shown);
    layout->addWidget(text);
    auto *row = new QHBoxLayout;
    row->addWidget(field);
    row->addWidget(copy);
    layout->addLayout(row);
    layout->addWidget(close);
    shown->open();
    return shown;
}

} // namespace Outpost::App
