// Where the app keeps refresh tokens: the system keychain when there is one (run under a
// private D-Bus session with gnome-keyring by tests/gui/with-keychain.sh), memory otherwise.
#include "connection/credentialstore.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

using Outpost::App::CredentialStore;

namespace {

QString readNow(CredentialStore &store, const QString &key)
{
    QString value;
    bool done = false;
    store.read(key, [&](const QString &secret) {
        value = secret;
        done = true;
    });
    QDeadlineTimer deadline(15'000);
    while (!done && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!done)
        qWarning("the credential store did not answer within 15 s");
    return value;
}

bool expectKeychain()
{
    return qEnvironmentVariable("OUTPOST_EXPECT_KEYCHAIN") == QLatin1String("1");
}

} // namespace

class TestCredentialStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Without the wrapper: make sure no session keychain of the machine is reached.
        if (!expectKeychain())
            qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    }

    void withoutAKeychainSecretsStayInMemoryAndTheUserIsTold()
    {
        if (expectKeychain())
            QSKIP("a keychain is running");
        CredentialStore store;
        store.setService(QStringLiteral("outpost-test"));
        QSignalSpy unavailable(&store, &CredentialStore::keychainUnavailable);
        QSignalSpy written(&store, &CredentialStore::written);
        store.write(QStringLiteral("k"), QStringLiteral("refresh-1"));
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 15'000);
        QCOMPARE(written.first().at(1).toBool(), false); // not in a keychain
        QCOMPARE(unavailable.count(), 1);
        QVERIFY(!store.keychainAvailable());
        QCOMPARE(readNow(store, QStringLiteral("k")), QStringLiteral("refresh-1"));
        // Memory only: a new store (the next start) has nothing.
        CredentialStore next;
        next.setService(QStringLiteral("outpost-test"));
        QCOMPARE(readNow(next, QStringLiteral("k")), QString());
        store.remove(QStringLiteral("k"));
        QCOMPARE(readNow(store, QStringLiteral("k")), QString());
    }

    void storesInTheSystemKeychain()
    {
        if (!expectKeychain())
            QSKIP("needs tests/gui/with-keychain.sh (D-Bus session with gnome-keyring)");
        CredentialStore store;
        store.setService(QStringLiteral("outpost-test"));
        QSignalSpy written(&store, &CredentialStore::written);
        store.write(
            QStringLiteral("https://a.example|me@example.org"), QStringLiteral("refresh-2"));
        QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 15'000);
        QCOMPARE(written.first().at(1).toBool(), true);
        QVERIFY(store.keychainAvailable());
        // A second store (as after a restart) reads it from the keychain, not from memory.
        CredentialStore next;
        next.setService(QStringLiteral("outpost-test"));
        QCOMPARE(readNow(next, QStringLiteral("https://a.example|me@example.org")),
            QStringLiteral("refresh-2"));
        next.remove(QStringLiteral("https://a.example|me@example.org"));
        QTRY_COMPARE_WITH_TIMEOUT(
            readNow(store, QStringLiteral("https://a.example|me@example.org")), QString(), 15'000);
    }
};

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
