#include "outgoinghttp.h"

#include <QEventLoop>
#include <QNetworkReply>

namespace Outpost::Server {

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
