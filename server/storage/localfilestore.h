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
    // tmp/: a spooled body is synced and renamed into place, never copied.
    QString spoolDirectory() const override;
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
    void releaseMultipart(const QString &key, const QString &handle) override;
    void removeAbandonedMultiparts(const QSet<QString> &open) override;

    // Removes temporary files a crash may have left (at start, before serving).
    void removeLeftovers() const;

private:
    QString objectPath(const QString &key) const;
    QString uploadDir(const QString &handle) const;
    // Syncs `body` and renames it to `target`: 0, or the errno of what failed (the file is
    // gone then).
    int placeSpooled(SpooledFile &body, const QString &target, QString *failedStep) const;
    // Drops the earlier writes of part `number` once `target` holds the new one.
    static void removeOlderParts(const QString &dir, int number, const QString &target);

    QDir m_root;
    QString m_spoolDirectory; // tmp/, absolute (read from the HTTP threads)
    PartDigests m_digests;    // completing an upload whose parts came in order hashes nothing
};

} // namespace Outpost::Server
