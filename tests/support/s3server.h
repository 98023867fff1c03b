#pragma once

#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace Outpost::Test {

// A real S3-compatible server for tests: s3rver (npm, in tools/node_modules) run by node on
// 127.0.0.1 and a free port, with a temporary directory and a bucket made at start. Its
// account is S3RVER / S3RVER; it refuses unknown access keys but (3.7.1) does not recompute
// SigV4 signatures, so signing is checked by tests/unit/tst_sigv4.cpp. Stopped by stop() or
// the destructor, so a failing test does not leave it running, and killed by the kernel when
// the test process dies without either (childprocess.h). Start it on the main thread.
class S3Server
{
public:
    S3Server();
    ~S3Server();
    S3Server(const S3Server &) = delete;
    S3Server &operator=(const S3Server &) = delete;

    // False (with lastError()) if node or s3rver is missing or it did not start.
    bool start(int timeoutMs = 30'000);
    void stop();

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString endpoint() const;
    QString bucket() const { return QStringLiteral("outpost-test"); }
    QString lastError() const { return m_error; }
    // OUTPOST_* settings that point a server at this bucket (under the prefix "files").
    QMap<QString, QString> serverEnvironment() const;
    // The object keys s3rver holds in the bucket, sorted (read from its own store on disk).
    QStringList listObjects() const;
    // The multipart uploads s3rver holds in progress.
    int uploadsInProgress() const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace Outpost::Test
