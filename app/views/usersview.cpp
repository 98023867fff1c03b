#include "usersview.h"

#include "client/apiclient.h"
#include "models/apikeysmodel.h"
#include "models/usersmodel.h"
#include "viewsupport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace Outpost::App {

namespace {

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    setupTable(table);
    table->setContextMenuPolicy(Qt::ActionsContextMenu);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    rememberColumns(table->horizontalHeader(), name);
    return table;
}

QLabel *fieldError(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setStyleSheet(QStringLiteral("color: #c0392b;"));
    label->setWordWrap(true);
    label->hide();
    return label;
}

} // namespace

UsersView::UsersView(QWidget *parent)
    : View(parent)
    , m_users(new UsersModel(this))
    , m_keys(new ApiKeysModel(this))
    , m_tabs(new QTabWidget(this))
    , m_userTable(makeTable(m_users, QStringLiteral("usersTable"), this))
    , m_keyTable(makeTable(m_keys, QStringLiteral("keysTable"), this))
    , m_search(new SearchField(this))
    , m_notAdmin(new QLabel(tr("Only administrators manage users and API keys."), this))
    , m_newUser(new QAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&New user…"), this))
    , m_toggleRole(new QAction(tr("Make &admin"), this))
    , m_toggleDisabled(new QAction(tr("D&isable"), this))
    , m_resetPassword(new QAction(tr("&Reset password…"), this))
    , m_deleteUser(new QAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Delete"), this))
    , m_newKey(new QAction(QIcon(QStringLiteral(":/icons/new.svg")), tr("&New API key…"), this))
    , m_deleteKey(new QAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Revoke"), this))
{
    setObjectName(QStringLiteral("usersView"));
    m_notAdmin->setAlignment(Qt::AlignCenter);
    m_notAdmin->hide();

    auto *usersPage = new QWidget(this);
    auto *usersBar = new QToolBar(usersPage);
    usersBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    usersBar->addActions(
        {m_newUser, m_toggleRole, m_toggleDisabled, m_resetPassword, m_deleteUser});
    auto *spacer = new QWidget(usersBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    usersBar->addWidget(spacer);
    m_search->setMaximumWidth(280);
    usersBar->addWidget(m_search);
    m_userTable->addActions(
        {m_newUser, m_toggleRole, m_toggleDisabled, m_resetPassword, m_deleteUser});
    auto *usersLayout = new QVBoxLayout(usersPage);
    usersLayout->setContentsMargins(0, 0, 0, 0);
    usersLayout->addWidget(usersBar);
    usersLayout->addWidget(m_userTable);

    auto *keysPage = new QWidget(this);
    auto *keysBar = new QToolBar(keysPage);
    keysBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    keysBar->addActions({m_newKey, m_deleteKey});
    m_keyTable->addActions({m_newKey, m_deleteKey});
    auto *keysLayout = new QVBoxLayout(keysPage);
    keysLayout->setContentsMargins(0, 0, 0, 0);
    keysLayout->addWidget(keysBar);
    keysLayout->addWidget(m_keyTable);

    m_tabs->addTab(usersPage, tr("Users"));
    m_tabs->addTab(keysPage, tr("API keys"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    layout->addWidget(m_notAdmin);

    connect(m_search, &SearchField::searchChanged, m_users, &PagedTableModel::setSearch);
    connect(m_newUser, &QAction::triggered, this, &UsersView::createUser);
    connect(m_toggleRole, &QAction::triggered, this, [this] {
        const QJsonObject user = currentUser();
        const bool admin = user.value(QStringLiteral("role")).toString() == QLatin1String("admin");
        patchUser(currentUserId(),
            {{QStringLiteral("role"), admin ? QStringLiteral("user") : QStringLiteral("admin")}},
            tr("Role changed"));
    });
    connect(m_toggleDisabled, &QAction::triggered, this, [this] {
        const bool disabled = currentUser().value(QStringLiteral("disabled")).toBool();
        patchUser(currentUserId(), {{QStringLiteral("disabled"), !disabled}},
            disabled ? tr("User enabled") : tr("User disabled"));
    });
    connect(m_resetPassword, &QAction::triggered, this, &UsersView::resetPassword);
    connect(m_deleteUser, &QAction::triggered, this, &UsersView::deleteSelected);
    connect(m_newKey, &QAction::triggered, this, &UsersView::createKey);
    connect(m_deleteKey, &QAction::triggered, this, [this] {
        const QModelIndex index = m_keyTable->currentIndex();
        if (!m_client || !index.isValid())
            return;
        const qint64 id = m_keys->idAt(index.row());
        const QString name = m_keys->objectAt(index.row()).value(QStringLiteral("name")).toString();
        confirm(this, tr("Revoke API key"),
            tr("Revoke the key “%1”? Programs using it stop working.").arg(name), [this, id] {
                auto *call = m_client->del(QStringLiteral("/v1/api-keys/%1").arg(id));
                connect(call, &Client::ApiCall::finished, this,
                    [this, id](const Client::ApiResponse &response) {
                        if (!response.ok())
                            Q_EMIT errorOccurred(response.errorText());
                        else
                            m_keys->removeId(id);
                    });
            });
    });
    for (PagedTableModel *model :
        {static_cast<PagedTableModel *>(m_users), static_cast<PagedTableModel *>(m_keys)})
        connect(model, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    connect(m_userTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &UsersView::updateActions);
    connect(m_users, &QAbstractItemModel::dataChanged, this, &UsersView::updateActions);
    updateActions();
}

void UsersView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_users->setClient(client);
    m_keys->setClient(client);
}

void UsersView::setAdmin(bool admin)
{
    m_tabs->setVisible(admin);
    m_notAdmin->setVisible(!admin);
    if (admin)
        refresh();
}

void UsersView::showEvent(QShowEvent *event)
{
    View::showEvent(event);
    if (m_client && m_tabs->isVisibleTo(this))
        refresh();
}

void UsersView::refresh()
{
    m_users->refresh();
    m_keys->refresh();
}

void UsersView::handleEvent(const QString &type, qint64 id)
{
    if (type == QLatin1String("user.created"))
        m_users->refresh();
    else if (type == QLatin1String("user.deleted"))
        m_users->removeId(id);
    else if (type.startsWith(QLatin1String("user.")))
        m_users->refreshRow(id);
}

void UsersView::focusSearch()
{
    m_tabs->setCurrentIndex(0);
    m_search->setFocus();
    m_search->selectAll();
}

void UsersView::createNew()
{
    if (m_tabs->currentIndex() == 1)
        createKey();
    else
        createUser();
}

qint64 UsersView::currentUserId() const
{
    const QModelIndex index = m_userTable->currentIndex();
    return index.isValid() ? m_users->idAt(index.row()) : 0;
}

QJsonObject UsersView::currentUser() const
{
    return m_users->objectAt(m_userTable->currentIndex().row());
}

void UsersView::updateActions()
{
    const QJsonObject user = currentUser();
    const bool selected = !user.isEmpty();
    const bool admin = user.value(QStringLiteral("role")).toString() == QLatin1String("admin");
    const bool disabled = user.value(QStringLiteral("disabled")).toBool();
    m_toggleRole->setText(admin ? tr("Make &user") : tr("Make &admin"));
    m_toggleDisabled->setText(disabled ? tr("&Enable") : tr("D&isable"));
    for (QAction *action : {m_toggleRole, m_toggleDisabled, m_resetPassword, m_deleteUser})
        action->setEnabled(selected);
}

void UsersView::patchUser(qint64 id, const QJsonObject &body, const QString &done)
{
    if (!m_client || id == 0)
        return;
    auto *call = m_client->patch(QStringLiteral("/v1/users/%1").arg(id), body);
    connect(call, &Client::ApiCall::finished, this,
        [this, id, done](const Client::ApiResponse &response) {
            if (!response.ok()) {
                Q_EMIT errorOccurred(response.errorText());
                return;
            }
            m_users->refreshRow(id);
            Q_EMIT statusMessage(done);
        });
}

void UsersView::resetPassword()
{
    const qint64 id = currentUserId();
    if (id == 0)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Reset password"));
    dialog->setLabelText(tr("New password for %1 (at least 8 characters, not all of one kind):")
                             .arg(currentUser().value(QStringLiteral("email")).toString()));
    dialog->setTextEchoMode(QLineEdit::Password);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString &password) {
        patchUser(id, {{QStringLiteral("password"), password}}, tr("Password changed"));
    });
    dialog->open();
}

void UsersView::deleteSelected()
{
    const qint64 id = currentUserId();
    if (!m_client || id == 0 || m_tabs->currentIndex() != 0)
        return;
    const QString email = currentUser().value(QStringLiteral("email")).toString();
    confirm(this, tr("Delete user"),
        tr("Delete the user %1 and everything they own? This cannot be undone.").arg(email),
        [this, id] {
            auto *call = m_client->del(QStringLiteral("/v1/users/%1").arg(id));
            connect(call, &Client::ApiCall::finished, this,
                [this, id](const Client::ApiResponse &response) {
                    if (!response.ok()) {
                        Q_EMIT errorOccurred(response.errorText());
                        return;
                    }
                    m_users->removeId(id);
                    Q_EMIT statusMessage(tr("User deleted"));
                });
        });
}

void UsersView::createUser()
{
    if (!m_client)
        return;
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("userDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New user"));
    auto *email = new QLineEdit(dialog);
    auto *username = new QLineEdit(dialog);
    auto *password = new QLineEdit(dialog);
    auto *admin = new QCheckBox(tr("&Administrator"), dialog);
    email->setObjectName(QStringLiteral("email"));
    username->setObjectName(QStringLiteral("username"));
    password->setObjectName(QStringLiteral("password"));
    password->setEchoMode(QLineEdit::Password);
    QLabel *emailError = fieldError(dialog);
    QLabel *usernameError = fieldError(dialog);
    QLabel *passwordError = fieldError(dialog);
    QLabel *error = fieldError(dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    auto *form = new QFormLayout(dialog);
    form->addRow(tr("&Email:"), email);
    form->addRow(QString(), emailError);
    form->addRow(tr("&Username:"), username);
    form->addRow(QString(), usernameError);
    form->addRow(tr("&Password:"), password);
    form->addRow(QString(), passwordError);
    form->addRow(QString(), admin);
    form->addRow(error);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [=, this] {
        QJsonObject body {{QStringLiteral("email"), email->text()},
            {QStringLiteral("password"), password->text()}};
        if (!username->text().isEmpty())
            body.insert(QStringLiteral("username"), username->text());
        auto *call = m_client->post(QStringLiteral("/v1/users"), body);
        connect(call, &Client::ApiCall::finished, dialog,
            [=, this](const Client::ApiResponse &response) {
                for (QLabel *label : {emailError, usernameError, passwordError, error})
                    label->hide();
                if (!response.ok()) {
                    const std::pair<QString, QLabel *> fields[] = {
                        {QStringLiteral("email"), emailError},
                        {QStringLiteral("username"), usernameError},
                        {QStringLiteral("password"), passwordError}};
                    for (const auto &[field, label] : fields) {
                        label->setText(response.problem.fieldMessage(field));
                        label->setVisible(!label->text().isEmpty());
                    }
                    error->setText(response.errorText());
                    error->show();
                    return;
                }
                const qint64 id = response.object().value(QStringLiteral("id")).toInteger();
                if (admin->isChecked())
                    patchUser(id, {{QStringLiteral("role"), QStringLiteral("admin")}}, {});
                m_users->refresh();
                Q_EMIT statusMessage(tr("User created"));
                dialog->accept();
            });
    });
    dialog->open();
}

void UsersView::createKey()
{
    if (!m_client)
        return;
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("keyDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New API key"));
    auto *name = new QLineEdit(dialog);
    name->setObjectName(QStringLiteral("name"));
    QList<QCheckBox *> scopes;
    for (const QString &scope : {QStringLiteral("read"), QStringLiteral("files:write"),
             QStringLiteral("pipelines:write")}) {
        auto *box = new QCheckBox(scope, dialog);
        box->setChecked(scope == QLatin1String("read"));
        scopes.append(box);
    }
    QLabel *error = fieldError(dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    auto *form = new QFormLayout(dialog);
    form->addRow(tr("&Name:"), name);
    for (QCheckBox *box : scopes)
        form->addRow(box == scopes.first() ? tr("Scopes:") : QString(), box);
    form->addRow(error);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [=, this] {
        QJsonArray chosen;
        for (QCheckBox *box : scopes) {
            if (box->isChecked())
                chosen.append(box->text());
        }
        auto *call = m_client->post(QStringLiteral("/v1/api-keys"),
            {{QStringLiteral("name"), name->text()}, {QStringLiteral("scopes"), chosen}});
        connect(call, &Client::ApiCall::finished, dialog,
            [=, this](const Client::ApiResponse &response) {
                if (!response.ok()) {
                    error->setText(response.errorText());
                    error->show();
                    return;
                }
                dialog->accept();
                m_keys->refresh();
                const QString key = response.object().value(QStringLiteral("key")).toString();
                auto *shown = new QDialog(this);
                shown->setObjectName(QStringLiteral("keyShownDialog"));
                shown->setAttribute(Qt::WA_DeleteOnClose);
                shown->setWindowTitle(tr("API key created"));
                auto *text = new QLabel(
                    tr("Copy the key now: it is shown only this once and cannot be read again."),
                    shown);
                text->setWordWrap(true);
                auto *field = new QLineEdit(key, shown);
                field->setObjectName(QStringLiteral("key"));
                field->setReadOnly(true);
                field->setMinimumWidth(420);
                auto *copy =
                    new QPushButton(QIcon(QStringLiteral(":/icons/copy.svg")), tr("&Copy"), shown);
                copy->setObjectName(QStringLiteral("copy"));
                connect(copy, &QPushButton::clicked, shown, [key, copy] {
                    QGuiApplication::clipboard()->setText(key);
                    copy->setText(tr("Copied"));
                });
                auto *close = new QDialogButtonBox(QDialogButtonBox::Close, shown);
                connect(close, &QDialogButtonBox::rejected, shown, &QDialog::reject);
                auto *layout = new QVBoxLayout(shown);
                layout->addWidget(text);
                auto *row = new QHBoxLayout;
                row->addWidget(field);
                row->addWidget(copy);
                layout->addLayout(row);
                layout->addWidget(close);
                shown->open();
            });
    });
    dialog->open();
}

} // namespace Outpost::App
