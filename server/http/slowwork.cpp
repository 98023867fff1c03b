#include "slowwork.h"

#include "core/tsanhandoff.h"
#include "httplog.h"
#include "problem.h"

#include <QRunnable>

#include <exception>
#include <optional>

namespace Outpost::Server {

namespace {

// What `work` returns, or a 500 problem naming the request if it throws.
HttpResponse guarded(
    const std::function<HttpResponse()> &work, const QByteArray &requestId, const QString &instance)
{
    try {
        return work();
    } catch (const std::exception &e) {
        qCCritical(lcHttp).noquote() << "request" << requestId << "failed:" << e.what();
    } catch (...) {
        qCCritical(lcHttp).noquote() << "request" << requestId << "failed";
    }
    return Problem::make(500,
        QStringLiteral("an internal error occurred; request id %1")
            .arg(QString::fromLatin1(requestId)),
        instance);
}

} // namespace

HttpResponse runOffThread(QThreadPool &pool, Request &request, std::function<HttpResponse()> work)
{
    DeferredReply reply = request.defer();
    const QString instance = request.path();
    const QByteArray requestId = request.requestId();
    // The work belongs to the request's trace: its log lines and outgoing calls say so.
    std::optional<Tracing::SpanContext> trace;
    if (request.trace())
        trace = *request.trace();
    std::function<void()> task = [reply = std::move(reply), instance, requestId, trace,
                                     work = std::move(work)]() mutable {
        TsanHandOff::acquire();
        const Tracing::Scope scope(trace ? &*trace : nullptr);
        // Moved: the pool thread keeps no share of the request once it has answered (the
        // connection's thread releases it, see DeferredReply::send).
        std::move(reply).send(guarded(work, requestId, instance));
    };
    TsanHandOff::release(); // after the task is made: QThreadPool only moves it from here
    pool.start(std::move(task));
    return HttpResponse::deferred();
}

LaterReply::LaterReply(Request &request)
    : m_reply(request.defer())
    , m_instance(request.path())
    , m_requestId(request.requestId())
{ }

void LaterReply::answer(std::function<HttpResponse()> make) const
{
    m_reply.sendMade([make = std::move(make), requestId = m_requestId, instance = m_instance] {
        return guarded(make, requestId, instance);
    });
}

} // namespace Outpost::Server
