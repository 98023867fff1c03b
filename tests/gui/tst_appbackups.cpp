// Admin ▸ Back up now and Admin ▸ Backups… (app/views/backupsdialog.cpp), offscreen, against a
// real server: the embedded one and a remote outpost-server process. A backup is started from
// the menu and followed to its end, listed, downloaded to disk and checked against the copy
// in the server's store, then restored with outpost-server restore (which verifies every
// member's SHA-256 and the database's integrity). On PostgreSQL (the _pg twin) the server's
// advice is what the dialog shows.
#include "connection/connectdialog.h"
#include "connection/session.h"
#include "factories.h"
#include "mainwindow.h"
#include "remotesignin.h"
#include "testserver.h"
#include "views/backupsdialog.h"

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;

namespace {

QByteArray sha256Of(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

// The files under `dir`, recursively.
QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

QAction *adminAction(App::MainWindow &window, const char *name)
{
    return window.findChild<QAction *>(QString::fromLatin1(name));
}

} // namespace

class TestAppBackups final : public QObject
{
    Q_OBJECT

private:
    // Back up now from the menu → listed → Download… → the same bytes as the server's copy,
    // and an archive that restores. `store` is the server's local file store.
    void backUpListAndDownload(App::MainWindow &window, const QString &store)
    {
        QAction *backUp = adminAction(window, "backUpNow");
        QVERIFY(backUp);
        QTRY_VERIFY_WITH_TIMEOUT(backUp->isEnabled(), 10'000); // once the admin is known
        backUp->trigger();
        auto *dialog = window.findChild<App::BackupsDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QSignalSpy finished(dialog, &App::BackupsDialog::backupFinished);
        QVERIFY(dialog->isBackingUp());
        QVERIFY(!dialog->findChild<QPushButton *>(QStringLiteral("backUpNow"))->isEnabled());
        QVERIFY(dialog->findChild<QWidget *>(QStringLiteral("progress"))->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60'000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog->statusText()));
        QVERIFY(!dialog->isBackingUp());
        QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("backUpNow"))->isEnabled());

        // Listed (the list reloads by itself), in the table and selected.
        QTRY_COMPARE_WITH_TIMEOUT(dialog->backups().size(), 1, 10'000);
        const Backup backup = dialog->backups().first();
        QVERIFY2(backup.name.startsWith(QStringLiteral("outpost-backup-"))
                && backup.name.endsWith(QStringLiteral(".tar.gz")),
            qPrintable(backup.name));
        QCOMPARE(dialog->statusText(),
            QStringLiteral("Backup %1 made (%2).")
                .arg(backup.name, dialog->findChild<QTableWidget *>()->item(0, 1)->text()));
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("backups"));
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, 0)->text(), backup.name);
        QVERIFY(!table->item(0, 2)->text().isEmpty());
        QVERIFY(table->item(0, 0)->isSelected());
        QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("download"))->isEnabled());
        QVERIFY(backup.sizeBytes > 0);

        // The server's copy.
        const QStringList stored =
            filesUnder(QDir(store).filePath(QStringLiteral("objects/backups")));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(QFileInfo(stored.first()).size(), backup.sizeBytes);

        // Download…: whole, byte for byte.
        QTemporaryDir local;
        const QString target = local.filePath(QStringLiteral("copy.tar.gz"));
        QSignalSpy downloaded(dialog, &App::BackupsDialog::downloadFinished);
        dialog->download(backup.name, target);
        QVERIFY(dialog->isDownloading());
        QTRY_COMPARE_WITH_TIMEOUT(downloaded.count(), 1, 60'000);
        QVERIFY2(downloaded.first().at(0).toBool(), qPrintable(dialog->statusText()));
        QCOMPARE(QFileInfo(target).size(), backup.sizeBytes);
        QCOMPARE(sha256Of(target), sha256Of(stored.first()));
        QCOMPARE(dialog->statusText(),
            QStringLiteral("Saved %1 as %2.").arg(backup.name, QDir::toNativeSeparators(target)));
        QCOMPARE(
            QDir(local.path()).entryList(QDir::Files), QStringList {QStringLiteral("copy.tar.gz")});

        // A valid archive: restore checks every member's SHA-256, the schema and the database.
        QTemporaryDir restored;
        const TestServer::Run restore = TestServer::runCli({QStringLiteral("restore"),
            QStringLiteral("--input"), target, QStringLiteral("--data-dir"), restored.path()});
        QVERIFY2(restore.exitCode == 0, restore.err.constData());
        QVERIFY(QFile::exists(restored.filePath(QStringLiteral("outpost.db"))));

        // A backup that is not there: the problem, and no file left behind.
        const QString missing = local.filePath(QStringLiteral("missing.tar.gz"));
        downloaded.clear();
        dialog->download(QStringLiteral("outpost-backup-20000101T000000000Z.tar.gz"), missing);
        QTRY_COMPARE_WITH_TIMEOUT(downloaded.count(), 1, 30'000);
        QVERIFY(!downloaded.first().at(0).toBool());
        QVERIFY2(dialog->statusText().startsWith(
                     QStringLiteral("The backup could not be downloaded.\nNot Found: ")),
            qPrintable(dialog->statusText()));
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("error"))->isVisible());
        QCOMPARE(
            QDir(local.path()).entryList(QDir::Files), QStringList {QStringLiteral("copy.tar.gz")});

        // Refresh reads the list again.
        QSignalSpy listed(dialog, &App::BackupsDialog::listLoaded);
        QTest::mouseClick(
            dialog->findChild<QPushButton *>(QStringLiteral("refresh")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 10'000);
        QCOMPARE(dialog->backups().size(), 1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void offlineBackUpNowListAndDownload()
    {
        if (TestServer::onPostgres())
            QSKIP("the embedded server is SQLite (the _pg twin checks the refusal)");
        QTemporaryDir data;
        App::MainWindow window;
        window.setEmbeddedDataDir(data.path());
        window.setEmbeddedBcryptCost(4);
        window.show();
        window.startEmbedded();
        QTRY_VERIFY_WITH_TIMEOUT(window.session() != nullptr, 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->isAdmin(), 10'000);
        backUpListAndDownload(window, data.filePath(QStringLiteral("files")));
    }

    void remoteBackUpNowListAndDownload()
    {
        if (TestServer::onPostgres())
            QSKIP("backups are for SQLite servers (see postgresRefusalShowsTheAdvice)");
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const Account admin = createAdmin(server);
        QVERIFY(admin.ok());
        QVERIFY(createPost(server, admin, QStringLiteral("In the backup")) > 0);
        App::MainWindow window;
        window.show();
        QVERIFY(connectRemote(window, server.url(), admin.email, admin.password));
        QCOMPARE(window.session()->mode(), App::Session::Mode::Remote);
        backUpListAndDownload(window, QDir(server.dataDir()).filePath(QStringLiteral("files")));
    }

    void adminMenuIsForAdminsOnly()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QVERIFY(createAdmin(server).ok()); // the first account is the admin
        const Account user = createAccount(server);
        QVERIFY(user.ok());
        App::MainWindow window;
        QVERIFY(!adminAction(window, "backUpNow")->isEnabled()); // not connected
        window.show();
        QVERIFY(connectRemote(window, server.url(), user.email, user.password));
        QVERIFY(!window.session()->isAdmin());
        QVERIFY(!adminAction(window, "backUpNow")->isEnabled());
        QVERIFY(!adminAction(window, "showBackups")->isEnabled());
    }

    void postgresRefusalShowsTheAdvice()
    {
        if (!TestServer::onPostgres())
            QSKIP("PostgreSQL behaviour (the _pg twin)");
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const Account admin = createAdmin(server);
        App::MainWindow window;
        window.show();
        QVERIFY(connectRemote(window, server.url(), admin.email, admin.password));
        QTRY_VERIFY_WITH_TIMEOUT(adminAction(window, "showBackups")->isEnabled(), 10'000);

        // The list: refused with the advice, shown as it came.
        adminAction(window, "showBackups")->trigger();
        auto *dialog = window.findChild<App::BackupsDialog *>();
        QVERIFY(dialog);
        QSignalSpy listed(dialog, &App::BackupsDialog::listLoaded);
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 10'000);
        QVERIFY(dialog->backups().isEmpty());
        const QString advice = dialog->statusText();
        QVERIFY2(advice.startsWith(QStringLiteral("This server cannot make backups.\nUnprocessable "
                                                  "Content: database: is PostgreSQL: ")),
            qPrintable(advice));
        QVERIFY2(advice.contains(QStringLiteral("pg_dump")), qPrintable(advice));
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("error"));
        QVERIFY(error->isVisible());
        QVERIFY(error->text().contains(QStringLiteral("pg_dump")));

        // Back up now: the same advice, nothing left running.
        QSignalSpy finished(dialog, &App::BackupsDialog::backupFinished);
        adminAction(window, "backUpNow")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10'000);
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY2(finished.first().at(1).toString().contains(QStringLiteral("pg_dump")),
            qPrintable(finished.first().at(1).toString()));
        QVERIFY(!dialog->isBackingUp());
        QVERIFY(!dialog->findChild<QWidget *>(QStringLiteral("progress"))->isVisible());
    }
};

QTEST_MAIN(TestAppBackups)
#include "tst_appbackups.moc"
