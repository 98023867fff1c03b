// The conditional and partial request headers of the file and post routes: `Range` resolved
// against a file's size by Api::parseRange, and `If-None-Match` compared with an ETag by
// Api::noneMatch (server/api). Input: "Range\nIf-None-Match", the first 8 bytes of which
// also give the file's size. A partial range always lies inside the file.
#include "api/apihelpers.h"
#include "api/filerequests.h"
#include "fuzzrequest.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace Outpost::Server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qint64 fileSize = 0;
    if (size >= sizeof fileSize)
        std::memcpy(&fileSize, data, sizeof fileSize);
    fileSize = fileSize < 0 ? -(fileSize + 1) : fileSize; // a size is never negative

    const auto [range, ifNoneMatch] = Fuzz::splitAt(data, size, '\n');
    Api::ByteRange resolved {0, fileSize};
    if (Api::parseRange(range, fileSize, resolved) == Api::RangeKind::Partial) {
        if (resolved.offset < 0 || resolved.length <= 0 || resolved.offset >= fileSize
            || resolved.length > fileSize - resolved.offset)
            std::abort();
    }

    const Request request = Fuzz::makeRequest(QByteArrayLiteral("GET"),
        QByteArrayLiteral("/v1/files/a"), {{QByteArrayLiteral("if-none-match"), ifNoneMatch}}, {});
    (void)Api::noneMatch(request, QByteArrayLiteral("\"3fa9\""));
    (void)Api::noneMatch(request, QByteArrayLiteral("W/\"17\""));
    return 0;
}
