#pragma once

#include <QByteArray>

namespace Outpost::Server {

// The SQLite writer's counters as /metrics shows them (all zero on PostgreSQL, which has no
// writer thread). Plain numbers: the database fills them in.
struct WriterCounters
{
    qint64 writes = 0;            // writes run by the writer thread
    qint64 transactions = 0;      // transactions it committed them in
    qint64 retries = 0;           // transactions run again after one of their writes failed
    qint64 checkpoints = 0;       // passive checkpoints of the checkpointer thread
    qint64 writerCheckpoints = 0; // checkpoints the writer ran itself (WAL over its limit)
};

// Appends the counters in Prometheus text format.
void appendWriterMetrics(const WriterCounters &counters, QByteArray &out);

} // namespace Outpost::Server
