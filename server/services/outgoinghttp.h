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
// services make starts here, and Qt starts a manager's own worker thread inside its first
// request, so this frame marks that uninstrumented thread for ThreadSanitizer
// (tests/sanitizers/tsan.supp). Keep it to this call: nothing of Outpost's runs under it.
QNetworkReply *startOutgoing(
    QNetworkAccessManager &network, const QNetworkRequest &request, const QByteArray *body);

// Waits, in a local event loop, until `reply` finishes, appending its body to `body`; aborts it
// once the body passes `maxBytes`. True when it was aborted for that.
bool readBoundedReply(QNetworkReply *reply, qsizetype maxBytes, QByteArray &body);

} // namespace Outpost::Server
