#pragma once

#include <QByteArray>

class QNetworkAccessManager;
class QNetworkReply;

namespace Outpost::Server {

// What the services that call other HTTP services (the AI generation client, the wiki lookup,
// the OpenID provider client) share.

// One QNetworkAccessManager per thread (HTTP and slow-pool threads each get their own, never
// deleted), replies not auto-deleted: the caller deletes them.
QNetworkAccessManager &threadNetwork();

// Waits, in a local event loop, until `reply` finishes, appending its body to `body`; aborts it
// once the body passes `maxBytes`. True when it was aborted for that.
bool readBoundedReply(QNetworkReply *reply, qsizetype maxBytes, QByteArray &body);

} // namespace Outpost::Server
