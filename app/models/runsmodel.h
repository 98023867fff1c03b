#pragma once

#include "models/pipeline.h"
#include "pagedtablemodel.h"

namespace Outpost::App {

// The run history of one pipeline, newest first.
class RunsModel final : public TypedTableModel<Run>
{
    Q_OBJECT

public:
    using TypedTableModel::TypedTableModel;
    enum Column { Number, Status, Branch, Commit, Started, Duration };

    void setPipeline(qint64 pipelineId);
    qint64 pipelineId() const { return m_pipelineId; }

protected:
    QStringList headers() const override;
    Client::Reply<Page<Run>> fetchPage(const PageRequest &page) override;
    void loadItem(qint64 id) override;
    QVariant cell(const Run &run, int column, int role) const override;
    bool isReady() const override { return m_pipelineId != 0; }

private:
    qint64 m_pipelineId = 0;
};

} // namespace Outpost::App
