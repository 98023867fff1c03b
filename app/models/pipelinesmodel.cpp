#include "pipelinesmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList PipelinesModel::headers() const
{
    return {tr("Pipeline"), tr("Source"), tr("Repository"), tr("Last run"), tr("Branch")};
}

Client::Reply<Page<Pipeline>> PipelinesModel::fetchPage(const PageRequest &page)
{
    return client()->pipelines().list(page);
}

void PipelinesModel::loadItem(qint64 id)
{
    client()->pipelines().get(id).then(
        this, [this, id](const Client::ApiResult<Pipeline> &result) { itemLoaded(id, result); });
}

QColor PipelinesModel::statusColor(const QString &status, const QString &conclusion)
{
    if (status == QLatin1String("in_progress"))
        return {0xf0, 0xa3, 0x0a}; // amber
    if (status == QLatin1String("completed")) {
        if (conclusion == QLatin1String("success"))
            return {0x2e, 0x9d, 0x44}; // green
        if (conclusion == QLatin1String("failure") || conclusion == QLatin1String("timed_out")
            || conclusion == QLatin1String("action_required"))
            return {0xd0, 0x31, 0x2d}; // red
    }
    return {0x8a, 0x8f, 0x98}; // grey: queued, cancelled, skipped, neutral, none
}

QString PipelinesModel::statusText(const QString &status, const QString &conclusion)
{
    if (status.isEmpty())
        return tr("never run");
    if (status == QLatin1String("queued"))
        return tr("queued");
    if (status == QLatin1String("in_progress"))
        return tr("running");
    if (conclusion == QLatin1String("success"))
        return tr("success");
    if (conclusion == QLatin1String("failure"))
        return tr("failure");
    if (conclusion == QLatin1String("cancelled"))
        return tr("cancelled");
    return conclusion.isEmpty() ? status : conclusion;
}

QString PipelinesModel::statusGroup(const QString &status, const QString &conclusion)
{
    if (status.isEmpty())
        return QStringLiteral("never");
    if (status == QLatin1String("queued"))
        return QStringLiteral("queued");
    if (status == QLatin1String("in_progress"))
        return QStringLiteral("running");
    if (conclusion == QLatin1String("success"))
        return QStringLiteral("succeeded");
    if (conclusion == QLatin1String("failure") || conclusion == QLatin1String("timed_out")
        || conclusion == QLatin1String("action_required")
        || conclusion == QLatin1String("startup_failure"))
        return QStringLiteral("failed");
    if (conclusion == QLatin1String("cancelled"))
        return QStringLiteral("cancelled");
    return QStringLiteral("other");
}

QVariant PipelinesModel::cell(const Pipeline &pipeline, int column, int role) const
{
    const Run *run = pipeline.lastRun ? &*pipeline.lastRun : nullptr;
    const QString status = run ? run->status : QString();
    const QString conclusion = run ? run->conclusion : QString();
    if (column == LastRun && role == Qt::DecorationRole)
        return statusColor(status, conclusion);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Name:
        return pipeline.name;
    case Source:
        return pipeline.source;
    case Repository:
        return pipeline.repository;
    case LastRun: {
        const QString text = statusText(status, conclusion);
        return run && run->runNumber > 0 ? QStringLiteral("#%1 %2").arg(run->runNumber).arg(text)
                                         : text;
    }
    case Branch:
        return run ? run->headBranch : QString();
    default:
        return {};
    }
}

} // namespace Outpost::App
