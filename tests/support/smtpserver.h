#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace Outpost::Test {

// A real SMTP server for the mail tests: Debian's aiosmtpd (tests/support/smtpserver.py, run by
// /usr/bin/python3, which sees Debian's modules) on 127.0.0.1 and a free port. StartTls mode
// offers STARTTLS with a self-signed certificate for 127.0.0.1 made by openssl at start, and
// requires it and then AUTH (user() / password()) before a message; Plain mode offers neither.
// Every message it accepts is kept as JSON (see smtpserver.py): envelope, raw and decoded
// headers, decoded MIME parts. Stopped by stop() or the destructor and killed with the test
// process (childprocess.h); start it on the main thread.
class SmtpServer
{
public:
    enum class Mode { StartTls, Plain };

    explicit SmtpServer(Mode mode = Mode::StartTls);
    ~SmtpServer();
    SmtpServer(const SmtpServer &) = delete;
    SmtpServer &operator=(const SmtpServer &) = delete;

    // What is missing to run it (python3-aiosmtpd, openssl), or empty.
    static QString missingTools();
    // For a suite's main(): with tools missing, fails under CI=true and skips (exit code 77,
    // CTest SKIP_RETURN_CODE) elsewhere; -1 when everything is there.
    static int exitCodeWithoutTools();

    bool start(int timeoutMs = 15'000);
    void stop();

    quint16 port() const { return m_port; }
    QString user() const { return QStringLiteral("outpost"); }
    QString password() const { return QStringLiteral("mail-secret"); }
    QString caFile() const; // the self-signed certificate (StartTls mode)
    QString lastError() const { return m_error; }

    // The messages received so far, in order.
    QList<QJsonObject> messages() const;
    // Waits (running the event loop) until `count` messages have arrived in all.
    bool waitForMessages(int count, int timeoutMs = 15'000) const;
    int authFailures() const;
    bool waitForAuthFailures(int count, int timeoutMs = 15'000) const;

    // OUTPOST_* settings that point a server at this one (with the right credentials).
    QMap<QString, QString> serverEnvironment() const;

    // Helpers over one message of messages().
    static QStringList headerValues(const QJsonObject &message, const QString &name);
    static QString header(const QJsonObject &message, const QString &name); // decoded, first
    static QString part(const QJsonObject &message, const QString &contentType);

private:
    Mode m_mode;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace Outpost::Test
