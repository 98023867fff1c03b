#include "partdigests.h"

#include "auth/crypto.h"

#include <QFile>

namespace Outpost::Server {

struct PartDigests::Digest
{
    std::mutex lock;
    int next = 1;
    QList<QByteArray> tags; // of parts 1 .. next - 1, in order
    Crypto::Sha256 hash;
};

std::shared_ptr<PartDigests::Digest> PartDigests::next(
    const QString &handle, const StoredPart &part)
{
    std::shared_ptr<Digest> digest;
    {
        const std::lock_guard lock(m_lock);
        auto found = m_uploads.constFind(handle);
        if (found != m_uploads.constEnd()) {
            digest = *found;
        } else if (part.number == 1 && m_uploads.size() < kMaxUploads) {
            digest = std::make_shared<Digest>();
            m_uploads.insert(handle, digest);
        } else {
            return {};
        }
    }
    digest->lock.lock();
    if (part.number != digest->next) {
        digest->lock.unlock();
        return {}; // out of order or sent again: take() sees whether the tags still match
    }
    return digest;
}

void PartDigests::append(Digest &digest, const StoredPart &part)
{
    digest.tags.append(part.etag);
    ++digest.next;
}

void PartDigests::add(const QString &handle, const StoredPart &part, QByteArrayView data)
{
    const std::shared_ptr<Digest> digest = next(handle, part);
    if (!digest)
        return;
    const std::lock_guard lock(digest->lock, std::adopt_lock);
    digest->hash.addData(data);
    append(*digest, part);
}

void PartDigests::addFile(const QString &handle, const StoredPart &part, const QString &path)
{
    const std::shared_ptr<Digest> digest = next(handle, part);
    if (!digest)
        return;
    const std::lock_guard lock(digest->lock, std::adopt_lock);
    QFile in(path);
    // Read back from the page cache the write just filled, into one buffer per thread.
    thread_local QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    if (in.open(QIODevice::ReadOnly)) {
        for (qint64 n = 0; (n = in.read(buffer.data(), buffer.size())) > 0; total += n)
            digest->hash.addData(QByteArrayView(buffer.constData(), n));
    }
    if (total != part.size) {
        // The hash may hold part of this part: it can never be right again.
        digest->next = -1;
        digest->tags = {QByteArray()}; // an empty tag matches no part (take())
        return;
    }
    append(*digest, part);
}

std::optional<QByteArray> PartDigests::take(const QString &handle, const QList<StoredPart> &parts)
{
    std::shared_ptr<Digest> digest;
    {
        const std::lock_guard lock(m_lock);
        digest = m_uploads.take(handle);
    }
    if (!digest)
        return std::nullopt;
    const std::lock_guard lock(digest->lock);
    if (digest->tags.size() != parts.size())
        return std::nullopt;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts.at(i).number != i + 1 || parts.at(i).etag.isEmpty()
            || parts.at(i).etag != digest->tags.at(i))
            return std::nullopt;
    }
    return digest->hash.result().toHex();
}

void PartDigests::forget(const QString &handle)
{
    const std::lock_guard lock(m_lock);
    m_uploads.remove(handle);
}

} // namespace Outpost::Server
