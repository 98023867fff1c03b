#pragma once

#include "client/authresource.h"
#include "recentconnections.h"
#include "ssosignin.h"

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>

#include <optional>

class QComboBox;
class QFormLayout;
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
// When the server offers single sign-on (GET /v1/auth/providers), "Sign in with {provider}"
// buttons sign in through the system browser (SsoSignIn); the password field is hidden when
// the server allows no passwords.
class ConnectDialog final : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(CredentialStore *credentials, QWidget *parent = nullptr);

    // Fills the form (tests, the recent-connections menu).
    void setRemote(const QUrl &url, const QString &email, const QString &password = {});
    void connectRemote();
    // Asks the server in the URL field how it signs people in and shows its providers.
    void refreshProviders();
    // Opens single sign-on pages with `browser` instead of the system's browser (tests).
    void setBrowser(BrowserOpener browser) { m_browser = std::move(browser); }
    // The providers shown for the URL in the field (empty until the server answered).
    Client::AuthProviders providers() const { return m_providers; }

Q_SIGNALS:
    void offlineChosen();
    // The server's sign-in methods arrived (after refreshProviders()).
    void providersShown();
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
    void showProviders(const Client::AuthProviders &providers);
    void startSso(const Client::AuthProvider &provider);
    // Remote target URL from the field, or an error shown and nothing.
    std::optional<QUrl> targetUrl();
    void showError(const QString &message);
    // "Connect" when a server URL is filled in, "Work offline" otherwise.
    void updateDefaultButton();
    // Makes the dialog tall enough for rows shown since (providers, notes, errors).
    void growToFit();
    void setBusy(bool busy);

    CredentialStore *m_credentials;
    QComboBox *m_recent;
    QLineEdit *m_url;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QFormLayout *m_form = nullptr;
    QWidget *m_ssoButtons;
    QLabel *m_passwordNote;
    QWidget *m_ssoWaiting;
    QLabel *m_ssoStatus;
    QPushButton *m_cancelSso;
    QPushButton *m_connect;
    QPushButton *m_offline;
    QLabel *m_error;
    Client::AuthProviders m_providers;
    QUrl m_providersUrl;                           // the server m_providers came from
    QPointer<Client::ApiClient> m_providersClient; // the request under way
    QPointer<SsoSignIn> m_sso;
    BrowserOpener m_browser = systemBrowser();
};

} // namespace Outpost::App
