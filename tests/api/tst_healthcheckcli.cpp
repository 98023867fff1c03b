// `outpost-server healthcheck` (server/cli/healthcheckcommand.cpp): 0 for a server whose
// /healthz answers 200, 1 with a one-line reason for anything else, never 2.
#include "childprocess.h"
#include "testserver.h"

#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Outpost::Test;

namespace {

QByteArray describe(const TestServer::Run &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out
        + "\nstderr: " + run.err;
}

bool isOneLine(const QByteArray &text)
{
    return !text.isEmpty() && text.endsWith('\n') && text.count('\n') == 1;
}

// A server that answers every request with `response` (a complete HTTP/1.1 message) and
// closes, on 127.0.0.1 and a free port; it answers while the test's event loop runs.
class CannedServer
{
public:
    explicit CannedServer(QByteArray response)
        : m_response(std::move(response))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    if (!m_request.contains("\r\n\r\n"))
                        return;
                    socket->write(m_response);
                    socket->disconnectFromHost();
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_server.serverPort(); }
    const QByteArray &request() const { return m_request; }

private:
    QTcpServer m_server;
    QByteArray m_response;
    QByteArray m_request;
};

// Runs `outpost-server healthcheck ARGS` while this process's event loop keeps running (so a
// CannedServer can answer).
TestServer::Run healthcheck(const QStringList &args, const QProcessEnvironment &env = {})
{
    QProcess process;
    killWithTestProcess(process);
    process.setProcessEnvironment(env.isEmpty() ? TestServer::cliEnvironment() : env);
    process.start(TestServer::binary(), QStringList {QStringLiteral("healthcheck")} + args);
    TestServer::Run run;
    if (!process.waitForStarted(10'000))
        return run;
    QDeadlineTimer deadline(30'000);
    while (process.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10);
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString urlOf(quint16 port)
{
    return QStringLiteral("http://127.0.0.1:%1/healthz").arg(port);
}

} // namespace

class TestHealthcheckCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void healthyServerExitsZeroByUrl()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const auto run = healthcheck({QStringLiteral("--url"), urlOf(server.port())});
        QVERIFY2(run.exitCode == 0, describe(run).constData());
        QVERIFY2(run.err.isEmpty(), run.err.constData());
        QCOMPARE(server.stop(), 0);
    }

    void healthyServerExitsZeroFromTheListenSetting()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        // A server on every address is checked on loopback.
        for (const QString &listen :
            {QStringLiteral("127.0.0.1:%1"), QStringLiteral("0.0.0.0:%1"), QStringLiteral(":%1")}) {
            QProcessEnvironment env = TestServer::cliEnvironment();
            env.insert(QStringLiteral("OUTPOST_LISTEN"), listen.arg(server.port()));
            const auto run = healthcheck({}, env);
            QVERIFY2(
                run.exitCode == 0, qPrintable(listen + u'\n' + QString::fromUtf8(describe(run))));
        }
        QCOMPARE(server.stop(), 0);
    }

    void nothingListeningExitsOne()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        } // closed: nothing listens on `port` now
        const auto run = healthcheck({QStringLiteral("--url"), urlOf(port)});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(isOneLine(run.err), describe(run).constData());
        QVERIFY2(run.err.startsWith(QByteArray(
                     QByteArray("outpost-server: healthcheck: ") + urlOf(port).toUtf8())),
            describe(run).constData());
        QVERIFY2(run.err.contains("refused"), describe(run).constData());
    }

    void nothingListeningOnTheListenSettingExitsOne()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        QProcessEnvironment env = TestServer::cliEnvironment();
        env.insert(QStringLiteral("OUTPOST_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(port));
        const auto run = healthcheck({}, env);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains(urlOf(port).toUtf8()), describe(run).constData());
    }

    void non200ExitsOne_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("503") << QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Length: "
                                           "8\r\nConnection: close\r\n\r\ndraining")
                             << QByteArray("answered 503 Service Unavailable");
        QTest::newRow("redirect") << QByteArray("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\n"
                                                "Content-Length: 0\r\nConnection: close\r\n\r\n")
                                  << QByteArray("answered 302 Found");
        QTest::newRow("204") << QByteArray("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                             << QByteArray("answered 204 No Content");
    }

    void non200ExitsOne()
    {
        QFETCH(QByteArray, response);
        QFETCH(QByteArray, reason);
        CannedServer canned(response);
        QVERIFY(canned.port() != 0);
        const auto run = healthcheck({QStringLiteral("--url"), urlOf(canned.port())});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(isOneLine(run.err), describe(run).constData());
        QVERIFY2(run.err.contains(reason), describe(run).constData());
        QVERIFY2(
            canned.request().startsWith("GET /healthz HTTP/1.1\r\n"), canned.request().constData());
    }

    // Container engines reserve exit status 2 of a health check: bad input is 1 too.
    void badUrlExitsOne_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("not a URL") << QStringLiteral("127.0.0.1:8080");
        QTest::newRow("ftp") << QStringLiteral("ftp://127.0.0.1/healthz");
    }

    void badUrlExitsOne()
    {
        QFETCH(QString, url);
        const auto run = healthcheck({QStringLiteral("--url"), url});
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(isOneLine(run.err), describe(run).constData());
        QVERIFY2(run.err.contains("--url must be"), describe(run).constData());
    }

    void badSettingExitsOne()
    {
        QProcessEnvironment env = TestServer::cliEnvironment();
        env.insert(QStringLiteral("OUTPOST_JWT_SECRET_FILE"), QStringLiteral("/nonexistent/jwt"));
        auto run = healthcheck({}, env);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(isOneLine(run.err), describe(run).constData());
        QVERIFY2(run.err.contains("OUTPOST_JWT_SECRET_FILE"), describe(run).constData());

        env = TestServer::cliEnvironment();
        env.insert(QStringLiteral("OUTPOST_LISTEN"), QStringLiteral("127.0.0.1:0"));
        run = healthcheck({}, env);
        QVERIFY2(run.exitCode == 1, describe(run).constData());
        QVERIFY2(run.err.contains("give --url"), describe(run).constData());
    }
};

QTEST_GUILESS_MAIN(TestHealthcheckCli)
#include "tst_healthcheckcli.moc"
