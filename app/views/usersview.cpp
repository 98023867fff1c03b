#include "usersview.h"

#include "client/apiclient.h"
#include "models/apikeysmodel.h"
#include "models/auditmodel.h"
#include "models/usersmodel.h"
#include "viewsupport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <array>

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
    , m_userAudit(new AuditModel(this))
    , m_userAuditTable(makeTable(m_userAudit, QStringLiteral("userAuditTable"), this))
    , m_userAuditTitle(new QLabel(tr("Select a user to see their audit trail."), this))
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
    m_userTable->setAccessibleName(tr("Users"));
    m_keyTable->setAccessibleName(tr("API keys"));
    m_tabs->setAccessibleName(tr("Users and API keys"));
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
    // The selected user's trail under the list.
    m_userAuditTitle->setObjectName(QStringLiteral("userAuditTitle"));
    m_userAuditTitle->setTextFormat(Qt::PlainText);
    m_userAuditTable->setAccessibleName(tr("Audit trail of the selected user"));
    fitColumns(m_userAuditTable, {AuditModel::Action});
    m_userAuditTitle->setBuddy(m_userAuditTable);
    auto *trail = new QWidget(usersPage);
    auto *trailLayout = new QVBoxLayout(trail);
    trailLayout->setContentsMargins(0, 4, 0, 0);
    trailLayout->addWidget(m_userAuditTitle);
    trailLayout->addWidget(m_userAuditTable, 1);
    auto *usersSplitter = new QSplitter(Qt::Vertical, usersPage);
    usersSplitter->setObjectName(QStringLiteral("usersSplitter"));
    usersSplitter->setChildrenCollapsible(false);
    usersSplitter->addWidget(m_userTable);
    usersSplitter->addWidget(trail);
    usersSplitter->setStretchFactor(0, 3);
    usersSplitter->setStretchFactor(1, 2);
    usersLayout->addWidget(usersSplitter, 1);

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
    chainTabOrder({m_search, m_userTable, m_userAuditTable});
    layout->addWidget(m_notAdmin);

    connect(m_search, &SearchField::searchChanged, m_users, &PagedTableModel::setSearch);
    connect(m_newUser, &QAction::triggered, this, &UsersView::createUser);
    connect(m_toggleRole, &QAction::triggered, this, [this] {
        const User *user = currentUser();
        if (!user)
            return;
        UserUpdate update;
        update.role = user->isAdmin() ? Roles::user : Roles::admin;
        updateUser(user->id, update, tr("Role changed"));
    });
    connect(m_toggleDisabled, &QAction::triggered, this, [this] {
        const User *user = currentUser();
        if (!user)
            return;
        UserUpdate update;
        update.disabled = !user->disabled;
        updateUser(user->id, update, user->disabled ? tr("User enabled") : tr("User disabled"));
    });
    connect(m_resetPassword, &QAction::triggered, this, &UsersView::resetPassword);
    connect(m_deleteUser, &QAction::triggered, this, &UsersView::deleteSelected);
    connect(m_newKey, &QAction::triggered, this, &UsersView::createKey);
    connect(m_deleteKey, &QAction::triggered, this, [this] {
        const QModelIndex index = m_keyTable->currentIndex();
        if (!m_client || !index.isValid())
            return;
        const ApiKey *key = m_keys->itemAt(index.row());
        if (!key)
            return;
        const qint64 id = key->id;
        confirm(this, tr("Revoke API key"),
            tr("Revoke the key “%1”? Programs using it stop working.").arg(key->name), [this, id] {
                m_client->apiKeys().revoke(id).then(
                    this, [this, id](const Client::ApiResult<void> &revoked) {
                        if (!revoked) {
                            Q_EMIT errorOccurred(revoked.error().text());
                            return;
                        }
                        m_keys->removeId(id);
                    });
            });
    });
    for (PagedTableModel *model : {static_cast<PagedTableModel *>(m_users),
             static_cast<PagedTableModel *>(m_keys), static_cast<PagedTableModel *>(m_userAudit)})
        connect(model, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    connect(m_userTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &UsersView::updateActions);
    connect(m_userTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &UsersView::showTrail);
    connect(m_users, &PagedTableModel::loaded, this, [this] {
        const int row = m_users->rowOfId(m_pendingUser);
        if (m_pendingUser != 0 && row >= 0 && !m_userTable->currentIndex().isValid()) {
            m_pendingUser = 0;
            m_userTable->setCurrentIndex(m_users->index(row, 0));
        }
    });
    connect(m_users, &QAbstractItemModel::dataChanged, this, &UsersView::updateActions);
    updateActions();
}

