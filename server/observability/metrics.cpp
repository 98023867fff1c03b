#include "metrics.h"

#include "core/version.h"

#include <QDateTime>
#include <QFile>
#include <QMap>

#if defined(Q_OS_WIN)
#include <windows.h>
// windows.h first: psapi.h needs its types.
#include <psapi.h>
#elif defined(Q_OS_MACOS)
#include <mach/mach.h>
#else
#include <unistd.h>
#endif

namespace Outpost::Server {

MetricsShard::MetricsShard(Metrics &owner)
    : m_owner(owner)
{
    QMutexLocker lock(&m_owner.m_mutex);
    m_owner.m_shards.append(this);
}

MetricsShard::~MetricsShard()
{
    QMutexLocker lock(&m_owner.m_mutex);
    m_owner.m_shards.removeOne(this);
}

void MetricsShard::observe(
    const QByteArray &method, const QByteArray &route, int status, double seconds)
{
    thread_local QByteArray key;
    key.resize(0); // keeps the capacity: no allocation per request
    key.append(method).append('\n').append(route);
    QMutexLocker lock(&m_mutex);
    auto it = m_series.find(key);
    if (it == m_series.end())
        it = m_series.insert(QByteArray(key.constData(), key.size()), Series {});
    Series &series = *it;
    ++series.byStatus[status];
    ++series.count;
    series.sum += seconds;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets.at(i)) {
            ++series.buckets.at(i);
            break;
        }
    }
}

Metrics::Metrics()
    : m_startedMs(QDateTime::currentMSecsSinceEpoch())
{ }

namespace {

QByteArray labelValue(const QByteArray &value)
{
    QByteArray out = value;
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

qint64 residentBytes()
{
#if defined(Q_OS_WIN)
    PROCESS_MEMORY_COUNTERS counters {};
    counters.cb = sizeof counters;
    if (!::GetProcessMemoryInfo(::GetCurrentProcess(), &counters, sizeof counters))
        return 0;
    return qint64(counters.WorkingSetSize);
#elif defined(Q_OS_MACOS)
    mach_task_basic_info info {};
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    if (::task_info(
            ::mach_task_self(), MACH_TASK_BASIC_INFO, reinterpret_cast<task_info_t>(&info), &count)
        != KERN_SUCCESS)
        return 0;
    return qint64(info.resident_size);
#else
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : 0;
#endif
}

} // namespace

QByteArray Metrics::render() const
{
    // Merge the shards: key -> (status counts, buckets, count, sum). QMap keeps output sorted.
    QMap<QByteArray, MetricsShard::Series> merged;
    qint64 connections = 0;
    {
        QMutexLocker lock(&m_mutex);
        for (const MetricsShard *shard : m_shards) {
            connections += shard->m_connections.load(std::memory_order_relaxed);
            QMutexLocker shardLock(&shard->m_mutex);
            for (auto it = shard->m_series.cbegin(); it != shard->m_series.cend(); ++it) {
                MetricsShard::Series &into = merged[it.key()];
                for (auto s = it->byStatus.cbegin(); s != it->byStatus.cend(); ++s)
                    into.byStatus[s.key()] += s.value();
                for (size_t i = 0; i < into.buckets.size(); ++i)
                    into.buckets.at(i) += it->buckets.at(i);
                into.count += it->count;
                into.sum += it->sum;
            }
        }
    }

    QByteArray out;
    out.reserve(4096 + merged.size() * 2048);
    out.append("# HELP outpost_http_requests_total HTTP requests answered, by method, route "
               "template and status.\n"
               "# TYPE outpost_http_requests_total counter\n");
    for (auto it = merged.cbegin(); it != merged.cend(); ++it) {
        const qsizetype split = it.key().indexOf('\n');
        const QByteArray labels = "method=\"" + labelValue(it.key().left(split)) + "\",route=\""
            + labelValue(it.key().mid(split + 1)) + '"';
        QList<int> statuses = it->byStatus.keys();
        std::sort(statuses.begin(), statuses.end());
        for (const int status : statuses) {
            out.append("outpost_http_requests_total{").append(labels).append(",status=\"");
            out.append(QByteArray::number(status)).append("\"} ");
            out.append(QByteArray::number(it->byStatus.value(status))).append('\n');
        }
    }
    out.append("# HELP outpost_http_request_duration_seconds Time from a complete request to its "
               "response, by method and route template.\n"
               "# TYPE outpost_http_request_duration_seconds histogram\n");
    for (auto it = merged.cbegin(); it != merged.cend(); ++it) {
        const qsizetype split = it.key().indexOf('\n');
        const QByteArray labels = "method=\"" + labelValue(it.key().left(split)) + "\",route=\""
            + labelValue(it.key().mid(split + 1)) + '"';
        quint64 cumulative = 0;
        for (size_t i = 0; i < MetricsShard::kBuckets.size(); ++i) {
            cumulative += it->buckets.at(i);
            out.append("outpost_http_request_duration_seconds_bucket{").append(labels);
            out.append(",le=\"").append(QByteArray::number(MetricsShard::kBuckets.at(i), 'g', 6));
            out.append("\"} ").append(QByteArray::number(cumulative)).append('\n');
        }
        out.append("outpost_http_request_duration_seconds_bucket{").append(labels);
        out.append(",le=\"+Inf\"} ").append(QByteArray::number(it->count)).append('\n');
        out.append("outpost_http_request_duration_seconds_sum{").append(labels).append("} ");
        out.append(QByteArray::number(it->sum, 'g', 9)).append('\n');
        out.append("outpost_http_request_duration_seconds_count{").append(labels).append("} ");
        out.append(QByteArray::number(it->count)).append('\n');
    }
    out.append("# HELP outpost_http_connections_open Client connections open now.\n"
               "# TYPE outpost_http_connections_open gauge\n"
               "outpost_http_connections_open ");
    out.append(QByteArray::number(connections)).append('\n');
    out.append("# HELP outpost_build_info Version of this outpost-server.\n"
               "# TYPE outpost_build_info gauge\n"
               "outpost_build_info{version=\"");
    out.append(kVersion).append("\",revision=\"").append(kGitRevision).append("\"} 1\n");
    out.append("# HELP process_start_time_seconds Start time of the process since the epoch.\n"
               "# TYPE process_start_time_seconds gauge\n"
               "process_start_time_seconds ");
    out.append(QByteArray::number(double(m_startedMs) / 1000.0, 'f', 3)).append('\n');
    out.append("# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
               "# TYPE process_resident_memory_bytes gauge\n"
               "process_resident_memory_bytes ");
    out.append(QByteArray::number(residentBytes())).append('\n');
    QMutexLocker lock(&m_mutex);
    if (m_source)
        m_source(out);
    return out;
}

void Metrics::setSource(std::function<void(QByteArray &out)> source)
{
    QMutexLocker lock(&m_mutex);
    m_source = std::move(source);
}

} // namespace Outpost::Server
