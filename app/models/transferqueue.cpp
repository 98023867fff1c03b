#include "transferqueue.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

namespace Outpost::App {

TransferQueue::TransferQueue(QObject *parent)
    : QObject(parent)
{ }

TransferQueue::~TransferQueue()
{
    // Nothing may read or write a file of this queue once it is gone.
    for (const Job &job : std::as_const(m_jobs)) {
        if (job.call) {
            job.call->disconnect(this);
            job.call->abort();
        }
    }
}

void TransferQueue::setClient(Client::ApiClient *client)
{
    cancelAll();
    m_client = client;
}

qint64 TransferQueue::totalBytes() const
{
    qint64 total = 0;
    for (const Transfer &transfer : m_transfers)
        total += transfer.size;
    return total;
}

qint64 TransferQueue::doneBytes() const
{
    qint64 done = 0;
    for (const Transfer &transfer : m_transfers)
        done += transfer.isFinished() ? transfer.size : transfer.done;
    return done;
}

void TransferQueue::upload(const QStringList &localPaths, const QString &directory)
{
    if (!m_client)
        return;
    for (const QString &local : localPaths) {
        const QFileInfo info(local);
        if (info.isDir()) {
            const QDir base = info.absoluteDir();
            QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::NoDotAndDotDot,
                QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                m_pending.append({file, directory + base.relativeFilePath(file)});
            }
        } else if (info.isFile()) {
            m_pending.append({info.absoluteFilePath(), directory + info.fileName()});
        }
    }
    startMore();
}

void TransferQueue::startMore()
{
    while (m_running < kMaxParallel && !m_pending.isEmpty())
        startNextUpload();
}

int TransferQueue::add(
    Direction direction, const QString &local, const QString &remote, qint64 size)
{
    Transfer transfer;
    transfer.direction = direction;
    transfer.localPath = local;
    transfer.remotePath = remote;
    transfer.size = size;
    m_transfers.append(transfer);
    m_jobs.append({nullptr, nullptr, m_client, QString(), 0});
    ++m_running;
    const int index = int(m_transfers.size() - 1);
    Q_EMIT transferAdded(index);
    return index;
}

// Progress of the call now carrying the transfer; `offset` bytes went up before it.
void TransferQueue::track(int index, Client::ApiCall *call, qint64 offset)
{
    m_jobs[index].call = call;
    if (!call)
        return;
    const bool upload = m_transfers.at(index).direction == Direction::Upload;
    if (upload) {
        // Qt reports (0, 0) once a request is sent: progress never goes back.
        connect(call, &Client::ApiCall::uploadProgress, this,
            [this, index, offset](qint64 sent, qint64) {
                Transfer &transfer = m_transfers[index];
                if (offset + sent <= transfer.done)
                    return;
                transfer.done = offset + sent;
                Q_EMIT progressed(index);
            });
    } else {
        connect(call, &Client::ApiCall::downloadProgress, this,
            [this, index](qint64 received, qint64 total) {
                Transfer &transfer = m_transfers[index];
                transfer.size = qMax<qint64>(total, 0);
                transfer.done = received;
                Q_EMIT progressed(index);
            });
    }
}

void TransferQueue::startNextUpload()
{
    const auto [local, remote] = m_pending.takeFirst();
    auto *file = new QFile(local, this);
    if (!file->open(QIODevice::ReadOnly)) {
        Q_EMIT errorOccurred(tr("Cannot read %1: %2").arg(local, file->errorString()));
        delete file;
        return;
    }
    const int index = add(Direction::Upload, local, remote, file->size());
    m_jobs[index].file = file;
    const QString type = QMimeDatabase().mimeTypeForFile(local).name();
    if (file->size() > kChunkedAbove) {
        startChunked(index, type);
        return;
    }
    const auto reply = m_client->files().put(remote, file, type);
    file->setParent(reply.call()); // the network reads it until the call is over
    track(index, reply.call());
    reply.then(this, [this, index](const Client::ApiResult<FileInfo> &stored) {
        finish(index, stored ? Client::ApiResult<void>() : tl::unexpected(stored.error()));
    });
}

