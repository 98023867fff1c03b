#pragma once

#include "view.h"

#include <QElapsedTimer>
#include <QMap>
#include <QPointer>
#include <QTimer>

class QChart;
class QLabel;
class QLineSeries;
class QValueAxis;
class QTableView;

namespace Outpost::App {

class AuditModel;

// Server version, uptime, database and file store, counts; live charts of requests per second
// and p95 latency computed from successive /metrics snapshots; the latest audit entries.
class DashboardView final : public View
{
    Q_OBJECT

public:
    explicit DashboardView(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client) override;
    void refresh() override;
    void handleEvent(const QString &type, qint64 id) override;

    static constexpr int kPollMs = 1'000;
    static constexpr int kPoints = 60;
    QLabel *infoLabel(const QString &name) const;
    int chartPoints() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void loadInfo();
    void pollMetrics();
    void addPoint(QLineSeries *series, QValueAxis *axis, double value) const;

    QPointer<Client::ApiClient> m_client;
    QMap<QString, QLabel *> m_info;
    QLineSeries *m_rps;
    QLineSeries *m_p95;
    QValueAxis *m_rpsAxis;
    QValueAxis *m_p95Axis;
    QValueAxis *m_rpsX;
    QValueAxis *m_p95X;
    AuditModel *m_audit;
    QTableView *m_auditTable;
    QTimer m_poll;
    QElapsedTimer m_sinceLast;
    double m_lastRequests = -1;
    QMap<double, double> m_lastBuckets;
    int m_tick = 0;
};

} // namespace Outpost::App
