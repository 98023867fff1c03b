#include "prometheustext.h"

#include <QRegularExpression>

#include <cmath>

#include <limits>

namespace Outpost::Client {

QList<MetricSample> PrometheusText::parse(const QByteArray &text)
{
    static const QRegularExpression line(
        QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)"));
    static const QRegularExpression label(
        QStringLiteral("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\""));
    QList<MetricSample> samples;
    for (const QByteArray &raw : text.split('\n')) {
        if (raw.isEmpty() || raw.startsWith('#'))
            continue;
        const auto match = line.match(QString::fromUtf8(raw));
        if (!match.hasMatch())
            continue;
        MetricSample sample;
        sample.name = match.captured(1);
        auto labels = label.globalMatch(match.captured(3));
        while (labels.hasNext()) {
            const auto l = labels.next();
            sample.labels.insert(l.captured(1), l.captured(2));
        }
        const QString value = match.captured(4);
        bool ok = false;
        sample.value = value == QLatin1String("+Inf") ? std::numeric_limits<double>::infinity()
                                                      : value.toDouble(&ok);
        if (ok || value == QLatin1String("+Inf"))
            samples.append(sample);
    }
    return samples;
}

double PrometheusText::sum(const QList<MetricSample> &samples, const QString &name)
{
    double total = 0;
    for (const MetricSample &sample : samples) {
        if (sample.name == name)
            total += sample.value;
    }
    return total;
}

QMap<double, double> PrometheusText::buckets(
    const QList<MetricSample> &samples, const QString &name)
{
    QMap<double, double> result;
    const QString bucket = name + QStringLiteral("_bucket");
    for (const MetricSample &sample : samples) {
        if (sample.name != bucket)
            continue;
        const QString le = sample.labels.value(QStringLiteral("le"));
        const double bound =
            le == QLatin1String("+Inf") ? std::numeric_limits<double>::infinity() : le.toDouble();
        result[bound] += sample.value;
    }
    return result;
}

double PrometheusText::quantile(
    double q, const QMap<double, double> &before, const QMap<double, double> &after)
{
    if (after.isEmpty())
        return -1;
    const double total = after.last() - before.value(after.lastKey());
    if (total <= 0)
        return -1;
    const double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        const double count = it.value() - before.value(it.key());
        if (count >= rank) {
            if (std::isinf(it.key()))
                return lowerBound;
            const double inBucket = count - lowerCount;
            const double fraction = inBucket > 0 ? (rank - lowerCount) / inBucket : 1.0;
            return lowerBound + (it.key() - lowerBound) * fraction;
        }
        lowerBound = it.key();
        lowerCount = count;
    }
    return lowerBound;
}

} // namespace Outpost::Client
