#pragma once

#include "pagedtablemodel.h"

namespace Outpost::App {

// The run history of one pipeline, newest first.
class RunsModel final : public PagedTableModel
{
    Q_OBJECT

public:
    using PagedTableModel::PagedTableModel;
    enum Column { Number, Status, Branch, Commit, Started, Duration };

    void setPipeline(qint64 pipelineId);
    qint64 pipelineId() const { return m_pipelineId; }

protected:
    QString path() const override
    {
        return QStringLiteral("/v1/pipelines/%1/runs").arg(m_pipelineId);
    }
    QStringList headers() const override;
    QVariant cell(const QJsonObject &object, int column, int role) const override;
    bool isReady() const override { return m_pipelineId != 0; }

private:
    qint64 m_pipelineId = 0;
};

} // namespace Outpost::App
