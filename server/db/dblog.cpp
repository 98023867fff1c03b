#include "dblog.h"

namespace Outpost::Server {

Q_LOGGING_CATEGORY(lcDb, "outpost.db")

} // namespace Outpost::Server
