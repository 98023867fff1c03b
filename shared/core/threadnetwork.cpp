#include "threadnetwork.h"

#include <QNetworkAccessManager>
#include <QThreadStorage>

namespace Outpost {

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

} // namespace Outpost
