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

QVariant RunsModel::cell(const QJsonObject &object, int column, int role) const
{
    if (column == Status && role == Qt::DecorationRole)
        return PipelinesModel::statusColor(object);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Number:
        return QStringLiteral("#%1").arg(object.value(QStringLiteral("run_number")).toInteger());
    case Status:
        return PipelinesModel::statusText(object);
    case Branch:
        return object.value(QStringLiteral("head_branch")).toString();
    case Commit:
        return object.value(QStringLiteral("head_sha")).toString().left(8);
    case Started:
        return displayTime(object.value(QStringLiteral("started_at")));
    case Duration: {
        if (object.value(QStringLiteral("duration_s")).isDouble())
            return displayDuration(
                qint64(object.value(QStringLiteral("duration_s")).toDouble() * 1000));
        const QDateTime start = QDateTime::fromString(
            object.value(QStringLiteral("started_at")).toString(), Qt::ISODate);
        const QDateTime end =
            QDateTime::fromString(object
                                      .value(object.contains(QStringLiteral("finished_at"))
                                              ? QStringLiteral("finished_at")
                                              : QStringLiteral("completed_at"))
                                      .toString(),
                Qt::ISODate);
        return start.isValid() && end.isValid() ? displayDuration(start.msecsTo(end)) : QString();
    }
    default:
        return {};
    }
}

} // namespace Outpost::App
