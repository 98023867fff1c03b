#include "filestore.h"

#include "config/config.h"
#include "localfilestore.h"

#include <QUrl>

Q_LOGGING_CATEGORY(lcStorage, "outpost.storage", QtInfoMsg)

namespace Outpost::Server {

Result<std::unique_ptr<FileStore>> FileStore::fromConfig(const Config &config)
{
    const QUrl url(config.effectiveFileStoreUrl());
    if (url.isLocalFile()) {
        auto store = std::make_unique<LocalFileStore>(url.toLocalFile());
        store->removeLeftovers();
        return std::unique_ptr<FileStore>(std::move(store));
    }
    return fail(Error::validation(QStringLiteral("OUTPOST_FILE_STORE_URL"),
        QStringLiteral("scheme %1 is not supported").arg(url.scheme())));
}

} // namespace Outpost::Server
