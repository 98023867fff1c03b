#include "transferqueue.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

namespace Outpost::App {

namespace {

Client::ApiError localError(const QString &text)
{
    Client::ApiError error;
    error.title = text;
    return error;
}

QByteArray headerValue(const Client::ApiCall::Headers &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace

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
    for (qsizetype i = 0; i < m_jobs.size(); ++i)
        discard(int(i));
    m_client = client;
}

QString TransferQueue::partialPath(const QString &localPath)
{
    return localPath + QStringLiteral(".part");
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
    Job job;
    job.client = m_client;
    m_jobs.append(job);
    ++m_running;
    const int index = int(m_transfers.size() - 1);
    Q_EMIT transferAdded(index);
    return index;
}

// An attempt starts at `done` bytes: the speed is measured from there.
void TransferQueue::begin(int index)
{
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    transfer.resumedFrom = transfer.done;
    transfer.bytesPerSecond = 0;
    job.sampledAt = transfer.done;
    job.clock.start();
}

// The speed over the last second or so; the first quarter second after a sample keeps the
// previous figure, which would be noise.
void TransferQueue::measure(int index)
{
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    const qint64 ms = job.clock.elapsed();
    if (ms <= 0 || (ms < 250 && transfer.bytesPerSecond > 0))
        return;
    transfer.bytesPerSecond = qMax<qint64>(0, (transfer.done - job.sampledAt) * 1000 / ms);
    if (ms >= 1000) {
        job.sampledAt = transfer.done;
        job.clock.restart();
    }
}

// Progress of the call now carrying the transfer; job.offset bytes were there before it.
void TransferQueue::track(int index, Client::ApiCall *call)
{
    m_jobs[index].call = call;
    if (!call)
        return;
    const bool upload = m_transfers.at(index).direction == Direction::Upload;
    if (upload) {
        // Qt reports (0, 0) once a request is sent: progress never goes back.
        connect(call, &Client::ApiCall::uploadProgress, this, [this, index](qint64 sent, qint64) {
            Transfer &transfer = m_transfers[index];
            const qint64 done = m_jobs.at(index).offset + sent;
            if (done <= transfer.done)
                return;
            transfer.done = done;
            measure(index);
            Q_EMIT progressed(index);
        });
    } else {
        connect(call, &Client::ApiCall::downloadProgress, this,
            [this, index](qint64 received, qint64 total) {
                Transfer &transfer = m_transfers[index];
                const qint64 offset = m_jobs.at(index).offset;
                if (total > 0)
                    transfer.size = offset + total;
                transfer.done = offset + received;
                measure(index);
                Q_EMIT progressed(index);
            });
    }
}

void TransferQueue::startNextUpload()
{
    const auto [local, remote] = m_pending.takeFirst();
    QFile probe(local);
    if (!probe.open(QIODevice::ReadOnly)) {
        Q_EMIT errorOccurred(tr("Cannot read %1: %2").arg(local, probe.errorString()));
        return;
    }
    const int index = add(Direction::Upload, local, remote, probe.size());
    startUpload(index);
}

void TransferQueue::startUpload(int index)
{
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    auto *file = new QFile(transfer.localPath, this);
    if (!file->open(QIODevice::ReadOnly)) {
        const QString why = tr("Cannot read %1: %2").arg(transfer.localPath, file->errorString());
        delete file;
        finish(index, tl::unexpected(localError(why)));
        return;
    }
    job.file = file;
    transfer.size = file->size();
    if (transfer.size > kChunkedAbove) {
        if (job.uploadId.isEmpty()) {
            startChunked(index);
        } else {
            resumeChunked(index);
        }
        return;
    }
    transfer.done = 0;
    job.offset = 0;
    begin(index);
    const QString type = QMimeDatabase().mimeTypeForFile(transfer.localPath).name();
    const auto reply = job.client->files().put(transfer.remotePath, file, type);
    file->setParent(reply.call()); // the network reads it until the call is over
    track(index, reply.call());
    reply.then(this, [this, index](const Client::ApiResult<FileInfo> &stored) {
        finish(index, stored ? Client::ApiResult<void>() : tl::unexpected(stored.error()));
    });
}

// A large file goes up as a chunked upload (start, one PUT per part, complete): a single PUT
// is capped by the server's body limit. One part is in memory at a time.
void TransferQueue::startChunked(int index)
{
    Transfer &transfer = m_transfers[index];
    transfer.done = 0;
    m_jobs[index].offset = 0;
    begin(index);
    UploadCreate create;
    create.filePath = transfer.remotePath;
    create.size = transfer.size;
    create.contentType = QMimeDatabase().mimeTypeForFile(transfer.localPath).name();
    const auto reply = m_jobs[index].client->files().startUpload(create);
    m_jobs[index].call = reply.call();
    reply.then(this, [this, index](const Client::ApiResult<Upload> &upload) {
        if (!upload) {
            finish(index, tl::unexpected(upload.error()));
            return;
        }
        Job &job = m_jobs[index];
        job.uploadId = upload->id;
        job.partSize = upload->partSize;
        job.parts.clear();
        for (int part = 1; part <= upload->partCount(); ++part)
            job.parts.append(part);
        sendPart(index);
    });
}

// A retry of an upload in parts: the server says which parts it has, the rest go up. An
// upload the server no longer knows (expired, or completed meanwhile) starts over.
void TransferQueue::resumeChunked(int index)
{
    Job &job = m_jobs[index];
    const auto reply = job.client->files().upload(job.uploadId);
    job.call = reply.call();
    reply.then(this, [this, index](const Client::ApiResult<Upload> &upload) {
        Job &resumed = m_jobs[index];
        Transfer &transfer = m_transfers[index];
        if (!upload && upload.error().status == 0) {
            finish(index, tl::unexpected(upload.error()));
            return;
        }
        if (!upload || upload->size != transfer.size) {
            resumed.uploadId.clear();
            startChunked(index);
            return;
        }
        resumed.partSize = upload->partSize;
        resumed.parts.clear();
        resumed.offset = 0;
        for (int part = 1; part <= upload->partCount(); ++part) {
            if (upload->receivedParts.contains(part)) {
                resumed.offset += upload->expectedPartSize(part);
            } else {
                resumed.parts.append(part);
            }
        }
        transfer.done = resumed.offset;
        begin(index);
        Q_EMIT progressed(index);
        sendPart(index);
    });
}

void TransferQueue::sendPart(int index)
{
    Job &job = m_jobs[index];
    if (!job.client || !job.file) {
        finish(index, tl::unexpected(Client::ApiError {}));
        return;
    }
    Client::FilesResource files = job.client->files();
    if (job.parts.isEmpty()) {
        const auto reply = files.completeUpload(job.uploadId);
        job.call = reply.call();
        reply.then(this, [this, index](const Client::ApiResult<FileInfo> &stored) {
            if (stored)
                m_jobs[index].uploadId.clear();
            finish(index, stored ? Client::ApiResult<void>() : tl::unexpected(stored.error()));
        });
        return;
    }
    const int part = job.parts.constFirst();
    QByteArray bytes;
    if (job.file->seek(qint64(part - 1) * job.partSize))
        bytes = job.file->read(job.partSize);
    if (bytes.isEmpty()) {
        finish(index,
            tl::unexpected(localError(
                tr("Cannot read %1: %2").arg(job.file->fileName(), job.file->errorString()))));
        return;
    }
    const auto reply = files.putPart(job.uploadId, part, bytes);
    track(index, reply.call());
    reply.then(
        this, [this, index, sent = qint64(bytes.size())](const Client::ApiResult<void> &put) {
            if (!put) {
                finish(index, put);
                return;
            }
            Job &next = m_jobs[index];
            next.offset += sent;
            next.parts.removeFirst();
            sendPart(index);
        });
}

void TransferQueue::download(const QString &remotePath, const QString &localPath)
{
    if (!m_client)
        return;
    startDownload(add(Direction::Download, localPath, remotePath, 0));
}

// Into "<file>.part": from its end when an earlier attempt left some of the file and its ETag,
// otherwise from the start. A resumed download asks from one byte before the end, so that a
// part that is already whole (cancelled just before the answer ended) still gets a 206 with
// the ETag to check, not a 416.
void TransferQueue::startDownload(int index)
{
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    if (transfer.isFinished())
        return; // cancelled while a restart was queued
    const QString partial = partialPath(transfer.localPath);
    const qint64 have = job.etag.isEmpty() ? 0 : qMax<qint64>(0, QFileInfo(partial).size() - 1);
    auto *file = new QFile(partial, this);
    if (!file->open(have > 0 ? QIODevice::WriteOnly | QIODevice::Append
                             : QIODevice::OpenMode(QIODevice::WriteOnly))) {
        const QString why = tr("Cannot write %1: %2").arg(partial, file->errorString());
        delete file;
        finish(index, tl::unexpected(localError(why)));
        return;
    }
    if (have > 0)
        file->resize(have); // the last byte comes again
    job.file = file;
    job.restart = false;
    job.offset = have;
    transfer.done = have;
    begin(index);
    Client::FilesResource files = job.client->files();
    const auto reply = have > 0 ? files.resumeDownload(transfer.remotePath, file, have, job.etag)
                                : files.download(transfer.remotePath, file);
    file->setParent(reply.call()); // written until the call is over
    connect(reply.call(), &Client::ApiCall::headersReceived, this,
        [this, index](int status, const Client::ApiCall::Headers &headers) {
            onDownloadHeaders(index, status, headers);
        });
    track(index, reply.call());
    reply.then(
        this, [this, index](const Client::ApiResult<void> &done) { finishDownload(index, done); });
}

// Before any byte of the body is written: a resumed download goes on only with the rest of the
// same file. A server that ignores If-Range would send the rest of a changed one: start over.
void TransferQueue::onDownloadHeaders(
    int index, int status, const Client::ApiCall::Headers &headers)
{
    if (status < 200 || status >= 300)
        return;
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    const QByteArray etag = headerValue(headers, "ETag");
    if (status == 206) {
        // "bytes first-last/size"
        const QByteArray range = headerValue(headers, "Content-Range");
        const qsizetype dash = range.indexOf('-');
        const qsizetype slash = range.indexOf('/');
        const bool sameFile = range.startsWith("bytes ") && dash > 6 && slash > dash
            && range.mid(6, dash - 6).toLongLong() == job.offset && etag == job.etag;
        if (!sameFile) {
            job.restart = true;
            if (job.call)
                job.call->abort();
            return;
        }
        transfer.size = range.mid(slash + 1).toLongLong();
    } else if (job.offset > 0 && job.file) {
        // The whole file came instead (it changed): what an earlier attempt left goes.
        job.file->resize(0);
        job.offset = 0;
        transfer.done = 0;
        begin(index);
    }
    job.etag = etag;
}

void TransferQueue::finishDownload(int index, const Client::ApiResult<void> &result)
{
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    if (transfer.isFinished())
        return;
    if (job.file)
        job.file->close();
    job.file = nullptr; // the call's child: gone with it
    job.call = nullptr;
    const QString partial = partialPath(transfer.localPath);
    // The file changed since the part was written (416: it is shorter now): from the start.
    const bool changed = job.restart
        || (!result && result.error().status == 416 && job.offset > 0 && !job.etag.isEmpty());
    if (changed) {
        QFile::remove(partial);
        job.etag.clear();
        job.offset = 0;
        transfer.done = 0;
        QMetaObject::invokeMethod(
            this, [this, index] { startDownload(index); }, Qt::QueuedConnection);
        return;
    }
    if (result) {
        QFile::remove(transfer.localPath);
        if (!QFile::rename(partial, transfer.localPath)) {
            finish(
                index, tl::unexpected(localError(tr("Cannot write %1").arg(transfer.localPath))));
            return;
        }
    } else {
        // Kept for a retry only when the connection broke off (or was cancelled) mid-way: an
        // answer such as 404 or 403 leaves nothing.
        const bool resumable =
            result.error().status == 0 && !job.etag.isEmpty() && QFileInfo(partial).size() > 0;
        if (!resumable) {
            QFile::remove(partial);
            job.etag.clear();
        }
    }
    finish(index, result);
}

void TransferQueue::finish(int index, const Client::ApiResult<void> &result)
{
    Transfer &transfer = m_transfers[index];
    Job &job = m_jobs[index];
    if (transfer.isFinished())
        return;
    --m_running;
    job.call = nullptr;
    transfer.bytesPerSecond = 0;
    if (result) {
        transfer.state = State::Done;
        transfer.done = transfer.size;
    } else {
        // The parts of an upload stay on the server, and a partial download on disk, for
        // retry(); clearFinished() drops them.
        transfer.state = result.error().aborted ? State::Cancelled : State::Failed;
        transfer.error = result.error().text();
    }
    if (job.file) {
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

void TransferQueue::cancel(int index)
{
    if (index < 0 || index >= m_transfers.size() || m_transfers.at(index).isFinished())
        return;
    if (m_jobs.at(index).call) {
        m_jobs.at(index).call->abort(); // its handler finishes the transfer as cancelled
        return;
    }
    Client::ApiError cancelled;
    cancelled.aborted = true;
    finish(index, tl::unexpected(cancelled));
}

void TransferQueue::cancelAll()
{
    m_pending.clear();
    for (qsizetype i = 0; i < m_jobs.size(); ++i)
        cancel(int(i));
}

bool TransferQueue::canRetry(int index) const
{
    if (index < 0 || index >= m_transfers.size())
        return false;
    const State state = m_transfers.at(index).state;
    return (state == State::Failed || state == State::Cancelled) && m_client
        && m_jobs.at(index).client == m_client;
}

void TransferQueue::retry(int index)
{
    if (!canRetry(index))
        return;
    Transfer &transfer = m_transfers[index];
    transfer.state = State::Running;
    transfer.error.clear();
    ++transfer.attempts;
    ++m_running;
    Q_EMIT transferRestarted(index);
    if (transfer.direction == Direction::Upload) {
        startUpload(index);
    } else {
        startDownload(index);
    }
}

// What a transfer that will not be retried left behind: its parts on the server, its partial
// download on disk.
void TransferQueue::discard(int index)
{
    Job &job = m_jobs[index];
    const Transfer &transfer = m_transfers.at(index);
    if (transfer.state == State::Done)
        return;
    if (!job.uploadId.isEmpty() && job.client)
        job.client->files().abortUpload(job.uploadId); // the server drops the parts
    job.uploadId.clear();
    if (transfer.direction == Direction::Download && !job.etag.isEmpty()) {
        QFile::remove(partialPath(transfer.localPath));
        job.etag.clear();
    }
    job.client = nullptr; // no retry
}

void TransferQueue::clearFinished()
{
    if (m_running > 0)
        return;
    for (qsizetype i = 0; i < m_jobs.size(); ++i)
        discard(int(i));
    m_transfers.clear();
    m_jobs.clear();
    Q_EMIT cleared();
}

} // namespace Outpost::App
