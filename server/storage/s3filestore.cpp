#include "s3filestore.h"

#include "auth/crypto.h"
#include "core/diskfaults.h"
#include "core/spooledfile.h"
#include "core/threadnetwork.h"
#include "core/tracing.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QThread>
#include <QXmlStreamReader>

namespace Outpost::Server {

namespace {

constexpr int kTransferTimeoutMs = 120'000;

// W3C trace context on an outgoing S3 request. Not part of the SigV4 signature: the signed
// header list is fixed before this, and S3 ignores unsigned extra headers.
void propagate(QNetworkRequest &request, const Tracing::ClientSpan &span)
{
    if (!span.isActive())
        return;
    request.setRawHeader("traceparent", span.traceparent());
    if (!span.traceState().isEmpty())
        request.setRawHeader("tracestate", span.traceState());
}
constexpr qint64 kReadBufferBytes = 1024LL * 1024; // bounds what a streamed download buffers

QByteArray sha256Hex(const QByteArray &data)
{
    return Crypto::sha256Hex(data);
}

const QByteArray &emptyHash()
{
    static const QByteArray hash = sha256Hex({});
    return hash;
}

// The text of the first <name> element in an S3 XML answer.
QString xmlElement(const QByteArray &xml, const QString &name)
{
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::StartElement && reader.name() == name)
            return reader.readElementText();
    }
    return {};
}

} // namespace

S3FileStore::S3FileStore(S3Settings settings)
    : m_settings(std::move(settings))
{ }

QString S3FileStore::objectKey(const QString &key) const
{
    return m_settings.prefix.isEmpty() ? key : m_settings.prefix + QLatin1Char('/') + key;
}

QNetworkRequest S3FileStore::request(const QByteArray &method, const QString &key,
    const QByteArray &query, const QByteArray &payloadHash,
    const QList<QPair<QByteArray, QByteArray>> &extra) const
{
    QUrl url = m_settings.endpoint;
    QByteArray path = "/";
    if (m_settings.pathStyle) {
        path += SigV4::uriEncode(m_settings.bucket.toUtf8(), false);
        if (!key.isEmpty())
            path += '/';
    } else {
        url.setHost(m_settings.bucket + QLatin1Char('.') + url.host());
    }
    if (!key.isEmpty())
        path += SigV4::uriEncode(objectKey(key).toUtf8(), true);
    url.setPath(QString::fromLatin1(path), QUrl::StrictMode);
    if (!query.isEmpty())
        url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);

    QByteArray host = url.host().toUtf8();
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    const QByteArray timestamp = SigV4::timestamp(QDateTime::currentDateTimeUtc());

    SigV4::CanonicalInput input;
    input.method = method;
    input.path = path;
    input.query = query;
    input.headers = {
        {"Host", host}, {"X-Amz-Date", timestamp}, {"X-Amz-Content-Sha256", payloadHash}};
    if (!m_settings.credentials.sessionToken.isEmpty())
        input.headers.append({"X-Amz-Security-Token", m_settings.credentials.sessionToken});
    input.headers += extra;
    input.payloadHash = payloadHash;
    input.normalizePath = false;

    QNetworkRequest request(url);
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : input.headers) {
        if (name != "Host")
            request.setRawHeader(name, value);
    }
    request.setRawHeader("Authorization",
        SigV4::sign(input, m_settings.credentials, timestamp, m_settings.region.toUtf8(), "s3"));
    return request;
}

S3FileStore::Reply S3FileStore::send(const QByteArray &method, const QString &key,
    const QByteArray &query, const QByteArray &body,
    const QList<QPair<QByteArray, QByteArray>> &extra, const QByteArray &bodyHash) const
{
    return transfer(method, key, query, &body, nullptr, body.size(),
        bodyHash.isEmpty() ? sha256Hex(body) : bodyHash, extra);
}

S3FileStore::Reply S3FileStore::sendDevice(const QByteArray &method, const QString &key,
    const QByteArray &query, QIODevice &device, qint64 size, const QByteArray &bodyHash,
    const QList<QPair<QByteArray, QByteArray>> &extra) const
{
    return transfer(method, key, query, nullptr, &device, size, bodyHash, extra);
}

