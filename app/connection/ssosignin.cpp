#include "ssosignin.h"

#include "client/apiclient.h"
#include "recentconnections.h"

#include <QDesktopServices>
#include <QHostAddress>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTcpServer>
#include <QTcpSocket>

namespace Outpost::App {

namespace {

constexpr qsizetype kMaxRequestHead = qsizetype(16) * 1024;

QString settingsKey(const RecentConnection &connection)
{
    // QSettings keys cannot hold '/'.
    return QStringLiteral("sso/")
        + QString::fromLatin1(connection.keychainKey().toUtf8().toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

BrowserOpener systemBrowser()
{
    return [](const QUrl &url) { return QDesktopServices::openUrl(url); };
}

SsoSignIn::SsoSignIn(Client::ApiClient *client, Client::AuthProvider provider,
    BrowserOpener browser, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_provider(std::move(provider))
    , m_browser(std::move(browser))
    , m_listener(new QTcpServer(this))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(tr("Nothing came back from the web browser in time. Try again, and finish "
                  "signing in at %1 in the browser window that opens.")
                   .arg(m_provider.displayName));
    });
    connect(m_listener, &QTcpServer::newConnection, this, &SsoSignIn::onConnection);
}

SsoSignIn::~SsoSignIn() = default;

void SsoSignIn::start(std::chrono::milliseconds timeout)
{
    // RFC 8252 7.3: the loopback IP literal, not "localhost", on a port the system chooses.
    if (!m_listener->listen(QHostAddress::LocalHost, 0)) {
        finish(tr("Cannot wait for the browser's answer on this computer: %1")
                   .arg(m_listener->errorString()));
        return;
    }
    m_redirect = QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(m_listener->serverPort()));
    const QUrl login = m_client->auth().ssoLoginUrl(m_provider, m_redirect);
    m_timeout.start(timeout);
    if (!m_browser(login)) {
        finish(tr("Could not open a web browser. Open this address in one to sign in: %1")
                   .arg(login.toString()));
    }
}

void SsoSignIn::cancel()
{
    finish(tr("Single sign-on was cancelled."));
}

void SsoSignIn::finish(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_listener->close();
    if (error.isEmpty()) {
        Q_EMIT signedIn();
        return;
    }
    Q_EMIT failed(error);
}

void SsoSignIn::onConnection()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRequest(socket); });
    }
}

void SsoSignIn::onRequest(QTcpSocket *socket)
{
    if (socket->property("answered").toBool())
        return;
    const QByteArray head = socket->peek(kMaxRequestHead + 1);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > kMaxRequestHead)
            answerBrowser(socket, 431, tr("Request too large"), QString());
        return;
    }
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        answerBrowser(socket, 400, tr("Bad request"), QString());
        return;
    }
    const QByteArray &target = requestLine.at(1);
    const qsizetype question = target.indexOf('?');
    const QByteArray path = question < 0 ? target : target.left(question);
    if (path != "/callback" || m_done || m_exchanging) {
        // The browser's favicon request, a second tab, or an attempt that is over.
        answerBrowser(socket, 404, tr("Not found"),
            tr("This address only receives Outpost's single sign-on."));
        return;
    }
    if (requestLine.at(0) != "GET") {
        answerBrowser(socket, 405, tr("Method not allowed"), QString());
        return;
    }
    const QString query = question < 0 ? QString() : QString::fromLatin1(target.mid(question + 1));
    const QUrl check(QStringLiteral("http://127.0.0.1/callback?") + query, QUrl::StrictMode);
    if (!check.isValid() || !check.hasQuery()) {
        answerBrowser(socket, 400, tr("Bad request"),
            tr("The provider sent the browser back without an answer."));
        return;
    }
    m_exchanging = true;
    m_timeout.stop();
    socket->setProperty("answered", true); // the page comes when the server has answered
    QPointer<QTcpSocket> guarded(socket);
    m_client->auth()
        .finishSso(m_provider, query)
        .then(this, [this, guarded](const Client::ApiResult<TokenPair> &tokens) {
            m_exchanging = false;
            if (tokens) {
                if (guarded) {
                    answerBrowser(guarded, 200, tr("Signed in to Outpost"),
                        tr("You can close this window and go back to Outpost."));
                }
                finish({});
                return;
            }
            const QString why = tokens.error().text();
            if (guarded) {
                answerBrowser(guarded, 200, tr("Sign-in failed"),
                    tr("%1\n\nYou can close this window; Outpost shows what to do next.").arg(why));
            }
            finish(tr("Single sign-on with %1 failed: %2").arg(m_provider.displayName, why));
        });
}

void SsoSignIn::answerBrowser(
    QTcpSocket *socket, int status, const QString &heading, const QString &message)
{
    socket->setProperty("answered", true);
    socket->readAll();
    QString paragraphs;
    for (const QString &part : message.split(QStringLiteral("\n\n"), Qt::SkipEmptyParts))
        paragraphs += QStringLiteral("<p>") + part.toHtmlEscaped() + QStringLiteral("</p>\n");
    const QByteArray body = QStringLiteral(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>"
        "<style>body{font-family:sans-serif;margin:3em auto;max-width:36em;color:#222}</style>"
        "</head>\n<body><h1>%1</h1>\n%2</body></html>\n")
                                .arg(heading.toHtmlEscaped(), paragraphs)
                                .toUtf8();
    const QByteArray reason = status == 200 ? "OK" : "Error";
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
        + "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
          "Referrer-Policy: no-referrer\r\nConnection: close\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // The page must reach the browser even when this attempt is deleted right after: the
    // socket lives on until it has sent it and closed (or 10 seconds at most).
    socket->setParent(nullptr);
    QTimer::singleShot(10'000, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

void SsoSignIn::rememberProvider(
    const RecentConnection &connection, const Client::AuthProvider *provider)
{
    QSettings settings;
    if (!provider) {
        settings.remove(settingsKey(connection));
        return;
    }
    settings.setValue(
        settingsKey(connection), QStringList {provider->displayName, provider->endSessionEndpoint});
}

void SsoSignIn::offerProviderSignOut(
    QWidget *parent, const RecentConnection &connection, const BrowserOpener &browser)
{
    const QStringList provider = QSettings().value(settingsKey(connection)).toStringList();
    if (provider.size() != 2 || provider.at(1).isEmpty())
        return;
    const QUrl page(provider.at(1));
    if (!page.isValid()
        || (page.scheme() != QLatin1String("https") && page.scheme() != QLatin1String("http")))
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Signed out"),
        tr("You are signed out of Outpost. Also sign out of %1?").arg(provider.at(0)),
        QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("providerSignOut"));
    box->setInformativeText(
        tr("Otherwise the next single sign-on may happen without asking for your password."));
    QPushButton *yes =
        box->addButton(tr("Sign out of %1").arg(provider.at(0)), QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("signOutOfProvider"));
    box->addButton(tr("&Stay signed in there"), QMessageBox::RejectRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        box, &QMessageBox::buttonClicked, box, [yes, page, browser](QAbstractButton *button) {
            if (button == yes)
                browser(page);
        });
    box->open();
}

} // namespace Outpost::App
