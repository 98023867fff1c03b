#pragma once

#include <QByteArray>

namespace Outpost::Server {

// 32 lower-case hex digits (128 random bits), usable as a W3C trace id too.
QByteArray newRequestId();

} // namespace Outpost::Server