S3FileStore::Reply S3FileStore::transfer(const QByteArray &method, const QString &key,
    const QByteArray &query, const QByteArray *body, QIODevice *device, qint64 size,
    const QByteArray &bodyHash, const QList<QPair<QByteArray, QByteArray>> &extra) const
{
    Tracing::ClientSpan span("S3 " + method);
    span.setAttribute("http.request.method", method);
    span.setAttribute("server.address", m_settings.endpoint.host().toUtf8());
    QNetworkRequest signedRequest = request(method, key, query, bodyHash, extra);
    propagate(signedRequest, span);
    if (size > 0 || method == "PUT" || method == "POST")
        signedRequest.setHeader(QNetworkRequest::ContentLengthHeader, size);
    // head() tells the manager that the answer has no body, whatever its Content-Length says.
    QNetworkReply *reply = nullptr;
    if (method == "HEAD") {
        reply = threadNetwork().head(signedRequest);
    } else if (device) {
        // Read as it is sent: the manager would otherwise keep a copy of it all, for a resend.
        signedRequest.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        reply = threadNetwork().sendCustomRequest(signedRequest, method, device);
    } else {
        reply = threadNetwork().sendCustomRequest(signedRequest, method, *body);
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    Reply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.etag = reply->rawHeader("ETag");
    if (const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        length.isValid())
        result.length = length.toLongLong();
    if (result.status == 0)
        result.error = reply->errorString();
    span.setAttribute("http.response.status_code", qint64(result.status));
    span.setError(result.status == 0 || result.status >= 500);
    reply->deleteLater();
    return result;
}

Error S3FileStore::failure(const char *what, const Reply &reply) const
{
    qCWarning(lcStorage).noquote()
        << "S3" << what << "failed:" << (reply.status ? QString::number(reply.status) : reply.error)
        << xmlElement(reply.body, QStringLiteral("Code"));
    if (reply.status == 404)
        return Error::notFound(QStringLiteral("no such object"));
    return Error::unavailable(QStringLiteral("the file store failed"));
}

Status S3FileStore::check() const
{
    // On a thread of its own: the caller may be an HTTP thread, whose event loop must not be
    // re-entered by a local one.
    Reply reply;
    std::unique_ptr<QThread> thread(QThread::create([&] { reply = send("HEAD", {}, {}, {}); }));
    thread->start();
    thread->wait();
    if (reply.status != 200)
        return fail(failure("bucket check", reply));
    return {};
}

Result<StoredObject> S3FileStore::put(
    const QString &key, const QByteArray &data, const QString &contentType)
{
    // One hash for both: the signature's payload hash is the object's SHA-256.
    const QByteArray hash = sha256Hex(data);
    const Reply reply =
        send("PUT", key, {}, data, {{"Content-Type", contentType.toLatin1()}}, hash);
    if (reply.status != 200)
        return fail(failure("put", reply));
    return StoredObject {data.size(), hash};
}

namespace {

// A spooled body, open for reading from its start, with its SHA-256 (hex), and also fed to
// `alsoHash` when given; or the error of its spooling or of reading it.
struct OpenedSpool
{
    std::unique_ptr<QFile> file;
    QByteArray sha256Hex;
};

Result<OpenedSpool> openSpooled(SpooledFile &body)
{
    if (body.error() != 0) {
        qCWarning(lcStorage).noquote()
            << "cannot write a request body -" << qt_error_string(body.error());
        return fail(
            DiskFaults::error(DiskFaults::kindOf(body.error()), QStringLiteral("the file store")));
    }
    OpenedSpool opened {std::make_unique<QFile>(body.path()), body.sha256Hex()};
    if (!opened.file->open(QIODevice::ReadOnly) || opened.file->size() != body.size()) {
        qCWarning(lcStorage).noquote() << "cannot read a request body back";
        return fail(Error::unavailable(QStringLiteral("the file store failed")));
    }
    if (opened.sha256Hex.isEmpty()) {
        // SigV4 signs the payload's hash: read it once from the page cache.
        Crypto::Sha256 hash;
        QByteArray buffer(1024 * 1024, Qt::Uninitialized);
        for (qint64 n = 0; (n = opened.file->read(buffer.data(), buffer.size())) > 0;)
            hash.addData(QByteArrayView(buffer.constData(), n));
        opened.sha256Hex = hash.result().toHex();
        if (!opened.file->seek(0))
            return fail(Error::unavailable(QStringLiteral("the file store failed")));
    }
    return opened;
}

} // namespace

Result<StoredObject> S3FileStore::putSpooled(
    const QString &key, SpooledFile &body, const QString &contentType)
{
    auto opened = openSpooled(body);
    if (!opened) {
        body.discard();
        return fail(opened.error());
    }
    const Reply reply = sendDevice("PUT", key, {}, *opened->file, body.size(), opened->sha256Hex,
        {{"Content-Type", contentType.toLatin1()}});
    opened->file->close();
    body.discard();
    if (reply.status != 200)
        return fail(failure("put", reply));
    return StoredObject {body.size(), opened->sha256Hex};
}

Result<StoredPart> S3FileStore::putPartSpooled(
    const QString &key, const QString &handle, int number, SpooledFile &body)
{
    auto opened = openSpooled(body);
    if (!opened) {
        body.discard();
        return fail(opened.error());
    }
    const QByteArray query = "partNumber=" + QByteArray::number(number)
        + "&uploadId=" + SigV4::uriEncode(handle.toUtf8(), false);
    const Reply reply =
        sendDevice("PUT", key, query, *opened->file, body.size(), opened->sha256Hex);
    opened->file->close();
    if (reply.status != 200 || reply.etag.isEmpty()) {
        body.discard();
        return fail(failure("upload part", reply));
    }
    StoredPart part {number, body.size(), reply.etag};
    m_digests.addFile(handle, part, body.path());
    body.discard();
    return part;
}

qint64 S3FileStore::objectSize(const QString &key) const
{
    const Reply reply = send("HEAD", key, {}, {});
    return reply.status == 200 ? reply.length : -1;
}

Status S3FileStore::remove(const QString &key)
{
    const Reply reply = send("DELETE", key, {}, {});
    if (reply.status != 204 && reply.status != 200)
        return fail(failure("delete", reply));
    return {};
}

Result<QList<ListedObject>> S3FileStore::list(const QString &prefix) const
{
    return listUnder(objectKey(prefix + QLatin1Char('/')));
}

Result<QList<ListedObject>> S3FileStore::listAll() const
{
    return listUnder(objectKey(QString()));
}

Result<QList<ListedObject>> S3FileStore::listUnder(const QString &wanted) const
{
    // ListObjectsV2, a page of up to 1000 keys at a time. Keys come back whole (with the
    // store's own prefix), which is taken off again.
    const QString own = objectKey(QString());
    QList<ListedObject> objects;
    QByteArray continuation;
    for (int page = 0; page < 1000; ++page) {
        QByteArray query;
        if (!continuation.isEmpty())
            query += "continuation-token=" + SigV4::uriEncode(continuation, false) + '&';
        query += "list-type=2&prefix=" + SigV4::uriEncode(wanted.toUtf8(), false);
        const Reply reply = send("GET", {}, query, {});
        if (reply.status != 200)
            return fail(failure("list", reply));
        QXmlStreamReader xml(reply.body);
        QString key;
        qint64 size = 0;
        QDateTime modified;
        bool truncated = false;
        continuation.clear();
        while (!xml.atEnd()) {
            if (!xml.readNextStartElement())
                continue;
            const auto name = xml.name();
            if (name == u"Contents") {
                key.clear();
                size = 0;
                modified = {};
                while (xml.readNextStartElement()) {
                    if (xml.name() == u"Key") {
                        key = xml.readElementText();
                    } else if (xml.name() == u"Size") {
                        size = xml.readElementText().toLongLong();
                    } else if (xml.name() == u"LastModified") {
                        modified = QDateTime::fromString(xml.readElementText(), Qt::ISODateWithMs);
                    } else {
                        xml.skipCurrentElement();
                    }
                }
                if (key.startsWith(own))
                    objects.append({key.mid(own.size()), size, modified.toUTC()});
            } else if (name == u"IsTruncated") {
                truncated = xml.readElementText() == u"true";
            } else if (name == u"NextContinuationToken") {
                continuation = xml.readElementText().toUtf8();
            } else if (name != u"ListBucketResult") {
                xml.skipCurrentElement();
            }
        }
        if (!truncated || continuation.isEmpty())
            break;
    }
    return objects;
}

void S3FileStore::openRead(const QString &key, qint64 offset, qint64 length, ReadDone done)
{
    const QByteArray range =
        "bytes=" + QByteArray::number(offset) + '-' + QByteArray::number(offset + length - 1);
    QNetworkRequest signedRequest = request("GET", key, {}, emptyHash(), {{"Range", range}});
    const Tracing::ClientSpan span("S3 GET");
    propagate(signedRequest, span);
    QNetworkReply *raw = threadNetwork().get(signedRequest);
    raw->setReadBufferSize(kReadBufferBytes);
    // Deleted later, in this thread, whoever drops the last reference.
    std::shared_ptr<QNetworkReply> reply(raw, [](QNetworkReply *r) {
        r->abort();
        r->deleteLater();
    });
    // Answered once the status line is in: a stream for 206 (or 200 with exactly the bytes
    // asked for), an error otherwise.
    struct Pending
    {
        bool answered = false;
        QMetaObject::Connection metaData;
        QMetaObject::Connection finished;
    };
    auto pending = std::make_shared<Pending>();
    const auto answer = [this, reply, pending, done, length] {
        if (pending->answered)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0 && !reply->isFinished())
            return; // headers not here yet
        pending->answered = true;
        QObject::disconnect(pending->metaData);
        QObject::disconnect(pending->finished);
        const qint64 announced = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (status != 206 && !(status == 200 && announced == length)) {
            Reply failed;
            failed.status = status;
            failed.error = reply->errorString();
            done(fail(failure("get", failed)));
            return;
        }
        done(std::shared_ptr<QIODevice>(reply));
    };
    pending->metaData = QObject::connect(raw, &QNetworkReply::metaDataChanged, raw, answer);
    pending->finished = QObject::connect(raw, &QNetworkReply::finished, raw, answer);
}

