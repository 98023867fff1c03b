#include "dashboardview.h"

#include "client/apiclient.h"
#include "client/prometheustext.h"
#include "models/auditmodel.h"
#include "models/modelformat.h"
#include "settings/appearance.h"
#include "viewsupport.h"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <array>

namespace Outpost::App {

namespace {

QString uptimeText(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const qint64 hours = (seconds % 86400) / 3600;
    const qint64 minutes = (seconds % 3600) / 60;
    if (days > 0)
        return DashboardView::tr("%1 d %2 h %3 min").arg(days).arg(hours).arg(minutes);
    if (hours > 0)
        return DashboardView::tr("%1 h %2 min %3 s").arg(hours).arg(minutes).arg(seconds % 60);
    return DashboardView::tr("%1 min %2 s").arg(minutes).arg(seconds % 60);
}

// The answers with a 5xx status among `samples` (outpost_http_requests_total{status=...}).
double serverErrors(const QList<Client::MetricSample> &samples)
{
    double errors = 0;
    for (const Client::MetricSample &sample : samples) {
        if (sample.name == u"outpost_http_requests_total"
            && sample.labels.value(QStringLiteral("status")).startsWith(u'5'))
            errors += sample.value;
    }
    return errors;
}

QChartView *makeChart(const QString &title, QLineSeries *series, QDateTimeAxis *x, QValueAxis *y,
    QWidget *parent, QList<QChart *> &charts)
{
    auto *chart = new QChart;
    charts.append(chart);
    chart->setTitle(title);
    chart->legend()->hide();
    chart->addSeries(series);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    x->setFormat(QStringLiteral("HH:mm:ss"));
    x->setTickCount(4); // three charts side by side: room for whole "HH:mm:ss" labels
    const QDateTime now = QDateTime::currentDateTime();
    x->setRange(now.addSecs(-300), now);
    y->setRange(0, 1);
    y->setLabelFormat(QStringLiteral("%.1f"));
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    // A picture, not a control: named for screen readers, not a Tab stop.
    view->setAccessibleName(title);
    view->setFocusPolicy(Qt::NoFocus);
    view->viewport()->setFocusPolicy(Qt::NoFocus);
    return view;
}

} // namespace

DashboardView::DashboardView(QWidget *parent)
    : View(parent)
    , m_rps(new QLineSeries(this))
    , m_p95(new QLineSeries(this))
    , m_errors(new QLineSeries(this))
    , m_rpsAxis(new QValueAxis(this))
    , m_p95Axis(new QValueAxis(this))
    , m_errorsAxis(new QValueAxis(this))
    , m_rpsX(new QDateTimeAxis(this))
    , m_p95X(new QDateTimeAxis(this))
    , m_errorsX(new QDateTimeAxis(this))
    , m_window(new QComboBox(this))
    , m_audit(new AuditModel(this))
    , m_auditTable(new QTableView(this))
    , m_failing(new QListWidget(this))
{
    setObjectName(QStringLiteral("dashboardView"));
    auto *server = new QGroupBox(tr("Server"), this);
    auto *form = new QFormLayout(server);
    const std::array<std::pair<QString, QString>, 4> rows {
        {{QStringLiteral("version"), tr("Version:")}, {QStringLiteral("uptime"), tr("Uptime:")},
            {QStringLiteral("database"), tr("Database:")},
            {QStringLiteral("fileStore"), tr("File store:")}}};
    for (const auto &[name, label] : rows) {
        auto *value = new QLabel(QStringLiteral("—"), server);
        value->setObjectName(name);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_info.insert(name, value);
        form->addRow(label, value);
    }
    auto *counts = new QGroupBox(tr("Counts"), this);
    auto *countForm = new QFormLayout(counts);
    const std::array<std::pair<QString, QString>, 4> countRows {
        {{QStringLiteral("users"), tr("Users:")}, {QStringLiteral("posts"), tr("Posts:")},
            {QStringLiteral("files"), tr("Files:")},
            {QStringLiteral("pipelines"), tr("Pipelines:")}}};
    for (const auto &[name, label] : countRows) {
        auto *value = new QLabel(QStringLiteral("—"), counts);
        value->setObjectName(name);
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.3);
        big.setBold(true);
        value->setFont(big);
        m_info.insert(name, value);
        countForm->addRow(label, value);
    }

