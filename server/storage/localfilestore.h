#pragma once

#include "filestore.h"
#include "partdigests.h"

#include <QDir>

namespace Outpost::Server {

// Files under one directory: objects/<key>, uploads/<handle>/<part>, tmp/. Every write goes
// to a temporary file in tmp/ (same file system), is fsync'ed and renamed into place.
class LocalFileStore final : public FileStore
{
public:
    explicit LocalFileStore(const QString &root);

    QString kind() const override { return QStringLiteral("local"); }
    Status check() const override;
    Result<StoredObject> put(
        const QString &key, const QByteArray &data, const QString &contentType) override;
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
    void releaseMultipart(const QString &key, const QString &handle) override;
    void removeAbandonedMultiparts(const QSet<QString> &open) override;

    // Removes temporary files a crash may have left (at start, before serving).
    void removeLeftovers() const;

private:
    QString objectPath(const QString &key) const;
    QString uploadDir(const QString &handle) const;

    QDir m_root;
    PartDigests m_digests; // completing an upload whose parts came in order hashes nothing
};

} // namespace Outpost::Server
