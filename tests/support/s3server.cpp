#include "s3server.h"

#include "childprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QRegularExpression>
#include <QStandardPaths>

namespace Outpost::Test {

namespace {

constexpr QLatin1StringView kObjectSuffix("._S3rver_object");

} // namespace

S3Server::S3Server()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    killWithTestProcess(m_process);
}

S3Server::~S3Server()
{
    stop();
}

bool S3Server::start(int timeoutMs)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString tools = qEnvironmentVariable("OUTPOST_TOOLS_DIR");
    const QString script = tools + QStringLiteral("/node_modules/s3rver/bin/s3rver.js");
    if (node.isEmpty() || tools.isEmpty() || !QFile::exists(script)) {
        m_error = QStringLiteral("node or s3rver is missing (run make deps): %1").arg(script);
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    if (!isMainThread()) {
        m_error = QStringLiteral("start s3rver on the main thread: it is killed when the thread "
                                 "that started it ends");
        return false;
    }
    m_process.start(node,
        {script, QStringLiteral("--directory"), m_dir.path(), QStringLiteral("--address"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--port"), QStringLiteral("0"),
            QStringLiteral("--no-vhost-buckets"), QStringLiteral("--configure-bucket"), bucket()});
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("cannot start node: ") + m_process.errorString();
        return false;
    }
    static const QRegularExpression listening(
        QStringLiteral("S3rver listening on 127\\.0\\.0\\.1:(\\d+)"));
    QByteArray output;
    m_port = quint16(waitForOutputMatch(m_process, listening, timeoutMs, output).toUInt());
    if (m_port != 0)
        return true;
    m_error = QStringLiteral("s3rver did not start: ") + QString::fromUtf8(output);
    stop();
    return false;
}

void S3Server::stop()
{
    stopProcess(m_process);
}

QString S3Server::endpoint() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QMap<QString, QString> S3Server::serverEnvironment() const
{
    return {
        {QStringLiteral("OUTPOST_FILE_STORE_URL"), QStringLiteral("s3://%1/files").arg(bucket())},
        {QStringLiteral("OUTPOST_S3_ENDPOINT"), endpoint()},
        {QStringLiteral("OUTPOST_S3_REGION"), QStringLiteral("us-east-1")},
        {QStringLiteral("OUTPOST_S3_ACCESS_KEY_ID"), QStringLiteral("S3RVER")},
        {QStringLiteral("OUTPOST_S3_SECRET_ACCESS_KEY"), QStringLiteral("S3RVER")},
        {QStringLiteral("OUTPOST_S3_ADDRESSING"), QStringLiteral("path")},
    };
}

QStringList S3Server::listObjects() const
{
    const QString root = m_dir.path() + QLatin1Char('/') + bucket();
    QStringList keys;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = QDir(root).relativeFilePath(it.next());
        if (path.endsWith(kObjectSuffix))
            keys.append(path.chopped(kObjectSuffix.size()));
    }
    keys.sort();
    return keys;
}

int S3Server::uploadsInProgress() const
{
    const QDir uploads(
        m_dir.path() + QLatin1Char('/') + bucket() + QStringLiteral("/._S3rver_uploads"));
    return int(uploads.entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

} // namespace Outpost::Test
