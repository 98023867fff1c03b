#include "runsmodel.h"

#include "modelformat.h"
#include "pipelinesmodel.h"

namespace Outpost::App {

void RunsModel::setPipeline(qint64 pipelineId)
{
    m_pipelineId = pipelineId;
    refresh();
}

QStringList RunsModel::headers() const
{
    return {tr("Run"), tr("Status"), tr("Branch"), tr("Commit"), tr("Started"), tr("Duration")};
}

Client::Reply<Page<Run>> RunsModel::fetchPage(const PageRequest &page)
{
    return client()->pipelines().runs(m_pipelineId, page);
}

void RunsModel::loadItem(qint64 id)
{
    client()->pipelines().run(id).then(this, [this, id](const Client::ApiResult<Run> &result) {
        if (result && result->pipelineId != m_pipelineId)
            return; // the list shows another pipeline by now
        itemLoaded(id, result);
    });
}

QVariant RunsModel::cell(const Run &run, int column, int role) const
{
    if (column == Status && role == Qt::DecorationRole)
        return PipelinesModel::statusColor(run.status, run.conclusion);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Number:
        return QStringLiteral("#%1").arg(run.runNumber);
    case Status:
        return PipelinesModel::statusText(run.status, run.conclusion);
    case Branch:
        return run.headBranch;
    case Commit:
        return run.headSha.left(8);
    case Started:
        return displayTime(run.startedAt);
    case Duration:
        // Whole seconds, as the API's duration_s: a run still going has none.
        return run.startedAt.isValid() && run.finishedAt.isValid()
            ? displayDuration(qMax<qint64>(0, run.startedAt.secsTo(run.finishedAt)) * 1000)
            : QString();
    default:
        return {};
    }
}

} // namespace Outpost::App
