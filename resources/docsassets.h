#pragma once

#include <QByteArray>
#include <QString>

namespace Outpost::DocsAssets {

// The Qt resource behind GET /docs/<name>: ":/docs/<name>" if that asset is embedded,
// ":/docs/index.html" for an empty name, else empty. Names with '/' are never assets, so a
// request path cannot reach outside :/docs.
QString resourcePath(const QString &name);

// Content-Type for an embedded asset, from its extension.
QByteArray contentType(const QString &name);

} // namespace Outpost::DocsAssets
