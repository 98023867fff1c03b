#include "connectdialog.h"

#include "client/apiclient.h"
#include "credentialstore.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSslCertificate>
#include <QVBoxLayout>

namespace Outpost::App {

ConnectDialog::ConnectDialog(CredentialStore *credentials, QWidget *parent)
    : QDialog(parent)
    , m_credentials(credentials)
    , m_recent(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_email(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_ssoButtons(new QWidget(this))
    , m_passwordNote(new QLabel(this))
    , m_ssoWaiting(new QWidget(this))
    , m_ssoStatus(new QLabel(m_ssoWaiting))
    , m_cancelSso(new QPushButton(tr("Cancel"), m_ssoWaiting))
    , m_connect(new QPushButton(tr("&Connect"), this))
    , m_offline(new QPushButton(tr("Work &offline on this computer"), this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Open Outpost"));
    m_url->setObjectName(QStringLiteral("url"));
    m_email->setObjectName(QStringLiteral("email"));
    m_password->setObjectName(QStringLiteral("password"));
    m_connect->setObjectName(QStringLiteral("connect"));
    m_offline->setObjectName(QStringLiteral("offline"));
    m_error->setObjectName(QStringLiteral("error"));
    m_ssoButtons->setObjectName(QStringLiteral("ssoButtons"));
    m_passwordNote->setObjectName(QStringLiteral("passwordNote"));
    m_ssoStatus->setObjectName(QStringLiteral("ssoStatus"));
    m_cancelSso->setObjectName(QStringLiteral("cancelSso"));
    m_passwordNote->setWordWrap(true);
    m_ssoStatus->setWordWrap(true);
    auto *ssoLayout = new QVBoxLayout(m_ssoButtons);
    ssoLayout->setContentsMargins(0, 0, 0, 0);
    auto *waitingLayout = new QHBoxLayout(m_ssoWaiting);
    waitingLayout->setContentsMargins(0, 0, 0, 0);
    waitingLayout->addWidget(m_ssoStatus, 1);
    waitingLayout->addWidget(m_cancelSso);
    m_url->setPlaceholderText(QStringLiteral("https://outpost.example.com"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("not needed for a remembered connection"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();
    m_offline->setIcon(QIcon(QStringLiteral(":/icons/computer.svg")));
    m_offline->setMinimumHeight(48);

    auto *offlineText = new QLabel(
        tr("Runs Outpost inside this app, with its data in your user folder. No network and "
           "no setup needed."),
        this);
    offlineText->setWordWrap(true);

    auto *remote = new QGroupBox(tr("Connect to a server"), this);
    auto *form = new QFormLayout(remote);
    m_form = form;
    m_recent->addItem(tr("New connection"));
    const QList<RecentConnection> recents = RecentConnections::load();
    for (const RecentConnection &recent : recents) {
        m_recent->addItem(QStringLiteral("%1 — %2").arg(recent.email, recent.url.toString()),
            QVariant::fromValue(QStringList {recent.url.toString(), recent.email}));
    }
    form->addRow(tr("&Recent:"), m_recent);
    form->addRow(tr("Server &URL:"), m_url);
    form->addRow(tr("&Email:"), m_email);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_connect);
    form->addRow(QString(), m_passwordNote);
    form->addRow(QString(), m_ssoButtons);
    form->addRow(QString(), m_ssoWaiting);
    form->setRowVisible(m_passwordNote, false);
    form->setRowVisible(m_ssoButtons, false);
    form->setRowVisible(m_ssoWaiting, false);

    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("<h2>Welcome to Outpost</h2>"), this);
    layout->addWidget(heading);
    layout->addWidget(m_offline);
    layout->addWidget(offlineText);
    layout->addSpacing(12);
    layout->addWidget(remote);
    layout->addWidget(m_error);
    resize(480, 420);

    connect(m_recent, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QStringList entry = m_recent->itemData(index).toStringList();
        if (entry.size() == 2)
            setRemote(QUrl(entry.at(0)), entry.at(1));
    });
    connect(m_offline, &QPushButton::clicked, this, [this] {
        Q_EMIT offlineChosen();
        accept();
    });
    connect(m_connect, &QPushButton::clicked, this, &ConnectDialog::connectRemote);
    connect(m_url, &QLineEdit::editingFinished, this, &ConnectDialog::refreshProviders);
    connect(m_url, &QLineEdit::textChanged, this, &ConnectDialog::updateDefaultButton);
    connect(m_cancelSso, &QPushButton::clicked, this, [this] {
        if (m_sso)
            m_sso->cancel();
    });

    // Enter does the obvious thing: reconnect to the server used last when there is one (the
    // list is most recent first), otherwise work offline, never "Connect" to an empty URL.
    if (!recents.isEmpty() && RecentConnections::lastMode() != QLatin1String("embedded"))
        m_recent->setCurrentIndex(1);
    updateDefaultButton();
    (m_url->text().isEmpty() ? m_offline : m_connect)->setFocus();
}

void ConnectDialog::updateDefaultButton()
{
    const bool remote = !m_url->text().trimmed().isEmpty();
    m_connect->setDefault(remote);
    m_offline->setDefault(!remote);
}

void ConnectDialog::setRemote(const QUrl &url, const QString &email, const QString &password)
{
    m_url->setText(url.toString());
    m_email->setText(email);
    m_password->setText(password);
    refreshProviders();
}

void ConnectDialog::refreshProviders()
{
    QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        m_providersUrl.clear();
        showProviders({});
        return;
    }
    url = url.adjusted(QUrl::StripTrailingSlash);
    if (url == m_providersUrl && !m_providersClient)
        return;
    if (m_providersClient)
        m_providersClient->deleteLater();
    auto *client = new Client::ApiClient(this);
    client->setBaseUrl(url);
    client->setPinnedPublicKey(RecentConnections::pin(url));
    m_providersClient = client;
    client->auth().providers().then(
        this, [this, client, url](const Client::ApiResult<Client::AuthProviders> &answer) {
            client->deleteLater();
            if (m_providersClient != client)
                return; // another URL was asked for since
            m_providersClient.clear();
            m_providersUrl = url;
            // A server without single sign-on (older, or unreachable for now): passwords.
            showProviders(answer ? *answer : Client::AuthProviders {});
        });
}

void ConnectDialog::showProviders(const Client::AuthProviders &providers)
{
    m_providers = providers;
    qDeleteAll(m_ssoButtons->findChildren<QPushButton *>(Qt::FindDirectChildrenOnly));
    for (const Client::AuthProvider &provider : providers.providers) {
        auto *button =
            new QPushButton(tr("Sign in with %1").arg(provider.displayName), m_ssoButtons);
        button->setObjectName(QStringLiteral("sso-") + provider.name);
        button->setIcon(QIcon(QStringLiteral(":/icons/users.svg")));
        button->setMinimumHeight(36);
        m_ssoButtons->layout()->addWidget(button);
        connect(button, &QPushButton::clicked, this, [this, provider] { startSso(provider); });
    }
    m_form->setRowVisible(m_ssoButtons, !providers.providers.isEmpty());
    // With passwords off, Connect still resumes a remembered sign-in (from the keychain).
    m_form->setRowVisible(m_password, !providers.passwordsOff());
    QString note;
    if (providers.passwordsOff()) {
        note = providers.providers.isEmpty()
            ? tr("This server does not accept passwords here. A remembered connection still "
                 "signs in.")
            : tr("This server does not accept passwords: sign in with single sign-on below. A "
                 "remembered connection still signs in with Connect.");
    } else if (providers.passwordsForAdminsOnly()) {
        note = tr("On this server only administrators sign in with a password; everyone else "
                  "signs in with single sign-on below.");
    }
    m_passwordNote->setText(note);
    m_form->setRowVisible(m_passwordNote, !note.isEmpty());
    growToFit();
    Q_EMIT providersShown();
}

void ConnectDialog::growToFit()
{
    layout()->activate();
    // The word-wrapped texts make the height depend on the width.
    const int needed = hasHeightForWidth() ? heightForWidth(width()) : sizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

std::optional<QUrl> ConnectDialog::targetUrl()
{
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        showError(tr("Enter the server's address, such as https://outpost.example.com."));
        return std::nullopt;
    }
    return url.adjusted(QUrl::StripTrailingSlash);
}

void ConnectDialog::startSso(const Client::AuthProvider &provider)
{
    showError({});
    const std::optional<QUrl> url = targetUrl();
    if (!url)
        return;
    auto *client = new Client::ApiClient(this);
    client->setBaseUrl(*url);
    client->setPinnedPublicKey(RecentConnections::pin(*url));
    auto *sso = new SsoSignIn(client, provider, m_browser, this);
    m_sso = sso;
    setBusy(true);
    m_ssoStatus->setText(
        tr("Finish signing in with %1 in your web browser…").arg(provider.displayName));
    m_form->setRowVisible(m_ssoWaiting, true);
    growToFit();
    const auto stopWaiting = [this, sso, client](const QString &error) {
        sso->deleteLater();
        m_form->setRowVisible(m_ssoWaiting, false);
        if (error.isEmpty())
            return;
        setBusy(false);
        client->deleteLater();
        showError(error);
    };
    connect(sso, &SsoSignIn::failed, this, stopWaiting);
    connect(sso, &SsoSignIn::signedIn, this, [this, client, provider, url, stopWaiting] {
        stopWaiting({});
        // The keychain entry and the recent connection are by e-mail, as after a password.
        client->users().me().then(
            this, [this, client, provider, url](const Client::ApiResult<User> &user) {
                if (!user) {
                    setBusy(false);
                    client->deleteLater();
                    showError(tr("Signed in, but the account could not be read: %1")
                                  .arg(user.error().text()));
                    return;
                }
                const RecentConnection target {*url, user->email};
                SsoSignIn::rememberProvider(target, &provider);
                m_email->setText(user->email);
                succeed(client, target);
            });
    });
    sso->start();
}

void ConnectDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        growToFit();
}

void ConnectDialog::setBusy(bool busy)
{
    m_ssoButtons->setEnabled(!busy);
    m_connect->setEnabled(!busy);
    m_offline->setEnabled(!busy);
    m_connect->setText(busy ? tr("Connecting…") : tr("&Connect"));
}

void ConnectDialog::connectRemote()
{
    showError({});
    const std::optional<QUrl> url = targetUrl();
    if (!url)
        return;
    const QString email = m_email->text().trimmed();
    if (email.isEmpty()) {
        showError(tr("Enter the email address you sign in with."));
        return;
    }
    const RecentConnection target {*url, email};
    auto *client = new Client::ApiClient(this);
    client->setBaseUrl(target.url);
    client->setPinnedPublicKey(RecentConnections::pin(target.url));
    const QString password = m_password->text();
    setBusy(true);
    if (!password.isEmpty()) {
        signIn(client, target, password);
        return;
    }
    // No password: try the refresh token remembered in the keychain.
    m_credentials->read(target.keychainKey(), [this, client, target](const QString &token) {
        if (token.isEmpty()) {
            setBusy(false);
            client->deleteLater();
            showError(m_providers.passwordsOff()
                    ? tr("No saved sign-in for %1 on this computer: use single sign-on.")
                          .arg(target.email)
                    : tr("Enter your password: no saved sign-in for %1 on this computer.")
                          .arg(target.email));
            return;
        }
        client->setTokens(QString(), token);
        resume(client, target);
    });
}

void ConnectDialog::resume(Client::ApiClient *client, const RecentConnection &target)
{
    auto watch = std::make_shared<PinWatch>();
    auto pinConnection = connect(client, &Client::ApiClient::pinMismatch, this,
        [watch](const QByteArray &, const QByteArray &presented, const QSslCertificate &cert) {
            *watch = {presented, cert};
        });
    client->users().me().then(
        this, [this, client, target, watch, pinConnection](const Client::ApiResult<User> &user) {
            disconnect(pinConnection);
            if (user) {
                succeed(client, target);
                return;
            }
            if (!watch->certificate.isNull()) {
                refuseChangedKey(client, target, QString(), watch->presented, watch->certificate);
                return;
            }
            setBusy(false);
            client->deleteLater();
            showError(tr("The saved sign-in is no longer valid: enter your password.\n%1")
                          .arg(user.error().text()));
        });
}

void ConnectDialog::signIn(
    Client::ApiClient *client, const RecentConnection &target, const QString &password)
{
    auto errors = std::make_shared<QList<QSslError>>();
    auto connection = connect(client, &Client::ApiClient::sslErrorsOccurred, this,
        [errors](const QList<QSslError> &list) { *errors = list; });
    auto watch = std::make_shared<PinWatch>();
    auto pinConnection = connect(client, &Client::ApiClient::pinMismatch, this,
        [watch](const QByteArray &, const QByteArray &presented, const QSslCertificate &cert) {
            *watch = {presented, cert};
        });
    client->auth()
        .login(target.email, password)
        .then(this,
            [this, client, target, password, errors, connection, watch, pinConnection](
                const Client::ApiResult<TokenPair> &tokens) {
                disconnect(connection);
                disconnect(pinConnection);
                if (tokens) {
                    SsoSignIn::rememberProvider(target, nullptr);
                    succeed(client, target);
                    return;
                }
                if (!watch->certificate.isNull()) {
                    refuseChangedKey(
                        client, target, password, watch->presented, watch->certificate);
                    return;
                }
                if (tokens.error().status == 0 && !errors->isEmpty()) {
                    askToTrust(client, target, password, *errors);
                    return;
                }
                setBusy(false);
                client->deleteLater();
                showError(tokens.error().text());
            });
}

void ConnectDialog::askToTrust(Client::ApiClient *client, const RecentConnection &target,
    const QString &password, const QList<QSslError> &errors)
{
    const QSslCertificate certificate = errors.constFirst().certificate();
    QStringList problems;
    for (const QSslError &error : errors)
        problems.append(QStringLiteral("• ") + error.errorString());
    const QString details =
        tr("Subject: %1\nIssuer: %2\nValid: %3 to %4\nSHA-256: %5")
            .arg(certificate.subjectDisplayName(), certificate.issuerDisplayName(),
                certificate.effectiveDate().toString(Qt::ISODate),
                certificate.expiryDate().toString(Qt::ISODate),
                QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':')));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Certificate not trusted"),
        tr("The connection to %1 is not secure:\n%2")
            .arg(target.url.host(), problems.join(QLatin1Char('\n'))),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("certificate"));
    box->setInformativeText(details + QStringLiteral("\n\n")
        + tr("Trust this certificate only if you know it is the server's own."));
    QPushButton *trust = box->addButton(tr("&Trust this certificate"), QMessageBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trustCertificate"));
    box->addButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
        [this, client, target, password, certificate, trust](QAbstractButton *button) {
            if (button != trust) {
                setBusy(false);
                client->deleteLater();
                showError(tr("Not connected: the server's certificate was not trusted."));
                return;
            }
            client->trustCertificate(certificate);
            // Remembered on success: from then on only this key is accepted from the server.
            client->setPinnedPublicKey(Client::ApiClient::publicKeyPin(certificate));
            signIn(client, target, password);
        });
    box->open();
}

