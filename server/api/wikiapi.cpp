#include "wikiapi.h"

#include "apihelpers.h"
#include "http/router.h"
#include "models/apikey.h"
#include "services/servercontext.h"
#include "services/wikiservice.h"

namespace Outpost::Server {

using namespace Api;

void WikiApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Wiki"),
        QStringLiteral("Page summaries from a MediaWiki REST API (Wikipedia by default), with "
                       "their key phrases."));
    router.addSchema(QStringLiteral("WikiSummary"), R"json({
        "type": "object", "required": ["title", "summary", "url", "phrases"],
        "properties": {
            "title": {"type": "string", "description": "The wiki's normalized title"},
            "summary": {"type": "string", "description": "The page's first sentences, plain text"},
            "url": {"type": "string", "description": "The page on the wiki, for people"},
            "phrases": {"type": "array", "items": {"type": "string"}, "description": "Up to 10 key phrases of the title and summary (RAKE), best first, lower case"}}})json");

    const WikiService &wiki = *context.wiki;
    QThreadPool &pool = *context.slowPool;
    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/wiki/{title}"),
        .apiKeyScope = Scopes::read,
        .tag = QStringLiteral("Wiki"),
        .summary = QStringLiteral("Look a page up on the wiki"),
        .openapi = R"json({"operationId": "lookupWikiPage",
            "description": "Fetches the page's summary from the wiki of OUTPOST_WIKI_URL (page/summary/{title}) and keeps it with its ETag, revalidated on every lookup. A wiki slower than OUTPOST_WIKI_TIMEOUT is a 504.",
            "parameters": [{"name": "title", "in": "path", "required": true, "description": "The page title; spaces or underscores", "schema": {"type": "string", "minLength": 1, "maxLength": 255}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WikiSummary"}}}},
                          "404": {"description": "The wiki has no such page, or the lookup is off (OUTPOST_WIKI_URL=off)"},
                          "422": {"description": "The title is too long"},
                          "502": {"description": "The wiki failed or answered something that is not a summary"},
                          "504": {"description": "The wiki did not answer in time"}}})json",
        .handler =
            [&wiki, &pool](Request &request) {
                return offThread(
                    pool, request, [&wiki, title = request.pathParam(QStringLiteral("title"))] {
                        return ok(wiki.lookup(title));
                    });
            },
        .expensive = true,
    });
}

} // namespace Outpost::Server
