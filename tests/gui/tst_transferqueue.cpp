// The app's file transfers (app/models/transferqueue.cpp) against a real outpost-server over
// loopback: uploads of files and folders, large files in parts, downloads, the limit on
// parallel uploads, failures with the server's problem, cancelling, and retries that resume
// (an upload in parts from the parts the server has, a download from its .part file, unless
// the file changed meanwhile).
#include "client/apiclient.h"
#include "factories.h"
#include "models/transferqueue.h"
#include "testfiles.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace Outpost;
using namespace Outpost::Test;
using App::TransferQueue;

namespace {

template<typename T> Client::ApiResult<T> wait(const Client::Reply<T> &reply)
{
    std::optional<Client::ApiResult<T>> result;
    QObject context;
    reply.then(&context, [&](const Client::ApiResult<T> &answer) { result = answer; });
    QDeadlineTimer deadline(15'000);
    while (!result && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!result) {
        Client::ApiError timeout;
        timeout.title = QStringLiteral("no answer within 15 s");
        return tl::unexpected(timeout);
    }
    return std::move(*result);
}

QStringList states(const TransferQueue &queue)
{
    QStringList result;
    for (const TransferQueue::Transfer &transfer : queue.transfers()) {
        switch (transfer.state) {
        case TransferQueue::State::Running:
            result.append(QStringLiteral("running"));
            break;
        case TransferQueue::State::Done:
            result.append(QStringLiteral("done"));
            break;
        case TransferQueue::State::Failed:
            result.append(QStringLiteral("failed"));
            break;
        case TransferQueue::State::Cancelled:
            result.append(QStringLiteral("cancelled"));
            break;
        }
    }
    return result;
}

// A TCP relay to the server that, while cutAfter is 0 or more, passes on only that many more
// bytes of answers and then drops the connection: a download broken off part-way, at a byte the
// test chose (on whichever connection the client uses, a kept-alive one too).
class CuttingRelay final : public QObject
{
public:
    qint64 cutAfter = -1;

    bool listen(quint16 serverPort)
    {
        m_port = serverPort;
        connect(&m_listener, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_listener.nextPendingConnection())
                relay(client);
        });
        return m_listener.listen(QHostAddress::LocalHost);
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_listener.serverPort()));
    }

private:
    void relay(QTcpSocket *client)
    {
        auto *server = new QTcpSocket(client);
        const auto forwardRequest = [client, server] {
            if (server->state() == QAbstractSocket::ConnectedState)
                server->write(client->readAll());
        };
        // Both sockets go with `client`: the relay is context enough.
        connect(server, &QTcpSocket::connected, this, forwardRequest);
        connect(client, &QTcpSocket::readyRead, this, forwardRequest);
        connect(server, &QTcpSocket::readyRead, client, [this, client, server] {
            const QByteArray bytes = server->readAll();
            if (cutAfter >= 0 && bytes.size() >= cutAfter) {
                client->write(bytes.left(cutAfter));
                cutAfter = 0;
                server->abort();
                client->disconnectFromHost(); // once what is written has gone out
                return;
            }
            if (cutAfter >= 0)
                cutAfter -= bytes.size();
            client->write(bytes);
        });
        connect(
            server, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        server->connectToHost(QHostAddress::LocalHost, m_port);
    }

    QTcpServer m_listener;
    quint16 m_port = 0;
};

} // namespace

class TestTransferQueue final : public QObject
{
    Q_OBJECT

    static constexpr qint64 kCutAfter = qint64(3) * 1024 * 1024;

private:
    TestServer m_server;
    Account m_admin;
    Account m_plain;
    Client::ApiClient m_client;
    QTemporaryDir m_local;
    CuttingRelay m_relay;
    Client::ApiClient m_relayed; // to the server through m_relay

