#include "outgoinghttp.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThreadStorage>

namespace Outpost::Server {

QNetworkAccessManager &threadNetwork()
{
    static QThreadStorage<QNetworkAccessManager *> managers;
    if (!managers.hasLocalData()) {
        auto *manager = new QNetworkAccessManager;
        manager->setAutoDeleteReplies(false);
        managers.setLocalData(manager);
    }
    return *managers.localData();
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
