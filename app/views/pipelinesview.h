#pragma once

#include "view.h"

#include <QPointer>
#include <QTimer>

class QAction;
class QCheckBox;
class QComboBox;
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

// Pipelines with their last run's status in colour and words; the selected pipeline's run
// history; a status filter over both (a pipeline by its last run); the selected run's stages as
// a timeline and its log (follow mode fetches what was added while it runs); trigger, re-run
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
    // "" (all), "running", "queued", "failed", "succeeded" or "cancelled"
    void setStatusFilter(const QString &group);
    QComboBox *statusFilter() const { return m_statusFilter; }
    // The ids of the rows the filter leaves visible, top to bottom.
    QList<qint64> visiblePipelineIds() const;
    QList<qint64> visibleRunIds() const;
    QAction *rerunAction() const { return m_rerun; }
    QAction *cancelAction() const { return m_cancel; }
    QPlainTextEdit *log() const { return m_log; }
    // Starts the selected run's pipeline again (a local run has no inputs of its own).
    void rerun();
    void cancelRun();

Q_SIGNALS:
    // A re-run or trigger started this run (tests wait for it).
    void runStarted(qint64 runId);
    // The shown log has all the server had at the last fetch.
    void logUpdated();

private:
    void selectPipeline(qint64 pipelineId);
    void loadLog();
    void trigger();
    void applyFilter();
    void updateActions();

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
    QAction *m_rerun;
    QAction *m_cancel;
    QComboBox *m_statusFilter;
    QAction *m_refresh;
    QTimer m_followTimer;
    qint64 m_pipelineId = 0;
    qint64 m_runId = 0;
    bool m_runActive = false;
    qint64 m_runPipelineId = 0; // the shown run's pipeline
    qint64 m_logBytes = 0;      // UTF-8 bytes of the shown log: the next fetch starts there
    bool m_logLoading = false;
    bool m_logAgain = false; // asked for while a fetch was under way
};

} // namespace Outpost::App