void ConnectDialog::refuseChangedKey(Client::ApiClient *client, const RecentConnection &target,
    const QString &password, const QByteArray &presented, const QSslCertificate &certificate)
{
    const QByteArray pinned = client->pinnedPublicKey();
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Server certificate changed"),
        tr("Not connected: %1 presented a different key than the one you trusted before.")
            .arg(target.url.authority()),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("certificateChanged"));
    box->setInformativeText(
        tr("Trusted before (SHA-256 of the public key):\n%1\n\nPresented now:\n%2\n"
           "Subject: %3, issuer: %4, valid until %5\n\n"
           "Someone may be intercepting the connection. Accept the new key only if the server's "
           "administrator replaced its certificate and you can confirm the new fingerprint.")
            .arg(Client::ApiClient::formatPin(pinned), Client::ApiClient::formatPin(presented),
                certificate.subjectDisplayName(), certificate.issuerDisplayName(),
                certificate.expiryDate().toString(Qt::ISODate)));
    QPushButton *accept = box->addButton(tr("&Accept the new key"), QMessageBox::DestructiveRole);
    accept->setObjectName(QStringLiteral("acceptNewKey"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
        [this, client, target, password, certificate, presented, accept](QAbstractButton *button) {
            if (button != accept) {
                setBusy(false);
                client->deleteLater();
                showError(tr("Not connected: the server's key changed and was not accepted."));
                return;
            }
            client->trustCertificate(certificate);
            client->setPinnedPublicKey(presented);
            if (password.isEmpty()) {
                resume(client, target);
                return;
            }
            signIn(client, target, password);
        });
    box->open();
}

void ConnectDialog::succeed(Client::ApiClient *client, const RecentConnection &target)
{
    setBusy(false);
    RecentConnections::remember(target);
    if (!client->pinnedPublicKey().isEmpty())
        RecentConnections::setPin(target.url, client->pinnedPublicKey());
    RecentConnections::setLastMode(QStringLiteral("remote"));
    m_credentials->write(target.keychainKey(), client->refreshToken());
    // Rotated refresh tokens replace the saved one.
    connect(client, &Client::ApiClient::tokensChanged, m_credentials,
        [store = m_credentials, key = target.keychainKey()](
            const QString &, const QString &refresh) {
            if (refresh.isEmpty()) {
                store->remove(key);
                return;
            }
            store->write(key, refresh);
        });
    Q_EMIT remoteConnected(client, target.email);
    accept();
}

} // namespace Outpost::App
