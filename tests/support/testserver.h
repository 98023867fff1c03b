#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonDocument>
#include <QMap>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace Outpost::Test {
class PgDatabase;
}

namespace Outpost::Test {

// A real outpost-server process on 127.0.0.1 and a free port, with its own temporary data
// directory. Its stdout (JSON log lines) is kept for assertions. Stopped by stop() or the
// destructor, and killed by the kernel when the test process dies without either (a crash,
// qFatal, a timeout kill: childprocess.h); so start() it on the main thread.
class TestServer
{
public:
    TestServer();
    ~TestServer();

    // Extra OUTPOST_* variables for the process (set before start()).
    void setEnv(const QString &name, const QString &value) { m_env.insert(name, value); }
    void setArguments(const QStringList &extra) { m_extraArgs = extra; }
    // A program and its arguments that runs the server binary (e.g. fiu-run -x); it must exec
    // it, so that pid() is the server's.
    void setLauncher(const QStringList &launcher) { m_launcher = launcher; }

    // Starts and waits until it listens; false (with QTest failure text in lastError()) if not.
    bool start(int timeoutMs = 15'000);
    // SIGTERM, then waits; returns the exit code (-1 if it had to be killed).
    int stop(int timeoutMs = 15'000);

    // Under the PostgreSQL fixture (OUTPOST_TEST_POSTGRES set), each TestServer has a fresh
    // database of its own in the test cluster (a copy of the fixture's migrated template),
    // made by the constructor and dropped with it, which start() uses unless
    // OUTPOST_DATABASE_URL was set. Empty on SQLite.
    QString databaseUrl() const; // with the password, for CLI commands on the same database
    static bool onPostgres();    // this suite runs against the PostgreSQL fixture
    // "sqlite" or "postgresql": what the server of this suite runs on.
    static QString dialect()
    {
        return onPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite");
    }

    quint16 port() const { return m_port; }
    QUrl url(const QString &pathAndQuery = {}) const;
    QString dataDir() const { return m_dataDir.path(); }
    qint64 pid() const { return m_process.processId(); }
    QByteArray output(); // everything it printed so far (stdout + stderr)
    QString lastError() const { return m_error; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // "running", "exited with code N" or "crashed or killed by a signal" (for failure messages).
    QString processState() const;

    // Runs the server binary with arguments to completion (for CLI tests).
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Run runCli(
        const QStringList &arguments, const QProcessEnvironment &env = {}, int timeoutMs = 30'000);
    // Like runCli(), writing `input` to the command's stdin and then closing it (for
    // --password-stdin). Runs in a temporary working directory (no stray .env); `env` defaults
    // to cliEnvironment().
    static Run runCliWithInput(const QStringList &arguments, const QByteArray &input,
        const QProcessEnvironment &env = {}, int timeoutMs = 30'000);
    // This process's environment without any OUTPOST_* setting, plus JSON logs and bcrypt
    // cost 4 (what start() gives the server).
    static QProcessEnvironment cliEnvironment();
    static QString binary();

    // Reads the server's output until it contains `needle` (e.g. a log line printed just after
    // "listening on"); false if it did not appear within `timeoutMs`.
    bool waitForOutput(const QByteArray &needle, int timeoutMs = 5'000);

private:
    QTemporaryDir m_dataDir;
    std::unique_ptr<PgDatabase> m_database; // before m_process: dropped after the server ends
    QProcess m_process;
    QMap<QString, QString> m_env;
    QStringList m_extraArgs;
    QStringList m_launcher;
    QByteArray m_output;
    quint16 m_port = 0;
    QString m_error;
};

// Blocking HTTP for tests, over QNetworkAccessManager (the app's client comes later).
struct HttpResult
{
    int status = 0;
    QByteArray body;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

HttpResult httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
    const QMap<QByteArray, QByteArray> &headers = {}, int timeoutMs = 15'000);

// One request over its own connection from a chosen local address (e.g. 127.0.0.7, any
// address of 127.0.0.0/8 works on Linux), so the server sees different clients. Sends
// Content-Length and Connection: close; a null `source` lets the system choose. Status 0 if no
// complete response arrived.
HttpResult httpRequestFrom(const QHostAddress &source, quint16 port, const QByteArray &method,
    const QByteArray &target, const QByteArray &body = {},
    const QMap<QByteArray, QByteArray> &headers = {}, int timeoutMs = 15'000);

// A raw exchange over one TCP connection that stays open (never half-closed): sends `bytes`,
// then reads until the server closes or `timeoutMs` passes. For framing and hardening tests.
// The value of one Prometheus exposition line, e.g. series = `outpost_http_connections_open`;
// -1 if absent.
double metricValue(const QByteArray &text, const QByteArray &series);

QByteArray rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs = 3'000);

// Runs tests/openapi/validate.mjs (swagger-parser from tools/node_modules) on a document.
// `skipReason` is set when node or the tool is missing; otherwise `ok` and its output.
struct OpenApiCheck
{
    QString skipReason;
    bool ok = false;
    QByteArray output;
};
OpenApiCheck validateOpenApi(const QByteArray &document);

// Splits raw bytes into HTTP responses: status codes in order (each response's body is
// skipped using its Content-Length).
QList<int> responseStatuses(const QByteArray &raw);

// One response taken apart from raw bytes.
struct RawResponse
{
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // lower-case names; repeated fields joined by ", "
    QByteArray body;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    bool hasHeader(const QByteArray &name) const { return headers.contains(name.toLower()); }
};

// The complete responses in `raw`, in order, interim (1xx) ones included; a response whose
// body has not fully arrived is left out. Bodies are framed by Content-Length (so this does
// not suit replies to HEAD).
QList<RawResponse> parseResponses(const QByteArray &raw);

// One TCP connection driven step by step, for slow clients, Expect: 100-continue, pipelining
// and timeouts. Like rawExchange() it is never half-closed; close() closes it fully.
class RawConnection
{
public:
    explicit RawConnection(quint16 port, int timeoutMs = 3'000);
    ~RawConnection();
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    // Connected, and not (yet known to be) closed by the server.
    bool isConnected() const;
    // Writes all of `bytes`; false if the connection is gone or the write stalls.
    bool send(const QByteArray &bytes, int timeoutMs = 3'000);
    // Reads until `needle` has arrived, the server closes or the timeout passes.
    bool waitFor(const QByteArray &needle, int timeoutMs = 3'000);
    // Reads until `count` complete final (non-1xx) responses have arrived.
    bool waitForResponses(int count, int timeoutMs = 3'000);
    // Reads until the server closes the connection; true if it did.
    bool waitForClosed(int timeoutMs = 3'000);
    // Reads whatever arrives in the next `timeoutMs` (to show that nothing does).
    void readFor(int timeoutMs);

    const QByteArray &received() const { return m_received; }
    QList<RawResponse> responses() const { return parseResponses(m_received); }
    void close();

private:
    bool readSome(int timeoutMs);

    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_received;
};

// Reads the server's /metrics over one keep-alive connection of its own, which the gauges
// count too. For waiting on what the server has seen, by state rather than by time: e.g. until
// outpost_http_connections_open shows that it has taken a client's connection, or has seen it
// go.
class MetricsProbe
{
public:
    explicit MetricsProbe(quint16 port);

    // `series` (see metricValue()) as the server reports it now; -1 if /metrics did not answer.
    double value(const QByteArray &series);
    double openConnections() { return value("outpost_http_connections_open"); }

private:
    RawConnection m_connection;
    int m_answered = 0;
};

} // namespace Outpost::Test
