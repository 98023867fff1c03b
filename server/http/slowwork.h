#pragma once

#include "request.h"

#include <QThreadPool>

#include <functional>

namespace Outpost::Server {

// Runs `work` on `pool` (bcrypt, big file I/O) and answers the request with what it returns,
// so the HTTP thread serves other requests meanwhile. Returns HttpResponse::deferred(): the
// handler returns that. `work` must not capture the request: copy what it needs first.
HttpResponse runOffThread(QThreadPool &pool, Request &request, std::function<HttpResponse()> work);

// A request answered later, for work that completes on another thread (a batched database
// write). Constructing it defers the request: the handler then returns
// HttpResponse::deferred(), and someone must call answer() exactly once, from any thread.
class LaterReply
{
public:
    explicit LaterReply(Request &request);

    // Runs `make` on the request's own HTTP thread (so it may use that thread's database
    // connection) and sends what it returns; an exception becomes a 500 problem.
    void answer(std::function<HttpResponse()> make) const;
    // The request's path, for problem details.
    const QString &instance() const { return m_instance; }

private:
    DeferredReply m_reply;
    QString m_instance;
    QByteArray m_requestId;
};

} // namespace Outpost::Server
