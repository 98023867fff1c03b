// Multipart uploads: a multipart/form-data body read by Api::fileUploadOf (its boundary and
// parts, server/api/filerequests.cpp), and a chunked upload's part numbers and sizes
// (Upload::partCount and expectedPartSize, shared/models/file.h) for an upload read by
// Upload::fromJson. Input: a mode byte, then "Content-Type\nbody" or the upload's JSON.
#include "api/filerequests.h"
#include "fuzzrequest.h"
#include "models/file.h"

#include <QJsonDocument>

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
    if (size == 0)
        return 0;
    if (data[0] & 1) {
        const auto [type, body] = Fuzz::splitAt(data + 1, size - 1, '\n');
        const Request request =
            Fuzz::makeRequest(QByteArrayLiteral("PUT"), QByteArrayLiteral("/v1/files/a.bin"),
                {{QByteArrayLiteral("content-type"), type}}, body);
        const Result<Api::FileUpload> upload = Api::fileUploadOf(request);
        if (upload)
            check(upload->data.size() <= body.size());
        return 0;
    }
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    if (!document.isObject())
        return 0;
    (void)UploadCreate::fromJson(document.object());
    const Result<Upload> upload = Upload::fromJson(document.object());
    if (!upload)
        return 0;
    // Every part but the last has part_size bytes; the last has the rest, at least one byte
    // unless the upload is empty.
    const int count = upload->partCount();
    check(count >= 1);
    const qint64 last = upload->expectedPartSize(count);
    check(last <= upload->partSize && (last > 0 || upload->size == 0));
    for (const int number : upload->receivedParts)
        (void)upload->expectedPartSize(number);
    return 0;
}
