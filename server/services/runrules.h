#pragma once

#include "core/result.h"
#include "models/pipeline.h"

namespace Outpost::Server {

class Database;

// How an update changes a run and its stages: the rules shared by the reporting API, the
// webhooks and the local runner. `guardOrder` (webhooks): a status earlier than the current
// one is ignored, with its conclusion, since deliveries arrive out of order, and a later
// attempt starts the run over; without it (the API, the runner) an update is taken as it is.
// Times the update leaves out follow from the status.
namespace RunRules {

void applyRun(Run &run, const RunUpdate &update, bool guardOrder);
void applyStage(Stage &stage, const StageUpdate &update, bool guardOrder);
// In the caller's transaction: applies `update` (stages too, matched by external id, then by
// name; new ones go last) to the stored `run` and saves both.
Status applyStored(const Database &database, Run &run, const RunUpdate &update, bool guardOrder);

} // namespace RunRules

} // namespace Outpost::Server