    // The stored file, or a default one (size -1) when there is none.
    FileInfo stored(const QString &path)
    {
        const auto list = wait(m_client.files().list());
        if (list) {
            for (const FileInfo &file : list->files) {
                if (file.path == path)
                    return file;
            }
        }
        FileInfo none;
        none.size = -1;
        return none;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // A single PUT above 4 MiB is refused: larger files must go up in parts.
        m_server.setEnv(QStringLiteral("OUTPOST_MAX_BODY_BYTES"), QStringLiteral("4MiB"));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        m_plain = createAccount(m_server);
        QVERIFY(m_plain.ok());
        m_client.setBaseUrl(m_server.url());
        m_client.setTokens(
            QString::fromLatin1(m_admin.accessToken), QString::fromLatin1(m_admin.refreshToken));
        QVERIFY(m_local.isValid());
        QVERIFY(m_relay.listen(m_server.port()));
        m_relayed.setBaseUrl(m_relay.url());
        m_relayed.setTokens(
            QString::fromLatin1(m_admin.accessToken), QString::fromLatin1(m_admin.refreshToken));
    }

    void uploadsFilesAndFoldersWithProgress()
    {
        const QString folder = m_local.filePath(QStringLiteral("site"));
        QVERIFY(writeFile(folder + QStringLiteral("/index.html"), "<h1>hi</h1>"));
        QVERIFY(writeFile(folder + QStringLiteral("/css/main.css"), "h1 { color: red }"));
        const QString single = m_local.filePath(QStringLiteral("notes.txt"));
        QVERIFY(writeFile(single, QByteArray(qsizetype(300) * 1024, 'n')));

        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy added(&queue, &TransferQueue::transferAdded);
        QSignalSpy progressed(&queue, &TransferQueue::progressed);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        QSignalSpy errors(&queue, &TransferQueue::errorOccurred);
        queue.upload({folder, single}, QStringLiteral("up/"));
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));

        QCOMPARE(added.count(), 3);
        QCOMPARE(states(queue), QStringList(3, QStringLiteral("done")));
        QVERIFY(!progressed.isEmpty());
        QCOMPARE(queue.totalBytes(), qint64(11 + 17) + qint64(300) * 1024);
        QCOMPARE(queue.doneBytes(), queue.totalBytes());
        QCOMPARE(queue.runningCount(), 0);
        QCOMPARE(stored(QStringLiteral("up/site/index.html")).size, 11);
        QCOMPARE(stored(QStringLiteral("up/site/css/main.css")).size, 17);
        QCOMPARE(stored(QStringLiteral("up/notes.txt")).size, qint64(300) * 1024);
        const auto content = wait(m_client.files().content(QStringLiteral("up/site/css/main.css")));
        QVERIFY(content);
        QCOMPARE(*content, QByteArray("h1 { color: red }"));
    }

    void uploadsAtMostTwoAtOnce()
    {
        QStringList files;
        for (int i = 0; i < 5; ++i) {
            files.append(m_local.filePath(QStringLiteral("many/%1.txt").arg(i)));
            QVERIFY(writeFile(files.last(), QByteArray(qsizetype(64) * 1024, char('0' + i))));
        }
        TransferQueue queue;
        queue.setClient(&m_client);
        int mostRunning = 0;
        connect(&queue, &TransferQueue::transferAdded, this,
            [&] { mostRunning = qMax(mostRunning, queue.runningCount()); });
        QSignalSpy idle(&queue, &TransferQueue::idle);
        queue.upload(files, QStringLiteral("many/"));
        QCOMPARE(queue.runningCount(), TransferQueue::kMaxParallel);
        QCOMPARE(queue.queuedCount(), 5 - TransferQueue::kMaxParallel);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QCOMPARE(mostRunning, TransferQueue::kMaxParallel);
        QCOMPARE(states(queue), QStringList(5, QStringLiteral("done")));
    }

    void uploadsALargeFileInParts()
    {
        // Over the 4 MiB body limit and over kChunkedAbove: it can only arrive in parts.
        const qint64 size = TransferQueue::kChunkedAbove + qint64(1024) * 1024 + 123;
        const QByteArray bytes = patterned(size);
        const QString path = m_local.filePath(QStringLiteral("large.bin"));
        QVERIFY(writeFile(path, bytes));

        TransferQueue queue;
        queue.setClient(&m_client);
        QList<qint64> done;
        connect(&queue, &TransferQueue::progressed, this,
            [&](int index) { done.append(queue.transfers().at(index).done); });
        QSignalSpy idle(&queue, &TransferQueue::idle);
        QSignalSpy errors(&queue, &TransferQueue::errorOccurred);
        queue.upload({path}, QString());
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 60'000);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
        QCOMPARE(states(queue), QStringList {QStringLiteral("done")});
        // Progress only grows, across the parts, and reaches the end.
        QVERIFY(!done.isEmpty());
        QVERIFY2(std::is_sorted(done.cbegin(), done.cend()), qPrintable(QDebug::toString(done)));
        QVERIFY(done.last() > qint64(4) * 1024 * 1024);
        const FileInfo file = stored(QStringLiteral("large.bin"));
        QCOMPARE(file.size, size);
        QCOMPARE(
            file.sha256Hex, QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    }

    void downloadsIntoALocalFile()
    {
        const QByteArray content = patterned(qint64(200) * 1024);
        QVERIFY(wait(m_client.files().put(
            QStringLiteral("down/data.bin"), content, QStringLiteral("application/octet-stream"))));
        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        const QString target = m_local.filePath(QStringLiteral("downloaded.bin"));
        queue.download(QStringLiteral("down/data.bin"), target);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QCOMPARE(states(queue), QStringList {QStringLiteral("done")});
        QCOMPARE(queue.transfers().first().direction, TransferQueue::Direction::Download);
        QCOMPARE(queue.transfers().first().size, content.size());
        QCOMPARE(readFile(target), content);
    }

    void failedDownloadLeavesNoFile()
    {
        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        QSignalSpy errors(&queue, &TransferQueue::errorOccurred);
        const QString target = m_local.filePath(QStringLiteral("missing.bin"));
        queue.download(QStringLiteral("no/such/file.bin"), target);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QCOMPARE(states(queue), QStringList {QStringLiteral("failed")});
        QVERIFY(queue.transfers().first().error.startsWith(QStringLiteral("Not Found")));
        QCOMPARE(errors.count(), 1);
        QVERIFY(!QFile::exists(target));
    }

    void failedUploadReportsTheProblem()
    {
        // The admin's file may not be replaced by another user.
        QVERIFY(wait(m_client.files().put(
            QStringLiteral("owned.txt"), "admin's", QStringLiteral("text/plain"))));
        Client::ApiClient plain;
        plain.setBaseUrl(m_server.url());
        plain.setTokens(
            QString::fromLatin1(m_plain.accessToken), QString::fromLatin1(m_plain.refreshToken));
        const QString path = m_local.filePath(QStringLiteral("owned.txt"));
        QVERIFY(writeFile(path, "someone else's"));

        TransferQueue queue;
        queue.setClient(&plain);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        QSignalSpy errors(&queue, &TransferQueue::errorOccurred);
        queue.upload({path, m_local.filePath(QStringLiteral("does-not-exist"))}, QString());
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QCOMPARE(states(queue), QStringList {QStringLiteral("failed")});
        QVERIFY2(queue.transfers().first().error.startsWith(QStringLiteral("Forbidden")),
            qPrintable(queue.transfers().first().error));
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.first().at(0).toString().startsWith(
            QStringLiteral("Upload of owned.txt failed: Forbidden")));
        const auto content = wait(m_client.files().content(QStringLiteral("owned.txt")));
        QVERIFY(content);
        QCOMPARE(*content, QByteArray("admin's"));
    }

    void reportsAFileGoneBeforeItsTurn()
    {
        QStringList files;
        for (int i = 0; i < 3; ++i) {
            files.append(m_local.filePath(QStringLiteral("gone/%1.txt").arg(i)));
            QVERIFY(writeFile(files.last(), "x"));
        }
        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        QSignalSpy errors(&queue, &TransferQueue::errorOccurred);
        queue.upload(files, QStringLiteral("gone/"));
        QCOMPARE(queue.queuedCount(), 1);
        QVERIFY(QFile::remove(files.last())); // before the queue gets to it
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.first().at(0).toString().startsWith(
                     QStringLiteral("Cannot read ") + files.last()),
            qPrintable(errors.first().at(0).toString()));
        QCOMPARE(states(queue), QStringList(2, QStringLiteral("done")));
        QCOMPARE(stored(QStringLiteral("gone/2.txt")).size, -1);
    }

    void cancelsRunningAndDropsQueuedTransfers()
    {
        QStringList files;
        for (int i = 0; i < 3; ++i) {
            files.append(m_local.filePath(QStringLiteral("cancel/%1.txt").arg(i)));
            QVERIFY(writeFile(files.last(), QByteArray(1024, 'c')));
        }
        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        QSignalSpy errors(&queue, &TransferQueue::errorOccurred);
        queue.upload(files, QStringLiteral("cancel/"));
        QCOMPARE(queue.queuedCount(), 1);
        queue.cancelAll(); // before any answer came
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QCOMPARE(queue.queuedCount(), 0);
        QCOMPARE(
            states(queue), QStringList(2, QStringLiteral("cancelled"))); // the third never started
        QCOMPARE(queue.runningCount(), 0);
        QVERIFY(errors.isEmpty()); // cancelling is no error
        QCOMPARE(stored(QStringLiteral("cancel/2.txt")).size, -1);
    }

    void cancelsAnUploadInPartsHalfWay()
    {
        const QString large = m_local.filePath(QStringLiteral("cancel/large.bin"));
        QVERIFY(writeFile(large, patterned(TransferQueue::kChunkedAbove + 1)));
        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        // Cancelled as soon as the first of its parts is under way.
        bool cancelled = false;
        connect(&queue, &TransferQueue::progressed, this, [&](int index) {
            if (queue.transfers().at(index).done > 0 && !cancelled) {
                cancelled = true;
                queue.cancelAll();
            }
        });
        queue.upload({large}, QStringLiteral("cancel/"));
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 20'000);
        QVERIFY(cancelled);
        QCOMPARE(states(queue), QStringList {QStringLiteral("cancelled")});
        QVERIFY(queue.transfers().first().done < queue.transfers().first().size);
        // Nothing half-stored: the file appears only when all its parts are complete.
        QCOMPARE(stored(QStringLiteral("cancel/large.bin")).size, -1);
    }

    void retriesAnUploadInPartsFromThePartsTheServerHas()
    {
        // Three parts of 4 MiB (the body limit) at most: cancelled while the second goes up.
        const qint64 size = TransferQueue::kChunkedAbove + qint64(1024) * 1024 + 321;
        const QByteArray bytes = patterned(size);
        const QString path = m_local.filePath(QStringLiteral("retry/large.bin"));
        QVERIFY(writeFile(path, bytes));
        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy finished(&queue, &TransferQueue::transferFinished);
        bool cancelled = false;
        connect(&queue, &TransferQueue::progressed, this, [&](int index) {
            if (!cancelled && queue.transfers().at(index).done > qint64(4) * 1024 * 1024) {
                cancelled = true;
                queue.cancel(index);
            }
        });
        queue.upload({path}, QStringLiteral("retry/"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60'000);
        QCOMPARE(states(queue), QStringList {QStringLiteral("cancelled")});
        QVERIFY(queue.canRetry(0));
        QCOMPARE(stored(QStringLiteral("retry/large.bin")).size, -1);

        QSignalSpy idle(&queue, &TransferQueue::idle);
        QSignalSpy errors(&queue, &TransferQueue::errorOccurred);
        queue.retry(0);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 60'000);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
        const TransferQueue::Transfer &transfer = queue.transfers().first();
        QCOMPARE(states(queue), QStringList {QStringLiteral("done")});
        QCOMPARE(transfer.attempts, 2);
        // The first part was not sent again.
        QVERIFY2(transfer.resumedFrom >= qint64(4) * 1024 * 1024,
            qPrintable(QString::number(transfer.resumedFrom)));
        const FileInfo file = stored(QStringLiteral("retry/large.bin"));
        QCOMPARE(file.size, size);
        QCOMPARE(
            file.sha256Hex, QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    }

    void resumesADownloadFromItsPartFile()
    {
        const QByteArray content = patterned(qint64(24) * 1024 * 1024);
        QVERIFY(putLarge(QStringLiteral("resume/big.bin"), content));
        const QString target = m_local.filePath(QStringLiteral("resume/big.bin"));
        QDir().mkpath(QFileInfo(target).absolutePath());
        TransferQueue queue;
        interruptedDownload(queue, QStringLiteral("resume/big.bin"), target);
        QVERIFY2(states(queue) == QStringList {QStringLiteral("failed")},
            qPrintable(states(queue).join(u' ') + u' ' + queue.transfers().first().error));
        // Broken off part-way: the bytes so far are in the .part file, the target is not there.
        const QString partial = TransferQueue::partialPath(target);
        const qint64 have = QFileInfo(partial).size();
        QVERIFY2(have > 0 && have < kCutAfter, qPrintable(QString::number(have)));
        QCOMPARE(readFile(partial), content.left(have));
        QVERIFY(!QFile::exists(target));
        QVERIFY(queue.canRetry(0));

        QSignalSpy idle(&queue, &TransferQueue::idle);
        queue.retry(0);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 60'000);
        QCOMPARE(states(queue), QStringList {QStringLiteral("done")});
        QCOMPARE(queue.transfers().first().resumedFrom, have - 1);
        QCOMPARE(queue.transfers().first().size, content.size());
        QVERIFY(readFile(target) == content);
        QVERIFY(!QFile::exists(partial));
    }

    void restartsADownloadWhenTheFileChanged()
    {
        const QByteArray before = patterned(qint64(24) * 1024 * 1024);
        QVERIFY(putLarge(QStringLiteral("resume/changing.bin"), before));
        const QString target = m_local.filePath(QStringLiteral("resume/changing.bin"));
        QDir().mkpath(QFileInfo(target).absolutePath());
        TransferQueue queue;
        interruptedDownload(queue, QStringLiteral("resume/changing.bin"), target);
        QCOMPARE(states(queue), QStringList {QStringLiteral("failed")});
        QVERIFY(QFileInfo(TransferQueue::partialPath(target)).size() > 0);

        // Replaced meanwhile, by something else altogether: the part is worth nothing.
        const QByteArray after =
            QByteArray("the new content, shorter than the part\n").repeated(50);
        QVERIFY(wait(m_client.files().put(
            QStringLiteral("resume/changing.bin"), after, QStringLiteral("text/plain"))));
        QSignalSpy idle(&queue, &TransferQueue::idle);
        queue.retry(0);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 60'000);
        QCOMPARE(states(queue), QStringList {QStringLiteral("done")});
        QCOMPARE(queue.transfers().first().resumedFrom, 0);
        QCOMPARE(readFile(target), after);
        QVERIFY(!QFile::exists(TransferQueue::partialPath(target)));
    }

    void clearingForgetsWhatCannotBeRetried()
    {
        const QString target = m_local.filePath(QStringLiteral("resume/cleared.bin"));
        QDir().mkpath(QFileInfo(target).absolutePath());
        QVERIFY(
            putLarge(QStringLiteral("resume/cleared.bin"), patterned(qint64(24) * 1024 * 1024)));
        TransferQueue queue;
        QSignalSpy cleared(&queue, &TransferQueue::cleared);
        interruptedDownload(queue, QStringLiteral("resume/cleared.bin"), target);
        QVERIFY(QFile::exists(TransferQueue::partialPath(target)));
        queue.clearFinished();
        QCOMPARE(cleared.count(), 1);
        QVERIFY(queue.transfers().isEmpty());
        QVERIFY(!QFile::exists(TransferQueue::partialPath(target)));
    }

private:
    // A file over the body limit, put in parts by a queue of its own.
    bool putLarge(const QString &remote, const QByteArray &content)
    {
        // An upload is named after its source: the source has the remote name.
        const QString source =
            m_local.filePath(QStringLiteral("sources/") + QFileInfo(remote).fileName());
        if (!writeFile(source, content))
            return false;
        TransferQueue queue;
        queue.setClient(&m_client);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        queue.upload({source}, remote.left(remote.lastIndexOf(QLatin1Char('/')) + 1));
        if (!idle.wait(60'000) && idle.isEmpty())
            return false;
        return !queue.transfers().isEmpty()
            && queue.transfers().first().state == TransferQueue::State::Done;
    }

    // Downloads `remote` through the relay, which breaks the connection off after kCutAfter
    // bytes; the relay passes everything again afterwards, for the retry.
    void interruptedDownload(TransferQueue &queue, const QString &remote, const QString &target)
    {
        queue.setClient(&m_relayed);
        QSignalSpy finished(&queue, &TransferQueue::transferFinished);
        m_relay.cutAfter = kCutAfter;
        queue.download(remote, target);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60'000);
        m_relay.cutAfter = -1;
    }
};

QTEST_GUILESS_MAIN(TestTransferQueue)
#include "tst_transferqueue.moc"
