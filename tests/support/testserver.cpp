#include "testserver.h"

#include "childprocess.h"
#include "pgdatabase.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#ifndef Q_OS_WIN
#include <csignal>
#endif

namespace Outpost::Test {

namespace {

// Waits for a started command to end (killing it after `timeoutMs`) and collects its output.
TestServer::Run finish(QProcess &process, int timeoutMs)
{
    TestServer::Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

QString TestServer::binary()
{
    return qEnvironmentVariable("OUTPOST_SERVER_BIN");
}

TestServer::TestServer()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    killWithTestProcess(m_process);
    // Made now, so CLI commands can prepare the database before the server starts.
    if (onPostgres()) {
        m_database = std::make_unique<PgDatabase>();
        if (!m_database->create(PgDatabase::Schema::Migrated))
            m_error = m_database->error();
    }
}

TestServer::~TestServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool TestServer::onPostgres()
{
    return PgCluster::isConfigured();
}

QString TestServer::databaseUrl() const
{
    return m_database && m_database->isCreated() ? m_database->url() : QString();
}

bool TestServer::start(int timeoutMs)
{
    if (binary().isEmpty()) {
        m_error = QStringLiteral("OUTPOST_SERVER_BIN is not set (run the tests through ctest)");
        return false;
    }
    if (!isMainThread()) {
        m_error = QStringLiteral("start test servers on the main thread: a server is killed when "
                                 "the thread that started it ends");
        return false;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Tests choose every setting themselves.
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("OUTPOST_")) && key != QLatin1String("OUTPOST_SERVER_BIN"))
            env.remove(key);
    }
    env.insert(QStringLiteral("OUTPOST_LOG_FORMAT"), QStringLiteral("json"));
    env.insert(QStringLiteral("OUTPOST_BCRYPT_COST"), QStringLiteral("4"));
    if (m_database && !m_env.contains(QStringLiteral("OUTPOST_DATABASE_URL"))) {
        if (!m_database->isCreated())
            return false; // m_error says why
        // The password through its _FILE variable, as a deployment would pass a secret.
        env.insert(QStringLiteral("OUTPOST_DATABASE_URL"), m_database->url(false));
        env.insert(
            QStringLiteral("OUTPOST_DATABASE_PASSWORD_FILE"), m_database->cluster().passwordFile);
    }
    for (auto it = m_env.cbegin(); it != m_env.cend(); ++it)
        env.insert(it.key(), it.value());
    m_process.setProcessEnvironment(env);
    m_process.setWorkingDirectory(m_dataDir.path()); // no stray .env from the source tree
    QStringList args {QStringLiteral("serve"), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), m_dataDir.path()};
    args += m_extraArgs;
    if (m_launcher.isEmpty())
        m_process.start(binary(), args);
    else
        m_process.start(m_launcher.first(), m_launcher.mid(1) + QStringList {binary()} + args);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(binary(), m_process.errorString());
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on https?://[^:]+:(\\d+)"));
    m_output.clear(); // a restart: the port is the one this run prints, not the last run's
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(100);
        m_output += m_process.readAll();
        const auto match = listening.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
    }
    m_error = QStringLiteral("server did not start listening; output:\n%1")
                  .arg(QString::fromUtf8(m_output));
    return false;
}

int TestServer::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
#ifdef Q_OS_WIN
    m_process.terminate(); // no SIGTERM; the API suites are built on Linux only
#else
    ::kill(pid_t(m_process.processId()), SIGTERM);
#endif
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return -1;
    }
    m_output += m_process.readAll();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QUrl TestServer::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery));
}

QByteArray TestServer::output()
{
    m_output += m_process.readAll();
    return m_output;
}

TestServer::Run TestServer::runCli(
    const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs)
{
    QProcess process;
    killWithTestProcess(process);
    QProcessEnvironment base = env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env;
    process.setProcessEnvironment(base);
    process.start(binary(), arguments);
    return finish(process, timeoutMs);
}

QString TestServer::processState() const
{
    if (isRunning())
        return QStringLiteral("running");
    if (m_process.exitStatus() == QProcess::CrashExit)
        return QStringLiteral("crashed or killed by a signal");
    return QStringLiteral("exited with code %1").arg(m_process.exitCode());
}

QProcessEnvironment TestServer::cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("OUTPOST_")))
            env.remove(key);
    }
    env.insert(QStringLiteral("OUTPOST_LOG_FORMAT"), QStringLiteral("json"));
    env.insert(QStringLiteral("OUTPOST_BCRYPT_COST"), QStringLiteral("4"));
    return env;
}

