// The desktop app's single sign-on (app/connection/ssosignin.cpp, connectdialog.cpp) against a
// real outpost-server configured for a real OpenID provider (panva's oidc-provider,
// tests/oidc/provider.mjs): the connect dialog shows "Sign in with {provider}", the app listens
// on a loopback port (RFC 8252), the test's "browser" follows the login URL with HTTP requests
// and the provider's scripted login back to that port, and the app ends signed in as that
// user with the refresh token in the credential store. Also: passwords switched off hide the
// password field; a provider's refusal and a cancel are told plainly; the offer to sign out at
// the provider after Outpost's sign-out. Offscreen; with OUTPOST_SCREENSHOT_DIR set, the
// dialog with its single sign-on button is saved there (docs/screenshots/connect-sso.png).
#include "client/apiclient.h"
#include "connection/connectdialog.h"
#include "connection/credentialstore.h"
#include "connection/session.h"
#include "connection/ssosignin.h"
#include "oidctestprovider.h"
#include "testserver.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

// Stands in for the system browser: remembers what the app opened and, when told to, follows
// it like a browser would (the server's redirect, the provider's login, back to the app).
class ScriptedBrowser
{
public:
    QList<QUrl> opened;
    HttpResult lastPage; // what the app's loopback listener answered
    // What to do with a login URL (run from the event loop, after openUrl returned).
    std::function<void(const QUrl &)> follow;

    App::BrowserOpener opener()
    {
        return [this](const QUrl &url) {
            opened.append(url);
            if (follow)
                QTimer::singleShot(0, [this, url] { follow(url); });
            return true;
        };
    }
};

QUrl redirectOf(const QUrl &loginUrl)
{
    return QUrl(
        QUrlQuery(loginUrl).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
}

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("OUTPOST_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(50); // one more paint after the layout settles
    widget->grab().save(QDir(dir).filePath(name));
}

} // namespace

