#include "postsapi.h"

#include "apihelpers.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "models/apikey.h"
#include "services/postservice.h"
#include "services/servercontext.h"

namespace Outpost::Server {

using namespace Api;

namespace {

HttpResponse postResponse(int status, const PostView &view)
{
    return HttpResponse::json(status, view.json).withHeader(QByteArrayLiteral("ETag"), view.etag);
}

} // namespace

void PostsApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Posts"),
        QStringLiteral("Posts with optimistic concurrency (ETag, If-Match) and votes."));
    PostService &posts = *context.posts;

    router.addSchema(QStringLiteral("Post"), R"json({
        "type": "object",
        "required": ["id", "title", "content", "published", "created_at", "updated_at", "owner", "votes"],
        "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"}, "content": {"type": "string"},
            "published": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "owner": {"type": "object", "required": ["id", "username"], "properties": {
                "id": {"type": "integer"},
                "email": {"type": "string", "description": "Only to the owner and admins."},
                "username": {"type": ["string", "null"]}}},
            "votes": {"type": "integer"}}})json");
    router.addSchema(QStringLiteral("PostWrite"), R"json({
        "type": "object", "required": ["title", "content"], "additionalProperties": false,
        "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 300},
                       "content": {"type": "string", "maxLength": 100000},
                       "published": {"type": "boolean", "description": "true when absent"}}})json");
    router.addSchema(QStringLiteral("PostPage"), OpenApi::pageSchema(QStringLiteral("Post")));

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/posts"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("List posts"),
        .parameters = OpenApi::pageParameters(),
        .openapi = R"json({"operationId": "listPosts",
            "description": "Newest first by default. Unpublished posts appear to their owner and admins only, and count only for them.",
            "parameters": [
                {"name": "search", "in": "query", "description": "Text in the title or content (case-insensitive)", "schema": {"type": "string"}},
                {"name": "owner_id", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {"name": "sort", "in": "query", "schema": {"enum": ["-created_at", "created_at", "-votes"], "default": "-created_at"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostPage"}}}},
                          "422": {"description": "A parameter is out of range"}}})json",
        .handler = handle([&posts](Request &request) -> Reply {
            auto query = PostQuery::fromQuery(request.queryItem(QStringLiteral("limit")),
                request.queryItem(QStringLiteral("skip")),
                request.queryItem(QStringLiteral("search")),
                request.queryItem(QStringLiteral("owner_id")),
                request.queryItem(QStringLiteral("sort")));
            if (!query)
                return fail(query.error());
            // Written once, straight to bytes: this is the hottest read in the API.
            auto page = posts.list(*query, PostService::viewerOf(*request.principal()));
            if (!page)
                return fail(page.error());
            return HttpResponse::json(200, page->toJsonBytes());
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/posts/{id}"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("A post"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "getPost",
            "parameters": [{"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "OK", "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Post"}}}},
                "304": {"description": "Not modified (If-None-Match matched)"},
                "404": {"description": "No such post, or not visible to you"}}})json",
        .handler = handle([&posts](Request &request, Id id) -> Reply {
            auto post = posts.get(id.value, PostService::viewerOf(*request.principal()));
            if (!post)
                return fail(post.error());
            if (noneMatch(request, post->etag)) {
                return HttpResponse {304, {}, {}, {}}.withHeader(
                    QByteArrayLiteral("ETag"), post->etag);
            }
            return postResponse(200, *post);
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/posts"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Create a post"),
        .openapi = R"json({"operationId": "createPost",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostWrite"}}}},
            "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}, "ETag": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Post"}}}},
                          "400": {"description": "Malformed JSON"}, "422": {"description": "Invalid fields"}}})json",
        .handler = handle([&posts](Request &request, const PostWrite &write) {
            // Answered once the batched insert has committed, from this thread: the post as
            // written (no read back) is turned into JSON here, off the writer thread.
            LaterReply reply(request);
            posts.create(write, *request.principal(), [reply](Result<Post> post) {
                answerLater(reply, [post = std::move(post)]() -> Reply {
                    if (!post)
                        return fail(post.error());
                    return postResponse(201, PostService::view(*post))
                        .withHeader(QByteArrayLiteral("Location"),
                            QByteArrayLiteral("/v1/posts/") + QByteArray::number(post->id));
                });
            });
            return HttpResponse::deferred();
        }),
    });

    router.add({
        .method = "PUT",
        .path = QStringLiteral("/v1/posts/{id}"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Replace a post"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "updatePost",
            "description": "Owner or admin. Send If-Match with the ETag you read to avoid overwriting someone else's change: a stale one is 412 and changes nothing.",
            "parameters": [{"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostWrite"}}}},
            "responses": {"200": {"description": "Replaced", "headers": {"ETag": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Post"}}}},
                          "403": {"description": "Not the owner"}, "404": {"description": "No such post"},
                          "412": {"description": "If-Match is stale"}, "422": {"description": "Invalid fields"}}})json",
        .handler = handle([&posts](Request &request, Id id, const PostWrite &write) -> Reply {
            auto post = posts.update(id.value, write, *request.principal(),
                request.header(QByteArrayLiteral("if-match")));
            if (!post)
                return fail(post.error());
            return postResponse(200, *post);
        }),
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/posts/{id}"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Delete a post"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "deletePost",
            "description": "Owner or admin; its votes go too.",
            "responses": {"204": {"description": "Deleted"}, "403": {"description": "Not the owner"},
                          "404": {"description": "No such post"}}})json",
        .handler = handle([&posts](Request &request, Id id) {
            return noContent(posts.remove(id.value, *request.principal()));
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/vote"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Vote on a post, or take a vote back"),
        .openapi = R"json({"operationId": "votePost",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["post_id", "dir"], "additionalProperties": false,
                "properties": {"post_id": {"type": "integer", "minimum": 1}, "dir": {"enum": [0, 1]}}}}}},
            "responses": {"201": {"description": "Vote added (dir 1) or removed (dir 0)", "content": {"application/json": {"schema": {
                              "type": "object", "properties": {"message": {"type": "string"}}}}}},
                          "404": {"description": "No such post, or (dir 0) no vote to remove"},
                          "409": {"description": "Already voted"}, "422": {"description": "dir is not 0 or 1"}}})json",
        .handler = handle([&posts](Request &request, const VoteRequest &vote) {
            LaterReply reply(request);
            posts.vote(vote, *request.principal(), [reply](const Result<QString> &message) {
                answerLater(reply, [message]() -> Reply {
                    if (!message)
                        return fail(message.error());
                    return HttpResponse::json(
                        201, QJsonObject {{QStringLiteral("message"), *message}});
                });
            });
            return HttpResponse::deferred();
        }),
    });
}

} // namespace Outpost::Server
