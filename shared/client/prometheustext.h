#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace Outpost::Client {

// Samples of the Prometheus text exposition format (GET /metrics), for the dashboard.
struct MetricSample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

class PrometheusText
{
public:
    static QList<MetricSample> parse(const QByteArray &text);
    // Sum of every sample called `name` (all label sets).
    static double sum(const QList<MetricSample> &samples, const QString &name);
    // A histogram's cumulative buckets summed over all label sets, by upper bound (le).
    static QMap<double, double> buckets(const QList<MetricSample> &samples, const QString &name);
    // The q-quantile (0..1) of the observations between two snapshots of the same histogram's
    // buckets (the later minus the earlier), interpolated linearly inside the bucket as
    // Prometheus' histogram_quantile does; -1 when nothing was observed.
    static double quantile(
        double q, const QMap<double, double> &before, const QMap<double, double> &after);
};

} // namespace Outpost::Client