void UsersView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_users->setClient(client);
    m_keys->setClient(client);
    m_userAudit->setClient(client);
    showTrail();
}

void UsersView::showTrail()
{
    const User *user = currentUser();
    if (!user) {
        m_userAuditTitle->setText(tr("Select a user to see their audit trail."));
        return; // the last trail stays until another user is chosen
    }
    m_userAuditTitle->setText(tr("&Audit trail of %1 (newest first):")
                                  .arg(QString(user->email).replace(u'&', QStringLiteral("&&"))));
    if (m_userAudit->userId() != user->id)
        m_userAudit->setUserId(user->id);
}

void UsersView::showApiKey(qint64 id)
{
    m_tabs->setCurrentIndex(1);
    const int row = m_keys->rowOfId(id);
    if (row >= 0)
        m_keyTable->setCurrentIndex(m_keys->index(row, 0));
}

void UsersView::showUser(qint64 id)
{
    m_tabs->setCurrentIndex(0);
    const int row = m_users->rowOfId(id);
    if (row >= 0) {
        m_pendingUser = 0;
        m_userTable->setCurrentIndex(m_users->index(row, 0));
        m_userTable->scrollTo(m_userTable->currentIndex());
        return;
    }
    // Not among the rows loaded (yet, or deleted since): the trail still tells its story, and
    // the row is selected if the list brings it.
    m_pendingUser = id;
    m_userTable->clearSelection();
    m_userAuditTitle->setText(tr("&Audit trail of user #%1 (newest first):").arg(id));
    m_userAudit->setUserId(id);
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
    if (m_userAudit->userId() != 0)
        m_userAudit->refresh();
}

void UsersView::handleEvent(const QString &type, qint64 id)
{
    if (type == QLatin1String("user.created")) {
        m_users->refresh();
    } else if (type == QLatin1String("user.deleted")) {
        m_users->removeId(id);
    } else if (type.startsWith(QLatin1String("user."))) {
        m_users->refreshRow(id);
    }
}

void UsersView::focusSearch()
{
    m_tabs->setCurrentIndex(0);
    m_search->setFocus();
    m_search->selectAll();
}

void UsersView::createNew()
{
    if (m_tabs->currentIndex() == 1) {
        createKey();
    } else {
        createUser();
    }
}

qint64 UsersView::currentUserId() const
{
    const QModelIndex index = m_userTable->currentIndex();
    return index.isValid() ? m_users->idAt(index.row()) : 0;
}

const User *UsersView::currentUser() const
{
    return m_users->itemAt(m_userTable->currentIndex().row());
}

void UsersView::updateActions()
{
    const User *user = currentUser();
    const bool selected = user != nullptr;
    const bool admin = user && user->isAdmin();
    const bool disabled = user && user->disabled;
    m_toggleRole->setText(admin ? tr("Make &user") : tr("Make &admin"));
    m_toggleDisabled->setText(disabled ? tr("&Enable") : tr("D&isable"));
    for (QAction *action : {m_toggleRole, m_toggleDisabled, m_resetPassword, m_deleteUser})
        action->setEnabled(selected);
}

void UsersView::updateUser(qint64 id, const UserUpdate &update, const QString &done)
{
    if (!m_client || id == 0)
        return;
    m_client->users()
        .update(id, update)
        .then(this, [this, id, done](const Client::ApiResult<User> &user) {
            if (!user) {
                Q_EMIT errorOccurred(user.error().text());
                return;
            }
            m_users->refreshRow(id);
            if (m_userAudit->userId() == id)
                m_userAudit->refresh(); // the change is on their trail now
            Q_EMIT statusMessage(done);
        });
}

