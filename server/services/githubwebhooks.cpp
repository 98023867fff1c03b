#include "githubwebhooks.h"

#include "auth/crypto.h"
#include "core/timeformat.h"

#include <QJsonArray>

namespace Outpost::Server::GitHubWebhooks {

namespace {

const QString kGithub = QStringLiteral("github");

std::optional<QDateTime> timeOf(const QJsonValue &value)
{
    const QDateTime time = fromRfc3339(value.toString());
    return time.isValid() ? std::optional<QDateTime>(time) : std::nullopt;
}

std::optional<QString> textOf(const QJsonValue &value)
{
    return value.isString() && !value.toString().isEmpty()
        ? std::optional<QString>(value.toString())
        : std::nullopt;
}

// GitHub's statuses (queued, in_progress, completed, and waiting/requested/pending, which
// are all "not started yet") as ours.
QString statusOf(const QString &status)
{
    if (status == u"in_progress" || status == u"completed")
        return status;
    return QStringLiteral("queued");
}

QString idText(const QJsonValue &value)
{
    // toInteger refuses fractions and numbers outside qint64 (a cast would be undefined).
    const qint64 number = value.toInteger(-1);
    if (number < 1)
        return {};
    return QString::number(number);
}

} // namespace

bool signatureValid(QByteArrayView secret, QByteArrayView body, QByteArrayView header)
{
    if (secret.isEmpty() || !header.startsWith("sha256="))
        return false;
    const QByteArray expected =
        QByteArrayLiteral("sha256=") + Crypto::hmacSha256(secret, body).toHex();
    return Crypto::constantTimeEquals(expected, header);
}

QString conclusionOf(const QString &githubConclusion)
{
    if (PipelineWords::conclusions().contains(githubConclusion))
        return githubConclusion;
    if (githubConclusion == u"startup_failure")
        return QStringLiteral("failure");
    return QStringLiteral("neutral"); // stale and anything newer
}

Result<Outcome> map(const QByteArray &event, const QJsonObject &payload)
{
    Outcome outcome;
    if (event == "ping") {
        outcome.kind = Outcome::Kind::Ping;
        outcome.message = payload.value(QStringLiteral("zen")).toString();
        return outcome;
    }
    if (event != "workflow_run" && event != "workflow_job") {
        outcome.message = QStringLiteral("event %1 is not used").arg(QString::fromLatin1(event));
        return outcome;
    }
    const QJsonObject repository = payload.value(QStringLiteral("repository")).toObject();
    const QString repo = repository.value(QStringLiteral("full_name")).toString();
    QList<FieldError> errors;
    if (repo.isEmpty())
        errors.append({QStringLiteral("repository.full_name"), QStringLiteral("is required")});

    ExternalUpdate &update = outcome.update;
    update.source = kGithub;
    update.repository = repo;
    RunUpdate &run = update.run;

    if (event == "workflow_run") {
        const QJsonObject wr = payload.value(QStringLiteral("workflow_run")).toObject();
        const QString id = idText(wr.value(QStringLiteral("id")));
        if (id.isEmpty())
            errors.append({QStringLiteral("workflow_run.id"), QStringLiteral("is required")});
        const QString status = wr.value(QStringLiteral("status")).toString();
        if (status.isEmpty())
            errors.append({QStringLiteral("workflow_run.status"), QStringLiteral("is required")});
        if (!errors.isEmpty())
            return fail(Error::validation(errors));
        QString workflow = payload.value(QStringLiteral("workflow"))
                               .toObject()
                               .value(QStringLiteral("name"))
                               .toString();
        if (workflow.isEmpty())
            workflow = wr.value(QStringLiteral("name")).toString();
        if (workflow.isEmpty())
            workflow = wr.value(QStringLiteral("path")).toString();
        update.pipelineName = workflow;
        update.pipelineExternalId = repo + u':' + workflow;
        update.runExternalId = id;
        run.status = statusOf(status);
        const QString conclusion = wr.value(QStringLiteral("conclusion")).toString();
        if (*run.status == u"completed") {
            run.conclusion = conclusionOf(conclusion);
            run.providerStatus = conclusion.isEmpty() ? status : conclusion;
            run.finishedAt = timeOf(wr.value(QStringLiteral("updated_at")));
        } else {
            run.providerStatus = status;
        }
        if (const int attempt = wr.value(QStringLiteral("run_attempt")).toInt(0); attempt > 0)
            run.attempt = attempt;
        const qint64 number = wr.value(QStringLiteral("run_number")).toInteger(0);
        if (number > 0)
            run.runNumber = number;
        run.headSha = textOf(wr.value(QStringLiteral("head_sha")));
        run.headBranch = textOf(wr.value(QStringLiteral("head_branch")));
        run.event = textOf(wr.value(QStringLiteral("event")));
        run.actor =
            textOf(wr.value(QStringLiteral("actor")).toObject().value(QStringLiteral("login")));
        run.htmlUrl = textOf(wr.value(QStringLiteral("html_url")));
        run.queuedAt = timeOf(wr.value(QStringLiteral("created_at")));
        if (*run.status != u"queued")
            run.startedAt = timeOf(wr.value(QStringLiteral("run_started_at")));
        outcome.kind = Outcome::Kind::Update;
        return outcome;
    }

    const QJsonObject job = payload.value(QStringLiteral("workflow_job")).toObject();
    const QString jobId = idText(job.value(QStringLiteral("id")));
    const QString runId = idText(job.value(QStringLiteral("run_id")));
    const QString status = job.value(QStringLiteral("status")).toString();
    const QString name = job.value(QStringLiteral("name")).toString();
    if (jobId.isEmpty())
        errors.append({QStringLiteral("workflow_job.id"), QStringLiteral("is required")});
    if (runId.isEmpty())
        errors.append({QStringLiteral("workflow_job.run_id"), QStringLiteral("is required")});
    if (status.isEmpty())
        errors.append({QStringLiteral("workflow_job.status"), QStringLiteral("is required")});
    if (name.isEmpty())
        errors.append({QStringLiteral("workflow_job.name"), QStringLiteral("is required")});
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    const QString workflow = job.value(QStringLiteral("workflow_name")).toString();
    update.pipelineName = workflow;
    update.pipelineExternalId = repo + u':' + workflow;
    update.runExternalId = runId;
    // A job that started means its run started, whatever order the events come in.
    run.status =
        statusOf(status) == u"queued" ? QStringLiteral("queued") : QStringLiteral("in_progress");
    run.headSha = textOf(job.value(QStringLiteral("head_sha")));
    run.headBranch = textOf(job.value(QStringLiteral("head_branch")));
    if (const int attempt = job.value(QStringLiteral("run_attempt")).toInt(0); attempt > 0)
        run.attempt = attempt;
    if (*run.status != u"queued")
        run.startedAt = timeOf(job.value(QStringLiteral("started_at")));

    StageUpdate stage;
    stage.externalId = jobId;
    stage.name = name;
    stage.status = statusOf(status);
    const QString conclusion = job.value(QStringLiteral("conclusion")).toString();
    if (*stage.status == u"completed") {
        stage.conclusion = conclusionOf(conclusion);
        stage.providerStatus = conclusion.isEmpty() ? status : conclusion;
        stage.finishedAt = timeOf(job.value(QStringLiteral("completed_at")));
    } else {
        stage.providerStatus = status;
    }
    if (*stage.status != u"queued")
        stage.startedAt = timeOf(job.value(QStringLiteral("started_at")));
    QJsonArray steps;
    for (const auto &value : job.value(QStringLiteral("steps")).toArray()) {
        const QJsonObject step = value.toObject();
        QJsonObject kept;
        for (const QString &key : {QStringLiteral("name"), QStringLiteral("status"),
                 QStringLiteral("conclusion"), QStringLiteral("number"),
                 QStringLiteral("started_at"), QStringLiteral("completed_at")}) {
            kept.insert(key, step.value(key).isUndefined() ? QJsonValue() : step.value(key));
        }
        steps.append(kept);
    }
    if (!steps.isEmpty())
        stage.steps = steps;
    run.stages.append(stage);
    outcome.kind = Outcome::Kind::Update;
    return outcome;
}

} // namespace Outpost::Server::GitHubWebhooks
