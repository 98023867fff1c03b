#pragma once

#include "core/result.h"
#include "pipelineservice.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

namespace Outpost::Server::GitHubWebhooks {

// X-Hub-Signature-256: "sha256=" + lower-case hex HMAC-SHA256 of the raw body with the
// webhook secret, compared in constant time. An empty secret verifies nothing.
bool signatureValid(QByteArrayView secret, QByteArrayView body, QByteArrayView header);

// What a delivery means for us.
struct Outcome
{
    enum class Kind { Ping, Ignored, Update };
    Kind kind = Kind::Ignored;
    ExternalUpdate update {};
    QString message {}; // ping's zen, or why it was ignored
};

// Maps an X-GitHub-Event and its payload: workflow_run to a run, workflow_job (with its
// steps) to a stage of its run, ping to Ping, anything else to Ignored. A payload without
// the fields these events must have is a Validation error.
Result<Outcome> map(const QByteArray &event, const QJsonObject &payload);

// GitHub's conclusion as ours: startup_failure is a failure, stale is neutral; the raw word
// stays in provider_status.
QString conclusionOf(const QString &githubConclusion);

} // namespace Outpost::Server::GitHubWebhooks
