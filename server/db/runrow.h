#pragma once

#include "sqlsupport.h"

#include "models/pipeline.h"

#include <QSqlQuery>
#include <QString>

namespace Outpost::Server {

// The columns of a run (`runs r`), read by RunRepository and, joined to each pipeline, by
// PipelineRepository. Internal to server/db.
inline const QString kRunColumns = QStringLiteral(
    "r.id, r.pipeline_id, r.run_number, r.external_id, r.status, r.conclusion, "
    "r.provider_status, r.head_sha, r.head_branch, r.event, r.actor, r.html_url, r.queued_at, "
    "r.started_at, r.finished_at, r.note, r.created_at, r.updated_at, r.attempt");

// Reads kRunColumns, starting at column `first`.
inline Run readRun(const QSqlQuery &q, int first = 0)
{
    const auto at = [&q, first](int column) { return q.value(first + column); };
    Run run;
    run.id = at(0).toLongLong();
    run.pipelineId = at(1).toLongLong();
    run.runNumber = at(2).toLongLong();
    run.externalId = at(3).toString();
    run.status = at(4).toString();
    run.conclusion = at(5).toString();
    run.providerStatus = at(6).toString();
    run.headSha = at(7).toString();
    run.headBranch = at(8).toString();
    run.event = at(9).toString();
    run.actor = at(10).toString();
    run.htmlUrl = at(11).toString();
    run.queuedAt = SqlSupport::toDateTime(at(12));
    run.startedAt = SqlSupport::toDateTime(at(13));
    run.finishedAt = SqlSupport::toDateTime(at(14));
    run.note = at(15).toString();
    run.createdAt = SqlSupport::toDateTime(at(16));
    run.updatedAt = SqlSupport::toDateTime(at(17));
    run.attempt = at(18).toInt();
    return run;
}

} // namespace Outpost::Server
