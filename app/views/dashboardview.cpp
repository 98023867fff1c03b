#include "dashboardview.h"

#include "client/apiclient.h"
#include "client/prometheustext.h"
#include "models/auditmodel.h"
#include "viewsupport.h"

#include <QChart>
#include <QChartView>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
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
        return DashboardView::tr("%1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return DashboardView::tr("%1 h %2 min").arg(hours).arg(minutes);
    return DashboardView::tr("%1 min %2 s").arg(minutes).arg(seconds % 60);
}

QChartView *makeChart(
    const QString &title, QLineSeries *series, QValueAxis *x, QValueAxis *y, QWidget *parent)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->hide();
    chart->addSeries(series);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    x->setRange(0, DashboardView::kPoints / 4.0);
    x->setLabelsVisible(false);
    x->setGridLineVisible(false);
    y->setRange(0, 1);
    y->setLabelFormat(QStringLiteral("%.1f"));
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    return view;
}

} // namespace

DashboardView::DashboardView(QWidget *parent)
    : View(parent)
    , m_rps(new QLineSeries(this))
    , m_p95(new QLineSeries(this))
    , m_rpsAxis(new QValueAxis(this))
    , m_p95Axis(new QValueAxis(this))
    , m_rpsX(new QValueAxis(this))
    , m_p95X(new QValueAxis(this))
    , m_audit(new AuditModel(this))
    , m_auditTable(new QTableView(this))
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
    auto *charts = new QHBoxLayout;
    charts->addWidget(makeChart(tr("Requests per second"), m_rps, m_rpsX, m_rpsAxis, this));
    charts->addWidget(makeChart(tr("p95 latency (ms)"), m_p95, m_p95X, m_p95Axis, this));

    m_auditTable->setObjectName(QStringLiteral("auditTable"));
    m_auditTable->setModel(m_audit);
    setupTable(m_auditTable);
    m_auditTable->horizontalHeader()->setSectionResizeMode(AuditModel::Actor, QHeaderView::Stretch);
    rememberColumns(m_auditTable->horizontalHeader(), QStringLiteral("audit"));
    auto *audit = new QGroupBox(tr("Recent audit entries"), this);
    auto *auditLayout = new QVBoxLayout(audit);
    auditLayout->addWidget(m_auditTable);

    auto *top = new QHBoxLayout;
    top->addWidget(server, 2);
    top->addWidget(counts, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(charts, 1);
    layout->addWidget(audit, 1);

    connect(m_audit, &PagedTableModel::errorOccurred, this, &View::errorOccurred);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &DashboardView::pollMetrics);
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
    m_lastRequests = -1;
    m_lastBuckets.clear();
    m_tick = 0;
    for (QLabel *label : std::as_const(m_info))
        label->setText(QStringLiteral("—"));
    m_audit->setClient(client);
    if (client) {
        loadInfo();
        pollMetrics();
        if (isVisible())
            m_poll.start();
    } else {
        m_poll.stop();
    }
}

void DashboardView::refresh()
{
    loadInfo();
    m_audit->refresh();
}

void DashboardView::handleEvent(const QString &type, qint64 /*id*/)
{
    if (type.endsWith(QLatin1String(".created")) || type.endsWith(QLatin1String(".deleted")))
        loadInfo();
}

void DashboardView::showEvent(QShowEvent *event)
{
    View::showEvent(event);
    if (m_client) {
        refresh();
        m_poll.start();
    }
}

void DashboardView::hideEvent(QHideEvent *event)
{
    View::hideEvent(event);
    m_poll.stop();
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
        infoLabel(QStringLiteral("uptime"))->setText(uptimeText(info->uptimeSeconds));
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
                addPoint(m_rps, m_rpsAxis, rate);
                addPoint(m_p95, m_p95Axis, p95 < 0 ? 0 : p95 * 1000.0);
                ++m_tick;
            }
            m_lastRequests = requests;
            m_lastBuckets = buckets;
        });
}

void DashboardView::addPoint(QLineSeries *series, QValueAxis *axis, double value) const
{
    series->append(m_tick, value);
    while (series->count() > kPoints)
        series->remove(0);
    double top = 1;
    for (const QPointF &point : series->points())
        top = qMax(top, point.y());
    axis->setRange(0, top * 1.2);
    auto *x = qobject_cast<QValueAxis *>(series->attachedAxes().value(0));
    if (x)
        x->setRange(qMax(0, m_tick - kPoints), qMax(m_tick, kPoints / 4));
}

} // namespace Outpost::App