    m_rps->setName(tr("Requests per second"));
    m_p95->setName(tr("p95 latency (ms)"));
    m_errors->setName(tr("Server errors (5xx, % of answers)"));
    m_window->setObjectName(QStringLiteral("chartWindow"));
    m_window->setAccessibleName(tr("Chart window"));
    m_window->addItem(tr("Last 5 minutes"), qint64(300));
    m_window->addItem(tr("Last hour"), qint64(3600));
    m_window->addItem(tr("Last 24 hours"), kHistorySecs);
    auto *windowRow = new QHBoxLayout;
    auto *windowLabel = new QLabel(tr("&Show:"), this);
    windowLabel->setBuddy(m_window);
    auto *historyNote =
        new QLabel(tr("Kept by this app for 24 hours, also across restarts (every second while the "
                      "dashboard is shown)."),
            this);
    historyNote->setWordWrap(true);
    historyNote->setEnabled(false);
    windowRow->addWidget(windowLabel);
    windowRow->addWidget(m_window);
    windowRow->addWidget(historyNote, 1);
    auto *charts = new QHBoxLayout;
    charts->addWidget(
        makeChart(tr("Requests per second"), m_rps, m_rpsX, m_rpsAxis, this, m_charts));
    charts->addWidget(makeChart(tr("p95 latency (ms)"), m_p95, m_p95X, m_p95Axis, this, m_charts));
    charts->addWidget(makeChart(tr("Server errors (5xx, % of answers)"), m_errors, m_errorsX,
        m_errorsAxis, this, m_charts));
    applyChartTheme();

    m_auditTable->setObjectName(QStringLiteral("auditTable"));
    m_auditTable->setAccessibleName(tr("Recent audit entries"));
    m_auditTable->setModel(m_audit);
    setupTable(m_auditTable);
    m_auditTable->horizontalHeader()->setSectionResizeMode(AuditModel::Actor, QHeaderView::Stretch);
    rememberColumns(m_auditTable->horizontalHeader(), QStringLiteral("audit"));
    m_auditTable->setToolTip(tr("Double-click or press Enter to open the entry's object"));
    auto *audit = new QGroupBox(tr("Recent audit entries"), this);
    auto *auditLayout = new QVBoxLayout(audit);
    auditLayout->addWidget(m_auditTable);

    m_failing->setObjectName(QStringLiteral("failingList"));
    m_failing->setWordWrap(true); // a long pipeline name wraps instead of being cut
    m_failing->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_failing->setAccessibleName(tr("Failing pipelines"));
    m_failing->setToolTip(tr("Double-click or press Enter to open the failed run"));
    auto *failing = new QGroupBox(tr("Failing pipelines"), this);
    auto *failingLayout = new QVBoxLayout(failing);
    failingLayout->addWidget(m_failing);
    auto *lists = new QHBoxLayout;
    lists->addWidget(failing, 2);
    lists->addWidget(audit, 3);

    auto *top = new QHBoxLayout;
    top->addWidget(server, 2);
    top->addWidget(counts, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(windowRow);
    layout->addLayout(charts, 1);
    layout->addLayout(lists, 1);

    connect(m_auditTable, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const AuditEntry *entry = m_audit->itemAt(index.row());
        if (entry && !entry->targetType.isEmpty() && !entry->targetId.isEmpty())
            Q_EMIT openRequested(entry->targetType, entry->targetId);
    });
    connect(m_failing, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const qint64 run = item->data(Qt::UserRole).toLongLong();
        if (run > 0)
            Q_EMIT openRequested(QStringLiteral("run"), QString::number(run));
    });

    connect(m_audit, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &DashboardView::pollMetrics);
    m_clock.setInterval(1'000);
    connect(&m_clock, &QTimer::timeout, this, &DashboardView::showUptime);
    connect(m_window, &QComboBox::currentIndexChanged, this, &DashboardView::redrawCharts);
}

