#pragma once

#include "filestore.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>

namespace Outpost::Server {

// The SHA-256 of a multipart upload's whole content, computed while its parts arrive, so that
// completing it need not read the object back. Only parts that come in order (1, 2, 3, ...)
// can be added; the digest is handed out at completion only when the parts being completed
// are exactly the ones it covers (same numbers, same tags), else the caller reads the object
// as before. A part sent again with other bytes gets another tag, so a stale digest is never
// used. Thread-safe: parts of one upload may be stored from several threads at once.
class PartDigests
{
public:
    // After `part` of the upload `handle` was stored with these bytes.
    void add(const QString &handle, const StoredPart &part, QByteArrayView data);
    // The same for a part stored in the file `path`, which is read only when the digest needs
    // this part next (a part that cannot be read just leaves the upload to be hashed later).
    void addFile(const QString &handle, const StoredPart &part, const QString &path);
    // The whole content's SHA-256 (hex) if the digest covers exactly `parts`; forgets the
    // upload either way.
    std::optional<QByteArray> take(const QString &handle, const QList<StoredPart> &parts);
    void forget(const QString &handle);

    // Uploads followed at once at most; beyond it new ones are not (they complete by reading).
    static constexpr qsizetype kMaxUploads = 1024;

private:
    struct Digest; // the hash so far, with the parts it covers
    // The digest that takes `part` next, locked, or null.
    std::shared_ptr<Digest> next(const QString &handle, const StoredPart &part);
    static void append(Digest &digest, const StoredPart &part);
    std::mutex m_lock;
    QHash<QString, std::shared_ptr<Digest>> m_uploads;
};

} // namespace Outpost::Server
