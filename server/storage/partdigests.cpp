#include "partdigests.h"

#include "auth/crypto.h"

namespace Outpost::Server {

struct PartDigests::Digest
{
    std::mutex lock;
    int next = 1;
    QList<QByteArray> tags; // of parts 1 .. next - 1, in order
    Crypto::Sha256 hash;
};

void PartDigests::add(const QString &handle, const StoredPart &part, QByteArrayView data)
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
            return;
        }
    }
    const std::lock_guard lock(digest->lock);
    if (part.number != digest->next)
        return; // out of order or sent again: take() sees whether the tags still match
    digest->hash.addData(data);
    digest->tags.append(part.etag);
    ++digest->next;
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