qint64 DashboardView::chartWindow() const
{
    return m_window->currentData().toLongLong();
}

void DashboardView::setChartWindow(qint64 seconds)
{
    const int index = m_window->findData(seconds);
    if (index >= 0)
        m_window->setCurrentIndex(index);
}

qint64 DashboardView::uptimeSeconds() const
{
    if (m_uptimeAtInfo < 0)
        return -1;
    return m_uptimeAtInfo + m_sinceInfo.elapsed() / 1000;
}

void DashboardView::showUptime()
{
    const qint64 seconds = uptimeSeconds();
    if (seconds < 0)
        return;
    QLabel *label = infoLabel(QStringLiteral("uptime"));
    label->setText(uptimeText(seconds));
    if (m_startedAt.isValid()) {
        label->setToolTip(
            tr("Started %1")
                .arg(QLocale().toString(m_startedAt.toLocalTime(), QLocale::LongFormat)));
    }
}

QLabel *DashboardView::infoLabel(const QString &name) const
{
    return m_info.value(name);
}

int DashboardView::chartPoints() const
{
    return int(m_rps->count());
}

void DashboardView::setClient(Client::ApiClient *client)
{
    m_client = client;
    m_rps->clear();
    m_p95->clear();
    m_errors->clear();
    m_failing->clear();
    m_lastRequests = -1;
    m_lastErrors = 0;
    m_lastBuckets.clear();
    m_sinceLast.invalidate();
    m_history.open(client ? MetricsHistory::pathFor(m_serverId) : QString(),
        QDateTime::currentMSecsSinceEpoch());
    m_uptimeAtInfo = -1;
    m_startedAt = QDateTime();
    for (QLabel *label : std::as_const(m_info)) {
        label->setText(QStringLiteral("—"));
        label->setToolTip(QString());
    }
    m_audit->setClient(client);
    if (client) {
        loadInfo();
        loadFailing();
        pollMetrics();
        // The history goes on while another view is shown, at a gentler pace.
        m_poll.start(isVisible() ? kPollMs : kHiddenPollMs);
    } else {
        m_poll.stop();
        m_clock.stop();
    }
    redrawCharts();
}

void DashboardView::refresh()
{
    loadInfo();
    loadFailing();
    m_audit->refresh();
}

void DashboardView::handleEvent(const QString &type, qint64 /*id*/)
{
    if (type.endsWith(QLatin1String(".created")) || type.endsWith(QLatin1String(".deleted")))
        loadInfo();
    if (type.startsWith(QLatin1String("run.")) || type.startsWith(QLatin1String("pipeline.")))
        loadFailing();
}

