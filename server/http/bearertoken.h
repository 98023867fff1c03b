#pragma once

#include "core/result.h"

#include <QByteArray>

namespace Outpost::Server {

class Request;

// The credential of "Authorization: Bearer <credential>" (the scheme in any case). Unauthorized
// when the header is missing or names another scheme.
Result<QByteArray> bearerToken(const Request &request);

} // namespace Outpost::Server
