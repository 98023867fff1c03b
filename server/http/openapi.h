#pragma once

#include "router.h"

#include <QJsonObject>

namespace Outpost::Server {

// Builds the OpenAPI 3.1 document from the route table: every route's own description, plus
// what the router itself guarantees (problem responses, X-Request-Id, security by access).
class OpenApi
{
public:
    static QJsonObject document(const Router &router, const QString &version);
};

} // namespace Outpost::Server
