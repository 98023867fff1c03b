#include "docsassets.h"

#include <QFileInfo>

namespace Outpost::DocsAssets {

QString resourcePath(const QString &name)
{
    if (name.isEmpty()) {
        return QStringLiteral(":/docs/index.html");
    }
    if (name.contains(u'/') || name.contains(u'\\') || name.startsWith(u'.')) {
        return {};
    }
    const QString path = QStringLiteral(":/docs/") + name;
    return QFileInfo(path).isFile() ? path : QString();
}

QByteArray contentType(const QString &name)
{
    if (name.isEmpty() || name.endsWith(QLatin1String(".html"))) {
        return QByteArrayLiteral("text/html; charset=utf-8");
    }
    if (name.endsWith(QLatin1String(".js"))) {
        return QByteArrayLiteral("text/javascript; charset=utf-8");
    }
    if (name.endsWith(QLatin1String(".css"))) {
        return QByteArrayLiteral("text/css; charset=utf-8");
    }
    if (name.endsWith(QLatin1String(".png"))) {
        return QByteArrayLiteral("image/png");
    }
    return QByteArrayLiteral("application/octet-stream");
}

} // namespace Outpost::DocsAssets