Result<QString> S3FileStore::beginMultipart(const QString &key, const QString &contentType)
{
    const Reply reply =
        send("POST", key, "uploads", {}, {{"Content-Type", contentType.toLatin1()}});
    const QString uploadId = xmlElement(reply.body, QStringLiteral("UploadId"));
    if (reply.status != 200 || uploadId.isEmpty())
        return fail(failure("create multipart upload", reply));
    return uploadId;
}

Result<StoredPart> S3FileStore::putPart(
    const QString &key, const QString &handle, int number, const QByteArray &data)
{
    const QByteArray query = "partNumber=" + QByteArray::number(number)
        + "&uploadId=" + SigV4::uriEncode(handle.toUtf8(), false);
    const Reply reply = send("PUT", key, query, data);
    if (reply.status != 200 || reply.etag.isEmpty())
        return fail(failure("upload part", reply));
    StoredPart part {number, data.size(), reply.etag};
    m_digests.add(handle, part, data);
    return part;
}

Result<StoredObject> S3FileStore::completeMultipart(
    const QString &key, const QString &handle, const QList<StoredPart> &parts)
{
    QByteArray xml = "<CompleteMultipartUpload>";
    qint64 size = 0;
    for (const StoredPart &part : parts) {
        xml += "<Part><PartNumber>" + QByteArray::number(part.number) + "</PartNumber><ETag>"
            + QString::fromLatin1(part.etag).toHtmlEscaped().toUtf8() + "</ETag></Part>";
        size += part.size;
    }
    xml += "</CompleteMultipartUpload>";
    const QByteArray query = "uploadId=" + SigV4::uriEncode(handle.toUtf8(), false);
    const Reply reply = send("POST", key, query, xml, {{"Content-Type", "application/xml"}});
    // S3 may answer 200 and still fail: the error is then in the body. Completing consumes
    // the parts, so when an earlier completion went through but its caller could not record
    // it (a failed transaction, a crash), S3 no longer knows the upload: the object it made
    // under this upload's own key is the result, read back below like a fresh one. (S3 says
    // NoSuchUpload; s3rver fails with a 500.) Nothing else writes that key.
    const bool completed = reply.status == 200 && !reply.body.contains("<Error>");
    const bool completedBefore = !completed
        && (reply.body.contains("<Code>NoSuchUpload</Code>")
            || (reply.status >= 400 && objectSize(key) == size));
    if (!completed && !completedBefore)
        return fail(failure("complete multipart upload", reply));

    // The ETag is the SHA-256 of the whole content. S3 assembled exactly the parts with these
    // ETags (it refuses others), so when they all came in order the digest taken on the way
    // is the content's; else read the object back once, a buffer at a time.
    if (auto digest = m_digests.take(handle, parts))
        return StoredObject {size, *digest};
    QNetworkRequest downloadRequest = request("GET", key, {}, emptyHash(), {});
    const Tracing::ClientSpan span("S3 GET");
    propagate(downloadRequest, span);
    QNetworkReply *download = threadNetwork().get(downloadRequest);
    download->setReadBufferSize(kReadBufferBytes);
    Crypto::Sha256 hash;
    qint64 read = 0;
    QEventLoop loop;
    QObject::connect(download, &QNetworkReply::readyRead, &loop, [&] {
        const QByteArray chunk = download->readAll();
        hash.addData(chunk);
        read += chunk.size();
    });
    QObject::connect(download, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!download->isFinished())
        loop.exec();
    const QByteArray rest = download->readAll();
    hash.addData(rest);
    read += rest.size();
    const int status = download->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    download->deleteLater();
    if (status != 200 || read != size) {
        Reply failed;
        failed.status = status == 200 ? 500 : status;
        if (!completedBefore)
            remove(key);
        return fail(failure("read back a completed upload", failed));
    }
    return StoredObject {size, hash.result().toHex()};
}

Status S3FileStore::abortMultipart(const QString &key, const QString &handle)
{
    m_digests.forget(handle);
    const QByteArray query = "uploadId=" + SigV4::uriEncode(handle.toUtf8(), false);
    const Reply reply = send("DELETE", key, query, {});
    if (reply.status == 501 || reply.status == 405) {
        // Some S3-compatible servers (s3rver) cannot abort: their parts stay until the
        // bucket's lifecycle rules drop them. Nothing refers to them any more.
        qCWarning(lcStorage) << "the S3 server cannot abort multipart uploads";
        return {};
    }
    if (reply.status != 204 && reply.status != 200 && reply.status != 404)
        return fail(failure("abort multipart upload", reply));
    return {};
}

} // namespace Outpost::Server
