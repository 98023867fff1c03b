#pragma once

#include "recentconnections.h"

#include <QDialog>
#include <QList>
#include <QSslCertificate>
#include <QSslError>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

class CredentialStore;

// The first screen: "Work offline on this computer" or "Connect to a server" (URL, email,
// password). A remembered connection whose refresh token is in the keychain signs in without
// the password. TLS failures are shown with the certificate's details and a choice to trust it.
class ConnectDialog final : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(CredentialStore *credentials, QWidget *parent = nullptr);

    // Fills the form (tests, the recent-connections menu).
    void setRemote(const QUrl &url, const QString &email, const QString &password = {});
    void connectRemote();

Q_SIGNALS:
    void offlineChosen();
    // A signed-in client for the remote server, handed over to the receiver.
    void remoteConnected(Outpost::Client::ApiClient *client, const QString &email);

private:
    void signIn(Client::ApiClient *client, const RecentConnection &target, const QString &password);
    // Signs in with the refresh token the client holds.
    void resume(Client::ApiClient *client, const RecentConnection &target);
    void askToTrust(Client::ApiClient *client, const RecentConnection &target,
        const QString &password, const QList<QSslError> &errors);
    // The pinned server presented another key: refuse, show both fingerprints, and let the
    // admin accept the new one.
    void refuseChangedKey(Client::ApiClient *client, const RecentConnection &target,
        const QString &password, const QByteArray &presented, const QSslCertificate &certificate);
    // Follows a client's pin mismatches until disconnect() (what the attempt failed on).
    struct PinWatch
    {
        QByteArray presented;
        QSslCertificate certificate;
    };
    void succeed(Client::ApiClient *client, const RecentConnection &target);
    void showError(const QString &message);
    void setBusy(bool busy);

    CredentialStore *m_credentials;
    QComboBox *m_recent;
    QLineEdit *m_url;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QPushButton *m_connect;
    QPushButton *m_offline;
    QLabel *m_error;
};

} // namespace Outpost::App
