// The wiki's page/summary answer (server/services/wikiservice.cpp, WikiService::parseSummary):
// any bytes from the wiki. A summary taken has a title and an extract, and no more key phrases
// than the route returns.
#include "services/wikiservice.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost::Server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto summary = WikiService::parseSummary(body);
    if (summary) {
        if (summary->title.isEmpty() || summary->phrases.size() > 10)
            std::abort();
        (void)summary->toJson();
    }
    return 0;
}
