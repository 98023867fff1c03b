#pragma once

#include "core/threadnetwork.h"

#include <QByteArray>

class QNetworkReply;

namespace Outpost::Server {

// What the services that call other HTTP services (the AI generation client, the wiki lookup,
// the OpenID provider client) share.

// threadNetwork() (core/threadnetwork.h) gives each thread its QNetworkAccessManager.

// Waits, in a local event loop, until `reply` finishes, appending its body to `body`; aborts it
// once the body passes `maxBytes`. True when it was aborted for that.
bool readBoundedReply(QNetworkReply *reply, qsizetype maxBytes, QByteArray &body);

} // namespace Outpost::Server
