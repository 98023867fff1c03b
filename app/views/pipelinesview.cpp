#include "pipelinesview.h"

#include "client/apiclient.h"
#include "models/pipelinesmodel.h"
#include "models/runsmodel.h"
#include "stagetimeline.h"
#include "viewsupport.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTextCursor>
#include <QToolBar>
#include <QVBoxLayout>

#include <utility>

namespace Outpost::App {

namespace {

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    setupTable(table);
    table->setContextMenuPolicy(Qt::ActionsContextMenu);
    rememberColumns(table->horizontalHeader(), name);
    return table;
}

} // namespace

PipelinesView::PipelinesView(QWidget *parent)
    : View(parent)
    , m_pipelines(new PipelinesModel(this))
    , m_runs(new RunsModel(this))
    , m_pipelineTable(makeTable(m_pipelines, QStringLiteral("pipelinesTable"), this))
    , m_runTable(makeTable(m_runs, QStringLiteral("runsTable"), this))
    , m_timeline(new StageTimeline(this))
    , m_runBox(new QGroupBox(tr("Run"), this))
    , m_noRun(new QLabel(tr("Select a run to see its stages and log."), this))
    , m_log(new QPlainTextEdit(this))
    , m_follow(new QCheckBox(tr("&Follow"), this))
    , m_search(new SearchField(this))
    , m_trigger(new QAction(QIcon(QStringLiteral(":/icons/run.svg")), tr("&Trigger run"), this))
    , m_rerun(new QAction(QIcon(QStringLiteral(":/icons/run.svg")), tr("R&e-run"), this))
    , m_cancel(new QAction(QIcon(QStringLiteral(":/icons/stop.svg")), tr("&Cancel run"), this))
    , m_statusFilter(new QComboBox(this))
    , m_refresh(new QAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Refresh"), this))
{
    setObjectName(QStringLiteral("pipelinesView"));
    m_log->setObjectName(QStringLiteral("runLog"));
    m_log->setAccessibleName(tr("Run log"));
    m_pipelineTable->setAccessibleName(tr("Pipelines"));
    m_runTable->setAccessibleName(tr("Runs"));
    m_log->setReadOnly(true);
    m_log->setFont(QFont(QStringLiteral("monospace")));
    m_log->setPlaceholderText(tr("The log of a local run appears here."));
    m_follow->setChecked(true);
    m_pipelineTable->addActions({m_trigger, m_refresh});
    m_runTable->addActions({m_rerun, m_cancel});
    m_rerun->setObjectName(QStringLiteral("rerunAction"));
    m_rerun->setToolTip(tr("Run the selected run's pipeline again"));
    m_cancel->setObjectName(QStringLiteral("cancelRunAction"));
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->addItem(tr("All"), QString());
    m_statusFilter->addItem(tr("Running"), QStringLiteral("running"));
    m_statusFilter->addItem(tr("Queued"), QStringLiteral("queued"));
    m_statusFilter->addItem(tr("Failed"), QStringLiteral("failed"));
    m_statusFilter->addItem(tr("Succeeded"), QStringLiteral("succeeded"));
    m_statusFilter->addItem(tr("Cancelled"), QStringLiteral("cancelled"));
    m_statusFilter->setToolTip(
        tr("Show only the runs with this status, and the pipelines whose last run has it"));
    auto *filterLabel = new QLabel(tr("&Status:"), this);
    filterLabel->setBuddy(m_statusFilter);

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_trigger, m_rerun, m_cancel});
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    toolbar->addSeparator();
    toolbar->addWidget(filterLabel);
    toolbar->addWidget(m_statusFilter);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_search->setMaximumWidth(280);
    toolbar->addWidget(m_search);

    fitColumns(m_pipelineTable, {PipelinesModel::Name, PipelinesModel::Repository});
    fitColumns(m_runTable, {RunsModel::Branch});
    m_runBox->setObjectName(QStringLiteral("runBox"));
    m_noRun->setObjectName(QStringLiteral("noRunPlaceholder"));
    m_noRun->setAlignment(Qt::AlignCenter);
    m_noRun->setEnabled(false); // greyed, like a placeholder text
    m_noRun->setWordWrap(true);
    auto *runLayout = new QVBoxLayout(m_runBox);
    runLayout->addWidget(m_timeline);
    auto *logHeader = new QHBoxLayout;
    logHeader->addStretch();
    logHeader->addWidget(m_follow);
    runLayout->addLayout(logHeader);
    runLayout->addWidget(m_log, 1);

    // The pipelines across the top (their columns need the width); below, the selected
    // pipeline's runs beside the selected run, or a line saying how to get one. Made here, not
    // in the initializer list: widgets made later come later in the default tab order.
    // NOLINTBEGIN(cppcoreguidelines-prefer-member-initializer)
    m_runPane = new QStackedWidget(this);
    m_runPane->addWidget(m_noRun);
    m_runPane->addWidget(m_runBox);
    m_bottom = new QSplitter(Qt::Horizontal, this);
    m_bottom->setObjectName(QStringLiteral("runsSplitter"));
    m_bottom->setChildrenCollapsible(false);
    m_bottom->addWidget(m_runTable);
    m_bottom->addWidget(m_runPane);
    m_bottom->setStretchFactor(0, 1);
    m_bottom->setStretchFactor(1, 1);
    m_bottom->setSizes({500, 500}); // halves, whatever the panes' size hints say
    m_split = new QSplitter(Qt::Vertical, this);
    // NOLINTEND(cppcoreguidelines-prefer-member-initializer)
    m_split->setObjectName(QStringLiteral("pipelinesSplitter"));
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(m_pipelineTable);
    m_split->addWidget(m_bottom);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    m_split->setSizes({400, 600});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_split, 1);
    chainTabOrder({m_search, m_pipelineTable, m_runTable, m_follow, m_log});

    connect(m_search, &SearchField::searchChanged, m_pipelines, &PagedTableModel::setSearch);
    connect(m_trigger, &QAction::triggered, this, &PipelinesView::trigger);
    connect(m_cancel, &QAction::triggered, this, &PipelinesView::cancelRun);
    connect(m_rerun, &QAction::triggered, this, &PipelinesView::rerun);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &PipelinesView::applyFilter);
    // Rows come and go with pages, refreshes and live events: the filter follows them.
    for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(m_pipelines),
             static_cast<QAbstractItemModel *>(m_runs)}) {
        connect(model, &QAbstractItemModel::modelReset, this, &PipelinesView::applyFilter);
        connect(model, &QAbstractItemModel::rowsInserted, this, &PipelinesView::applyFilter);
        connect(model, &QAbstractItemModel::dataChanged, this, &PipelinesView::applyFilter);
        connect(model, &QAbstractItemModel::layoutChanged, this, &PipelinesView::applyFilter);
    }
    connect(m_refresh, &QAction::triggered, this, &PipelinesView::refresh);
    connect(m_pipelines, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    connect(m_pipelines, &PagedTableModel::endpointMissing, this,
        [this] { m_noRun->setText(tr("This server does not offer pipelines.")); });
    connect(m_runs, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    // A refresh empties a list for a moment (a model reset): the choice is kept by id and
    // selected again when the rows are back, the first pipeline when there was none.
    connect(m_pipelineTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (current.isValid())
                selectPipeline(m_pipelines->idAt(current.row()));
        });
    connect(m_pipelines, &PagedTableModel::loaded, this, &PipelinesView::updateActions);
    connect(m_pipelines, &PagedTableModel::loaded, this, [this] {
        if (m_pipelineTable->currentIndex().isValid())
            return;
        if (m_pipelines->rowCount() == 0) {
            selectPipeline(0);
            return;
        }
        const int row = qMax(0, m_pipelines->rowOfId(m_pipelineId));
        m_pipelineTable->setCurrentIndex(m_pipelines->index(row, 0));
    });
    connect(m_runTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (current.isValid() && m_runs->idAt(current.row()) != m_runId)
                showRun(m_runs->idAt(current.row()));
        });
    connect(m_runs, &PagedTableModel::loaded, this, [this] {
        const int row = m_runs->rowOfId(m_runId);
        if (row >= 0 && !m_runTable->currentIndex().isValid())
            m_runTable->setCurrentIndex(m_runs->index(row, 0));
    });
    m_followTimer.setInterval(2'000);
    connect(&m_followTimer, &QTimer::timeout, this, [this] {
        if (m_follow->isChecked() && m_runActive)
            showRun(m_runId);
    });
    updateActions();
}

