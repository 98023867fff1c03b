// The dashboard's reading of /metrics: samples, sums and the p95 between two snapshots.
#include "client/prometheustext.h"

#include <QTest>

using namespace Outpost::Client;

class TestPrometheusText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesSamplesWithLabels()
    {
        const QByteArray text =
            "# HELP x y\n# TYPE outpost_http_requests_total counter\n"
            "outpost_http_requests_total{method=\"GET\",route=\"/a\",status=\"200\"} 7\n"
            "outpost_http_requests_total{method=\"POST\",route=\"/b\",status=\"201\"} 3\n"
            "outpost_http_connections_open 2\n";
        const auto samples = PrometheusText::parse(text);
        QCOMPARE(samples.size(), 3);
        QCOMPARE(samples.at(1).labels.value(QStringLiteral("method")), QStringLiteral("POST"));
        QCOMPARE(PrometheusText::sum(samples, QStringLiteral("outpost_http_requests_total")), 10.0);
    }

    void quantileOfTheDifferenceBetweenSnapshots()
    {
        const QByteArray before = "h_bucket{le=\"0.01\"} 10\nh_bucket{le=\"0.1\"} 10\n"
                                  "h_bucket{le=\"+Inf\"} 10\n";
        // 100 new observations: 50 under 10 ms, 50 between 10 and 100 ms.
        const QByteArray after = "h_bucket{le=\"0.01\"} 60\nh_bucket{le=\"0.1\"} 110\n"
                                 "h_bucket{le=\"+Inf\"} 110\n";
        const auto b = PrometheusText::buckets(PrometheusText::parse(before), QStringLiteral("h"));
        const auto a = PrometheusText::buckets(PrometheusText::parse(after), QStringLiteral("h"));
        const double p95 = PrometheusText::quantile(0.95, b, a);
        // rank 95 falls 45/50 into the 0.01..0.1 bucket
        QVERIFY(qAbs(p95 - (0.01 + 0.09 * 45.0 / 50.0)) < 1e-9);
        QCOMPARE(PrometheusText::quantile(0.95, a, a), -1.0); // nothing new observed
    }

    void sumsBucketsOverLabelSets()
    {
        const QByteArray text =
            "h_bucket{route=\"/a\",le=\"0.5\"} 1\nh_bucket{route=\"/b\",le=\"0.5\"} 2\n";
        const auto buckets =
            PrometheusText::buckets(PrometheusText::parse(text), QStringLiteral("h"));
        QCOMPARE(buckets.value(0.5), 3.0);
    }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheustext.moc"
