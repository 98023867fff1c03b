#include "codebuildwebhooks.h"

#include "core/timeformat.h"

#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

namespace Outpost::Server::CodeBuildWebhooks {

namespace {

// The order CodeBuild runs its phases in, for stage positions.
const QStringList &phaseOrder()
{
    static const QStringList order = {QStringLiteral("SUBMITTED"), QStringLiteral("QUEUED"),
        QStringLiteral("PROVISIONING"), QStringLiteral("DOWNLOAD_SOURCE"),
        QStringLiteral("INSTALL"), QStringLiteral("PRE_BUILD"), QStringLiteral("BUILD"),
        QStringLiteral("POST_BUILD"), QStringLiteral("UPLOAD_ARTIFACTS"),
        QStringLiteral("FINALIZING")};
    return order;
}

std::optional<QDateTime> timeOf(const QJsonValue &value)
{
    const QDateTime time = parseTime(value.toString());
    return time.isValid() ? std::optional<QDateTime>(time) : std::nullopt;
}

StageUpdate phaseStage(const QString &phase, const QString &phaseStatus,
    const std::optional<QDateTime> &start, const std::optional<QDateTime> &end)
{
    StageUpdate stage;
    stage.name = phase;
    stage.externalId = phase;
    const qsizetype position = phaseOrder().indexOf(phase);
    stage.position = position < 0 ? int(phaseOrder().size()) : int(position);
    if (phaseStatus.isEmpty()) {
        stage.status = QStringLiteral("in_progress");
        stage.providerStatus = QStringLiteral("IN_PROGRESS");
    } else {
        const auto [status, conclusion] = statusOf(phaseStatus);
        stage.status = status;
        stage.conclusion = conclusion;
        stage.providerStatus = phaseStatus;
    }
    stage.startedAt = start;
    if (*stage.status == u"completed")
        stage.finishedAt = end;
    return stage;
}

} // namespace

QDateTime parseTime(const QString &text)
{
    QDateTime time =
        QLocale::c().toDateTime(text.simplified(), QStringLiteral("MMM d, yyyy h:mm:ss AP"));
    if (!time.isValid())
        return {};
    time.setTimeSpec(Qt::UTC);
    return time;
}

std::pair<QString, QString> statusOf(const QString &codeBuildStatus)
{
    if (codeBuildStatus == u"SUCCEEDED")
        return {QStringLiteral("completed"), QStringLiteral("success")};
    if (codeBuildStatus == u"FAILED" || codeBuildStatus == u"FAULT"
        || codeBuildStatus == u"CLIENT_ERROR")
        return {QStringLiteral("completed"), QStringLiteral("failure")};
    if (codeBuildStatus == u"STOPPED")
        return {QStringLiteral("completed"), QStringLiteral("cancelled")};
    if (codeBuildStatus == u"TIMED_OUT")
        return {QStringLiteral("completed"), QStringLiteral("timed_out")};
    if (codeBuildStatus == u"QUEUED" || codeBuildStatus == u"SUBMITTED")
        return {QStringLiteral("queued"), QString()};
    return {QStringLiteral("in_progress"), QString()};
}

Result<ExternalUpdate> map(const QJsonObject &event)
{
    const QString type = event.value(QStringLiteral("detail-type")).toString();
    const bool stateChange = type == u"CodeBuild Build State Change";
    const bool phaseChange = type == u"CodeBuild Build Phase Change";
    if (!stateChange && !phaseChange) {
        return fail(Error::validation(QStringLiteral("detail-type"),
            QStringLiteral("must be \"CodeBuild Build State Change\" or \"CodeBuild Build Phase "
                           "Change\"")));
    }
    const QJsonObject detail = event.value(QStringLiteral("detail")).toObject();
    const QString project = detail.value(QStringLiteral("project-name")).toString();
    const QString buildId = detail.value(QStringLiteral("build-id")).toString();
    QList<FieldError> errors;
    if (project.isEmpty())
        errors.append({QStringLiteral("detail.project-name"), QStringLiteral("is required")});
    if (buildId.isEmpty())
        errors.append({QStringLiteral("detail.build-id"), QStringLiteral("is required")});
    const QString buildStatus = detail.value(QStringLiteral("build-status")).toString();
    if (stateChange && buildStatus.isEmpty())
        errors.append({QStringLiteral("detail.build-status"), QStringLiteral("is required")});
    if (!errors.isEmpty())
        return fail(Error::validation(errors));

    ExternalUpdate update;
    update.source = QStringLiteral("codebuild");
    update.pipelineName = project;
    // arn:aws:codebuild:REGION:ACCOUNT:build/PROJECT:UUID -> the project's ARN, so projects
    // of the same name in other accounts or regions stay apart.
    static const QRegularExpression buildArn(
        QStringLiteral("^(arn:[^:]+:codebuild:[^:]*:[^:]*:)build/([^:]+):.+$"));
    const QRegularExpressionMatch arn = buildArn.match(buildId);
    update.pipelineExternalId =
        arn.hasMatch() ? arn.captured(1) + QStringLiteral("project/") + arn.captured(2) : project;
    update.runExternalId = buildId;

    const QJsonObject info = detail.value(QStringLiteral("additional-information")).toObject();
    RunUpdate &run = update.run;
    const qint64 number = info.value(QStringLiteral("build-number")).toInteger(0);
    if (number > 0)
        run.runNumber = number;
    if (stateChange) {
        const auto [status, conclusion] = statusOf(buildStatus);
        run.status = status;
        run.conclusion = conclusion;
        run.providerStatus = buildStatus;
    } else {
        run.status = QStringLiteral("in_progress");
    }
    run.startedAt = timeOf(info.value(QStringLiteral("build-start-time")));
    run.queuedAt = run.startedAt;
    const QString initiator = info.value(QStringLiteral("initiator")).toString();
    if (!initiator.isEmpty())
        run.actor = initiator;
    const QString version = info.value(QStringLiteral("source-version")).toString();
    static const QRegularExpression sha(QStringLiteral("^[0-9a-f]{7,64}$"));
    if (sha.match(version).hasMatch()) {
        run.headSha = version;
    } else if (version.startsWith(u"refs/heads/")) {
        run.headBranch = version.mid(11);
    }
    const QString deepLink =
        info.value(QStringLiteral("logs")).toObject().value(QStringLiteral("deep-link")).toString();
    if (deepLink.startsWith(u"https://"))
        run.htmlUrl = deepLink;
    run.event = QStringLiteral("codebuild");

    for (const auto &value : info.value(QStringLiteral("phases")).toArray()) {
        const QJsonObject phase = value.toObject();
        const QString name = phase.value(QStringLiteral("phase-type")).toString();
        if (name.isEmpty())
            continue;
        if (name == u"COMPLETED") {
            // A marker, not a phase: when the build ended.
            if (*run.status == u"completed")
                run.finishedAt = timeOf(phase.value(QStringLiteral("start-time")));
            continue;
        }
        run.stages.append(phaseStage(name, phase.value(QStringLiteral("phase-status")).toString(),
            timeOf(phase.value(QStringLiteral("start-time"))),
            timeOf(phase.value(QStringLiteral("end-time")))));
    }
    if (phaseChange) {
        const QString completed = detail.value(QStringLiteral("completed-phase")).toString();
        if (!completed.isEmpty() && completed != u"COMPLETED") {
            bool listed = false;
            for (const StageUpdate &stage : std::as_const(run.stages))
                listed = listed || stage.name == completed;
            if (!listed) {
                run.stages.append(phaseStage(completed,
                    detail.value(QStringLiteral("completed-phase-status")).toString(),
                    timeOf(detail.value(QStringLiteral("completed-phase-start"))),
                    timeOf(detail.value(QStringLiteral("completed-phase-end")))));
            }
        }
    }
    if (*run.status == u"completed" && !run.finishedAt) {
        const QDateTime at = fromRfc3339(event.value(QStringLiteral("time")).toString());
        if (at.isValid())
            run.finishedAt = at;
    }
    return update;
}

} // namespace Outpost::Server::CodeBuildWebhooks
