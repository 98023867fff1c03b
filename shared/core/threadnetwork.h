#pragma once

class QNetworkAccessManager;

namespace Outpost {

// One QNetworkAccessManager per thread, for everything that calls another HTTP service from
// a server thread (the S3 store, the AI generation client, the wiki lookup, the OpenID provider
// client): a manager may only be used from the thread it lives in. HTTP and slow-pool threads
// each get their own, never deleted; replies are not auto-deleted: the caller deletes them.
QNetworkAccessManager &threadNetwork();

} // namespace Outpost
