#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QMutex>

#include <array>
#include <memory>

namespace Outpost::Server {

// A token-bucket policy: `quota` requests per `windowSeconds`, in bursts of up to `quota`.
struct RateLimitPolicy
{
    QByteArray name; // as in the RateLimit-Policy header: "default", "expensive"
    int quota = 0;   // 0: off
    int windowSeconds = 60;
    QByteArray fieldValue; // its RateLimit-Policy value, made once by RateLimiter
};

// Token buckets per client (a user, an API key, or an anonymous client's address), shared by
// every HTTP thread of this process. The buckets are spread over shards, each behind its own
// mutex, so two threads only meet when they touch the same shard at the same instant. Memory is
// bounded: a shard holds at most maxKeys/shards buckets; when full it drops those idle long
// enough to have refilled (forgetting them changes nothing), else the fullest one.
class RateLimiter
{
public:
    enum class Kind : quint8 { User, ApiKey, Address };

    struct Key
    {
        quint64 high = 0;
        quint64 low = 0;
        Kind kind = Kind::Address;
        bool expensive = false;
        bool operator==(const Key &) const = default;

        static Key user(qint64 id, bool expensive)
        {
            return {0, quint64(id), Kind::User, expensive};
        }
        static Key apiKey(qint64 id, bool expensive)
        {
            return {0, quint64(id), Kind::ApiKey, expensive};
        }
        // IPv4 by address, IPv6 by its /64 (what one subscriber usually gets).
        static Key address(const QHostAddress &address, bool expensive);
    };

    struct Decision
    {
        bool allowed = true;
        int remaining = 0;    // whole requests left in the bucket
        int resetSeconds = 0; // until the bucket is full again
        int retryAfter = 0;   // seconds until one request is allowed (when refused)
        const RateLimitPolicy *policy = nullptr;
    };

    static constexpr int kShards = 64;

    RateLimiter(RateLimitPolicy normal, RateLimitPolicy expensive, int maxKeys = 65536);
    ~RateLimiter();
    RateLimiter(const RateLimiter &) = delete;
    RateLimiter &operator=(const RateLimiter &) = delete;

    // Takes one token from the key's bucket at monotonic time `nowNs`. A policy that is off
    // always allows, with a null policy.
    Decision take(const Key &key, qint64 nowNs);
    int size() const; // buckets held now, for tests

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 lastNs = 0;
    };
    struct alignas(64) Shard
    {
        QMutex mutex;
        QHash<Key, Bucket> buckets;
    };
    void makeRoom(Shard &shard, qint64 nowNs);

    RateLimitPolicy m_normal;
    RateLimitPolicy m_expensive;
    int m_maxPerShard;
    std::unique_ptr<std::array<Shard, kShards>> m_shards;
};

size_t qHash(const RateLimiter::Key &key, size_t seed = 0) noexcept;

} // namespace Outpost::Server
