#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>

namespace Outpost {

// A request body received into a temporary file instead of memory (the HTTP guard writes a
// file-write route's body there as it arrives; the file store then syncs and renames the file
// into place rather than writing the bytes again). The file has a random name in the directory
// it was made in, which the store chooses (its own temporary directory, so that the rename
// stays on one file system). Until keep() it is removed when this is destroyed, and at once
// when a write fails: a body that was not taken, a client that went away mid-body, a full
// disk never leave it behind. Not thread-safe: one thread at a time (the guard's while the
// body arrives, then the handler's).
class SpooledFile
{
public:
    // Creates the file; error() says why it could not be.
    explicit SpooledFile(const QString &directory);
    ~SpooledFile();
    SpooledFile(const SpooledFile &) = delete;
    SpooledFile &operator=(const SpooledFile &) = delete;

    // Writes `data` at the end. False (and the file is gone) when this or an earlier write or
    // the creation failed; the size still counts every byte offered.
    bool append(QByteArrayView data);

    // Made durable and moved into place: `newPath` now names it and it is not removed.
    void keep(const QString &newPath);
    // Closes and removes the file now (after a failure elsewhere, or to reject the body).
    void discard();

    const QString &path() const { return m_path; }
    // Open for writing while the body arrives (for fsync), until keep() or discard().
    QFile &file() { return m_file; }
    qint64 size() const { return m_size; }
    // 0, or the errno of the creation or write that failed (ENOSPC: the disk is full).
    int error() const { return m_error; }
    // The SHA-256 of the content (lower-case hex), when the writer computed it, else empty.
    const QByteArray &sha256Hex() const { return m_sha256Hex; }
    void setSha256Hex(QByteArray hex) { m_sha256Hex = std::move(hex); }

private:
    QFile m_file;
    QString m_path;
    qint64 m_size = 0;
    int m_error = 0;
    bool m_kept = false;
    QByteArray m_sha256Hex;
};

} // namespace Outpost