TestServer::Run TestServer::runCliWithInput(const QStringList &arguments, const QByteArray &input,
    const QProcessEnvironment &env, int timeoutMs)
{
    QTemporaryDir workingDir;
    if (!workingDir.isValid())
        return {};
    QProcess process;
    killWithTestProcess(process);
    process.setProcessEnvironment(env.isEmpty() ? cliEnvironment() : env);
    process.setWorkingDirectory(workingDir.path());
    process.start(binary(), arguments);
    if (!process.waitForStarted(timeoutMs))
        return {};
    process.write(input);
    process.closeWriteChannel();
    return finish(process, timeoutMs);
}

bool TestServer::waitForOutput(const QByteArray &needle, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!output().contains(needle)) {
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return output().contains(needle);
        m_process.waitForReadyRead(int(qBound(qint64(1), deadline.remainingTime(), qint64(100))));
    }
    return true;
}

HttpResult httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body,
    const QMap<QByteArray, QByteArray> &headers, int timeoutMs)
{
    static QNetworkAccessManager *manager = [] {
        auto *m = new QNetworkAccessManager(QCoreApplication::instance());
        m->setAutoDeleteReplies(false);
        return m;
    }();
    QNetworkRequest request(url);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        request.setRawHeader(it.key(), it.value());
    if (!body.isEmpty() && !headers.contains("Content-Type"))
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    // QNetworkAccessManager knows that a HEAD answer has no body only through head().
    QNetworkReply *reply = method == "HEAD" ? manager->head(request)
                                            : manager->sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult result;
    if (!reply->isFinished()) {
        reply->abort();
    } else {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        for (const auto &pair : reply->rawHeaderPairs())
            result.headers.insert(pair.first.toLower(), pair.second);
    }
    reply->deleteLater();
    return result;
}

QByteArray rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(bytes);
    socket.flush();
    QByteArray received;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            received += socket.readAll();
    }
    received += socket.readAll();
    return received;
}

OpenApiCheck validateOpenApi(const QByteArray &document)
{
    OpenApiCheck check;
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString source = qEnvironmentVariable("OUTPOST_SOURCE_DIR");
    const QString script = source + QStringLiteral("/tests/openapi/validate.mjs");
    if (node.isEmpty()) {
        check.skipReason = QStringLiteral("node is not installed");
        return check;
    }
    if (source.isEmpty() || !QFileInfo::exists(script)) {
        check.skipReason =
            QStringLiteral("tests/openapi/validate.mjs not found (OUTPOST_SOURCE_DIR unset?)");
        return check;
    }
    if (!QFileInfo(source + QStringLiteral("/tools/node_modules/@apidevtools/swagger-parser"))
             .isDir()) {
        check.skipReason = QStringLiteral(
            "tools/node_modules/@apidevtools/swagger-parser is missing: run make deps");
        return check;
    }
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("openapi.json")));
    if (!dir.isValid() || !file.open(QIODevice::WriteOnly)
        || file.write(document) != document.size()) {
        check.output = "cannot write the document to a temporary file";
        return check;
    }
    file.close();
    QProcess validator;
    killWithTestProcess(validator);
    validator.setProcessChannelMode(QProcess::MergedChannels);
    validator.start(node, {script, file.fileName()});
    const bool finished = validator.waitForFinished(60'000);
    check.output = validator.readAll();
    check.ok =
        finished && validator.exitStatus() == QProcess::NormalExit && validator.exitCode() == 0;
    return check;
}

QList<int> responseStatuses(const QByteArray &raw)
{
    QList<int> statuses;
    qsizetype pos = 0;
    while (pos < raw.size()) {
        if (!raw.mid(pos, 9).startsWith("HTTP/1.1 "))
            break;
        statuses.append(raw.mid(pos + 9, 3).toInt());
        const qsizetype headerEnd = raw.indexOf("\r\n\r\n", pos);
        if (headerEnd < 0)
            break;
        static const QRegularExpression length(QStringLiteral("(?im)^content-length:\\s*(\\d+)"));
        const auto match = length.match(QString::fromLatin1(raw.mid(pos, headerEnd - pos)));
        const qsizetype bodyLength = match.hasMatch() ? match.captured(1).toLongLong() : 0;
        const bool interim = statuses.last() < 200;
        pos = headerEnd + 4 + (interim ? 0 : bodyLength);
        if (interim)
            statuses.removeLast(); // 100 Continue is not a response of its own
    }
    return statuses;
}

QList<RawResponse> parseResponses(const QByteArray &raw)
{
    QList<RawResponse> responses;
    qsizetype pos = 0;
    while (pos < raw.size() && raw.mid(pos, 9).startsWith("HTTP/1.")) {
        const qsizetype headerEnd = raw.indexOf("\r\n\r\n", pos);
        if (headerEnd < 0)
            break;
        const QList<QByteArray> lines = raw.mid(pos, headerEnd - pos).split('\n');
        RawResponse response;
        response.status = lines.first().mid(9, 3).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (response.headers.contains(name))
                response.headers[name] += ", " + value;
            else
                response.headers.insert(name, value);
        }
        const qsizetype bodyLength =
            response.status < 200 ? 0 : response.header("Content-Length").toLongLong();
        if (headerEnd + 4 + bodyLength > raw.size())
            break;
        response.body = raw.mid(headerEnd + 4, bodyLength);
        responses.append(response);
        pos = headerEnd + 4 + bodyLength;
    }
    return responses;
}

