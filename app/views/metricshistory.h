#pragma once

#include <QFile>
#include <QList>
#include <QString>

namespace Outpost::App {

// The dashboard's samples of one server for the last 24 hours, kept in a small file per server
// (AppDataLocation/metrics/<server id>.samples) so the charts survive a restart. A sample is
// appended to the file as it comes (a few bytes: cheap on the UI thread); the file is rewritten
// with only the samples still kept when it has grown to twice that, so it stays bounded
// (at most 2 × kMaxSamples records of kRecordBytes). A file that is not ours, or a damaged
// tail, is read up to where it makes sense and then rewritten.
class MetricsHistory
{
public:
    struct Sample
    {
        qint64 atMs = 0; // UTC, ms since the epoch
        double rps = 0;
        double p95Ms = 0;
        double errorPercent = 0; // 5xx answers among all, in per cent
    };
    static constexpr qint64 kKeepMs = qint64(24) * 3600 * 1000;
    static constexpr qsizetype kMaxSamples = qsizetype(2) * 86'400; // one a second, with room
    static constexpr qsizetype kRecordBytes = 8 + 3 * 4;

    MetricsHistory() = default;
    ~MetricsHistory();
    MetricsHistory(const MetricsHistory &) = delete;
    MetricsHistory &operator=(const MetricsHistory &) = delete;

    // Where a server's history lives; empty for an empty id.
    static QString pathFor(const QString &serverId);
    // Loads the samples of the last 24 hours from `path` (nothing when it is empty or
    // missing) and appends to it from now on; an empty path keeps the history in memory only.
    void open(const QString &path, qint64 nowMs);
    void close();
    QString path() const { return m_path; }

    const QList<Sample> &samples() const { return m_samples; }
    // Adds a sample (samples older than 24 hours before it go).
    void append(const Sample &sample);
    // The records in the file (for tests of the bound).
    qsizetype storedRecords() const { return m_stored; }

private:
    void expire(qint64 nowMs);
    bool rewrite();

    QString m_path;
    QFile m_file;
    QList<Sample> m_samples;
    qsizetype m_stored = 0;
};

} // namespace Outpost::App
