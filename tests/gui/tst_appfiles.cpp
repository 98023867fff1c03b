// The Files view's transfers, offscreen, against the embedded server: a folder dropped onto a
// folder of the tree keeps its structure there, and the transfers panel cancels and retries an
// upload (the retry resumes) and retries a failed download. (Downloads resumed from a .part
// file, through a relay that breaks the connection, are tst_transferqueue's.)
#include "connection/session.h"
#include "embeddedwindow.h"
#include "mainwindow.h"
#include "models/transferqueue.h"
#include "testfiles.h"
#include "views/filesview.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QHeaderView>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Outpost;
using App::TransferQueue;
using Test::patterned;
using Test::readFile;
using Test::writeFile;

namespace {

QTreeWidgetItem *findItem(QTreeWidget *tree, const QString &text)
{
    const QList<QTreeWidgetItem *> found =
        tree->findItems(text, Qt::MatchExactly | Qt::MatchRecursive);
    return found.isEmpty() ? nullptr : found.first();
}

} // namespace

class TestAppFiles final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    QTemporaryDir m_local;
    std::unique_ptr<App::MainWindow> m_window;

    App::FilesView *view() const { return m_window->filesView(); }
    Client::ApiClient *client() const { return m_window->session()->client(); }
    TransferQueue *queue() const { return view()->transferQueue(); }

    // The text of a transfer's state column.
    QString stateText(int index) const
    {
        QTreeWidgetItem *item = view()->transfers()->topLevelItem(index);
        return item ? item->text(3) : QString();
    }

    // Uploads through the view and waits until nothing is running.
    bool uploadAndWait(const QStringList &paths, const QString &directory)
    {
        QSignalSpy done(view(), &App::FilesView::transfersFinished);
        view()->upload(paths, directory);
        return done.wait(60'000) || !done.isEmpty();
    }

    // Cancels the running transfer `index` with the panel's button once `done` is past `bytes`.
    void cancelOnceAt(int index, qint64 bytes)
    {
        auto fired = std::make_shared<bool>(false);
        connect(queue(), &TransferQueue::progressed, view(), [this, index, bytes, fired](int i) {
            const TransferQueue::Transfer &transfer = queue()->transfers().at(i);
            if (i != index || *fired || transfer.done <= bytes)
                return;
            *fired = true;
            view()->selectTransfer(index);
            QVERIFY(view()->cancelButton()->isEnabled());
            view()->cancelButton()->click();
        });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_data.isValid());
        QVERIFY(m_local.isValid());
        m_window = std::make_unique<App::MainWindow>();
        // Parts of 4 MiB: a 9 MiB upload has three.
        QVERIFY(Test::startEmbeddedWindow(*m_window, m_data.path(),
            {{QStringLiteral("MAX_BODY_BYTES"), QStringLiteral("4MiB")}}));
        m_window->showView(view());
    }

    void cleanupTestCase() { m_window.reset(); }

    void dropsAFolderOntoAFolderOfTheTree()
    {
        const QString readme = m_local.filePath(QStringLiteral("seed/readme.txt"));
        QVERIFY(writeFile(readme, "a folder to drop into"));
        QVERIFY(uploadAndWait({readme}, QStringLiteral("target/")));
        QTRY_VERIFY_WITH_TIMEOUT(
            view()->listedPaths().contains(QStringLiteral("target/readme.txt")), 10'000);
        QTreeWidgetItem *target = findItem(view()->tree(), QStringLiteral("target"));
        QVERIFY(target);
        view()->tree()->scrollToItem(target);
        const QPoint onTarget = view()->tree()->visualItemRect(target).center();
        QCOMPARE(view()->directoryAt(onTarget), QStringLiteral("target/"));

        const QString album = m_local.filePath(QStringLiteral("album"));
        QVERIFY(writeFile(album + QStringLiteral("/cover.txt"), "cover"));
        QVERIFY(writeFile(album + QStringLiteral("/songs/one.txt"), "one"));
        QVERIFY(writeFile(album + QStringLiteral("/songs/two.txt"), "two"));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(album)});
        QWidget *viewport = view()->tree()->viewport();
        QDragEnterEvent enter(onTarget, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &enter);
        QVERIFY(enter.isAccepted());
        QDragMoveEvent move(onTarget, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &move);
        QVERIFY(move.isAccepted());
        QSignalSpy done(view(), &App::FilesView::transfersFinished);
        QDropEvent drop(QPointF(onTarget), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &drop);
        QVERIFY(drop.isAccepted());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30'000);

        // Under the folder it was dropped on, with its own structure.
        const QStringList expected {QStringLiteral("target/album/cover.txt"),
            QStringLiteral("target/album/songs/one.txt"),
            QStringLiteral("target/album/songs/two.txt")};
        for (const QString &path : expected) {
            QTRY_VERIFY2_WITH_TIMEOUT(
                view()->listedPaths().contains(path), qPrintable(path), 10'000);
        }
        // The transfers panel lists each file, done.
        QVERIFY(view()->transfersPanel()->isVisible());
        int doneRows = 0;
        for (int i = 0; i < queue()->transfers().size(); ++i) {
            if (queue()->transfers().at(i).remotePath.startsWith(QLatin1String("target/album/"))) {
                QVERIFY2(stateText(i).startsWith(QStringLiteral("Done")), qPrintable(stateText(i)));
                ++doneRows;
            }
        }
        QCOMPARE(doneRows, 3);
        // Dropped on empty space: the top folder.
        QCOMPARE(view()->directoryAt(QPoint(5, viewport->height() - 2)), QString());
    }

    void cancelsAndRetriesAnUploadFromThePanel()
    {
        QVERIFY(view()->clearButton()->isEnabled());
        view()->clearButton()->click(); // nothing runs: the earlier transfers go
        QCOMPARE(view()->transfers()->topLevelItemCount(), 0);

        // Three parts; cancelled while the second goes up.
        const qint64 size = TransferQueue::kChunkedAbove + qint64(1024) * 1024 + 77;
        const QByteArray bytes = patterned(size);
        const QString path = m_local.filePath(QStringLiteral("panel/video.bin"));
        QVERIFY(writeFile(path, bytes));
        QSignalSpy finished(queue(), &TransferQueue::transferFinished);
        cancelOnceAt(0, qint64(4) * 1024 * 1024);
        view()->upload({path}, QString());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60'000);
        QCOMPARE(queue()->transfers().first().state, TransferQueue::State::Cancelled);
        QVERIFY2(stateText(0).startsWith(QStringLiteral("Cancelled")), qPrintable(stateText(0)));
        view()->selectTransfer(0);
        QVERIFY(view()->retryButton()->isEnabled());
        QVERIFY(!view()->cancelButton()->isEnabled());

        QSignalSpy done(view(), &App::FilesView::transfersFinished);
        view()->retryButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60'000);
        const TransferQueue::Transfer &transfer = queue()->transfers().first();
        QCOMPARE(transfer.state, TransferQueue::State::Done);
        QVERIFY2(transfer.resumedFrom >= qint64(4) * 1024 * 1024,
            qPrintable(QString::number(transfer.resumedFrom)));
        QVERIFY2(stateText(0).startsWith(QStringLiteral("Done")), qPrintable(stateText(0)));
        QCOMPARE(view()->overallProgress()->value(), view()->overallProgress()->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(
            view()->listedPaths().contains(QStringLiteral("video.bin")), 10'000);
        QSignalSpy content(
            client()->get(QStringLiteral("/v1/files/video.bin")), &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(content.count(), 1, 20'000);
        QVERIFY(content.first().at(0).value<Client::ApiResponse>().body == bytes);
    }

    void retriesAFailedDownloadFromThePanel()
    {
        // Not there yet: the download fails with the server's problem, then works once it is.
        const QString target = m_local.filePath(QStringLiteral("downloads/later.txt"));
        QDir().mkpath(QFileInfo(target).absolutePath());
        const int index = int(queue()->transfers().size());
        QSignalSpy finished(view(), &App::FilesView::transfersFinished);
        view()->download(QStringLiteral("later/later.txt"), target);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20'000);
        QCOMPARE(queue()->transfers().at(index).state, TransferQueue::State::Failed);
        QVERIFY2(stateText(index).startsWith(QStringLiteral("Failed: Not Found")),
            qPrintable(stateText(index)));
        QVERIFY(!QFile::exists(target));
        QVERIFY(!QFile::exists(TransferQueue::partialPath(target)));

        QSignalSpy put(
            client()
                ->files()
                .put(QStringLiteral("later/later.txt"), "here now", QStringLiteral("text/plain"))
                .call(),
            &Client::ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(put.count(), 1, 10'000);
        view()->selectTransfer(index);
        QVERIFY(view()->retryButton()->isEnabled());
        view()->retryButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20'000);
        QCOMPARE(queue()->transfers().at(index).state, TransferQueue::State::Done);
        QCOMPARE(queue()->transfers().at(index).attempts, 2);
        QCOMPARE(readFile(target), QByteArray("here now"));
    }
};

QTEST_MAIN(TestAppFiles)
#include "tst_appfiles.moc"
