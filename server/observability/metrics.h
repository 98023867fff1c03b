#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>

#include <array>
#include <atomic>
#include <functional>

namespace Outpost::Server {

class Metrics;

// One HTTP thread's counters. Only its own thread writes; a scrape reads under the
// (uncontended) mutex, so the hot path never contends across threads.
class MetricsShard
{
public:
    static constexpr std::array<double, 16> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

    explicit MetricsShard(Metrics &owner);
    ~MetricsShard();
    MetricsShard(const MetricsShard &) = delete;
    MetricsShard &operator=(const MetricsShard &) = delete;

    void observe(const QByteArray &method, const QByteArray &route, int status, double seconds);
    void connectionOpened() { m_connections.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { m_connections.fetch_sub(1, std::memory_order_relaxed); }

private:
    friend class Metrics;
    struct Series
    {
        QHash<int, quint64> byStatus;
        std::array<quint64, kBuckets.size()> buckets {};
        quint64 count = 0;
        double sum = 0;
    };
    Metrics &m_owner;
    mutable QMutex m_mutex;
    QHash<QByteArray, Series> m_series; // key: method + '\n' + route
    std::atomic<qint64> m_connections {0};
};

// Prometheus text exposition of every shard, plus process and build facts.
class Metrics
{
public:
    Metrics();
    QByteArray render() const;
    // More series for render() to append, from a part of the server that keeps its own
    // counters (the database writer). Replaces the last one; an empty function removes it.
    void setSource(std::function<void(QByteArray &out)> source);

private:
    friend class MetricsShard;
    mutable QMutex m_mutex;
    QList<MetricsShard *> m_shards;
    std::function<void(QByteArray &out)> m_source;
    qint64 m_startedMs;
};

} // namespace Outpost::Server
