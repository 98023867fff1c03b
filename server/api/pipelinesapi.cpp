#include "pipelinesapi.h"

#include "apihelpers.h"
#include "http/openapi.h"
#include "http/router.h"
#include "models/apikey.h"
#include "services/auditservice.h"
#include "services/localrunner.h"
#include "services/pipelinedefinition.h"
#include "services/pipelineservice.h"
#include "services/servercontext.h"

#include <QJsonDocument>

namespace Outpost::Server {

using namespace Api;

namespace {

// 201 or 202 with the run, and where it is.
HttpResponse runAt(int status, const Run &run)
{
    return HttpResponse::json(status, run.toJson())
        .withHeader(QByteArrayLiteral("Location"),
            QByteArrayLiteral("/v1/runs/") + QByteArray::number(run.id));
}

void addSchemas(Router &router)
{
    // A run's and a stage's state, reported and received alike.
    router.addSchema(
        QStringLiteral("RunStatus"), R"json({"enum": ["queued", "in_progress", "completed"]})json");
    router.addSchema(QStringLiteral("Conclusion"), R"json({
        "enum": ["success", "failure", "cancelled", "skipped", "timed_out", "neutral", "action_required", null]})json");
    router.addSchema(QStringLiteral("Stage"), R"json({
        "type": "object", "required": ["id", "name", "position", "status", "conclusion", "started_at", "finished_at", "duration_s", "has_log"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "position": {"type": "integer"},
            "status": {"$ref": "#/components/schemas/RunStatus"},
            "conclusion": {"$ref": "#/components/schemas/Conclusion"},
            "provider_status": {"type": ["string", "null"], "description": "The provider's own word, e.g. CodeBuild's FAULT"},
            "started_at": {"type": ["string", "null"], "format": "date-time"},
            "finished_at": {"type": ["string", "null"], "format": "date-time"},
            "duration_s": {"type": ["integer", "null"], "description": "finished_at - started_at, derived"},
            "has_log": {"type": "boolean"},
            "steps": {"type": "array", "description": "GitHub Actions job steps, as GitHub reported them", "items": {"type": "object"}}}})json");
    router.addSchema(QStringLiteral("Run"), R"json({
        "type": "object", "required": ["id", "pipeline_id", "run_number", "attempt", "status", "conclusion"],
        "properties": {
            "id": {"type": "integer"}, "pipeline_id": {"type": "integer"}, "run_number": {"type": "integer"},
            "attempt": {"type": "integer", "description": "GitHub run_attempt; a re-run starts the run over with the next attempt"},
            "status": {"$ref": "#/components/schemas/RunStatus"},
            "conclusion": {"$ref": "#/components/schemas/Conclusion"},
            "provider_status": {"type": ["string", "null"], "description": "e.g. GitHub's startup_failure, CodeBuild's FAULT"},
            "head_sha": {"type": ["string", "null"]}, "head_branch": {"type": ["string", "null"]},
            "event": {"type": ["string", "null"]}, "actor": {"type": ["string", "null"]},
            "html_url": {"type": ["string", "null"]},
            "queued_at": {"type": ["string", "null"], "format": "date-time"},
            "started_at": {"type": ["string", "null"], "format": "date-time"},
            "finished_at": {"type": ["string", "null"], "format": "date-time"},
            "duration_s": {"type": ["integer", "null"], "description": "finished_at - started_at, derived"},
            "note": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "stages": {"type": "array", "items": {"$ref": "#/components/schemas/Stage"}, "description": "In GET /v1/runs/{id} only"}}})json");
    router.addSchema(QStringLiteral("RunPage"), OpenApi::pageSchema(QStringLiteral("Run")));
    router.addSchema(QStringLiteral("Pipeline"), R"json({
        "type": "object", "required": ["id", "name", "source", "repository", "last_run"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "source": {"enum": ["github", "codebuild", "api", "local"]},
            "repository": {"type": ["string", "null"]}, "external_id": {"type": ["string", "null"]},
            "has_definition": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "last_run": {"oneOf": [{"$ref": "#/components/schemas/Run"}, {"type": "null"}]}}})json");
    router.addSchema(
        QStringLiteral("PipelinePage"), OpenApi::pageSchema(QStringLiteral("Pipeline")));
    router.addSchema(QStringLiteral("RunReport"), R"json({
        "type": "object", "additionalProperties": false,
        "description": "A conclusion goes with status completed. When creating, status defaults to queued, run_number to the next number.",
        "properties": {
            "run_number": {"type": "integer", "minimum": 1},
            "status": {"$ref": "#/components/schemas/RunStatus"},
            "conclusion": {"$ref": "#/components/schemas/Conclusion"},
            "provider_status": {"type": ["string", "null"], "maxLength": 100},
            "head_sha": {"type": ["string", "null"]}, "head_branch": {"type": ["string", "null"]},
            "event": {"type": ["string", "null"]}, "actor": {"type": ["string", "null"]},
            "html_url": {"type": ["string", "null"], "format": "uri"},
            "started_at": {"type": ["string", "null"], "format": "date-time"},
            "finished_at": {"type": ["string", "null"], "format": "date-time"},
            "stages": {"type": "array", "maxItems": 200, "description": "Matched by name: new names are added, known ones updated", "items": {
                "type": "object", "required": ["name"], "additionalProperties": false,
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "status": {"$ref": "#/components/schemas/RunStatus"},
                    "conclusion": {"$ref": "#/components/schemas/Conclusion"},
                    "provider_status": {"type": ["string", "null"]},
                    "started_at": {"type": ["string", "null"], "format": "date-time"},
                    "finished_at": {"type": ["string", "null"], "format": "date-time"},
                    "log": {"type": "string", "maxLength": 1048576, "description": "Appended to the stage's log"}}}}}})json");
}

