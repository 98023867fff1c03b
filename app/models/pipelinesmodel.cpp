#include "pipelinesmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList PipelinesModel::headers() const
{
    return {tr("Pipeline"), tr("Source"), tr("Repository"), tr("Last run"), tr("Branch")};
}

QColor PipelinesModel::statusColor(const QJsonObject &run)
{
    const QString status = run.value(QStringLiteral("status")).toString();
    const QString conclusion = run.value(QStringLiteral("conclusion")).toString();
    if (status == QLatin1String("in_progress"))
        return QColor(0xf0, 0xa3, 0x0a); // amber
    if (status == QLatin1String("completed")) {
        if (conclusion == QLatin1String("success"))
            return QColor(0x2e, 0x9d, 0x44); // green
        if (conclusion == QLatin1String("failure") || conclusion == QLatin1String("timed_out")
            || conclusion == QLatin1String("action_required"))
            return QColor(0xd0, 0x31, 0x2d); // red
    }
    return QColor(0x8a, 0x8f, 0x98); // grey: queued, cancelled, skipped, neutral, none
}

QString PipelinesModel::statusText(const QJsonObject &run)
{
    if (run.isEmpty())
        return tr("never run");
    const QString status = run.value(QStringLiteral("status")).toString();
    const QString conclusion = run.value(QStringLiteral("conclusion")).toString();
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

QVariant PipelinesModel::cell(const QJsonObject &object, int column, int role) const
{
    const QJsonObject run = object.value(QStringLiteral("last_run")).toObject();
    if (column == LastRun && role == Qt::DecorationRole)
        return statusColor(run);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Name:
        return object.value(QStringLiteral("name")).toString();
    case Source:
        return object.value(QStringLiteral("source")).toString();
    case Repository:
        return object.value(QStringLiteral("repository")).toString();
    case LastRun: {
        const QString text = statusText(run);
        const qint64 number = run.value(QStringLiteral("run_number")).toInteger();
        return number > 0 ? QStringLiteral("#%1 %2").arg(number).arg(text) : text;
    }
    case Branch:
        return run.value(QStringLiteral("head_branch")).toString();
    default:
        return {};
    }
}

} // namespace Outpost::App
