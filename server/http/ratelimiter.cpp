#include "ratelimiter.h"

#include <QHashFunctions>

#include <algorithm>
#include <cmath>

namespace Outpost::Server {

namespace {

constexpr double kNsPerSecond = 1e9;

} // namespace

RateLimiter::Key RateLimiter::Key::address(const QHostAddress &address, bool expensive)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return {0, v4, Kind::Address, expensive};
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    quint64 high = 0;
    for (int i = 0; i < 8; ++i)
        high = (high << 8) | v6[i];
    return {high, ~quint64(0), Kind::Address, expensive};
}

size_t qHash(const RateLimiter::Key &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.high, key.low, quint8(key.kind), key.expensive);
}

RateLimiter::RateLimiter(RateLimitPolicy normal, RateLimitPolicy expensive, int maxKeys)
    : m_normal(std::move(normal))
    , m_expensive(std::move(expensive))
    , m_maxPerShard(qMax(1, maxKeys / kShards))
    , m_shards(std::make_unique<std::array<Shard, kShards>>())
{
    // The RateLimit-Policy field never changes: made once, shared by every response.
    for (RateLimitPolicy *policy : {&m_normal, &m_expensive}) {
        policy->fieldValue = '"' + policy->name + "\";q=" + QByteArray::number(policy->quota)
            + ";w=" + QByteArray::number(policy->windowSeconds);
    }
}

RateLimiter::~RateLimiter() = default;

RateLimiter::Decision RateLimiter::take(const Key &key, qint64 nowNs)
{
    const RateLimitPolicy &policy = key.expensive ? m_expensive : m_normal;
    Decision decision;
    if (policy.quota <= 0)
        return decision;
    decision.policy = &policy;
    const double perNs = double(policy.quota) / (double(policy.windowSeconds) * kNsPerSecond);

    Shard &shard = (*m_shards)[qHash(key) % kShards];
    double tokens = 0;
    {
        QMutexLocker lock(&shard.mutex);
        auto it = shard.buckets.find(key);
        if (it == shard.buckets.end()) {
            if (shard.buckets.size() >= m_maxPerShard)
                makeRoom(shard, nowNs);
            it = shard.buckets.insert(key, Bucket {double(policy.quota), nowNs});
        } else {
            it->tokens =
                std::min(double(policy.quota), it->tokens + double(nowNs - it->lastNs) * perNs);
            it->lastNs = nowNs;
        }
        if (it->tokens >= 1.0) {
            it->tokens -= 1.0;
        } else {
            decision.allowed = false;
        }
        tokens = it->tokens;
    }
    decision.remaining = int(tokens);
    decision.resetSeconds = int(std::ceil((double(policy.quota) - tokens) / perNs / kNsPerSecond));
    if (!decision.allowed)
        decision.retryAfter = qMax(1, int(std::ceil((1.0 - tokens) / perNs / kNsPerSecond)));
    return decision;
}

void RateLimiter::makeRoom(Shard &shard, qint64 nowNs)
{
    // A bucket idle for a whole window is full again: dropping it changes no decision. If none
    // is, drop the fullest one: forgetting a bucket refills it, which matters least for the
    // fullest, and never hands a fresh burst to whoever has just emptied theirs (a client
    // spraying new addresses cannot evict the buckets of those it competes with).
    auto fullest = shard.buckets.end();
    double most = -1;
    for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
        const RateLimitPolicy &policy = it.key().expensive ? m_expensive : m_normal;
        const qint64 windowNs = qint64(policy.windowSeconds) * qint64(kNsPerSecond);
        const qint64 idleNs = nowNs - it->lastNs;
        if (idleNs >= windowNs) {
            it = shard.buckets.erase(it);
            continue;
        }
        const double tokens = std::min(double(policy.quota),
            it->tokens + double(idleNs) * double(policy.quota) / double(windowNs));
        const double share = tokens / double(qMax(1, policy.quota));
        if (share > most) {
            most = share;
            fullest = it;
        }
        ++it;
    }
    if (shard.buckets.size() >= m_maxPerShard && fullest != shard.buckets.end())
        shard.buckets.erase(fullest);
}

int RateLimiter::size() const
{
    int total = 0;
    for (Shard &shard : *m_shards) {
        QMutexLocker lock(&shard.mutex);
        total += int(shard.buckets.size());
    }
    return total;
}

} // namespace Outpost::Server
