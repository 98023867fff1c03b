// Idle keep-alive connections parked out of the event loop (server/http/idleparking.h) and the
// guard's lazily armed timeouts (GuardedSocket::arm()), in-process over a loopback TCP pair:
// a parked connection still answers its next request, closes when the client goes or its idle
// timeout passes, and the idle timeout counts from the last request, not the first. The server
// side of each pair is a GuardedSocket whose observer answers every request with 200.
#include "http/guardedsocket.h"
#include "http/idleparking.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

#include <unistd.h>

using namespace Outpost::Server;

namespace {

class AnsweringObserver final : public ConnectionObserver
{
public:
    void connectionOpened(GuardedSocket &) override { }
    void requestReady(GuardedSocket &socket) override
    {
        ++requests;
        HttpResponse response;
        response.status = 200;
        response.contentType = QByteArrayLiteral("text/plain");
        response.body = socket.current().target;
        socket.respond(socket.current().sequence, response, QByteArrayLiteral("test"));
    }
    void requestRejected(const GuardedSocket &, int, const QByteArray &, const QByteArray &,
        const QByteArray &) override
    { }
    void connectionClosed(GuardedSocket &) override { ++closed; }

    int requests = 0;
    int closed = 0;
};

QByteArray get(const QByteArray &path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

} // namespace

class TestIdleParking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void parkedConnectionAnswersItsNextRequest();
    void busyOrUnfinishedConnectionIsNotParked();
    void parkedConnectionClosesWhenTheClientGoes();
    void parkedConnectionClosesAtItsIdleTimeout();
    void idleTimeoutCountsFromTheLastRequest();

private:
    // A connected pair: m_client, and the server side wrapped in m_guarded (parked by m_parking).
    void connectPair(int idleTimeoutMs = 60'000);
    // Sends `path` and waits for its whole 200 answer, whose body is the path.
    bool exchange(const QByteArray &path);

    QTcpServer m_server;
    AnsweringObserver m_observer;
    std::unique_ptr<IdleParking> m_parking;
    std::unique_ptr<QTcpSocket> m_client;
    QPointer<GuardedSocket> m_guarded;
};

void TestIdleParking::init()
{
    m_observer = {};
    // The sweep timer is never left to run: the tests sweep themselves.
    m_parking = std::make_unique<IdleParking>(3'600'000);
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
}

void TestIdleParking::cleanup()
{
    delete m_guarded;
    m_client.reset();
    m_parking.reset();
    m_server.close();
}

void TestIdleParking::connectPair(int idleTimeoutMs)
{
    m_client = std::make_unique<QTcpSocket>();
    m_client->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
    QVERIFY(m_client->waitForConnected(5000));
    QVERIFY(m_server.waitForNewConnection(5000));
    QTcpSocket *accepted = m_server.nextPendingConnection();
    QVERIFY(accepted);
    // The guard takes a descriptor of its own, as the Listener gives it one.
    const int fd = ::dup(int(accepted->socketDescriptor()));
    delete accepted;
    GuardLimits limits;
    limits.idleTimeoutMs = idleTimeoutMs;
    m_guarded = new GuardedSocket(fd, limits, &m_observer);
    m_guarded->setParking(m_parking.get());
    QVERIFY(m_guarded->isOpenConnection());
}

bool TestIdleParking::exchange(const QByteArray &path)
{
    m_client->write(get(path));
    QByteArray answer;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 5000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        m_client->waitForReadyRead(20);
        answer += m_client->readAll();
        if (answer.startsWith("HTTP/1.1 200") && answer.endsWith(QByteArray("\r\n\r\n" + path)))
            return true;
    }
    qWarning() << "no answer to" << path << "- got" << answer;
    return false;
}

void TestIdleParking::parkedConnectionAnswersItsNextRequest()
{
    connectPair();
    QVERIFY(exchange("/first"));
    QVERIFY(!m_guarded->isParked());
    m_parking->sweep(); // idle now: parked at the next sweep, not at once
    QVERIFY(!m_guarded->isParked());
    m_parking->sweep();
    QVERIFY(m_guarded->isParked());
    QCOMPARE(m_parking->parked(), 1);

    QVERIFY(exchange("/second"));
    QVERIFY(!m_guarded->isParked());
    QCOMPARE(m_parking->parked(), 0);
    QCOMPARE(m_observer.requests, 2);

    // Parked again, and woken again: the cycle repeats on one connection.
    m_parking->sweep();
    m_parking->sweep();
    QVERIFY(m_guarded->isParked());
    QVERIFY(exchange("/third"));
    QCOMPARE(m_observer.requests, 3);
    QCOMPARE(m_observer.closed, 0);
}

void TestIdleParking::busyOrUnfinishedConnectionIsNotParked()
{
    connectPair();
    QVERIFY(exchange("/first"));
    m_parking->sweep();
    // A request comes between two sweeps: the count starts over.
    QVERIFY(exchange("/second"));
    m_parking->sweep();
    QVERIFY(!m_guarded->isParked());

    // Half a request: the guard waits for the rest under the header timeout, unparked.
    m_client->write("GET /third HTTP/1.1\r\nHo");
    m_client->flush();
    QTest::qWait(100); // the guard reads it (no answer can come: nothing to wait for)
    m_parking->sweep();
    m_parking->sweep();
    m_parking->sweep();
    QVERIFY(!m_guarded->isParked());
    m_client->write("st: test\r\n\r\n");
    QTRY_COMPARE(m_observer.requests, 3);
}

void TestIdleParking::parkedConnectionClosesWhenTheClientGoes()
{
    connectPair();
    QVERIFY(exchange("/first"));
    m_parking->sweep();
    m_parking->sweep();
    QVERIFY(m_guarded->isParked());
    m_client->close();
    QTRY_COMPARE(m_observer.closed, 1);
    QCOMPARE(m_parking->parked(), 0);
}

void TestIdleParking::parkedConnectionClosesAtItsIdleTimeout()
{
    connectPair(300);
    QVERIFY(exchange("/first"));
    m_parking->sweep();
    m_parking->sweep();
    QVERIFY(m_guarded->isParked());
    QTRY_COMPARE_WITH_TIMEOUT(m_observer.closed, 1, 5000);
    QCOMPARE(m_parking->parked(), 0);
}

void TestIdleParking::idleTimeoutCountsFromTheLastRequest()
{
    // The timer armed after the first request is due before the second one's deadline; it must
    // not close the connection then (it is armed again for the rest).
    constexpr int kIdleMs = 800;
    connectPair(kIdleMs);
    QVERIFY(exchange("/first"));
    QTest::qWait(kIdleMs / 2);
    QVERIFY(exchange("/second"));
    QElapsedTimer sinceLast;
    sinceLast.start();
    QCOMPARE(m_observer.closed, 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_observer.closed, 1, 5000);
    // Closed no earlier than the idle timeout after the second request (the clock is read in
    // whole milliseconds: a little slack).
    QVERIFY2(sinceLast.elapsed() >= kIdleMs - 20, qPrintable(QString::number(sinceLast.elapsed())));
}

QTEST_GUILESS_MAIN(TestIdleParking)
#include "tst_idleparking.moc"
