#include "slowwork.h"

#include "httplog.h"
#include "problem.h"

#include <QRunnable>

#include <exception>

namespace Outpost::Server {

HttpResponse runOffThread(QThreadPool &pool, Request &request, std::function<HttpResponse()> work)
{
    DeferredReply reply = request.defer();
    const QString instance = request.path();
    const QByteArray requestId = request.requestId();
    pool.start([reply, instance, requestId, work = std::move(work)] {
        HttpResponse response;
        try {
            response = work();
        } catch (const std::exception &e) {
            qCCritical(lcHttp).noquote() << "request" << requestId << "failed:" << e.what();
            response = Problem::make(500,
                QStringLiteral("an internal error occurred; request id %1")
                    .arg(QString::fromLatin1(requestId)),
                instance);
        }
        reply.send(std::move(response));
    });
    return HttpResponse::deferred();
}

} // namespace Outpost::Server