class TestAppSso final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Client::ApiClient *>();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        if (!m_provider.start()) {
            if (peersRequired())
                QFAIL(qPrintable(m_provider.lastError()));
            QSKIP(qPrintable(m_provider.lastError()));
        }
        QVERIFY2(startServer(m_server, QStringLiteral("on")), qPrintable(m_server.lastError()));
        m_credentials.setService(QStringLiteral("outpost-test-appsso"));
    }

    void cleanupTestCase()
    {
        m_credentials.remove(QStringLiteral("%1|%2").arg(url(m_server).toString(), kEmail));
    }

    // The whole flow: button, browser, provider, loopback, the server's callback, signed in.
    void signingInWithTheProviderSignsInAndKeepsTheRefreshToken()
    {
        QVERIFY(m_provider.setAccount(QStringLiteral("sub-dana"), kEmail, true));
        ScriptedBrowser browser;
        browser.follow = [&browser, this](const QUrl &login) {
            const HttpResult start = httpRequest("GET", login);
            if (start.status != 302)
                return;
            const QUrl back = m_provider.login(
                QUrl(QString::fromUtf8(start.header("Location"))), QStringLiteral("sub-dana"));
            browser.lastPage = httpRequest("GET", back);
        };
        App::ConnectDialog dialog(&m_credentials);
        dialog.setBrowser(browser.opener());
        dialog.show();
        QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
        QSignalSpy written(&m_credentials, &App::CredentialStore::written);
        dialog.setRemote(url(m_server), QString());
        QPushButton *button = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (button = dialog.findChild<QPushButton *>(QStringLiteral("sso-default")))
                && button->isVisible(),
            15'000);
        QCOMPARE(button->text(), QStringLiteral("Sign in with Test SSO"));
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("password"))->isVisible());
        QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("passwordNote"))->isVisible());
        saveScreenshot(&dialog, QStringLiteral("connect-sso.png"));

        button->click();
        QCOMPARE(browser.opened.size(), 1);
        const QUrl redirect = redirectOf(browser.opened.first());
        QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(redirect.path(), QStringLiteral("/callback"));
        QVERIFY(redirect.port() > 0);
        QCOMPARE(browser.opened.first().path(), QStringLiteral("/v1/auth/oidc/default/login"));
        QVERIFY(dialog.findChild<QWidget *>(QStringLiteral("ssoStatus"))->isVisible());

        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 30'000);
        QCOMPARE(browser.lastPage.status, 200);
        QVERIFY2(browser.lastPage.body.contains("You can close this window"),
            browser.lastPage.body.constData());
        QVERIFY(browser.lastPage.header("Content-Type").startsWith("text/html"));
        QCOMPARE(connected.first().at(1).toString(), kEmail);
        auto *client = connected.first().at(0).value<Client::ApiClient *>();
        QVERIFY(client->isSignedIn());
        QVERIFY(!client->refreshToken().isEmpty());

        // The refresh token is in the credential store (keychain, or memory without one),
        // under the connection's key, as after a password sign-in.
        const QString key = QStringLiteral("%1|%2").arg(url(m_server).toString(), kEmail);
        QTRY_VERIFY_WITH_TIMEOUT(!written.isEmpty(), 15'000);
        QCOMPARE(written.first().at(0).toString(), key);
        QString stored;
        bool read = false;
        m_credentials.read(key, [&](const QString &secret) {
            stored = secret;
            read = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(read, 15'000);
        QCOMPARE(stored, client->refreshToken());

        // Everything after sign-in is unchanged: a session loads its user.
        App::Session session(App::Session::Mode::Remote, client);
        QSignalSpy loaded(&session, &App::Session::userLoaded);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 15'000);
        QCOMPARE(session.user()->email, kEmail);

        // The loopback listener is closed once the sign-in is done.
        QCOMPARE(httpRequest("GET", redirect, {}, {}, 5'000).status, 0);

        // Outpost's sign-out offers the provider's too, and opens its end-session page.
        QWidget parent;
        ScriptedBrowser signOutBrowser;
        App::SsoSignIn::offerProviderSignOut(
            &parent, {url(m_server), kEmail}, signOutBrowser.opener());
        auto *box = parent.findChild<QMessageBox *>(QStringLiteral("providerSignOut"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("Also sign out of Test SSO?")),
            qPrintable(box->text()));
        box->findChild<QPushButton *>(QStringLiteral("signOutOfProvider"))->click();
        QCOMPARE(signOutBrowser.opened.size(), 1);
        QCOMPARE(signOutBrowser.opened.first().toString(),
            m_provider.issuer() + QStringLiteral("/session/end"));
    }

    // The provider refuses (the user said no): the dialog says so; nothing is connected.
    void aRefusalAtTheProviderIsShownPlainly()
    {
        ScriptedBrowser browser;
        browser.follow = [&browser](const QUrl &login) {
            QUrl back = redirectOf(login);
            back.setQuery(QStringLiteral("error=access_denied&error_description=no+thanks"
                                         "&state=whatever"));
            browser.lastPage = httpRequest("GET", back);
        };
        App::ConnectDialog dialog(&m_credentials);
        dialog.setBrowser(browser.opener());
        dialog.show();
        QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
        dialog.setRemote(url(m_server), QString());
        QPushButton *button = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            button = dialog.findChild<QPushButton *>(QStringLiteral("sso-default")), 15'000);
        button->click();
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("error"));
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 15'000);
        QVERIFY2(error->text().contains(QStringLiteral("Single sign-on with Test SSO failed")),
            qPrintable(error->text()));
        QVERIFY2(
            error->text().contains(QStringLiteral("access_denied")), qPrintable(error->text()));
        QVERIFY(browser.lastPage.body.contains("Sign-in failed"));
        QCOMPARE(connected.count(), 0);
        QVERIFY(button->isEnabled());
        QVERIFY(!dialog.findChild<QWidget *>(QStringLiteral("ssoStatus"))->isVisible());
    }

    // Cancel stops waiting and closes the loopback port.
    void cancellingStopsWaiting()
    {
        ScriptedBrowser browser; // opens, but nobody signs in
        App::ConnectDialog dialog(&m_credentials);
        dialog.setBrowser(browser.opener());
        dialog.show();
        dialog.setRemote(url(m_server), QString());
        QPushButton *button = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            button = dialog.findChild<QPushButton *>(QStringLiteral("sso-default")), 15'000);
        button->click();
        QCOMPARE(browser.opened.size(), 1);
        auto *cancel = dialog.findChild<QPushButton *>(QStringLiteral("cancelSso"));
        QVERIFY(cancel->isVisible());
        QVERIFY(!button->isEnabled());
        cancel->click();
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("error"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("cancelled")), qPrintable(error->text()));
        QVERIFY(button->isEnabled());
        QCOMPARE(httpRequest("GET", redirectOf(browser.opened.first()), {}, {}, 5'000).status, 0);
    }

    // OUTPOST_PASSWORD_LOGIN=off: no password field, a sentence why, the provider's button.
    void passwordLoginOffHidesThePasswordField()
    {
        TestServer server;
        QVERIFY2(startServer(server, QStringLiteral("off")), qPrintable(server.lastError()));
        App::ConnectDialog dialog(&m_credentials);
        dialog.show();
        dialog.setRemote(url(server), QStringLiteral("someone@sso.test"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.providers().passwordsOff(), 15'000);
        QVERIFY(!dialog.findChild<QLineEdit *>(QStringLiteral("password"))->isVisible());
        auto *note = dialog.findChild<QLabel *>(QStringLiteral("passwordNote"));
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains(QStringLiteral("does not accept passwords")),
            qPrintable(note->text()));
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("sso-default"))->isVisible());
        saveScreenshot(&dialog, QStringLiteral("connect-sso-only.png"));

        // Back to a server with passwords: the field comes back.
        dialog.setRemote(url(m_server), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.providers().passwordsOff(), 15'000);
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("password"))->isVisible());
        QVERIFY(!note->isVisible());
    }

    // admins-only: the password field stays, with a hint that others use single sign-on.
    void passwordLoginAdminsOnlyKeepsThePasswordFieldWithAHint()
    {
        TestServer server;
        QVERIFY2(
            startServer(server, QStringLiteral("admins-only")), qPrintable(server.lastError()));
        App::ConnectDialog dialog(&m_credentials);
        dialog.show();
        dialog.setRemote(url(server), QString());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.providers().passwordsForAdminsOnly(), 15'000);
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("password"))->isVisible());
        auto *note = dialog.findChild<QLabel *>(QStringLiteral("passwordNote"));
        QVERIFY(note->isVisible());
        QVERIFY2(
            note->text().contains(QStringLiteral("only administrators")), qPrintable(note->text()));
    }

private:
    const QString kEmail = QStringLiteral("dana@sso.test");

    bool startServer(TestServer &server, const QString &passwordLogin)
    {
        server.setEnv(QStringLiteral("OUTPOST_OIDC_ISSUER"), m_provider.issuer());
        server.setEnv(QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("outpost"));
        server.setEnv(
            QStringLiteral("OUTPOST_OIDC_CLIENT_SECRET"), QStringLiteral("outpost-secret"));
        server.setEnv(QStringLiteral("OUTPOST_OIDC_SCOPES"), QStringLiteral("openid email"));
        server.setEnv(QStringLiteral("OUTPOST_OIDC_DISPLAY_NAME"), QStringLiteral("Test SSO"));
        server.setEnv(QStringLiteral("OUTPOST_PASSWORD_LOGIN"), passwordLogin);
        return server.start();
    }

    static QUrl url(const TestServer &server)
    {
        QUrl u;
        u.setScheme(QStringLiteral("http"));
        u.setHost(QStringLiteral("127.0.0.1"));
        u.setPort(server.port());
        return u;
    }

    OidcTestProvider m_provider;
    TestServer m_server;
    App::CredentialStore m_credentials;
};

QTEST_MAIN(TestAppSso)
#include "tst_appsso.moc"
