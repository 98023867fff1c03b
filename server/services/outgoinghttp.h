#pragma once

#include "core/threadnetwork.h"

#include <QByteArray>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace Outpost::Server {

// What the services that call other HTTP services (the AI generation client, the wiki lookup,
// the OpenID provider client) share.

// threadNetwork() (core/threadnetwork.h) gives each thread its QNetworkAccessManager.

// Starts `request` on `network`: a GET, or a POST of `*body` when given. Every request these
// services make starts here and is waited for in readBoundedReply(); Qt starts a manager's own
// worker thread inside one of the two (6.4: in the wait, when the queued start runs) and talks
// to it from both, so these two frames mark that uninstrumented thread and Qt's side of the
// exchange for ThreadSanitizer (tests/sanitizers/tsan.supp). Keep them to that: nothing of
// Outpost's runs under them but readBoundedReply's handler of the reply's bytes.
QNetworkReply *startOutgoing(
    QNetworkAccessManager &network, const QNetworkRequest &request, const QByteArray *body);

// Waits, in a local event loop, until `reply` finishes, appending its body to `body`; aborts it
// once the body passes `maxBytes`. True when it was aborted for that.
bool readBoundedReply(QNetworkReply *reply, qsizetype maxBytes, QByteArray &body);

} // namespace Outpost::Server