void UsersView::resetPassword()
{
    const User *user = currentUser();
    if (!user)
        return;
    const qint64 id = user->id;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Reset password"));
    dialog->setLabelText(
        tr("New password for %1 (at least 8 characters, not all of one kind):").arg(user->email));
    dialog->setTextEchoMode(QLineEdit::Password);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString &password) {
        UserUpdate update;
        update.password = password;
        updateUser(id, update, tr("Password changed"));
    });
    dialog->open();
}

void UsersView::deleteSelected()
{
    const User *user = currentUser();
    if (!m_client || !user || m_tabs->currentIndex() != 0)
        return;
    const qint64 id = user->id;
    const QString email = user->email;
    confirm(this, tr("Delete user"),
        tr("Delete the user %1 and everything they own? This cannot be undone.").arg(email),
        [this, id] {
            m_client->users().remove(id).then(
                this, [this, id](const Client::ApiResult<void> &removed) {
                    if (!removed) {
                        Q_EMIT errorOccurred(removed.error().text());
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
        UserCreate create;
        create.email = email->text();
        create.password = password->text();
        create.username = username->text();
        m_client->users().create(create).then(
            dialog, [=, this](const Client::ApiResult<User> &user) {
                for (QLabel *label : {emailError, usernameError, passwordError, error})
                    label->hide();
                if (!user) {
                    const std::array<std::pair<QString, QLabel *>, 3> fields {
                        {{QStringLiteral("email"), emailError},
                            {QStringLiteral("username"), usernameError},
                            {QStringLiteral("password"), passwordError}}};
                    for (const auto &[field, label] : fields) {
                        label->setText(user.error().fieldMessage(field));
                        label->setVisible(!label->text().isEmpty());
                    }
                    error->setText(user.error().text());
                    error->show();
                    return;
                }
                if (admin->isChecked()) {
                    UserUpdate update;
                    update.role = Roles::admin;
                    updateUser(user->id, update, {});
                }
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
    for (const QString &scope : {Scopes::read, Scopes::filesWrite, Scopes::pipelinesWrite}) {
        auto *box = new QCheckBox(scope, dialog);
        box->setChecked(scope == Scopes::read);
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
        ApiKeyCreate create;
        create.name = name->text();
        for (QCheckBox *box : scopes) {
            if (box->isChecked())
                create.scopes.append(box->text());
        }
        m_client->apiKeys().create(create).then(
            dialog, [=, this](const Client::ApiResult<ApiKey> &created) {
                if (!created) {
                    error->setText(created.error().text());
                    error->show();
                    return;
                }
                dialog->accept();
                m_keys->refresh();
                const QString key = created->key;
                auto *shown = new QDialog(this);
                shown->setObjectName(QStringLiteral("keyShownDialog"));
                shown->setAttribute(Qt::WA_DeleteOnClose);
                shown->setWindowTitle(tr("API key created"));
                auto *text = new QLabel(
                    tr("Copy the key now: it is shown only this once and cannot be read again."),
                    shown);
                text->setObjectName(QStringLiteral("keyWarning"));
                text->setWordWrap(true);
                QFont strong = text->font();
                strong.setBold(true);
                text->setFont(strong);
                auto *icon = new QLabel(shown);
                icon->setPixmap(
                    shown->style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
                auto *field = new QLineEdit(key, shown);
                field->setObjectName(QStringLiteral("key"));
                field->setReadOnly(true);
                field->setMinimumWidth(420);
                field->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
                field->setAccessibleName(tr("The new API key"));
                field->selectAll();
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
                auto *warning = new QHBoxLayout;
                warning->addWidget(icon, 0, Qt::AlignTop);
                warning->addWidget(text, 1);
                layout->addLayout(warning);
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
