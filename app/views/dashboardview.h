#pragma once

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
class QValueAxis;
class QTableView;

namespace Outpost::App {

class AuditModel;

// Server version, uptime (ticking locally from the server's answer), database and file store,
// counts; charts of requests per second and p95 latency over time, computed from successive
// /metrics snapshots the view keeps for a day (polled every second while shown, more slowly
// while hidden), over a chosen window (5 min, 1 h, 24 h); the latest audit entries.
class DashboardView final : public View
{
    Q_OBJECT

public:
    explicit DashboardView(QWidget *parent = nullptr);

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
    // The uptime shown: the server's answer plus the time since, on this computer's clock.
    qint64 uptimeSeconds() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Sample
    {
        qint64 atMs; // UTC, ms since the epoch
        double rps;
        double p95Ms;
    };
    void loadInfo();
    void pollMetrics();
    void showUptime();
    void redrawCharts();
    static void plot(QLineSeries *series, QValueAxis *axis, QDateTimeAxis *x,
        const QList<QPointF> &points, qint64 fromMs, qint64 toMs, const QString &format);

    QPointer<Client::ApiClient> m_client;
    QMap<QString, QLabel *> m_info;
    QLineSeries *m_rps;
    QLineSeries *m_p95;
    QValueAxis *m_rpsAxis;
    QValueAxis *m_p95Axis;
    QDateTimeAxis *m_rpsX;
    QDateTimeAxis *m_p95X;
    QComboBox *m_window;
    AuditModel *m_audit;
    QTableView *m_auditTable;
    QTimer m_poll;
    QTimer m_clock;
    QElapsedTimer m_sinceLast;
    QElapsedTimer m_sinceInfo;
    qint64 m_uptimeAtInfo = -1;
    QDateTime m_startedAt;
    double m_lastRequests = -1;
    QMap<double, double> m_lastBuckets;
    QList<Sample> m_history;
};

} // namespace Outpost::App