// The pipelines whose last run failed or timed out (as the servers list counts them).
void DashboardView::loadFailing()
{
    if (!m_client)
        return;
    m_client->pipelines().list({100, 0}).then(
        this, [this](const Client::ApiResult<Page<Pipeline>> &page) {
            if (!page)
                return; // not allowed or not there: the list stays as it was
            const qint64 current = m_failing->currentItem()
                ? m_failing->currentItem()->data(Qt::UserRole).toLongLong()
                : 0;
            m_failing->clear();
            for (const Pipeline &pipeline : page->items) {
                if (!pipeline.lastRun)
                    continue;
                const Run &run = *pipeline.lastRun;
                const bool timedOut = run.conclusion == QLatin1String("timed_out");
                if (!timedOut && run.conclusion != QLatin1String("failure"))
                    continue;
                const QString when =
                    displayTime(run.finishedAt.isValid() ? run.finishedAt : run.createdAt);
                auto *item = new QListWidgetItem(timedOut ? tr("✗ %1 — run #%2 timed out %3")
                                                                .arg(pipeline.name)
                                                                .arg(run.runNumber)
                                                                .arg(when)
                                                          : tr("✗ %1 — run #%2 failed %3")
                                                                .arg(pipeline.name)
                                                                .arg(run.runNumber)
                                                                .arg(when),
                    m_failing);
                item->setData(Qt::UserRole, run.id);
                if (run.id == current)
                    m_failing->setCurrentItem(item);
            }
            if (m_failing->count() == 0) {
                auto *none = new QListWidgetItem(tr("No failing pipelines."), m_failing);
                none->setFlags(Qt::ItemIsEnabled);
            }
        });
}

void DashboardView::changeEvent(QEvent *event)
{
    View::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyChartTheme();
}

// The charts in the palette's colours: Qt's dark chart theme on a dark palette, light
// otherwise, with the window's background and text so they sit in the page.
void DashboardView::applyChartTheme()
{
    const QPalette colours = palette();
    const bool dark = Appearance::isDark(colours);
    for (QChart *chart : std::as_const(m_charts)) {
        chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        chart->setBackgroundBrush(colours.color(QPalette::Base));
        chart->setTitleBrush(colours.color(QPalette::WindowText));
        for (QAbstractAxis *axis : chart->axes()) {
            axis->setLabelsBrush(colours.color(QPalette::Text));
            axis->setGridLineColor(colours.color(QPalette::Mid));
            axis->setLinePenColor(colours.color(QPalette::Mid));
        }
    }
}

void DashboardView::showEvent(QShowEvent *event)
{
    View::showEvent(event);
    if (m_client) {
        refresh();
        m_poll.start(kPollMs);
        m_clock.start();
        showUptime();
    }
}

void DashboardView::hideEvent(QHideEvent *event)
{
    View::hideEvent(event);
    m_clock.stop();
    if (m_client)
        m_poll.start(kHiddenPollMs);
}

void DashboardView::loadInfo()
{
    if (!m_client)
        return;
    m_client->admin().info().then(this, [this](const Client::ApiResult<ServerInfo> &info) {
        if (!info && info.error().code == ErrorCode::Forbidden) {
            infoLabel(QStringLiteral("version"))
                ->setText(tr("(server details are for administrators)"));
            return;
        }
        if (!info) {
            Q_EMIT errorOccurred(info.error().text());
            return;
        }
        infoLabel(QStringLiteral("version"))->setText(info->version);
        m_uptimeAtInfo = info->uptimeSeconds;
        m_sinceInfo.start();
        m_startedAt = info->startedAt;
        showUptime();
        if (isVisible())
            m_clock.start();
        infoLabel(QStringLiteral("database"))
            ->setText(
                tr("%1, schema version %2").arg(info->databaseDriver).arg(info->schemaVersion));
        infoLabel(QStringLiteral("fileStore"))->setText(info->fileStoreKind);
        const std::array<std::pair<QString, qint64>, 4> counts {
            {{QStringLiteral("users"), info->counts.users},
                {QStringLiteral("posts"), info->counts.posts},
                {QStringLiteral("files"), info->counts.files},
                {QStringLiteral("pipelines"), info->counts.pipelines}}};
        for (const auto &[name, count] : counts)
            infoLabel(name)->setText(QString::number(count));
    });
}

