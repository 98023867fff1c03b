// Query strings and form bodies: a request-target's query decoded by Request::queryItem and
// read by the models' fromQuery (the posts, files and paging parameters of server/api), and a
// sign-in form body read by Api::credentialsOf. The input is "query\nform body".
#include "api/apihelpers.h"
#include "api/credentials.h"
#include "fuzzrequest.h"
#include "models/file.h"
#include "models/page.h"
#include "models/post.h"

#include <cstddef>
#include <cstdint>

using namespace Outpost;
using namespace Outpost::Server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [query, form] = Fuzz::splitAt(data, size, '\n');
    const Request request = Fuzz::makeRequest(QByteArrayLiteral("GET"), "/v1/posts?" + query,
        {{QByteArrayLiteral("content-type"),
            QByteArrayLiteral("application/x-www-form-urlencoded")}},
        form);

    (void)Api::pageOf(request);
    (void)PostQuery::fromQuery(request.queryItem(QStringLiteral("limit")),
        request.queryItem(QStringLiteral("skip")), request.queryItem(QStringLiteral("search")),
        request.queryItem(QStringLiteral("owner_id")), request.queryItem(QStringLiteral("sort")));
    (void)FileListQuery::fromQuery(request.queryItem(QStringLiteral("directory")),
        request.queryItem(QStringLiteral("page_size")),
        request.queryItem(QStringLiteral("page_token")));
    (void)request.hasQueryItem(QStringLiteral("q"));
    (void)request.queryItem(QStringLiteral("q"));
    (void)Api::credentialsOf(request);
    return 0;
}
