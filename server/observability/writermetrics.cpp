#include "writermetrics.h"

namespace Outpost::Server {

void appendWriterMetrics(const WriterCounters &counters, QByteArray &out)
{
    const auto counter = [&out](const char *name, const char *help, qint64 value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(QByteArray::number(value)).append('\n');
    };
    counter("outpost_db_batched_writes_total",
        "Writes run by the SQLite writer thread (post creates, votes).", counters.writes);
    counter("outpost_db_write_transactions_total",
        "Transactions the SQLite writer committed them in (group commit).", counters.transactions);
    counter("outpost_db_write_retries_total",
        "Write transactions run again because one of their writes failed.", counters.retries);
    counter("outpost_db_checkpoints_total",
        "Passive WAL checkpoints run by the SQLite checkpointer thread.", counters.checkpoints);
    counter("outpost_db_writer_checkpoints_total",
        "Checkpoints the SQLite writer ran itself because the WAL outgrew its limit.",
        counters.writerCheckpoints);
}

} // namespace Outpost::Server
