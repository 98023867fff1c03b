#pragma once

#include "error.h"

#include <QString>

#include <optional>

namespace Outpost::DiskFaults {

// Write failures of the local disk (the SQLite database, the local file store), counted for
// the whole process so that /readyz can say a replica is in trouble while the disk fails: the
// database and the file store record each failure here, the health check reads the last one.
// Lock-free; any thread. One disk serves every server of a process, so one record is enough.

enum class Kind {
    Io,   // EIO and other transient write errors: 503
    Full, // ENOSPC, EDQUOT: 507
};

// The kind an errno value from a failed write, fsync, open or rename stands for.
Kind kindOf(int errnoValue);

// The client's error for a failed disk write: 507 Insufficient Storage when the disk is full,
// else 503; `what` names the store ("the database", "the file store"). Records the failure.
Error error(Kind kind, const QString &what);

// Counts a failure without making an error (e.g. a failed background checkpoint).
void record(Kind kind);

struct Last
{
    qint64 ageMs = 0; // since the failure
    Kind kind = Kind::Io;
    qint64 count = 0; // failures since the process started
};
// The most recent failure, if any happened.
std::optional<Last> last();

} // namespace Outpost::DiskFaults
