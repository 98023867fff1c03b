// The GitHub and CodeBuild webhook mapping (server/services/githubwebhooks.cpp,
// codebuildwebhooks.cpp): the first byte picks GitHub's X-GitHub-Event (workflow_run,
// workflow_job, ping) or a CodeBuild EventBridge event, the rest is the JSON payload; the
// delivery's X-Hub-Signature-256 check and CodeBuild's own time format are fuzzed as well.
#include "services/codebuildwebhooks.h"
#include "services/githubwebhooks.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

using namespace Outpost::Server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray payload(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 6) {
    case 0:
    case 1:
    case 2: {
        const QByteArray event = data[0] % 6 == 0 ? QByteArrayLiteral("workflow_run")
            : data[0] % 6 == 1                    ? QByteArrayLiteral("workflow_job")
                                                  : QByteArrayLiteral("ping");
        const QJsonDocument document = QJsonDocument::fromJson(payload);
        if (document.isObject())
            (void)GitHubWebhooks::map(event, document.object());
        break;
    }
    case 3: {
        const QJsonDocument document = QJsonDocument::fromJson(payload);
        if (document.isObject())
            (void)CodeBuildWebhooks::map(document.object());
        break;
    }
    case 4:
        (void)GitHubWebhooks::signatureValid("secret", "{}", payload);
        (void)GitHubWebhooks::conclusionOf(QString::fromUtf8(payload));
        break;
    case 5:
        (void)CodeBuildWebhooks::parseTime(QString::fromUtf8(payload));
        (void)CodeBuildWebhooks::statusOf(QString::fromUtf8(payload));
        break;
    }
    return 0;
}
