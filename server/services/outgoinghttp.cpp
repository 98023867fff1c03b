#include "outgoinghttp.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace Outpost::Server {

QNetworkReply *startOutgoing(
    QNetworkAccessManager &network, const QNetworkRequest &request, const QByteArray *body)
{
    return body ? network.post(request, *body) : network.get(request);
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
        loop.exec();
    body += reply->readAll();
    return tooLarge;
}

} // namespace Outpost::Server
