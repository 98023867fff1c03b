#include "subscriptionsapi.h"

#include "apihelpers.h"
#include "http/openapi.h"
#include "http/router.h"
#include "services/servercontext.h"
#include "services/subscriptionservice.h"

namespace Outpost::Server {

using namespace Api;

// An error response in the shared problem+json shape.
#define OUTPOST_PROBLEM(text)                                                                      \
    "{\"description\": \"" text "\", \"content\": {\"application/problem+json\": {\"schema\": "    \
    "{\"$ref\": \"#/components/schemas/Problem\"}}}}"

namespace {

Result<qint64> deliveryParam(const Request &request)
{
    return idParam(request, QStringLiteral("delivery"));
}

} // namespace

void SubscriptionsApi::registerRoutes(Router &router, const ServerContext &context)
{
    SubscriptionService &subscriptions = *context.subscriptions;

    router.addTag(QStringLiteral("Subscriptions"),
        QStringLiteral("Outgoing events: signed webhooks (Standard Webhooks) and e-mail "
                       "notifications, with their deliveries."));

    router.addSchema(QStringLiteral("Subscription"), R"json({
        "type": "object",
        "required": ["id", "owner_id", "kind", "events", "description", "enabled", "created_at", "updated_at"],
        "properties": {
            "id": {"type": "integer"}, "owner_id": {"type": "integer"},
            "kind": {"enum": ["webhook", "email"]},
            "url": {"type": "string", "format": "uri", "description": "webhook subscriptions"},
            "to": {"type": "string", "format": "email", "description": "e-mail subscriptions"},
            "events": {"type": "array", "items": {"type": "string"}, "example": ["post.created", "file.*", "run.failed"]},
            "description": {"type": "string"},
            "enabled": {"type": "boolean"},
            "disabled_reason": {"type": ["string", "null"], "description": "Why the server turned it off (deliveries failing for OUTPOST_WEBHOOK_DISABLE_AFTER)"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "secret": {"type": "string", "description": "whsec_ + base64: the signing key. Only in the answers to create and rotate-secret.", "example": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}})json");
    router.addSchema(QStringLiteral("SubscriptionCreate"), R"json({
        "type": "object", "required": ["kind", "events"], "additionalProperties": false,
        "properties": {
            "kind": {"enum": ["webhook", "email"]},
            "url": {"type": "string", "maxLength": 2000, "description": "kind webhook: https (http and private addresses only with OUTPOST_WEBHOOK_ALLOW_PRIVATE)"},
            "to": {"type": "string", "maxLength": 254, "description": "kind email: your own address unless you are an admin"},
            "events": {"type": "array", "minItems": 1, "maxItems": 50, "items": {"type": "string", "pattern": "^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?)$"},
                       "description": "Event types (post.created) or families (file.*), or * for all; families: post, vote, file, user, pipeline, run, ping"},
            "description": {"type": "string", "maxLength": 500}}})json");
    router.addSchema(QStringLiteral("SubscriptionUpdate"), R"json({
        "type": "object", "additionalProperties": false,
        "properties": {
            "url": {"type": "string", "maxLength": 2000}, "to": {"type": "string", "maxLength": 254},
            "events": {"type": "array", "minItems": 1, "maxItems": 50, "items": {"type": "string"}},
            "description": {"type": "string", "maxLength": 500},
            "enabled": {"type": "boolean", "description": "true turns a disabled subscription on again (its failure clock restarts)"}}})json");
    router.addSchema(
        QStringLiteral("SubscriptionPage"), OpenApi::pageSchema(QStringLiteral("Subscription")));
    router.addSchema(QStringLiteral("SubscriptionDelivery"), R"json({
        "type": "object",
        "required": ["id", "subscription_id", "message_id", "event", "status", "attempts", "created_at"],
        "properties": {
            "id": {"type": "integer"}, "subscription_id": {"type": "integer"},
            "message_id": {"type": "string", "description": "The webhook-id header: the same on every attempt"},
            "event": {"type": "string"},
            "status": {"enum": ["pending", "delivered", "failed"]},
            "attempts": {"type": "integer"},
            "response_code": {"type": ["integer", "null"]},
            "response_body": {"type": ["string", "null"], "description": "The first KiB of the receiver's last answer"},
            "latency_ms": {"type": ["integer", "null"]},
            "last_error": {"type": ["string", "null"]},
            "next_attempt_at": {"type": ["string", "null"], "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": ["string", "null"], "format": "date-time"}}})json");
    router.addSchema(QStringLiteral("SubscriptionDeliveryPage"),
        OpenApi::pageSchema(QStringLiteral("SubscriptionDelivery")));

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/subscriptions"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("Subscribe to events (webhook or e-mail)"),
        .openapi = R"json({
            "operationId": "createSubscription",
            "description": "Webhooks are delivered per the Standard Webhooks specification: headers webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of id.timestamp.body with the secret's base64-decoded bytes>), body {\"type\", \"timestamp\", \"data\": {\"id\"}}. The secret is in this response only. You receive only events you may see (admins: all).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SubscriptionCreate"}}}},
            "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Subscription"}}}},
                          "400": )json" OUTPOST_PROBLEM("Malformed JSON") R"json(,
                          "403": )json" OUTPOST_PROBLEM("An e-mail subscription to another address "
                                                        "(admins only)") R"json(,
                          "422": )json" OUTPOST_PROBLEM("Invalid fields, a URL that is not https "
                                                        "or names a private address") R"json(}})json",
        .handler =
            handle([&subscriptions](Request &request, const SubscriptionCreate &create) -> Reply {
                auto made = subscriptions.create(create, callerOf(request));
                if (!made)
                    return fail(made.error());
                return created(made->toJson(), QStringLiteral("/v1/subscriptions/%1").arg(made->id))
                    .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
            }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/subscriptions"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("List subscriptions"),
        .parameters = OpenApi::pageParameters(),
        .openapi = R"json({
            "operationId": "listSubscriptions",
            "description": "Yours, newest first; an admin's list holds everyone's. Never the secrets.",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SubscriptionPage"}}}},
                          "422": )json" OUTPOST_PROBLEM(
            "limit or skip out of range") R"json(}})json",
        .handler = handle([&subscriptions](Request &request, const PageRequest &page) {
            return ok(subscriptions.list(*request.principal(), page));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/subscriptions/{id}"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("Get a subscription"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({
            "operationId": "getSubscription",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Subscription"}}}},
                          "404": )json" OUTPOST_PROBLEM("No such subscription of yours") R"json(,
                          "422": )json" OUTPOST_PROBLEM(
            "The id is not a positive integer") R"json(}})json",
        .handler = handle([&subscriptions](Request &request, Id id) {
            return ok(subscriptions.get(id.value, *request.principal()));
        }),
    });

    router.add({
        .method = "PUT",
        .path = QStringLiteral("/v1/subscriptions/{id}"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("Change a subscription"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({
            "operationId": "updateSubscription",
            "description": "Changes the members given. \"enabled\": true turns on a subscription the server disabled; its held deliveries then go out.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SubscriptionUpdate"}}}},
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Subscription"}}}},
                          "400": )json" OUTPOST_PROBLEM("Malformed JSON") R"json(,
                          "403": )json" OUTPOST_PROBLEM(
            "An e-mail subscription to another address (admins only)") R"json(,
                          "404": )json" OUTPOST_PROBLEM("No such subscription of yours") R"json(,
                          "422": )json" OUTPOST_PROBLEM("Invalid fields") R"json(}})json",
        .handler =
            handle([&subscriptions](Request &request, Id id, const SubscriptionUpdate &update) {
                return ok(subscriptions.update(id.value, update, callerOf(request)));
            }),
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/subscriptions/{id}"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("Delete a subscription"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({
            "operationId": "deleteSubscription",
            "description": "Its pending deliveries go with it.",
            "responses": {"204": {"description": "Deleted"},
                          "404": )json" OUTPOST_PROBLEM("No such subscription of yours") R"json(,
                          "422": )json" OUTPOST_PROBLEM(
            "The id is not a positive integer") R"json(}})json",
        .handler = handle([&subscriptions](Request &request, Id id) {
            return noContent(subscriptions.remove(id.value, callerOf(request)));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/subscriptions/{id}/rotate-secret"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("Give a webhook subscription a new signing secret"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({
            "operationId": "rotateSubscriptionSecret",
            "description": "The new secret is in this response only. For 24 hours every delivery carries two signatures (new and old, space-separated in webhook-signature), so receivers can switch over without losing one.",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Subscription"}}}},
                          "404": )json" OUTPOST_PROBLEM("No such subscription of yours") R"json(,
                          "409": )json" OUTPOST_PROBLEM("An e-mail subscription has no secret") R"json(,
                          "422": )json" OUTPOST_PROBLEM(
            "The id is not a positive integer") R"json(}})json",
        .handler = handle([&subscriptions](Request &request, Id id) -> Reply {
            auto rotated = subscriptions.rotateSecret(id.value, callerOf(request));
            if (!rotated)
                return fail(rotated.error());
            return ok(rotated->toJson())
                .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/subscriptions/{id}/test"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("Send a ping event"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({
            "operationId": "testSubscription",
            "description": "Queues a ping event ({\"type\": \"ping\", \"data\": {\"subscription_id\"}}) to this subscription; watch its deliveries for the outcome.",
            "responses": {"202": {"description": "Queued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SubscriptionDelivery"}}}},
                          "404": )json" OUTPOST_PROBLEM("No such subscription of yours") R"json(,
                          "422": )json" OUTPOST_PROBLEM(
            "The id is not a positive integer") R"json(}})json",
        .handler = handle([&subscriptions](Request &request, Id id) -> Reply {
            auto queued = subscriptions.test(id.value, callerOf(request));
            if (!queued)
                return fail(queued.error());
            return HttpResponse::json(202, queued->toJson());
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/subscriptions/{id}/deliveries"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("A subscription's deliveries"),
        .parameters =
            [] {
                QList<QJsonObject> parameters {OpenApi::idParameter()};
                parameters.append(OpenApi::pageParameters());
                return parameters;
            }(),
        .openapi = R"json({
            "operationId": "listSubscriptionDeliveries",
            "description": "Newest first: the event, attempts, status, the receiver's last answer (code, start of the body, latency) and when the next attempt is due.",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SubscriptionDeliveryPage"}}}},
                          "404": )json" OUTPOST_PROBLEM("No such subscription of yours") R"json(,
                          "422": )json" OUTPOST_PROBLEM(
            "The id, limit or skip is out of range") R"json(}})json",
        .handler = handle([&subscriptions](Request &request, Id id, const PageRequest &page) {
            return ok(subscriptions.deliveries(id.value, *request.principal(), page));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/subscriptions/{id}/deliveries/{delivery}/retry"),
        .tag = QStringLiteral("Subscriptions"),
        .summary = QStringLiteral("Send a delivery again now"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({
            "operationId": "retrySubscriptionDelivery",
            "description": "Due at once with a fresh attempt count, whatever its status (a failed delivery too).",
            "parameters": [{"name": "delivery", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"202": {"description": "Queued again", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"const": "pending"}}}}}},
                          "404": )json" OUTPOST_PROBLEM(
            "No such subscription of yours, no such "
            "delivery, or it is being sent right now") R"json(,
                          "422": )json" OUTPOST_PROBLEM("An id is not a positive integer") R"json(}})json",
        .handler = handle([&subscriptions](Request &request, Id id) -> Reply {
            auto delivery = deliveryParam(request);
            if (!delivery)
                return fail(delivery.error());
            if (auto retried = subscriptions.retry(id.value, *delivery, callerOf(request));
                !retried)
                return fail(retried.error());
            return HttpResponse::json(
                202, QJsonObject {{QStringLiteral("status"), QStringLiteral("pending")}});
        }),
    });
}

#undef OUTPOST_PROBLEM

} // namespace Outpost::Server