// A large file goes up as a chunked upload (start, one PUT per part, complete): a single PUT
// is capped by the server's body limit. One part is in memory at a time.
void TransferQueue::startChunked(int index, const QString &contentType)
{
    UploadCreate create;
    create.filePath = m_transfers.at(index).remotePath;
    create.size = m_transfers.at(index).size;
    create.contentType = contentType;
    const auto reply = m_client->files().startUpload(create);
    m_jobs[index].call = reply.call();
    reply.then(this, [this, index](const Client::ApiResult<Upload> &upload) {
        if (!upload) {
            finish(index, tl::unexpected(upload.error()));
            return;
        }
        m_jobs[index].uploadId = upload->id;
        m_jobs[index].partSize = upload->partSize;
        sendPart(index, 1);
    });
}

void TransferQueue::sendPart(int index, int part)
{
    Job &job = m_jobs[index];
    if (!job.client) {
        finish(index, tl::unexpected(Client::ApiError {}));
        return;
    }
    Client::FilesResource files = job.client->files();
    const qint64 offset = job.file->pos();
    if (offset >= job.file->size()) {
        const auto reply = files.completeUpload(job.uploadId);
        job.call = reply.call();
        reply.then(this, [this, index](const Client::ApiResult<FileInfo> &stored) {
            finish(index, stored ? Client::ApiResult<void>() : tl::unexpected(stored.error()));
        });
        return;
    }
    const QByteArray bytes = job.file->read(job.partSize);
    if (bytes.isEmpty()) {
        Client::ApiError error;
        error.title = tr("Cannot read %1: %2").arg(job.file->fileName(), job.file->errorString());
        finish(index, tl::unexpected(error));
        return;
    }
    const auto reply = files.putPart(job.uploadId, part, bytes);
    track(index, reply.call(), offset);
    reply.then(this, [this, index, part](const Client::ApiResult<void> &sent) {
        if (!sent) {
            finish(index, sent);
            return;
        }
        sendPart(index, part + 1);
    });
}

void TransferQueue::download(const QString &remotePath, const QString &localPath)
{
    if (!m_client)
        return;
    auto *file = new QFile(localPath, this);
    if (!file->open(QIODevice::WriteOnly)) {
        Q_EMIT errorOccurred(tr("Cannot write %1: %2").arg(localPath, file->errorString()));
        delete file;
        return;
    }
    const int index = add(Direction::Download, localPath, remotePath, 0);
    m_jobs[index].file = file;
    const auto reply = m_client->files().download(remotePath, file);
    file->setParent(reply.call()); // written until the call is over
    track(index, reply.call());
    reply.then(this, [this, index](const Client::ApiResult<void> &done) { finish(index, done); });
}

void TransferQueue::finish(int index, const Client::ApiResult<void> &result)
{
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    if (transfer.isFinished())
        return;
    --m_running;
    job.call = nullptr;
    if (result) {
        transfer.state = State::Done;
        transfer.done = transfer.size;
    } else {
        transfer.state = result.error().aborted ? State::Cancelled : State::Failed;
        transfer.error = result.error().text();
        if (!job.uploadId.isEmpty() && job.client)
            job.client->files().abortUpload(job.uploadId); // the server drops the parts
    }
    if (job.file) {
        if (transfer.direction == Direction::Download) {
            job.file->close();
            if (!result)
                job.file->remove();
        }
        job.file->deleteLater();
        job.file = nullptr;
    }
    if (transfer.state == State::Failed) {
        Q_EMIT errorOccurred(transfer.direction == Direction::Upload
                ? tr("Upload of %1 failed: %2").arg(transfer.remotePath, transfer.error)
                : transfer.error);
    }
    Q_EMIT transferFinished(index);
    startMore();
    if (m_running == 0 && m_pending.isEmpty())
        Q_EMIT idle();
}

void TransferQueue::cancelAll()
{
    m_pending.clear();
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (m_transfers.at(i).isFinished())
            continue;
        if (m_jobs.at(i).call) {
            m_jobs.at(i).call->abort(); // its handler finishes the transfer as cancelled
            continue;
        }
        Client::ApiError cancelled;
        cancelled.aborted = true;
        finish(int(i), tl::unexpected(cancelled));
    }
}

} // namespace Outpost::App
