#pragma once

#include "client/apiclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <utility>

namespace Outpost::App {

// The file transfers of a connection, without widgets: uploads (folders recursively, at most
// kMaxParallel at once, files over kChunkedAbove in parts through /v1/uploads) and downloads
// into local files, each with its progress and speed, each cancellable and retryable. A retried
// upload in parts sends only the parts the server lacks; a download goes to "<file>.part" and a
// retry asks for the rest with Range and If-Range, starting over when the file has changed
// meanwhile. FilesView shows them; its tests drive them directly.
class TransferQueue final : public QObject
{
    Q_OBJECT

public:
    enum class Direction { Upload, Download };
    enum class State { Running, Done, Failed, Cancelled };

    struct Transfer
    {
        Direction direction = Direction::Upload;
        QString localPath;
        QString remotePath;
        qint64 size = 0; // bytes; a download's is 0 until the server has said
        qint64 done = 0;
        qint64 resumedFrom = 0;    // bytes already there when the last attempt started
        qint64 bytesPerSecond = 0; // while running
        int attempts = 1;
        State state = State::Running;
        QString error; // why it failed: the server's problem or the local error

        bool isFinished() const { return state != State::Running; }
    };

    static constexpr int kMaxParallel = 2;
    // Above this a file goes up in parts (the server's default single-PUT limit is 32 MiB and
    // may be set lower; its parts are 8 MiB or the limit, whichever is smaller).
    static constexpr qint64 kChunkedAbove = qint64(8) * 1024 * 1024;

    explicit TransferQueue(QObject *parent = nullptr);
    ~TransferQueue() override;

    // Cancels whatever is under way for the previous client; its transfers cannot be retried.
    void setClient(Client::ApiClient *client);
    // Queues local files, and folders with everything in them, for upload under `directory`
    // ("" for the top, otherwise ending in "/").
    void upload(const QStringList &localPaths, const QString &directory);
    void download(const QString &remotePath, const QString &localPath);
    // Cancels one running transfer; what it has sent or received stays for a retry.
    void cancel(int index);
    // Cancels the running transfers and drops the queued ones.
    void cancelAll();
    // Starts a failed or cancelled transfer again, from where it stopped where it can.
    bool canRetry(int index) const;
    void retry(int index);
    // Forgets the finished transfers (only while none runs: indexes stay valid while they
    // do); parts left on the server and partial downloads are dropped.
    void clearFinished();

    // Transfers in the order they started (queued uploads are not listed until they start).
    const QList<Transfer> &transfers() const { return m_transfers; }
    int runningCount() const { return m_running; }
    int queuedCount() const { return int(m_pending.size()); }
    // Over every listed transfer; a finished one counts whole.
    qint64 totalBytes() const;
    qint64 doneBytes() const;
    // Where a download is written until it is complete.
    static QString partialPath(const QString &localPath);

Q_SIGNALS:
    void transferAdded(int index);
    void progressed(int index);
    void transferFinished(int index);
    // A transfer runs again (retry()).
    void transferRestarted(int index);
    // clearFinished() removed transfers: every index may have changed.
    void cleared();
    // The last transfer finished and nothing is queued.
    void idle();
    // A readable failure (the transfer's error, or a local file that cannot be read).
    void errorOccurred(const QString &message);

private:
    struct Job
    {
        QPointer<Client::ApiCall> call;
        QPointer<QFile> file;
        QPointer<Client::ApiClient> client; // the one it started on
        QString uploadId;                   // a chunked upload's
        qint64 partSize = 0;
        QList<int> parts;     // a chunked upload's parts still to send, in order
        qint64 offset = 0;    // bytes confirmed before the current call
        QByteArray etag;      // a download's, from its first answer
        bool restart = false; // a resumed download found the file changed: start over
        QElapsedTimer clock;  // since the last speed sample
        qint64 sampledAt = 0; // `done` at that sample
    };

    void startMore();
    void startNextUpload();
    int add(Direction direction, const QString &local, const QString &remote, qint64 size);
    void begin(int index);
    void startUpload(int index);
    void startDownload(int index);
    void onDownloadHeaders(int index, int status, const Client::ApiCall::Headers &headers);
    void track(int index, Client::ApiCall *call);
    void measure(int index);
    void startChunked(int index);
    void resumeChunked(int index);
    void sendPart(int index);
    void finish(int index, const Client::ApiResult<void> &result);
    void finishDownload(int index, const Client::ApiResult<void> &result);
    void discard(int index);

    QPointer<Client::ApiClient> m_client;
    QList<Transfer> m_transfers;
    QList<Job> m_jobs;                            // beside m_transfers, by index
    QList<std::pair<QString, QString>> m_pending; // local path, remote path
    int m_running = 0;
};

} // namespace Outpost::App