void PipelinesView::setStatusFilter(const QString &group)
{
    const int index = m_statusFilter->findData(group);
    if (index >= 0)
        m_statusFilter->setCurrentIndex(index);
}

void PipelinesView::applyFilter()
{
    const QString group = m_statusFilter->currentData().toString();
    for (int row = 0; row < m_pipelines->rowCount(); ++row) {
        const Pipeline *pipeline = m_pipelines->itemAt(row);
        const bool shown = group.isEmpty()
            || (pipeline && pipeline->lastRun
                && PipelinesModel::statusGroup(
                       pipeline->lastRun->status, pipeline->lastRun->conclusion)
                    == group);
        m_pipelineTable->setRowHidden(row, !shown);
    }
    for (int row = 0; row < m_runs->rowCount(); ++row) {
        const Run *run = m_runs->itemAt(row);
        const bool shown = group.isEmpty()
            || (run && PipelinesModel::statusGroup(run->status, run->conclusion) == group);
        m_runTable->setRowHidden(row, !shown);
    }
}

QList<qint64> PipelinesView::visiblePipelineIds() const
{
    QList<qint64> ids;
    for (int row = 0; row < m_pipelines->rowCount(); ++row) {
        if (!m_pipelineTable->isRowHidden(row))
            ids.append(m_pipelines->idAt(row));
    }
    return ids;
}

