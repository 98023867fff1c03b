#include "metricshistory.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

namespace Outpost::App {

namespace {

Q_LOGGING_CATEGORY(lcHistory, "outpost.app")

constexpr char kMagic[8] = {'O', 'P', 'M', 'H', 'I', 'S', 'T', '1'};

void writeRecord(QDataStream &out, const MetricsHistory::Sample &sample)
{
    out << sample.atMs << float(sample.rps) << float(sample.p95Ms) << float(sample.errorPercent);
}

} // namespace

MetricsHistory::~MetricsHistory()
{
    close();
}

QString MetricsHistory::pathFor(const QString &serverId)
{
    if (serverId.isEmpty())
        return {};
    // A server id is ours ("offline", a UUID), but hashed it is a safe file name whatever it is.
    const QByteArray name =
        QCryptographicHash::hash(serverId.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/metrics/") + QString::fromLatin1(name) + QStringLiteral(".samples");
}

void MetricsHistory::close()
{
    m_file.close();
    m_path.clear();
    m_samples.clear();
    m_stored = 0;
}

void MetricsHistory::open(const QString &path, qint64 nowMs)
{
    close();
    m_path = path;
    if (path.isEmpty())
        return;
    QFile in(path);
    bool clean = true;
    if (in.open(QIODevice::ReadOnly)) {
        const QByteArray magic = in.read(sizeof kMagic);
        clean = magic == QByteArray::fromRawData(kMagic, sizeof kMagic);
        QDataStream stream(&in);
        stream.setByteOrder(QDataStream::LittleEndian);
        stream.setFloatingPointPrecision(QDataStream::SinglePrecision); // 4-byte floats
        qint64 last = 0;
        while (clean && in.bytesAvailable() >= kRecordBytes) {
            Sample sample;
            float rps = 0;
            float p95 = 0;
            float errors = 0;
            stream >> sample.atMs >> rps >> p95 >> errors;
            // Out of order or from the future: the file is not what we wrote; keep what came.
            if (stream.status() != QDataStream::Ok || sample.atMs < last || sample.atMs > nowMs) {
                clean = false;
                break;
            }
            last = sample.atMs;
            sample.rps = rps;
            sample.p95Ms = p95;
            sample.errorPercent = errors;
            m_samples.append(sample);
            ++m_stored;
        }
        clean = clean && in.atEnd();
        in.close();
    }
    expire(nowMs);
    if (m_samples.size() > kMaxSamples)
        m_samples.remove(0, m_samples.size() - kMaxSamples);
    // Expired records, a damaged file or none yet: start it afresh with what is kept.
    if (!clean || m_stored != m_samples.size() || !QFileInfo::exists(path)) {
        if (!rewrite())
            return;
    }
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
        qCWarning(lcHistory) << "cannot append to the metrics history" << path;
}

void MetricsHistory::expire(qint64 nowMs)
{
    const qint64 oldest = nowMs - kKeepMs;
    qsizetype expired = 0;
    while (expired < m_samples.size() && m_samples.at(expired).atMs < oldest)
        ++expired;
    m_samples.remove(0, expired);
}

bool MetricsHistory::rewrite()
{
    m_file.close();
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        qCWarning(lcHistory) << "cannot create the directory of" << m_path;
        return false;
    }
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly)) {
        qCWarning(lcHistory) << "cannot write the metrics history" << m_path;
        return false;
    }
    out.write(kMagic, sizeof kMagic);
    QDataStream stream(&out);
    stream.setByteOrder(QDataStream::LittleEndian);
    stream.setFloatingPointPrecision(QDataStream::SinglePrecision); // 4-byte floats
    for (const Sample &sample : std::as_const(m_samples))
        writeRecord(stream, sample);
    if (!out.commit()) {
        qCWarning(lcHistory) << "cannot write the metrics history" << m_path;
        return false;
    }
    m_stored = m_samples.size();
    return true;
}

void MetricsHistory::append(const Sample &sample)
{
    m_samples.append(sample);
    expire(sample.atMs);
    if (m_samples.size() > kMaxSamples)
        m_samples.remove(0, m_samples.size() - kMaxSamples);
    if (m_path.isEmpty())
        return;
    if (m_stored >= 2 * qMax<qsizetype>(m_samples.size(), 1024)) {
        // Mostly expired records: write only what is kept, then append again.
        if (rewrite()) {
            m_file.setFileName(m_path);
            if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
                qCWarning(lcHistory) << "cannot append to the metrics history" << m_path;
        }
        return;
    }
    if (!m_file.isOpen())
        return;
    QDataStream stream(&m_file);
    stream.setByteOrder(QDataStream::LittleEndian);
    stream.setFloatingPointPrecision(QDataStream::SinglePrecision); // 4-byte floats
    writeRecord(stream, sample);
    m_file.flush();
    ++m_stored;
}

} // namespace Outpost::App
