#include "outgoinghttp.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace Outpost::Server {

namespace {

// Runs `call`, which goes into Qt, one frame down and never inlined: ThreadSanitizer's stacks
// name an instrumented function only by the calls it makes to another one, so this is what
// makes the function that calls it show (see startOutgoing()).
template<typename F> [[gnu::noinline]] decltype(auto) intoQt(F &&call)
{
    return call();
}

} // namespace

QNetworkReply *startOutgoing(
    QNetworkAccessManager &network, const QNetworkRequest &request, const QByteArray *body)
{
    return intoQt([&] { return body ? network.post(request, *body) : network.get(request); });
}

bool readBoundedReply(QNetworkReply *reply, qsizetype maxBytes, QByteArray &body)
{
    bool tooLarge = false;
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        body += reply->readAll();
        if (body.size() > maxBytes && !tooLarge) {
            tooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        intoQt([&] { return loop.exec(); });
    body += reply->readAll();
    return tooLarge;
}

} // namespace Outpost::Server
