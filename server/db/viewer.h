#pragma once

#include "models/viewer.h"

#include <QString>

namespace Outpost::Server {

// The visibility rule of models/viewer.h in SQL, for the repositories that read posts as `p`:
// binds :viewer. Admins skip it.
inline const QString kVisibleToViewer = QStringLiteral("(p.published = 1 OR p.owner_id = :viewer)");

} // namespace Outpost::Server
