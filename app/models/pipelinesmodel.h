#pragma once

#include "models/pipeline.h"
#include "pagedtablemodel.h"

#include <QColor>

namespace Outpost::App {

// Pipelines with their last run as a coloured status.
class PipelinesModel final : public TypedTableModel<Pipeline>
{
    Q_OBJECT

public:
    using TypedTableModel::TypedTableModel;
    enum Column { Name, Source, Repository, LastRun, Branch };
    // Of a run or a stage: green success, red failure, amber running, grey queued or
    // cancelled.
    static QColor statusColor(const QString &status, const QString &conclusion);
    // An empty status: never run.
    static QString statusText(const QString &status, const QString &conclusion);
    // The group a status filter offers: "queued", "running", "succeeded", "failed",
    // "cancelled", "never" (no run), or "other" (skipped, neutral, ...).
    static QString statusGroup(const QString &status, const QString &conclusion);

protected:
    QStringList headers() const override;
    Client::Reply<Page<Pipeline>> fetchPage(const PageRequest &page) override;
    void loadItem(qint64 id) override;
    QVariant cell(const Pipeline &pipeline, int column, int role) const override;
};

} // namespace Outpost::App
