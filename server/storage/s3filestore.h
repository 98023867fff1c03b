#pragma once

#include "filestore.h"
#include "partdigests.h"
#include "sigv4.h"

#include <QNetworkReply>
#include <QUrl>

namespace Outpost::Server {

struct S3Settings
{
    QUrl endpoint; // http(s)://host[:port]
    QString region = QStringLiteral("us-east-1");
    QString bucket;
    QString prefix; // object keys start with "<prefix>/" when not empty
    SigV4::Credentials credentials;
    bool pathStyle = true; // false: virtual-hosted, bucket.host
    // Where request bodies are spooled on their way to S3 (a local directory); empty: memory.
    QString spoolDirectory;
};

// Objects in an S3-compatible bucket, over QNetworkAccessManager (one per thread), every
// request signed with SigV4. A PUT replaces an object atomically; chunked uploads are S3
// multipart uploads, completed or aborted. Downloads stream from a ranged GET.
class S3FileStore final : public FileStore
{
public:
    explicit S3FileStore(S3Settings settings);

    QString kind() const override { return QStringLiteral("s3"); }
    Status check() const override;
    Result<StoredObject> put(
        const QString &key, const QByteArray &data, const QString &contentType) override;
    // A spooled body goes up from its file, never whole in memory.
    QString spoolDirectory() const override { return m_settings.spoolDirectory; }
    Result<StoredObject> putSpooled(
        const QString &key, SpooledFile &body, const QString &contentType) override;
    Result<StoredPart> putPartSpooled(
        const QString &key, const QString &handle, int number, SpooledFile &body) override;
    Status remove(const QString &key) override;
    Result<QList<ListedObject>> list(const QString &prefix) const override;
    Result<QList<ListedObject>> listAll() const override;
    void openRead(const QString &key, qint64 offset, qint64 length, ReadDone done) override;
    Result<QString> beginMultipart(const QString &key, const QString &contentType) override;
    Result<StoredPart> putPart(
        const QString &key, const QString &handle, int number, const QByteArray &data) override;
    Result<StoredObject> completeMultipart(
        const QString &key, const QString &handle, const QList<StoredPart> &parts) override;
    Status abortMultipart(const QString &key, const QString &handle) override;
    void releaseMultipart(const QString & /*key*/, const QString & /*handle*/) override { }
    void removeAbandonedMultiparts(const QSet<QString> & /*open*/) override { }

private:
    struct Reply
    {
        int status = 0; // 0: no HTTP answer (network error)
        QByteArray body;
        QByteArray etag;
        qint64 length = -1; // Content-Length, when the answer gave one
        QString error;
    };

    QString objectKey(const QString &key) const;
    // The objects whose whole keys start with `wanted`, keys without the store's prefix.
    Result<QList<ListedObject>> listUnder(const QString &wanted) const;
    // A signed request for the object (empty key: the bucket), `query` raw.
    QNetworkRequest request(const QByteArray &method, const QString &key, const QByteArray &query,
        const QByteArray &payloadHash, const QList<QPair<QByteArray, QByteArray>> &extra) const;
    // Sends and waits (a local event loop): for worker threads. `bodyHash` is the body's
    // SHA-256 in hex when the caller has it already (empty: computed here).
    Reply send(const QByteArray &method, const QString &key, const QByteArray &query,
        const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &extra = {},
        const QByteArray &bodyHash = {}) const;
    // send() with the body read from `device` (`size` bytes, SHA-256 `bodyHash`) as it goes.
    Reply sendDevice(const QByteArray &method, const QString &key, const QByteArray &query,
        QIODevice &device, qint64 size, const QByteArray &bodyHash,
        const QList<QPair<QByteArray, QByteArray>> &extra = {}) const;
    Reply transfer(const QByteArray &method, const QString &key, const QByteArray &query,
        const QByteArray *body, QIODevice *device, qint64 size, const QByteArray &bodyHash,
        const QList<QPair<QByteArray, QByteArray>> &extra) const;
    Error failure(const char *what, const Reply &reply) const;
    // The size of an object (HEAD), or -1 when it is not there or the server does not answer.
    qint64 objectSize(const QString &key) const;

    S3Settings m_settings;
    PartDigests m_digests; // completing an upload whose parts came in order reads nothing back
};

} // namespace Outpost::Server