void DashboardView::pollMetrics()
{
    if (!m_client)
        return;
    m_client->admin().metrics().then(
        this, [this](const Client::ApiResult<QList<Client::MetricSample>> &samples) {
            if (!samples)
                return; // the charts just pause; the status bar shows the connection state
            const double requests = Client::PrometheusText::sum(
                *samples, QStringLiteral("outpost_http_requests_total"));
            const double errors = serverErrors(*samples);
            const auto buckets = Client::PrometheusText::buckets(
                *samples, QStringLiteral("outpost_http_request_duration_seconds"));
            const qint64 elapsed = m_sinceLast.isValid() ? m_sinceLast.restart() : 0;
            if (!m_sinceLast.isValid())
                m_sinceLast.start();
            if (m_lastRequests >= 0 && elapsed > 0) {
                // The dashboard's own /metrics request is counted too: leave it out.
                const double rate =
                    qMax(0.0, requests - m_lastRequests - 1) * 1000.0 / double(elapsed);
                const double p95 = Client::PrometheusText::quantile(0.95, m_lastBuckets, buckets);
                // The share of 5xx among the answers since the last poll (not counting this
                // poll's own, which is a 200).
                const double answered = requests - m_lastRequests - 1;
                const double failed = qMax(0.0, errors - m_lastErrors);
                const double errorPercent =
                    answered > 0 ? qMin(100.0, failed * 100.0 / answered) : 0.0;
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                m_history.append({now, rate, p95 < 0 ? 0 : p95 * 1000.0, errorPercent});
                if (isVisible())
                    redrawCharts();
            }
            m_lastRequests = requests;
            m_lastErrors = errors;
            m_lastBuckets = buckets;
        });
}

void DashboardView::redrawCharts()
{
    const qint64 toMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 fromMs = toMs - chartWindow() * 1000;
    // Averages over equal slices of the window, so a day of one-second samples stays light.
    const qint64 sliceMs = qMax<qint64>(1, chartWindow() * 1000 / kMaxChartPoints);
    QList<QPointF> rps;
    QList<QPointF> p95;
    QList<QPointF> errors;
    qint64 slice = -1;
    double rpsSum = 0;
    double p95Sum = 0;
    double errorsSum = 0;
    int count = 0;
    const auto flush = [&] {
        if (count == 0)
            return;
        const auto at = double(fromMs + slice * sliceMs) + double(sliceMs) / 2;
        rps.append({at, rpsSum / count});
        p95.append({at, p95Sum / count});
        errors.append({at, errorsSum / count});
        rpsSum = p95Sum = errorsSum = 0;
        count = 0;
    };
    const bool everySample = chartWindow() <= kMaxChartPoints; // at most one a second
    for (const Sample &sample : m_history.samples()) {
        if (sample.atMs < fromMs)
            continue;
        if (everySample) {
            rps.append({double(sample.atMs), sample.rps});
            p95.append({double(sample.atMs), sample.p95Ms});
            errors.append({double(sample.atMs), sample.errorPercent});
            continue;
        }
        const qint64 sampleSlice = (sample.atMs - fromMs) / sliceMs;
        if (sampleSlice != slice) {
            flush();
            slice = sampleSlice;
        }
        rpsSum += sample.rps;
        p95Sum += sample.p95Ms;
        errorsSum += sample.errorPercent;
        ++count;
    }
    flush();
    const QString format =
        chartWindow() <= 300 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    plot(m_rps, m_rpsAxis, m_rpsX, rps, fromMs, toMs, format);
    plot(m_p95, m_p95Axis, m_p95X, p95, fromMs, toMs, format);
    plot(m_errors, m_errorsAxis, m_errorsX, errors, fromMs, toMs, format);
    m_errorsAxis->setMax(qMin(100.0, m_errorsAxis->max()));
}

void DashboardView::plot(QLineSeries *series, QValueAxis *axis, QDateTimeAxis *x,
    const QList<QPointF> &points, qint64 fromMs, qint64 toMs, const QString &format)
{
    series->replace(points);
    double top = 1;
    for (const QPointF &point : points)
        top = qMax(top, point.y());
    axis->setRange(0, top * 1.2);
    x->setFormat(format);
    x->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
}

} // namespace Outpost::App
