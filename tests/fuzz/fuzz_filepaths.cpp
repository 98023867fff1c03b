// File paths for the stores: a /v1/files/{path} request-target decoded and checked by
// Api::filePathOf and FilePaths::problem (shared/models/file.cpp), and a storage key checked
// by LocalFileStore before it touches the disk (server/storage/localfilestore.cpp). A path
// that is accepted never climbs out of its directory, and a key the store accepts names a
// file under its objects/ folder.
#include "api/filerequests.h"
#include "fuzzrequest.h"
#include "models/file.h"
#include "storage/localfilestore.h"

#include <QDir>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost;
using namespace Outpost::Server;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir root;
    static LocalFileStore store(root.path());
    static const QString objects =
        QDir(root.path()).filePath(QStringLiteral("objects")) + QLatin1Char('/');

    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const Request request =
        Fuzz::makeRequest(QByteArrayLiteral("GET"), "/v1/files/" + bytes, {}, {});
    const Result<QString> path = Api::filePathOf(request, "/v1/files/");
    if (path) {
        check(FilePaths::problem(*path).isEmpty());
        check(!path->startsWith(QLatin1Char('/')));
        const QString clean = QDir::cleanPath(QStringLiteral("/base/") + *path);
        check(clean.startsWith(QStringLiteral("/base/")));
        (void)FilePaths::guessContentType(*path);
    }

    const QString key = QString::fromUtf8(bytes);
    const Status removed = store.remove(key);
    if (removed || removed.error().detail != QStringLiteral("invalid storage key"))
        check(QDir::cleanPath(objects + key).startsWith(objects));
    return 0;
}
