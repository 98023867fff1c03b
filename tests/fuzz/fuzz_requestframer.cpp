// The HTTP/1.1 framing of the connection guard (server/http/requestframer.cpp): the bytes of a
// connection arrive in pieces of a fuzzed size and are framed the way GuardedSocket does it,
// pipelined requests one at a time, until the input ends, a request is rejected or the
// connection is upgraded. Checks what the guard promises its owner about every request.
#include "http/requestframer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost::Server;

namespace {

const GuardLimits &limits()
{
    static const GuardLimits small = [] {
        GuardLimits l;
        l.maxTargetBytes = 256;
        l.maxHeaderBytes = 2048;
        l.maxHeaderCount = 16;
        l.maxBodyBytes = 4096;
        l.websocketPaths = {QByteArrayLiteral("/v1/events")};
        return l;
    }();
    return small;
}

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
    // The first byte: how many bytes each read brings (0: all at once).
    const size_t piece = data[0] == 0 ? size : data[0];
    ++data;
    --size;

    RequestFramer framer(limits());
    size_t offset = 0;
    while (offset < size) {
        const size_t n = std::min(piece, size - offset);
        framer.append(QByteArray(reinterpret_cast<const char *>(data + offset), qsizetype(n)));
        offset += n;
        while (framer.hasUnparsedInput()) {
            const RequestFramer::Fed fed = framer.feed();
            if (fed.progress == RequestFramer::Progress::Waiting)
                break;
            if (fed.progress == RequestFramer::Progress::Rejected) {
                const int status = framer.rejectStatus();
                check(status == 400 || status == 404 || status == 413 || status == 414
                    || status == 417 || status == 431 || status == 501 || status == 505);
                check(!framer.rejectDetail().isEmpty());
                return 0;
            }
            if (framer.isUpgrade()) {
                framer.takeInput();
                return 0;
            }
            framer.release();
            const FramedRequest &request = framer.request();
            check(!request.method.isEmpty());
            check(request.target.size() <= limits().maxTargetBytes);
            check(request.headers.size() <= limits().maxHeaderCount);
            check(request.body.size() <= limits().maxBodyBytes);
            for (const HeaderField &field : request.headers)
                check(field.name == field.name.toLower());
            framer.reset();
        }
    }
    return 0;
}
