#pragma once

#include "view.h"

#include "models/user.h"

#include <QPointer>

class QAction;
class QLabel;
class QTabWidget;
class QTableView;

namespace Outpost::App {

class ApiKeysModel;
class AuditModel;
class SearchField;
class UsersModel;

// Users (admin): list, create, change role, disable or enable, reset password, delete, and the
// selected user's audit trail below the list (what they did and what was done to their
// account, GET /v1/admin/audit?user_id=); and an API keys tab (a new key is shown once, with
// a copy button).
class UsersView final : public View
{
    Q_OBJECT

public:
    explicit UsersView(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client) override;
    void refresh() override;
    void handleEvent(const QString &type, qint64 id) override;
    void focusSearch() override;
    void createNew() override;
    void deleteSelected() override;
    // Non-admins see an explanation instead of the lists.
    void setAdmin(bool admin);

    UsersModel *usersModel() const { return m_users; }
    AuditModel *userAuditModel() const { return m_userAudit; }
    QTableView *usersTable() const { return m_userTable; }
    // Selects user `id` (when listed) and shows their audit trail.
    void showUser(qint64 id);
    // The API keys tab, with key `id` selected when it is listed.
    void showApiKey(qint64 id);
    ApiKeysModel *keysModel() const { return m_keys; }
    void createKey();

protected:
    // The server sends no events for users: a list shown again is reloaded.
    void showEvent(QShowEvent *event) override;

private:
    qint64 currentUserId() const;
    // Null when no user is selected.
    const User *currentUser() const;
    void updateUser(qint64 id, const UserUpdate &update, const QString &done);
    void resetPassword();
    void createUser();
    void updateActions();
    void showTrail();

    QPointer<Client::ApiClient> m_client;
    UsersModel *m_users;
    ApiKeysModel *m_keys;
    QTabWidget *m_tabs;
    QTableView *m_userTable;
    QTableView *m_keyTable;
    AuditModel *m_userAudit;
    QTableView *m_userAuditTable;
    QLabel *m_userAuditTitle;
    qint64 m_pendingUser = 0; // showUser() before the list has it
    SearchField *m_search;
    QLabel *m_notAdmin;
    QAction *m_newUser;
    QAction *m_toggleRole;
    QAction *m_toggleDisabled;
    QAction *m_resetPassword;
    QAction *m_deleteUser;
    QAction *m_newKey;
    QAction *m_deleteKey;
};

} // namespace Outpost::App
