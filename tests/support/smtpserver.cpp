#include "smtpserver.h"

#include "childprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>
#include <QTest>

#include <cstdio>

namespace Outpost::Test {

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

int countLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return int(file.readAll().count('\n'));
}

} // namespace

SmtpServer::SmtpServer(Mode mode)
    : m_mode(mode)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    killWithTestProcess(m_process);
}

SmtpServer::~SmtpServer()
{
    stop();
}

QString SmtpServer::missingTools()
{
    QProcess probe;
    probe.start(kPython, {QStringLiteral("-c"), QStringLiteral("import aiosmtpd")});
    if (!probe.waitForFinished(30'000) || probe.exitStatus() != QProcess::NormalExit
        || probe.exitCode() != 0) {
        return QStringLiteral("%1 cannot import aiosmtpd: install python3-aiosmtpd (make deps)")
            .arg(kPython);
    }
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), {QStringLiteral("version")});
    if (!openssl.waitForFinished(30'000) || openssl.exitCode() != 0)
        return QStringLiteral("openssl is missing (make deps)");
    return {};
}

int SmtpServer::exitCodeWithoutTools()
{
    const QString missing = missingTools();
    if (missing.isEmpty())
        return -1;
    const bool ci = qEnvironmentVariable("CI") == u"true";
    (void)std::fprintf(stderr, "%s: %s\n", ci ? "FAIL" : "SKIP", qPrintable(missing));
    return ci ? 1 : 77;
}

QString SmtpServer::caFile() const
{
    return m_dir.filePath(QStringLiteral("cert.pem"));
}

bool SmtpServer::start(int timeoutMs)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    if (!isMainThread()) {
        m_error = QStringLiteral("start the SMTP server on the main thread");
        return false;
    }
    QDir().mkpath(m_dir.filePath(QStringLiteral("mail")));
    QStringList arguments {QStringLiteral(OUTPOST_SMTP_SERVER_SCRIPT), QStringLiteral("--dir"),
        m_dir.filePath(QStringLiteral("mail")), QStringLiteral("--user"), user(),
        QStringLiteral("--password"), password()};
    if (m_mode == Mode::StartTls) {
        QProcess openssl;
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(QStringLiteral("openssl"),
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"),
                m_dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"), caFile()});
        if (!openssl.waitForFinished(30'000) || openssl.exitCode() != 0) {
            m_error = QStringLiteral("openssl could not make a certificate: ")
                + QString::fromUtf8(openssl.readAll());
            return false;
        }
        arguments << QStringLiteral("--mode") << QStringLiteral("starttls")
                  << QStringLiteral("--cert") << caFile() << QStringLiteral("--key")
                  << m_dir.filePath(QStringLiteral("key.pem"));
    } else {
        arguments << QStringLiteral("--mode") << QStringLiteral("plain");
    }
    m_process.start(kPython, arguments);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(kPython, m_process.errorString());
        return false;
    }
    static const QRegularExpression listening(
        QStringLiteral("^listening (\\d+)$"), QRegularExpression::MultilineOption);
    QByteArray output;
    m_port = quint16(waitForOutputMatch(m_process, listening, timeoutMs, output).toUInt());
    if (m_port != 0)
        return true;
    m_error = QStringLiteral("aiosmtpd did not start: ") + QString::fromUtf8(output);
    stop();
    return false;
}

void SmtpServer::stop()
{
    stopProcess(m_process);
}

QList<QJsonObject> SmtpServer::messages() const
{
    const QDir dir(m_dir.filePath(QStringLiteral("mail")));
    QList<QJsonObject> out;
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            out.append(QJsonDocument::fromJson(file.readAll()).object());
    }
    return out;
}

bool SmtpServer::waitForMessages(int count, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    while (messages().size() < count) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

int SmtpServer::authFailures() const
{
    return countLines(m_dir.filePath(QStringLiteral("mail/auth-failures")));
}

bool SmtpServer::waitForAuthFailures(int count, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    while (authFailures() < count) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

QMap<QString, QString> SmtpServer::serverEnvironment() const
{
    QMap<QString, QString> env {
        {QStringLiteral("OUTPOST_SMTP_FROM"), QStringLiteral("Outpost <outpost@outpost.test>")},
    };
    if (m_mode == Mode::StartTls) {
        env.insert(
            QStringLiteral("OUTPOST_SMTP_URL"), QStringLiteral("smtp://127.0.0.1:%1").arg(m_port));
        env.insert(QStringLiteral("OUTPOST_SMTP_USERNAME"), user());
        env.insert(QStringLiteral("OUTPOST_SMTP_PASSWORD"), password());
        env.insert(QStringLiteral("OUTPOST_SMTP_CA_FILE"), caFile());
    } else {
        env.insert(QStringLiteral("OUTPOST_SMTP_URL"),
            QStringLiteral("smtp://127.0.0.1:%1?starttls=off").arg(m_port));
    }
    return env;
}

QStringList SmtpServer::headerValues(const QJsonObject &message, const QString &name)
{
    QStringList values;
    const QJsonArray headers = message.value(QStringLiteral("headers")).toArray();
    for (const auto &header : headers) {
        const QJsonObject h = header.toObject();
        if (h.value(QStringLiteral("name")).toString().compare(name, Qt::CaseInsensitive) == 0)
            values.append(h.value(QStringLiteral("decoded")).toString());
    }
    return values;
}

QString SmtpServer::header(const QJsonObject &message, const QString &name)
{
    return headerValues(message, name).value(0);
}

QString SmtpServer::part(const QJsonObject &message, const QString &contentType)
{
    const QJsonArray parts = message.value(QStringLiteral("parts")).toArray();
    for (const auto &part : parts) {
        const QJsonObject p = part.toObject();
        if (p.value(QStringLiteral("content_type")).toString() == contentType)
            return p.value(QStringLiteral("body")).toString();
    }
    return {};
}

} // namespace Outpost::Test
