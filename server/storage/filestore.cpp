#include "filestore.h"

#include "config/config.h"
#include "core/diskfaults.h"
#include "core/spooledfile.h"
#include "localfilestore.h"
#include "s3filestore.h"

#include <QDir>
#include <QUrl>

Q_LOGGING_CATEGORY(lcStorage, "outpost.storage", QtInfoMsg)

namespace Outpost::Server {

namespace {

// The bytes of a spooled body, or the error its spooling (or this read) met.
Result<QByteArray> readSpooled(SpooledFile &body)
{
    if (body.error() != 0) {
        qCWarning(lcStorage).noquote()
            << "cannot write a request body -" << qt_error_string(body.error());
        return fail(
            DiskFaults::error(DiskFaults::kindOf(body.error()), QStringLiteral("the file store")));
    }
    QFile file(body.path());
    if (!file.open(QIODevice::ReadOnly) || file.size() != body.size()) {
        qCWarning(lcStorage).noquote() << "cannot read a request body back";
        return fail(Error::unavailable(QStringLiteral("the file store failed")));
    }
    return file.readAll();
}

} // namespace

Result<StoredObject> FileStore::putSpooled(
    const QString &key, SpooledFile &body, const QString &contentType)
{
    auto data = readSpooled(body);
    if (!data)
        return fail(data.error());
    body.discard();
    return put(key, *data, contentType);
}

Result<StoredPart> FileStore::putPartSpooled(
    const QString &key, const QString &handle, int number, SpooledFile &body)
{
    auto data = readSpooled(body);
    if (!data)
        return fail(data.error());
    body.discard();
    return putPart(key, handle, number, *data);
}

Result<std::unique_ptr<FileStore>> FileStore::fromConfig(const Config &config, Leftovers leftovers)
{
    const QUrl url(config.effectiveFileStoreUrl());
    if (url.isLocalFile()) {
        auto store = std::make_unique<LocalFileStore>(url.toLocalFile());
        if (leftovers == Leftovers::Remove)
            store->removeLeftovers();
        return std::unique_ptr<FileStore>(std::move(store));
    }
    if (url.scheme() == u"s3") {
        S3Settings settings;
        settings.bucket = url.host();
        settings.prefix = url.path();
        while (settings.prefix.startsWith(QLatin1Char('/')))
            settings.prefix.remove(0, 1);
        while (settings.prefix.endsWith(QLatin1Char('/')))
            settings.prefix.chop(1);
        settings.endpoint = QUrl(config.s3Endpoint.isEmpty()
                ? QStringLiteral("https://s3.%1.amazonaws.com").arg(config.s3Region)
                : config.s3Endpoint);
        settings.region = config.s3Region;
        settings.credentials.accessKeyId = config.s3AccessKeyId;
        settings.credentials.secretAccessKey = config.s3SecretAccessKey;
        settings.pathStyle = config.s3PathStyle;
        if (!config.dataDir.isEmpty()) {
            // Bodies on their way up, in the data directory; a crash's leftovers go now.
            QDir spool(QDir(config.dataDir).filePath(QStringLiteral("s3-spool")));
            if (spool.mkpath(QStringLiteral("."))) {
                settings.spoolDirectory = spool.absolutePath();
                const QStringList names = leftovers == Leftovers::Remove
                    ? spool.entryList(QDir::Files | QDir::Hidden)
                    : QStringList();
                for (const QString &name : names)
                    spool.remove(name);
            }
        }
        if (settings.credentials.accessKeyId.isEmpty()
            || settings.credentials.secretAccessKey.isEmpty()) {
            return fail(Error::validation(QStringLiteral("OUTPOST_S3_ACCESS_KEY_ID"),
                QStringLiteral("an s3:// file store needs OUTPOST_S3_ACCESS_KEY_ID and "
                               "OUTPOST_S3_SECRET_ACCESS_KEY")));
        }
        return std::unique_ptr<FileStore>(std::make_unique<S3FileStore>(std::move(settings)));
    }
    return fail(Error::validation(QStringLiteral("OUTPOST_FILE_STORE_URL"),
        QStringLiteral("scheme %1 is not supported").arg(url.scheme())));
}

} // namespace Outpost::Server
