#pragma once

#include "request.h"

#include <QThreadPool>

#include <functional>

namespace Outpost::Server {

// Runs `work` on `pool` (bcrypt, big file I/O) and answers the request with what it returns,
// so the HTTP thread serves other requests meanwhile. Returns HttpResponse::deferred(): the
// handler returns that. `work` must not capture the request: copy what it needs first.
HttpResponse runOffThread(QThreadPool &pool, Request &request, std::function<HttpResponse()> work);

} // namespace Outpost::Server
