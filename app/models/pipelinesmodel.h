#pragma once

#include "pagedtablemodel.h"

#include <QColor>

namespace Outpost::App {

// Pipelines with their last run as a coloured status.
class PipelinesModel final : public PagedTableModel
{
    Q_OBJECT

public:
    using PagedTableModel::PagedTableModel;
    enum Column { Name, Source, Repository, LastRun, Branch };
    // green success, red failure, amber running, grey queued or cancelled
    static QColor statusColor(const QJsonObject &run);
    static QString statusText(const QJsonObject &run);

protected:
    QString path() const override { return QStringLiteral("/v1/pipelines"); }
    QStringList headers() const override;
    QVariant cell(const QJsonObject &object, int column, int role) const override;
};

} // namespace Outpost::App
