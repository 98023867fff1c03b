#include "webhooksapi.h"

#include "apihelpers.h"
#include "http/router.h"
#include "models/apikey.h"
#include "services/codebuildwebhooks.h"
#include "services/githubwebhooks.h"
#include "services/pipelineservice.h"
#include "services/servercontext.h"

namespace Outpost::Server {

using namespace Api;

namespace {

Reply applied(const Result<std::optional<qint64>> &result)
{
    if (!result)
        return fail(result.error());
    if (!*result)
        return ok({{QStringLiteral("duplicate"), true}});
    return ok({{QStringLiteral("duplicate"), false}, {QStringLiteral("run_id"), **result}});
}

} // namespace

void WebhooksApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Webhooks"),
        QStringLiteral(
            "Signed deliveries from GitHub Actions and AWS CodeBuild that update pipeline runs."));
    PipelineService &pipelines = *context.pipelines;
    const QByteArray secret = context.config.githubWebhookSecret;

    router.addSchema(QStringLiteral("WebhookResult"), R"json({
        "type": "object",
        "properties": {"duplicate": {"type": "boolean", "description": "This delivery was handled before; nothing changed"},
                       "run_id": {"type": "integer"}, "ignored": {"type": "boolean"},
                       "message": {"type": "string"}, "zen": {"type": "string"}}})json");

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/webhooks/github"),
        .access = Access::Public,
        .tag = QStringLiteral("Webhooks"),
        .summary = QStringLiteral("GitHub webhook: workflow_run, workflow_job, ping"),
        .openapi = R"json({"operationId": "receiveGitHubWebhook",
            "description": "Verified by X-Hub-Signature-256 (HMAC-SHA256 of the raw body with OUTPOST_GITHUB_WEBHOOK_SECRET, compared in constant time). workflow_run events update runs, workflow_job events (with steps) their stages; an event never moves a run or stage back to an earlier status, so late deliveries change nothing. A repeated X-GitHub-Delivery changes nothing. Other events are acknowledged and ignored.",
            "parameters": [
                {"name": "X-Hub-Signature-256", "in": "header", "required": true, "schema": {"type": "string"}},
                {"name": "X-GitHub-Event", "in": "header", "required": true, "schema": {"type": "string"}},
                {"name": "X-GitHub-Delivery", "in": "header", "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "Handled (or a redelivery)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookResult"}}}},
                          "202": {"description": "An event Outpost does not use", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookResult"}}}},
                          "400": {"description": "Malformed JSON or no X-GitHub-Event"},
                          "401": {"description": "Missing or wrong signature, or no secret configured"},
                          "422": {"description": "The payload lacks fields the event must have"}}})json",
        .handler = handle([&pipelines, secret](Request &request) -> Reply {
            const QByteArray signature = request.header(QByteArrayLiteral("x-hub-signature-256"));
            if (secret.isEmpty()) {
                return fail(Error::unauthorized(
                    QStringLiteral("GitHub webhooks are not configured on this server")));
            }
            if (!GitHubWebhooks::signatureValid(secret, request.body(), signature)) {
                return fail(Error::unauthorized(signature.isEmpty()
                        ? QStringLiteral("X-Hub-Signature-256 is missing")
                        : QStringLiteral("X-Hub-Signature-256 does not match")));
            }
            const QByteArray event = request.header(QByteArrayLiteral("x-github-event")).trimmed();
            if (event.isEmpty())
                return fail(Error::badRequest(QStringLiteral("X-GitHub-Event is missing")));
            auto outcome = jsonBody(request).and_then([&event](const QJsonObject &payload) {
                return GitHubWebhooks::map(event, payload);
            });
            if (!outcome)
                return fail(outcome.error());
            switch (outcome->kind) {
            case GitHubWebhooks::Outcome::Kind::Ping:
                return ok({{QStringLiteral("message"), QStringLiteral("pong")},
                    {QStringLiteral("zen"), outcome->message}});
            case GitHubWebhooks::Outcome::Kind::Ignored:
                return HttpResponse::json(202,
                    QJsonObject {{QStringLiteral("ignored"), true},
                        {QStringLiteral("message"), outcome->message}});
            case GitHubWebhooks::Outcome::Kind::Update:
                break;
            }
            const QString delivery = QString::fromLatin1(
                request.header(QByteArrayLiteral("x-github-delivery")).trimmed().left(200));
            return applied(pipelines.applyExternal(outcome->update, delivery));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/webhooks/codebuild"),
        .access = Access::Admin,
        .apiKeyScope = Scopes::pipelinesWrite,
        .tag = QStringLiteral("Webhooks"),
        .summary = QStringLiteral("AWS CodeBuild build state and phase changes (EventBridge)"),
        .openapi = R"json({"operationId": "receiveCodeBuildEvent",
            "description": "An API key with the pipelines:write scope (for example from an EventBridge API destination). Takes the EventBridge event JSON of \"CodeBuild Build State Change\" and \"CodeBuild Build Phase Change\": the project is the pipeline, the build its run, the phases its stages. An event id seen before changes nothing.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["detail-type", "detail"],
                "properties": {"id": {"type": "string"}, "detail-type": {"enum": ["CodeBuild Build State Change", "CodeBuild Build Phase Change"]},
                               "detail": {"type": "object"}}}}}},
            "responses": {"200": {"description": "Handled (or a redelivery)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookResult"}}}},
                          "400": {"description": "Malformed JSON"}, "422": {"description": "Not a CodeBuild event, or fields missing"}}})json",
        .handler = handle([&pipelines](Request &request) -> Reply {
            auto payload = jsonBody(request);
            if (!payload)
                return fail(payload.error());
            auto update = CodeBuildWebhooks::map(*payload);
            if (!update)
                return fail(update.error());
            const QString eventId = payload->value(QStringLiteral("id")).toString().left(200);
            return applied(pipelines.applyExternal(*update, eventId));
        }),
    });
}

} // namespace Outpost::Server
