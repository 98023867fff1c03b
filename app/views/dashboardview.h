#pragma once

#include "metricshistory.h"
#include "view.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QTimer>

class QChart;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QListWidget;
class QValueAxis;
class QTableView;

namespace Outpost::App {

class AuditModel;

// Server version, uptime (ticking locally from the server's answer), database and file store,
// counts; charts of requests per second, p95 latency and the share of 5xx answers over time,
// computed from successive /metrics snapshots the view keeps for a day per server, also across
// restarts (MetricsHistory; polled every second while shown, more slowly while hidden), over a
// chosen window (5 min, 1 h, 24 h), in the palette's light or dark theme; the pipelines whose
// last run failed and the latest audit entries, each opening its item when activated.
class DashboardView final : public View
{
    Q_OBJECT

public:
    explicit DashboardView(QWidget *parent = nullptr);

    // Whose history to keep (a ServerStore id); set before setClient(). Empty: memory only.
    void setServerId(const QString &serverId) { m_serverId = serverId; }
    void setClient(Client::ApiClient *client) override;
    void refresh() override;
    void handleEvent(const QString &type, qint64 id) override;

    static constexpr int kPollMs = 1'000;
    static constexpr int kHiddenPollMs = 15'000;
    static constexpr qint64 kHistorySecs = qint64(24) * 3600;
    static constexpr int kMaxChartPoints = 300; // longer windows are averaged down to this
    QLabel *infoLabel(const QString &name) const;
    int chartPoints() const;
    // The chart window in seconds (300, 3600 or 86400) and its selector.
    qint64 chartWindow() const;
    void setChartWindow(qint64 seconds);
    QDateTimeAxis *timeAxis() const { return m_rpsX; }
    QLineSeries *errorSeries() const { return m_errors; }
    QList<QChart *> charts() const { return m_charts; }
    QTableView *auditTable() const { return m_auditTable; }
    QListWidget *failingList() const { return m_failing; }
    const MetricsHistory &history() const { return m_history; }
    // The uptime shown: the server's answer plus the time since, on this computer's clock.
    qint64 uptimeSeconds() const;

Q_SIGNALS:
    // An audit entry's object ("user", "post", "file", "run", "pipeline", "subscription",
    // "api_key" and its id) or a failing pipeline's run ("run") to be shown in its view.
    void openRequested(const QString &type, const QString &id);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    using Sample = MetricsHistory::Sample;
    void loadInfo();
    void loadFailing();
    void applyChartTheme();
    void pollMetrics();
    void showUptime();
    void redrawCharts();
    static void plot(QLineSeries *series, QValueAxis *axis, QDateTimeAxis *x,
        const QList<QPointF> &points, qint64 fromMs, qint64 toMs, const QString &format);

    QPointer<Client::ApiClient> m_client;
    QMap<QString, QLabel *> m_info;
    QLineSeries *m_rps;
    QLineSeries *m_p95;
    QLineSeries *m_errors;
    QValueAxis *m_rpsAxis;
    QValueAxis *m_p95Axis;
    QValueAxis *m_errorsAxis;
    QDateTimeAxis *m_rpsX;
    QDateTimeAxis *m_p95X;
    QDateTimeAxis *m_errorsX;
    QList<QChart *> m_charts;
    QComboBox *m_window;
    AuditModel *m_audit;
    QTableView *m_auditTable;
    QListWidget *m_failing;
    QString m_serverId;
    QTimer m_poll;
    QTimer m_clock;
    QElapsedTimer m_sinceLast;
    QElapsedTimer m_sinceInfo;
    qint64 m_uptimeAtInfo = -1;
    QDateTime m_startedAt;
    double m_lastRequests = -1;
    double m_lastErrors = 0;
    QMap<double, double> m_lastBuckets;
    MetricsHistory m_history;
};

} // namespace Outpost::App