// /v1/pipelines and /v1/pipelines/{id}.
void addPipelineRoutes(Router &router, PipelineService &pipelines)
{
    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/pipelines"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("List pipelines with their latest run"),
        .parameters = OpenApi::pageParameters(),
        .openapi = R"json({"operationId": "listPipelines",
            "responses": {"200": {"description": "Newest first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PipelinePage"}}}},
                          "422": {"description": "A parameter is out of range"}}})json",
        .handler =
            handle([&pipelines](const PageRequest &page) { return ok(pipelines.list(page)); }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/pipelines"),
        .access = Access::Admin,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("Create a pipeline (reported through the API, or run locally)"),
        .openapi = R"json({"operationId": "createPipeline",
            "description": "GitHub and CodeBuild pipelines appear by themselves with their first webhook. A local pipeline needs a definition: YAML or JSON, {\"shell\"?, \"env\"?, \"timeout\"?, \"working_directory\"?, \"stages\": [{\"name\", \"commands\": [...], \"working_directory\"?, \"env\"?, \"timeout\"?, \"shell\"?}]} or buildspec-style \"phases\" (install, pre_build, build, post_build).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["name"], "additionalProperties": false,
                "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200},
                               "source": {"enum": ["api", "local"], "description": "api when absent"},
                               "repository": {"type": ["string", "null"]},
                               "definition": {"oneOf": [{"type": "string"}, {"type": "object"}]}}}}}},
            "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pipeline"}}}},
                          "400": {"description": "Malformed JSON"}, "422": {"description": "Invalid fields or definition"}}})json",
        .handler = handle([&pipelines](Request &request, const PipelineCreate &create) -> Reply {
            const auto validDefinition = [](const QString &text) -> Status {
                auto parsed = PipelineDefinition::parse(text);
                if (!parsed)
                    return fail(parsed.error());
                return {};
            };
            auto pipeline = pipelines.create(create, *request.principal(), validDefinition);
            if (!pipeline)
                return fail(pipeline.error());
            return created(
                pipeline->toJson(), QStringLiteral("/v1/pipelines/%1").arg(pipeline->id));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/pipelines/{id}"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("A pipeline"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "getPipeline",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pipeline"}}}},
                          "404": {"description": "No such pipeline"}}})json",
        .handler = handle([&pipelines](Id id) { return ok(pipelines.get(id.value)); }),
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/pipelines/{id}"),
        .access = Access::Admin,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("Delete a pipeline with its runs and logs"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "deletePipeline",
            "responses": {"204": {"description": "Deleted"}, "404": {"description": "No such pipeline"}}})json",
        .handler = handle([&pipelines](Request &request, Id id) {
            return noContent(pipelines.remove(id.value, *request.principal()));
        }),
    });
}

