#include "postsapi.h"

#include "apihelpers.h"
#include "http/router.h"
#include "http/slowwork.h"
#include "services/servercontext.h"
#include "services/postservice.h"

#include <QJsonArray>

namespace Outpost::Server {

using namespace Api;

namespace {

QString queryOrNull(const Request &request, const QString &name)
{
    return request.hasQueryItem(name) ? request.queryItem(name) : QString();
}

// If-None-Match (RFC 9110 13.1.2): "*" or a list of entity tags, compared weakly.
bool noneMatch(const QByteArray &header, const QByteArray &etag)
{
    const auto opaque = [](QByteArray tag) {
        tag = tag.trimmed();
        return tag.startsWith("W/") ? tag.mid(2) : tag;
    };
    for (const QByteArray &candidate : header.split(',')) {
        const QByteArray tag = candidate.trimmed();
        if (tag == "*" || opaque(tag) == opaque(etag))
            return true;
    }
    return false;
}

HttpResponse postResponse(int status, const PostView &view)
{
    return HttpResponse::json(status, view.json).withHeader(QByteArrayLiteral("ETag"), view.etag);
}

} // namespace

void PostsApi::registerRoutes(Router &router, const ServerContext &context)
{
    PostService &posts = *context.posts;

    router.addSchema(QStringLiteral("Post"), R"json({
        "type": "object",
        "required": ["id", "title", "content", "published", "created_at", "updated_at", "owner", "votes"],
        "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"}, "content": {"type": "string"},
            "published": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "owner": {"type": "object", "required": ["id", "email", "username"], "properties": {
                "id": {"type": "integer"}, "email": {"type": "string"}, "username": {"type": ["string", "null"]}}},
            "votes": {"type": "integer"}}})json");
    router.addSchema(QStringLiteral("PostWrite"), R"json({
        "type": "object", "required": ["title", "content"], "additionalProperties": false,
        "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 300},
                       "content": {"type": "string", "maxLength": 100000},
                       "published": {"type": "boolean", "default": true}}})json");
    router.addSchema(QStringLiteral("PostPage"), R"json({
        "type": "object", "required": ["items", "total", "limit", "skip"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Post"}},
                       "total": {"type": "integer"}, "limit": {"type": "integer"}, "skip": {"type": "integer"}}})json");
    router.addSchema(QStringLiteral("SearchHit"), R"json({
        "type": "object", "required": ["kind", "title", "snippet", "score"],
        "properties": {"kind": {"enum": ["post", "file"]}, "id": {"type": "integer"},
                       "file_path": {"type": "string"}, "title": {"type": "string"},
                       "snippet": {"type": "string", "description": "HTML-escaped text with matches in <mark>"},
                       "score": {"type": "number"}}})json");

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/posts"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("List posts"),
        .openapi = R"json({
            "description": "Newest first by default. Unpublished posts appear to their owner and admins only, and count only for them.",
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
                {"name": "skip", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                {"name": "search", "in": "query", "description": "Text in the title or content (case-insensitive)", "schema": {"type": "string"}},
                {"name": "owner_id", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {"name": "sort", "in": "query", "schema": {"enum": ["-created_at", "created_at", "-votes"], "default": "-created_at"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostPage"}}}},
                          "422": {"description": "A parameter is out of range"}}})json",
        .handler =
            [&posts](Request &request) {
                auto query = PostQuery::fromQuery(queryOrNull(request, QStringLiteral("limit")),
                    queryOrNull(request, QStringLiteral("skip")),
                    request.queryItem(QStringLiteral("search")),
                    queryOrNull(request, QStringLiteral("owner_id")),
                    queryOrNull(request, QStringLiteral("sort")));
                if (!query)
                    return problem(query.error(), request);
                // Written once, straight to bytes: this is the hottest read in the API.
                auto page = posts.list(*query, PostService::viewerOf(*request.principal()));
                return page ? HttpResponse::json(200, page->toJsonBytes())
                            : problem(page.error(), request);
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/posts/{id}"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("A post"),
        .openapi = R"json({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}},
                           {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "OK", "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Post"}}}},
                "304": {"description": "Not modified (If-None-Match matched)"},
                "404": {"description": "No such post, or not visible to you"}}})json",
        .handler =
            [&posts](Request &request) {
                auto id = idParam(request);
                if (!id)
                    return problem(id.error(), request);
                auto post = posts.get(*id, PostService::viewerOf(*request.principal()));
                if (!post)
                    return problem(post.error(), request);
                const QByteArray ifNoneMatch = request.header(QByteArrayLiteral("if-none-match"));
                if (!ifNoneMatch.isEmpty() && noneMatch(ifNoneMatch, post->etag)) {
                    return HttpResponse {304, {}, {}, {}}.withHeader(
                        QByteArrayLiteral("ETag"), post->etag);
                }
                return postResponse(200, *post);
            },
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/posts"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Create a post"),
        .openapi = R"json({
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostWrite"}}}},
            "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}, "ETag": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Post"}}}},
                          "400": {"description": "Malformed JSON"}, "422": {"description": "Invalid fields"}}})json",
        .handler =
            [&posts](Request &request) {
                auto body = jsonBody(request);
                if (!body)
                    return problem(body.error(), request);
                auto write = PostWrite::fromJson(*body);
                if (!write)
                    return problem(write.error(), request);
                // Answered once the batched insert has committed, from this thread: the
                // post is read back here, off the writer thread.
                const Principal principal = *request.principal();
                LaterReply reply(request);
                posts.create(*write, principal, [&posts, reply, principal](Result<qint64> id) {
                    reply.answer([&posts, reply, principal, id] {
                        if (!id)
                            return Problem::fromError(id.error(), reply.instance());
                        auto post = posts.get(*id, PostService::viewerOf(principal));
                        if (!post)
                            return Problem::fromError(post.error(), reply.instance());
                        return postResponse(201, *post)
                            .withHeader(QByteArrayLiteral("Location"),
                                QByteArrayLiteral("/v1/posts/") + QByteArray::number(*id));
                    });
                });
                return HttpResponse::deferred();
            },
    });

    router.add({
        .method = "PUT",
        .path = QStringLiteral("/v1/posts/{id}"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Replace a post"),
        .openapi = R"json({
            "description": "Owner or admin. Send If-Match with the ETag you read to avoid overwriting someone else's change: a stale one is 412 and changes nothing.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}},
                           {"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostWrite"}}}},
            "responses": {"200": {"description": "Replaced", "headers": {"ETag": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Post"}}}},
                          "403": {"description": "Not the owner"}, "404": {"description": "No such post"},
                          "412": {"description": "If-Match is stale"}, "422": {"description": "Invalid fields"}}})json",
        .handler =
            [&posts](Request &request) {
                auto id = idParam(request);
                if (!id)
                    return problem(id.error(), request);
                auto body = jsonBody(request);
                if (!body)
                    return problem(body.error(), request);
                auto write = PostWrite::fromJson(*body);
                if (!write)
                    return problem(write.error(), request);
                auto post = posts.update(*id, *write, *request.principal(),
                    request.header(QByteArrayLiteral("if-match")));
                return post ? postResponse(200, *post) : problem(post.error(), request);
            },
    });

    router.add({
        .method = "DELETE",
        .path = QStringLiteral("/v1/posts/{id}"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Delete a post"),
        .openapi = R"json({
            "description": "Owner or admin; its votes go too.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"204": {"description": "Deleted"}, "403": {"description": "Not the owner"},
                          "404": {"description": "No such post"}}})json",
        .handler =
            [&posts](Request &request) {
                auto id = idParam(request);
                if (!id)
                    return problem(id.error(), request);
                return respondNoContent(posts.remove(*id, *request.principal()), request);
            },
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/vote"),
        .tag = QStringLiteral("Posts"),
        .summary = QStringLiteral("Vote on a post, or take a vote back"),
        .openapi = R"json({
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["post_id", "dir"], "additionalProperties": false,
                "properties": {"post_id": {"type": "integer", "minimum": 1}, "dir": {"enum": [0, 1]}}}}}},
            "responses": {"201": {"description": "Vote added (dir 1) or removed (dir 0)", "content": {"application/json": {"schema": {
                              "type": "object", "properties": {"message": {"type": "string"}}}}}},
                          "404": {"description": "No such post, or (dir 0) no vote to remove"},
                          "409": {"description": "Already voted"}, "422": {"description": "dir is not 0 or 1"}}})json",
        .handler =
            [&posts](Request &request) {
                auto body = jsonBody(request);
                if (!body)
                    return problem(body.error(), request);
                auto vote = VoteRequest::fromJson(*body);
                if (!vote)
                    return problem(vote.error(), request);
                LaterReply reply(request);
                posts.vote(*vote, *request.principal(), [reply](Result<QString> message) {
                    reply.answer([reply, message] {
                        if (!message)
                            return Problem::fromError(message.error(), reply.instance());
                        return HttpResponse::json(
                            201, QJsonObject {{QStringLiteral("message"), *message}});
                    });
                });
                return HttpResponse::deferred();
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/posts/{id}/phrases"),
        .tag = QStringLiteral("Search"),
        .summary = QStringLiteral("Key phrases of a post"),
        .openapi = R"json({
            "description": "Up to 10 key phrases of the title and content (RAKE over an English stop-word list), best first, lower case.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"phrases": {"type": "array", "items": {"type": "string"}}}}}}},
                "404": {"description": "No such post"}}})json",
        .handler =
            [&posts](Request &request) {
                auto id = idParam(request);
                if (!id)
                    return problem(id.error(), request);
                auto phrases = posts.phrases(*id, PostService::viewerOf(*request.principal()));
                if (!phrases)
                    return problem(phrases.error(), request);
                return ok({{QStringLiteral("phrases"), QJsonArray::fromStringList(*phrases)}});
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/search"),
        .tag = QStringLiteral("Search"),
        .summary = QStringLiteral("Full-text search over posts and file paths"),
        .openapi = R"json({
            "description": "Ranked. The query is plain text: quotes, *, NEAR, operators and the like are searched for literally. Every word must occur.",
            "parameters": [
                {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
                {"name": "skip", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object", "required": ["items", "total"], "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
                    "total": {"type": "integer"}, "limit": {"type": "integer"}, "skip": {"type": "integer"}}}}}},
                "422": {"description": "q missing or a parameter out of range"}}})json",
        .handler =
            [&posts](Request &request) {
                auto page = pageOf(request);
                if (!page)
                    return problem(page.error(), request);
                return respond(posts.search(request.queryItem(QStringLiteral("q")), *page,
                                   PostService::viewerOf(*request.principal())),
                    request);
            },
    });
}

} // namespace Outpost::Server
