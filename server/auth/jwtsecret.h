#pragma once

#include "config/config.h"
#include "core/result.h"

#include <QByteArray>

namespace Outpost::Server {

// The JWT key: the configured one, or 256 random bits made once and kept in the data directory
// (jwt.secret, 0600), so tokens survive restarts and replicas sharing the directory agree.
Result<QByteArray> loadJwtSecret(const Config &config);

} // namespace Outpost::Server
