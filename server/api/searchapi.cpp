#include "searchapi.h"

#include "apihelpers.h"
#include "http/openapi.h"
#include "http/router.h"
#include "models/apikey.h"
#include "services/postservice.h"
#include "services/servercontext.h"

#include <QJsonArray>

namespace Outpost::Server {

using namespace Api;

void SearchApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Search"),
        QStringLiteral("Full-text search over posts and file paths, and key phrases of a post."));
    PostService &posts = *context.posts;

    router.addSchema(QStringLiteral("SearchHit"), R"json({
        "type": "object", "required": ["kind", "title", "snippet", "score"],
        "properties": {"kind": {"enum": ["post", "file"]}, "id": {"type": "integer"},
                       "file_path": {"type": "string"}, "title": {"type": "string"},
                       "snippet": {"type": "string", "description": "HTML-escaped text with matches in <mark>"},
                       "score": {"type": "number"}}})json");
    router.addSchema(
        QStringLiteral("SearchHitPage"), OpenApi::pageSchema(QStringLiteral("SearchHit")));

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/search"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Search"),
        .summary = QStringLiteral("Full-text search over posts and file paths"),
        .parameters = OpenApi::pageParameters(),
        .openapi = R"json({"operationId": "search",
            "description": "Ranked. The query is plain text: quotes, *, NEAR, operators and the like are searched for literally. Every word must occur.",
            "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchHitPage"}}}},
                          "422": {"description": "q missing or a parameter out of range"}}})json",
        .handler = handle([&posts](Request &request, const PageRequest &page) {
            return ok(posts.search(request.queryItem(QStringLiteral("q")), page,
                PostService::viewerOf(*request.principal())));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/posts/{id}/phrases"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Search"),
        .summary = QStringLiteral("Key phrases of a post"),
        .parameters = {OpenApi::idParameter()},
        .openapi = R"json({"operationId": "getPostPhrases",
            "description": "Up to 10 key phrases of the title and content (RAKE over an English stop-word list), best first, lower case.",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"phrases": {"type": "array", "items": {"type": "string"}}}}}}},
                "404": {"description": "No such post"}}})json",
        .handler = handle([&posts](Request &request, Id id) -> Reply {
            auto phrases = posts.phrases(id.value, PostService::viewerOf(*request.principal()));
            if (!phrases)
                return fail(phrases.error());
            return ok({{QStringLiteral("phrases"), QJsonArray::fromStringList(*phrases)}});
        }),
    });
}

} // namespace Outpost::Server