QList<qint64> PipelinesView::visibleRunIds() const
{
    QList<qint64> ids;
    for (int row = 0; row < m_runs->rowCount(); ++row) {
        if (!m_runTable->isRowHidden(row))
            ids.append(m_runs->idAt(row));
    }
    return ids;
}

void PipelinesView::updateActions()
{
    const bool shown = m_runId != 0 && m_client;
    m_cancel->setEnabled(shown && m_runActive);
    // Only local pipelines run here; the others' runs come from their CI. (While the list
    // reloads the pipeline is not known: enabled again when it is back.)
    const Pipeline *pipeline = m_pipelines->itemAt(m_pipelines->rowOfId(m_runPipelineId));
    const bool local = pipeline && pipeline->source == QLatin1String("local");
    m_rerun->setEnabled(shown && !m_runActive && local);
}

void PipelinesView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_pipelineId = 0;
    m_noRun->setText(tr("Select a run to see its stages and log."));
    m_runs->setClient(nullptr);
    showRun(0);
    m_pipelines->setClient(client);
}

void PipelinesView::selectPipeline(qint64 pipelineId)
{
    if (pipelineId == m_pipelineId && m_runs->client() == m_client)
        return;
    m_pipelineId = pipelineId;
    if (m_runs->client() != m_client)
        m_runs->setClient(m_client);
    m_runs->setPipeline(pipelineId);
    showRun(0);
}

void PipelinesView::refresh()
{
    m_pipelines->refresh();
    if (m_runs->pipelineId() != 0)
        m_runs->refresh();
    if (m_runId != 0)
        showRun(m_runId);
}

void PipelinesView::handleEvent(const QString &type, qint64 id)
{
    if (type.startsWith(QLatin1String("pipeline."))) {
        m_pipelines->refresh();
        return;
    }
    if (!type.startsWith(QLatin1String("run.")))
        return;
    // A run changed: its pipeline's last run and the history may both differ now.
    m_pipelines->refresh();
    if (m_runs->pipelineId() != 0) {
        if (m_runs->rowOfId(id) >= 0) {
            m_runs->refreshRow(id);
        } else {
            m_runs->refresh();
        }
    }
    if (id == m_runId)
        showRun(id);
}

void PipelinesView::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

qint64 PipelinesView::currentPipelineId() const
{
    return m_pipelineId;
}

