#pragma once

#include "core/result.h"
#include "pipelineservice.h"

#include <QDateTime>
#include <QJsonObject>

namespace Outpost::Server::CodeBuildWebhooks {

// An AWS EventBridge "CodeBuild Build State Change" or "CodeBuild Build Phase Change" event
// as an update of the build's run: the project is the pipeline, the build the run, its
// phases (SUBMITTED ... INSTALL, PRE_BUILD, BUILD, POST_BUILD ... FINALIZING) the stages.
// Other detail types, and events without a build id or project, are Validation errors.
Result<ExternalUpdate> map(const QJsonObject &event);

// CodeBuild's own time format inside additional-information, "Sep 1, 2017 4:12:29 PM", which
// it writes in UTC. Invalid when it does not parse.
QDateTime parseTime(const QString &text);

// Build or phase status (SUCCEEDED, FAILED, FAULT, STOPPED, TIMED_OUT, IN_PROGRESS,
// CLIENT_ERROR, QUEUED) as ours: {status, conclusion}.
std::pair<QString, QString> statusOf(const QString &codeBuildStatus);

} // namespace Outpost::Server::CodeBuildWebhooks