// A pipeline's runs, /v1/pipelines/{id}/runs, and each run under /v1/runs/{id}.
void addRunRoutes(Router &router, PipelineService &pipelines)
{
    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/pipelines/{id}/runs"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("Runs of a pipeline, newest first"),
        .parameters = QList {OpenApi::idParameter()} + OpenApi::pageParameters(),
        .openapi = R"json({"operationId": "listRuns",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunPage"}}}},
                          "404": {"description": "No such pipeline"}, "422": {"description": "A parameter is out of range"}}})json",
        .handler = handle([&pipelines](Id id, const PageRequest &page) {
            return ok(pipelines.runs(id.value, page));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/pipelines/{id}/runs"),
        .access = Access::Admin,
        .apiKeyScope = Scopes::pipelinesWrite,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("Report a run (any CI)"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "reportRun",
            "description": "Admin, or an API key with the pipelines:write scope. Only the newest runs of a pipeline are kept (OUTPOST_RUN_RETENTION).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunReport"}}}},
            "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
                          "400": {"description": "Malformed JSON"}, "404": {"description": "No such pipeline"},
                          "409": {"description": "run_number is taken"}, "422": {"description": "Invalid fields"}}})json",
        .handler = handle([&pipelines](Request &request, Id id) -> Reply {
            auto update = bodyAs<RunUpdate>(request, true);
            if (!update)
                return fail(update.error());
            auto run = pipelines.report(id.value, *update);
            if (!run)
                return fail(run.error());
            return runAt(201, *run);
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/runs/{id}"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("A run with its stages"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "getRun",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
                          "404": {"description": "No such run"}}})json",
        .handler = handle([&pipelines](Id id) { return ok(pipelines.run(id.value)); }),
    });

    router.add({
        .method = "PATCH",
        .path = QStringLiteral("/v1/runs/{id}"),
        .access = Access::Admin,
        .apiKeyScope = Scopes::pipelinesWrite,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("Update a run's status, conclusion and stages"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "updateRun",
            "description": "Admin, or an API key with the pipelines:write scope. Absent fields stay as they are.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunReport"}}}},
            "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
                          "400": {"description": "Malformed JSON"}, "404": {"description": "No such run"},
                          "409": {"description": "run_number is taken"}, "422": {"description": "Invalid fields"}}})json",
        .handler = handle([&pipelines](Request &request, Id id) -> Reply {
            auto update = bodyAs<RunUpdate>(request, false);
            if (!update)
                return fail(update.error());
            return ok(pipelines.patch(id.value, *update));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/runs/{id}/log"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("A run's log"),
        .parameters = {OpenApi::idParameter(),
            QJsonDocument::fromJson(R"json(
            {"name": "offset", "in": "query", "description": "Only the log from this byte on (UTF-8): the size of what the client has, to follow a running log", "schema": {"type": "integer", "minimum": 0, "default": 0}})json")
                .object()},
        .openapi = R"json({"operationId": "getRunLog",
            "description": "The stage logs in stage order, each under a line \"==> <stage>\". Readable while a local run goes on: the log only grows, so a client follows it by asking from the size it has (offset).",
            "responses": {"200": {"description": "OK (from offset on; empty when nothing was added)", "content": {"text/plain": {"schema": {"type": "string"}}}},
                          "404": {"description": "No such run, or it has no log"},
                          "416": {"description": "offset is past the end of the log"},
                          "422": {"description": "offset is not a whole number, 0 or more"}}})json",
        .handler = handle([&pipelines](Request &request, Id id) -> Reply {
            qint64 offset = 0;
            const QString offsetText = request.queryItem(QStringLiteral("offset"));
            if (!offsetText.isEmpty()) {
                bool isNumber = false;
                offset = offsetText.toLongLong(&isNumber);
                if (!isNumber || offset < 0) {
                    return fail(Error::validation(QStringLiteral("offset"),
                        QStringLiteral("must be a whole number of bytes, 0 or more")));
                }
            }
            auto log = pipelines.log(id.value);
            if (!log)
                return fail(log.error());
            const QByteArray bytes = log->toUtf8();
            if (offset > bytes.size()) {
                return Problem::make(416,
                    QStringLiteral("the log has %1 bytes, fewer than offset").arg(bytes.size()),
                    request.path());
            }
            return HttpResponse::text(
                200, bytes.mid(offset), QByteArrayLiteral("text/plain; charset=utf-8"));
        }),
    });
}