void PipelinesView::showRun(qint64 runId)
{
    const bool sameRun = runId == m_runId;
    m_runId = runId;
    const bool shown = runId != 0 && m_client;
    m_runPane->setCurrentWidget(shown ? static_cast<QWidget *>(m_runBox) : m_noRun);
    if (!sameRun) {
        m_log->clear();
        m_logBytes = 0;
        m_runPipelineId = 0;
        m_runActive = false;
    }
    if (!shown) {
        m_timeline->setStages({});
        m_followTimer.stop();
        updateActions();
        return;
    }
    m_client->pipelines().run(runId).then(this, [this, runId](const Client::ApiResult<Run> &run) {
        if (runId != m_runId)
            return;
        if (!run) {
            Q_EMIT errorOccurred(run.error().text());
            return;
        }
        m_timeline->setStages(run->stages);
        m_runPipelineId = run->pipelineId;
        m_runActive = run->status != QLatin1String("completed");
        updateActions();
        if (m_runActive) {
            m_followTimer.start();
        } else {
            m_followTimer.stop();
        }
        loadLog();
    });
}

// Only what was added since the last fetch is asked for and appended: the scroll position and a
// selection stay. One fetch at a time; one asked for meanwhile follows it.
void PipelinesView::loadLog()
{
    if (m_logLoading) {
        m_logAgain = true;
        return;
    }
    m_logLoading = true;
    const qint64 runId = m_runId;
    const qint64 offset = m_logBytes;
    m_client->pipelines()
        .log(runId, offset)
        .then(this, [this, runId, offset](const Client::ApiResult<QString> &log) {
            m_logLoading = false;
            const bool again = std::exchange(m_logAgain, false);
            if (runId != m_runId || offset != m_logBytes) {
                if (m_runId != 0 && m_client)
                    loadLog(); // another run, or cleared: from its start
                return;
            }
            if (!log && log.error().code == ErrorCode::NotFound) {
                m_log->setPlaceholderText(tr("No log: this run did not run on this server."));
                m_log->clear();
                return;
            }
            if (!log && log.error().status == 416) {
                // Shorter than what is shown: not the same log any more. From the start.
                m_log->clear();
                m_logBytes = 0;
                loadLog();
                return;
            }
            if (!log)
                return;
            if (!log->isEmpty()) {
                QScrollBar *bar = m_log->verticalScrollBar();
                const bool atEnd = bar->value() == bar->maximum();
                const int keep = bar->value();
                QTextCursor end(m_log->document());
                end.movePosition(QTextCursor::End);
                end.insertText(*log);
                m_logBytes += log->toUtf8().size();
                bar->setValue(m_follow->isChecked() || atEnd ? bar->maximum() : keep);
            }
            if (again) {
                loadLog();
                return;
            }
            Q_EMIT logUpdated();
        });
}

void PipelinesView::trigger()
{
    const qint64 id = currentPipelineId();
    if (!m_client || id == 0)
        return;
    m_client->pipelines().trigger(id).then(this, [this](const Client::ApiResult<Run> &run) {
        if (!run) {
            Q_EMIT errorOccurred(run.error().text());
            return;
        }
        Q_EMIT statusMessage(tr("Run started"));
        m_runs->refresh();
        Q_EMIT runStarted(run->id);
    });
}

void PipelinesView::rerun()
{
    if (!m_client || m_runId == 0 || m_runPipelineId == 0)
        return;
    m_client->pipelines()
        .trigger(m_runPipelineId)
        .then(this, [this](const Client::ApiResult<Run> &run) {
            if (!run) {
                Q_EMIT errorOccurred(run.error().text());
                return;
            }
            Q_EMIT statusMessage(tr("Run #%1 started").arg(run->runNumber));
            m_runs->refresh();
            showRun(run->id); // the new run is the one to watch
            Q_EMIT runStarted(run->id);
        });
}

void PipelinesView::cancelRun()
{
    if (!m_client || m_runId == 0)
        return;
    const qint64 runId = m_runId;
    confirm(this, tr("Cancel run"), tr("Stop this run? Stages still running are cancelled."),
        [this, runId] {
            m_client->pipelines().cancel(runId).then(
                this, [this, runId](const Client::ApiResult<Run> &run) {
                    if (!run) {
                        Q_EMIT errorOccurred(run.error().text());
                        return;
                    }
                    Q_EMIT statusMessage(tr("Run cancelled"));
                    showRun(runId);
                });
        });
}

} // namespace Outpost::App
