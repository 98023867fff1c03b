#pragma once

#include "view.h"

#include <QPointer>
#include <QTimer>

class QAction;
class QCheckBox;
class QGroupBox;
class QLabel;
class QSplitter;
class QStackedWidget;
class QPlainTextEdit;
class QTableView;

namespace Outpost::App {

class PipelinesModel;
class RunsModel;
class SearchField;
class StageTimeline;

// Pipelines with their last run's status in colour; the selected pipeline's run history; the
// selected run's stages as a timeline and its log (follow mode polls while it runs); trigger
// and cancel for local runners. Run events refresh the lists live.
class PipelinesView final : public View
{
    Q_OBJECT

public:
    explicit PipelinesView(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client) override;
    void refresh() override;
    void handleEvent(const QString &type, qint64 id) override;
    void focusSearch() override;

    PipelinesModel *pipelinesModel() const { return m_pipelines; }
    RunsModel *runsModel() const { return m_runs; }
    StageTimeline *timeline() const { return m_timeline; }
    void showRun(qint64 runId);
    qint64 currentPipelineId() const;
    qint64 currentRunId() const { return m_runId; }

private:
    void selectPipeline(qint64 pipelineId);
    void loadLog();
    void trigger();
    void cancelRun();

    QPointer<Client::ApiClient> m_client;
    PipelinesModel *m_pipelines;
    RunsModel *m_runs;
    QTableView *m_pipelineTable;
    QTableView *m_runTable;
    StageTimeline *m_timeline;
    QGroupBox *m_runBox;
    QLabel *m_noRun;
    QStackedWidget *m_runPane = nullptr;
    QSplitter *m_bottom = nullptr;
    QSplitter *m_split = nullptr;
    QPlainTextEdit *m_log;
    QCheckBox *m_follow;
    SearchField *m_search;
    QAction *m_trigger;
    QAction *m_cancel;
    QAction *m_refresh;
    QTimer m_followTimer;
    qint64 m_pipelineId = 0;
    qint64 m_runId = 0;
    bool m_runActive = false;
};

} // namespace Outpost::App
