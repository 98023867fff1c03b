// The welcome dialog (ConnectDialog), offscreen: what Enter does on a first start and with a
// remembered connection, against a real outpost-server.
#include "client/apiclient.h"
#include "connection/connectdialog.h"
#include "connection/credentialstore.h"
#include "connection/recentconnections.h"
#include "factories.h"
#include "testserver.h"

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

class TestAppWelcome final : public QObject
{
    Q_OBJECT

private:
    App::CredentialStore m_credentials;

    static void pressEnter(QDialog *dialog)
    {
        QWidget *target = QApplication::focusWidget();
        QVERIFY2(target && dialog->isAncestorOf(target), "the dialog has no focused widget");
        QTest::keyClick(target, Qt::Key_Return);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Client::ApiClient *>();
        QStandardPaths::setTestModeEnabled(true);
        m_credentials.setService(QStringLiteral("outpost-test-appwelcome"));
    }

    void init() { QSettings().clear(); }

    void enterOnAFirstStartWorksOffline()
    {
        App::ConnectDialog dialog(&m_credentials);
        QSignalSpy offline(&dialog, &App::ConnectDialog::offlineChosen);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *offlineButton = dialog.findChild<QPushButton *>(QStringLiteral("offline"));
        auto *connectButton = dialog.findChild<QPushButton *>(QStringLiteral("connect"));
        QVERIFY(offlineButton->isDefault());
        QVERIFY(!connectButton->isDefault());
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("url"))->text().isEmpty());
        pressEnter(&dialog);
        QCOMPARE(offline.count(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.findChild<QWidget *>(QStringLiteral("error"))->isVisible());
    }

    void typingAServerMakesConnectTheDefault()
    {
        App::ConnectDialog dialog(&m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *url = dialog.findChild<QLineEdit *>(QStringLiteral("url"));
        url->setFocus();
        QTest::keyClicks(url, QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("connect"))->isDefault());
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("offline"))->isDefault());
        url->clear();
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("offline"))->isDefault());
    }

    void enterWithARememberedServerConnectsToIt()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const Account admin = createAdmin(server);
        QVERIFY(admin.ok());
        const QUrl url = server.url().adjusted(QUrl::StripTrailingSlash);
        App::RecentConnections::remember(
            {QUrl(QStringLiteral("http://127.0.0.1:9")), QStringLiteral("older@example.test")});
        App::RecentConnections::remember({url, admin.email}); // the last used, first in the list
        App::RecentConnections::setLastMode(QStringLiteral("remote"));

        App::ConnectDialog dialog(&m_credentials);
        QSignalSpy offline(&dialog, &App::ConnectDialog::offlineChosen);
        QSignalSpy connected(&dialog, &App::ConnectDialog::remoteConnected);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("url"))->text(), url.toString());
        QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("email"))->text(), admin.email);
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("connect"))->isDefault());
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("offline"))->isDefault());
        // No keychain here: the password is typed, then Enter signs in to that server.
        auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("password"));
        password->setFocus();
        QTest::keyClicks(password, admin.password);
        pressEnter(&dialog);
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15'000);
        QCOMPARE(offline.count(), 0);
        auto *client = connected.first().at(0).value<Client::ApiClient *>();
        QCOMPARE(client->baseUrl().adjusted(QUrl::StripTrailingSlash), url);
        client->deleteLater();
    }

    void lastUsedOfflineKeepsWorkOfflineTheDefault()
    {
        App::RecentConnections::remember(
            {QUrl(QStringLiteral("http://127.0.0.1:9")), QStringLiteral("older@example.test")});
        App::RecentConnections::setLastMode(QStringLiteral("embedded"));
        App::ConnectDialog dialog(&m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("offline"))->isDefault());
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("url"))->text().isEmpty());
    }
};

QTEST_MAIN(TestAppWelcome)
#include "tst_appwelcome.moc"
