// The desktop app against a real outpost-server over TLS with a self-signed certificate: the
// trust prompt, the pin it leaves (SHA-256 of the public key, like SSH's known hosts), and the
// refusal, with both fingerprints, when the server's key changes, until the admin accepts it.
// The dialogs are driven programmatically (offscreen QPA). With OUTPOST_SCREENSHOT_DIR set, the
// two dialogs are saved there as PNGs (docs/screenshots/).
#include "client/apiclient.h"
#include "client/eventstream.h"
#include "connection/connectdialog.h"
#include "connection/credentialstore.h"
#include "connection/recentconnections.h"
#include "connection/session.h"
#include "factories.h"
#include "mainwindow.h"
#include "testserver.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

bool makeCertificate(const QString &cert, const QString &key)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-days"), QStringLiteral("30"), QStringLiteral("-subj"),
            QStringLiteral("/CN=outpost.test"), QStringLiteral("-keyout"), key,
            QStringLiteral("-out"), cert});
    return openssl.waitForFinished(20'000) && openssl.exitCode() == 0;
}

QByteArray pinOf(const QString &certFile)
{
    return Client::ApiClient::publicKeyPin(QSslCertificate::fromPath(certFile).value(0));
}

QMessageBox *waitForBox(QWidget *parent, const QString &name)
{
    QMessageBox *box = nullptr;
    [[maybe_unused]] const bool shown = QTest::qWaitFor(
        [&] {
            box = parent->findChild<QMessageBox *>(name);
            return box && box->isVisible();
        },
        15'000);
    return box && box->isVisible() ? box : nullptr;
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

class TestAppTls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Client::ApiClient *>();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY(makeCertificate(path("a.crt"), path("a.key")));
        QVERIFY(makeCertificate(path("b.crt"), path("b.key")));
        QVERIFY(QFile::copy(path("a.crt"), path("server.crt")));
        QVERIFY(QFile::copy(path("a.key"), path("server.key")));
        m_server.setArguments({QStringLiteral("--tls-cert"), path("server.crt"),
            QStringLiteral("--tls-key"), path("server.key")});
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdminOverTls();
        QVERIFY(!m_admin.isEmpty());
        m_credentials.setService(QStringLiteral("outpost-test-apptls"));
    }

    // 1. An unknown self-signed certificate: the prompt shows it; declining does not connect.
    void decliningTheUnverifiedCertificateDoesNotConnect()
    {
        App::ConnectDialog dialog(&m_credentials);
        dialog.show();
        QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
        dialog.setRemote(url(), m_admin, kPassword);
        dialog.connectRemote();
        QMessageBox *box = waitForBox(&dialog, QStringLiteral("certificate"));
        QVERIFY(box);
        QVERIFY(box->informativeText().contains(
            QString::fromLatin1(QSslCertificate::fromPath(path("a.crt"))
                                    .value(0)
                                    .digest(QCryptographicHash::Sha256)
                                    .toHex(':'))));
        box->button(QMessageBox::Cancel)->click();
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("error"));
        QTRY_VERIFY(error->isVisible());
        QVERIFY(error->text().contains(QStringLiteral("not trusted")));
        QCOMPARE(connected.count(), 0);
        QVERIFY(App::RecentConnections::pin(url()).isEmpty());
    }

    // 2. Trusting it connects and pins its public key.
    void trustingTheCertificateConnectsAndPinsItsKey()
    {
        App::ConnectDialog dialog(&m_credentials);
        dialog.show();
        QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
        dialog.setRemote(url(), m_admin, kPassword);
        dialog.connectRemote();
        QMessageBox *box = waitForBox(&dialog, QStringLiteral("certificate"));
        QVERIFY(box);
        saveScreenshot(box, QStringLiteral("certificate-prompt.png"));
        box->findChild<QPushButton *>(QStringLiteral("trustCertificate"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15'000);
        QCOMPARE(App::RecentConnections::pin(url()), pinOf(path("a.crt")));
        connected.first().at(0).value<Client::ApiClient *>()->deleteLater();
    }

    // 3. The remembered server comes back with the same key: no prompt at all.
    void thePinnedKeyIsAcceptedWithoutAPrompt()
    {
        App::ConnectDialog dialog(&m_credentials);
        dialog.show();
        QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
        dialog.setRemote(url(), m_admin, kPassword);
        dialog.connectRemote();
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15'000);
        QVERIFY(!dialog.findChild<QMessageBox *>());
        connected.first().at(0).value<Client::ApiClient *>()->deleteLater();
    }

    // 4. The server's key changes (SIGHUP with another pair): refused, plainly, with both
    // fingerprints, until the admin accepts the new key.
    void aChangedKeyIsRefusedUntilAccepted()
    {
        QFile::remove(path("server.crt"));
        QFile::remove(path("server.key"));
        QVERIFY(QFile::copy(path("b.crt"), path("server.crt")));
        QVERIFY(QFile::copy(path("b.key"), path("server.key")));
        QCOMPARE(::kill(pid_t(m_server.pid()), SIGHUP), 0);
        QVERIFY(m_server.waitForOutput("TLS certificate reloaded"));
        const QString oldPin = Client::ApiClient::formatPin(pinOf(path("a.crt")));
        const QString newPin = Client::ApiClient::formatPin(pinOf(path("b.crt")));

        {
            App::ConnectDialog dialog(&m_credentials);
            dialog.show();
            QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
            dialog.setRemote(url(), m_admin, kPassword);
            dialog.connectRemote();
            QMessageBox *box = waitForBox(&dialog, QStringLiteral("certificateChanged"));
            QVERIFY(box);
            QVERIFY2(box->informativeText().contains(oldPin), qPrintable(box->informativeText()));
            QVERIFY2(box->informativeText().contains(newPin), qPrintable(box->informativeText()));
            QVERIFY(box->text().contains(QStringLiteral("Not connected")));
            QVERIFY(!dialog.findChild<QMessageBox *>(QStringLiteral("certificate")));
            saveScreenshot(box, QStringLiteral("certificate-changed.png"));
            QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
            box->button(QMessageBox::Cancel)->click();
            auto *error = dialog.findChild<QLabel *>(QStringLiteral("error"));
            QTRY_VERIFY(error->isVisible());
            QVERIFY(error->text().contains(QStringLiteral("key changed")));
            QCOMPARE(connected.count(), 0);
            QCOMPARE(App::RecentConnections::pin(url()), pinOf(path("a.crt")));
        }
        {
            App::ConnectDialog dialog(&m_credentials);
            dialog.show();
            QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
            dialog.setRemote(url(), m_admin, kPassword);
            dialog.connectRemote();
            QMessageBox *box = waitForBox(&dialog, QStringLiteral("certificateChanged"));
            QVERIFY(box);
            box->findChild<QPushButton *>(QStringLiteral("acceptNewKey"))->click();
            QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15'000);
            QCOMPARE(App::RecentConnections::pin(url()), pinOf(path("b.crt")));
            connected.first().at(0).value<Client::ApiClient *>()->deleteLater();
        }
    }

    // 5. The live event stream (a WebSocket) checks the same pin: the pinned key is accepted
    // although the certificate does not verify (and no certificate was trusted in this run),
    void theEventStreamAcceptsThePinnedKey()
    {
        const QSslCertificate served = QSslCertificate::fromPath(path("server.crt")).value(0);
        Client::ApiClient client;
        client.setBaseUrl(url());
        client.setPinnedPublicKey(Client::ApiClient::publicKeyPin(served));
        QVERIFY(signIn(client));
        QSignalSpy mismatches(&client, &Client::ApiClient::pinMismatch);
        Client::EventStream stream(&client);
        QSignalSpy online(&stream, &Client::EventStream::onlineChanged);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(stream.isOnline(), 15'000);
        QCOMPARE(mismatches.count(), 0);
        stream.stop();
    }

    // 6. and another key is refused before the token goes out, through pinMismatch() like the
    // REST calls, even for a certificate the client was told to trust.
    void theEventStreamRefusesAnotherKey()
    {
        const QSslCertificate served = QSslCertificate::fromPath(path("server.crt")).value(0);
        const QSslCertificate other = QSslCertificate::fromPath(
            path(pinOf(path("server.crt")) == pinOf(path("a.crt")) ? "b.crt" : "a.crt"))
                                          .value(0);
        Client::ApiClient client;
        client.setBaseUrl(url());
        client.trustCertificate(served);
        QVERIFY(signIn(client)); // unpinned: signed in over the trusted certificate
        client.setPinnedPublicKey(Client::ApiClient::publicKeyPin(other));
        QSignalSpy mismatches(&client, &Client::ApiClient::pinMismatch);
        Client::EventStream stream(&client);
        QSignalSpy online(&stream, &Client::EventStream::onlineChanged);
        QSignalSpy retries(&stream, &Client::EventStream::retryScheduled);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(retries.count() >= 1, 15'000); // the attempt ended
        QVERIFY(!stream.isOnline());
        QCOMPARE(online.count(), 0);
        QVERIFY(mismatches.count() >= 1);
        QCOMPARE(mismatches.first().at(0).toByteArray(), Client::ApiClient::publicKeyPin(other));
        QCOMPARE(mismatches.first().at(1).toByteArray(), Client::ApiClient::publicKeyPin(served));
        stream.stop();

        // The same client with the right pin goes online: the refusal was the key's.
        client.setPinnedPublicKey(Client::ApiClient::publicKeyPin(served));
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(stream.isOnline(), 15'000);
        stream.stop();
    }

    // 7. The key changes while the main window is connected. Open connections keep their TLS
    // session, so the next handshake (the event stream's reconnect) is where a change shows;
    // here the trusted pin becomes the first pair's while the server serves the second. The
    // client refuses, and the window says so with both fingerprints.
    void theMainWindowSaysWhenTheKeyChangesMidSession()
    {
        App::MainWindow window;
        window.show();
        QSignalSpy started(&window, &App::MainWindow::sessionStarted);
        App::ConnectDialog *dialog = window.showConnectDialog();
        dialog->setRemote(url(), m_admin, kPassword);
        dialog->connectRemote();
        QVERIFY(started.wait(15'000) || !started.isEmpty());
        QCOMPARE(App::RecentConnections::pin(url()), pinOf(path("b.crt")));
        Client::EventStream *events = window.session()->events();
        QTRY_VERIFY_WITH_TIMEOUT(events->isOnline(), 15'000);

        window.session()->client()->setPinnedPublicKey(pinOf(path("a.crt")));
        QSignalSpy mismatches(window.session()->client(), &Client::ApiClient::pinMismatch);
        events->stop();
        events->start();
        QTRY_VERIFY_WITH_TIMEOUT(!mismatches.isEmpty(), 15'000);
        auto *banner = window.findChild<QLabel *>(QStringLiteral("errorBanner"));
        QVERIFY(banner);
        QTRY_VERIFY(banner->isVisible());
        const QString text = banner->text();
        QVERIFY2(
            text.contains(Client::ApiClient::formatPin(pinOf(path("b.crt")))), qPrintable(text));
        QVERIFY2(
            text.contains(Client::ApiClient::formatPin(pinOf(path("a.crt")))), qPrintable(text));
        QVERIFY(!events->isOnline());
        saveScreenshot(&window, QStringLiteral("certificate-changed-mid-session.png"));
    }

private:
    // Signs the admin in with `client` (tokens kept in it).
    bool signIn(Client::ApiClient &client)
    {
        QSignalSpy done(client.login(m_admin, kPassword), &Client::ApiCall::finished);
        return done.wait(15'000) && client.isSignedIn();
    }

    static constexpr const char *kPasswordText = "Tls-Admin-Password-1";
    const QString kPassword = QString::fromLatin1(kPasswordText);

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QUrl url() const
    {
        QUrl u;
        u.setScheme(QStringLiteral("https"));
        u.setHost(QStringLiteral("127.0.0.1"));
        u.setPort(m_server.port());
        return u;
    }

    // The first admin, registered from loopback over TLS with the self-signed certificate.
    QString createAdminOverTls()
    {
        Client::ApiClient client;
        client.setBaseUrl(url());
        client.trustCertificate(QSslCertificate::fromPath(path("a.crt")).value(0));
        const QString email = QStringLiteral("tls-admin@example.test");
        UserCreate create;
        create.email = email;
        create.password = kPassword;
        QSignalSpy done(
            client.post(QStringLiteral("/v1/users"), create.toJson()), &Client::ApiCall::finished);
        if (!done.wait(15'000))
            return {};
        return done.first().at(0).value<Client::ApiResponse>().status == 201 ? email : QString();
    }

    QTemporaryDir m_dir;
    TestServer m_server;
    QString m_admin;
    App::CredentialStore m_credentials;
};

QTEST_MAIN(TestAppTls)
#include "tst_apptls.moc"
