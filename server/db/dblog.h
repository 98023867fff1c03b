#pragma once

#include <QLoggingCategory>

namespace Outpost::Server {

// "outpost.db": connections, migrations, repositories. Database messages (which may quote
// SQL) go to this log, never into an Error detail that reaches a client.
Q_DECLARE_LOGGING_CATEGORY(lcDb)

} // namespace Outpost::Server