RawConnection::RawConnection(quint16 port, int timeoutMs)
    : m_socket(std::make_unique<QTcpSocket>())
{
    m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
    m_socket->waitForConnected(timeoutMs);
}

RawConnection::~RawConnection()
{
    close();
}

bool RawConnection::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

bool RawConnection::send(const QByteArray &bytes, int timeoutMs)
{
    if (!isConnected() || m_socket->write(bytes) != bytes.size())
        return false;
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket->bytesToWrite() > 0) {
        if (deadline.hasExpired() || !isConnected()
            || !m_socket->waitForBytesWritten(int(qMax<qint64>(1, deadline.remainingTime()))))
            return m_socket->bytesToWrite() == 0;
    }
    return true;
}

bool RawConnection::readSome(int timeoutMs)
{
    bool got = false;
    if (m_socket->bytesAvailable() == 0 && isConnected())
        got = m_socket->waitForReadyRead(qMax(1, timeoutMs));
    const QByteArray bytes = m_socket->readAll();
    m_received += bytes;
    return got || !bytes.isEmpty();
}

bool RawConnection::waitFor(const QByteArray &needle, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_received.contains(needle)) {
        if (deadline.hasExpired())
            return false;
        if (!readSome(int(deadline.remainingTime())) && !isConnected())
            return m_received.contains(needle);
    }
    return true;
}

bool RawConnection::waitForResponses(int count, int timeoutMs)
{
    const auto finals = [this] {
        int n = 0;
        for (const RawResponse &response : parseResponses(m_received))
            n += response.status >= 200 ? 1 : 0;
        return n;
    };
    QDeadlineTimer deadline(timeoutMs);
    while (finals() < count) {
        if (deadline.hasExpired())
            return false;
        if (!readSome(int(deadline.remainingTime())) && !isConnected())
            return finals() >= count;
    }
    return true;
}

bool RawConnection::waitForClosed(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (isConnected() && !deadline.hasExpired())
        readSome(int(deadline.remainingTime()));
    m_received += m_socket->readAll();
    return !isConnected();
}

void RawConnection::readFor(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (isConnected() && !deadline.hasExpired())
        readSome(int(deadline.remainingTime()));
    m_received += m_socket->readAll();
}

void RawConnection::close()
{
    if (m_socket->state() != QAbstractSocket::UnconnectedState) {
        m_socket->abort();
    }
}

HttpResult httpRequestFrom(const QHostAddress &source, quint16 port, const QByteArray &method,
    const QByteArray &target, const QByteArray &body, const QMap<QByteArray, QByteArray> &headers,
    int timeoutMs)
{
    HttpResult result;
    QTcpSocket socket;
    if (!source.isNull() && !socket.bind(source, 0))
        return result;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    if (!socket.waitForConnected(timeoutMs))
        return result;
    QByteArray request = method + ' ' + target
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\nConnection: close\r\n";
    bool hasType = false;
    for (auto it = headers.cbegin(); it != headers.cend(); ++it) {
        hasType = hasType || it.key().compare("Content-Type", Qt::CaseInsensitive) == 0;
        request += it.key() + ": " + it.value() + "\r\n";
    }
    if (!body.isEmpty() && !hasType)
        request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    socket.write(request);
    QByteArray received;
    QDeadlineTimer deadline(timeoutMs);
    const auto complete = [&received] {
        for (const RawResponse &response : parseResponses(received)) {
            if (response.status >= 200)
                return true;
        }
        return false;
    };
    while (!complete() && !deadline.hasExpired()
        && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            received += socket.readAll();
    }
    received += socket.readAll();
    for (const RawResponse &response : parseResponses(received)) {
        if (response.status < 200)
            continue;
        result.status = response.status;
        result.headers = response.headers;
        result.body = response.body;
        break;
    }
    return result;
}

MetricsProbe::MetricsProbe(quint16 port)
    : m_connection(port)
{ }

double MetricsProbe::value(const QByteArray &series)
{
    if (!m_connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        || !m_connection.waitForResponses(m_answered + 1, 5'000))
        return -1;
    const QList<RawResponse> responses = m_connection.responses();
    const RawResponse &answer = responses.at(m_answered++);
    return answer.status == 200 ? metricValue(answer.body, series) : -1;
}

double metricValue(const QByteArray &text, const QByteArray &series)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1;
}

} // namespace Outpost::Test