// Running local pipelines on this server: trigger and cancel. `runner` is null when
// OUTPOST_LOCAL_RUNNERS is off.
void addLocalRunRoutes(Router &router, LocalRunner *runner, const AuditService &audit)
{
    const auto runnerOff = [] {
        return fail(Error::forbidden(
            QStringLiteral("local runners are off on this server (OUTPOST_LOCAL_RUNNERS)")));
    };

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/pipelines/{id}/trigger"),
        .access = Access::Admin,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("Run a local pipeline on this server"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "triggerPipeline",
            "description": "Admin, and only with OUTPOST_LOCAL_RUNNERS=on. Runs the definition's stages in order, each command without a shell unless the definition names one, stopping at the first failing stage. One run at a time per pipeline. Follow it with GET /v1/runs/{id} and /log.",
            "responses": {"202": {"description": "Started", "headers": {"Location": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
                          "403": {"description": "Not an admin, or local runners are off"},
                          "404": {"description": "No such pipeline"},
                          "409": {"description": "A run of this pipeline is still going"},
                          "422": {"description": "Not a local pipeline with a valid definition"}}})json",
        .handler = handle([runner, runnerOff, &audit](Request &request, Id id) -> Reply {
            if (!runner)
                return runnerOff();
            auto run = runner->trigger(id.value);
            if (!run)
                return fail(run.error());
            audit.record(request.principal(), QStringLiteral("pipeline.trigger"),
                QStringLiteral("run"), QString::number(run->id), request.peer().toString(),
                {{QStringLiteral("pipeline_id"), id.value}});
            return runAt(202, *run);
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/runs/{id}/cancel"),
        .access = Access::Admin,
        .tag = QStringLiteral("Pipelines"),
        .summary = QStringLiteral("Cancel a local run"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "cancelRun",
            "description": "Sends SIGTERM to the running stage's process group (SIGKILL after a grace period); the run then ends cancelled, the stages after it skipped. A run not running on this server is marked cancelled at once.",
            "responses": {"202": {"description": "Cancelling: the run as it is now", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
                          "403": {"description": "Not an admin, or local runners are off"},
                          "404": {"description": "No such run"}, "409": {"description": "The run has completed"}}})json",
        .handler = handle([runner, runnerOff, &audit](Request &request, Id id) -> Reply {
            if (!runner)
                return runnerOff();
            auto run = runner->cancel(id.value);
            if (!run)
                return fail(run.error());
            audit.record(request.principal(), QStringLiteral("run.cancel"), QStringLiteral("run"),
                QString::number(id.value), request.peer().toString());
            return HttpResponse::json(202, run->toJson());
        }),
    });
}

} // namespace

void PipelinesApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Pipelines"),
        QStringLiteral("CI/CD pipelines and their runs: reported by any CI through the API or "
                       "webhooks, or run locally on this server."));
    addSchemas(router);
    addPipelineRoutes(router, *context.pipelines);
    addRunRoutes(router, *context.pipelines);
    addLocalRunRoutes(router, context.localRunner, *context.audit);
}

} // namespace Outpost::Server
