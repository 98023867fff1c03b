// Every model's fromJson (shared/models): the first byte picks the model, the rest is the JSON
// text, parsed as jsonBody does. A model the server writes and clients read must also read
// back what its own toJson wrote.
#include "models/apikey.h"
#include "models/audit.h"
#include "models/file.h"
#include "models/page.h"
#include "models/pipeline.h"
#include "models/post.h"
#include "models/serverinfo.h"
#include "models/user.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost;

namespace {

template<typename T> void read(const QJsonObject &json)
{
    (void)T::fromJson(json);
}

// Reads `json`; when it is valid, what toJson writes of it must be valid too.
template<typename T> void roundTrip(const QJsonObject &json)
{
    const Result<T> value = T::fromJson(json);
    if (value && !T::fromJson(value->toJson()))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    if (!document.isObject())
        return 0;
    const QJsonObject json = document.object();
    switch (data[0] % 24) {
    case 0:
        read<UserCreate>(json);
        break;
    case 1:
        read<UserUpdate>(json);
        break;
    case 2:
        roundTrip<User>(json);
        break;
    case 3:
        roundTrip<TokenPair>(json);
        break;
    case 4:
        read<ApiKeyCreate>(json);
        break;
    case 5:
        roundTrip<ApiKey>(json);
        break;
    case 6:
        roundTrip<AuditEntry>(json);
        break;
    case 7:
        read<PostWrite>(json);
        break;
    case 8:
        read<VoteRequest>(json);
        break;
    case 9:
        roundTrip<Post>(json);
        break;
    case 10:
        roundTrip<Page<Post>>(json);
        break;
    case 11:
        roundTrip<FileInfo>(json);
        break;
    case 12:
        roundTrip<FileList>(json);
        break;
    case 13:
        read<UploadCreate>(json);
        break;
    case 14:
        roundTrip<Upload>(json);
        break;
    case 15:
        read<GenerateRequest>(json);
        break;
    case 16:
        roundTrip<Stage>(json);
        break;
    case 17:
        roundTrip<Run>(json);
        break;
    case 18:
        roundTrip<Pipeline>(json);
        break;
    case 19:
        read<PipelineCreate>(json);
        break;
    case 20:
        (void)RunUpdate::fromJson(json, true);
        break;
    case 21:
        (void)RunUpdate::fromJson(json, false);
        break;
    case 22:
        roundTrip<ServerInfo>(json);
        break;
    case 23:
        roundTrip<Health>(json);
        break;
    }
    return 0;
}
