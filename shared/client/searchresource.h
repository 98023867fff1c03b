#pragma once

#include "models/page.h"
#include "models/post.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// GET /v1/search: ranked full-text hits over posts and file paths. A hit's snippet is HTML
// from the server (matches in <mark>); show it only through an escaping parser.
class SearchResource
{
public:
    explicit SearchResource(ApiClient *client)
        : m_client(client)
    { }

    Reply<Page<SearchHit>> search(const QString &text, const PageRequest &page) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
