#pragma once

#include "connectionobserver.h"
#include "framedrequest.h"
#include "guardlimits.h"
#include "httpresponse.h"
#include "requestframer.h"
#include "responsewriter.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QPointer>
#include <QTcpSocket>

class QSocketNotifier;

namespace Outpost::Server {

// The connection guard. It owns the real TCP socket, has every request framed (RequestFramer:
// a strict parser and the size limits), enforces the timeouts, answers malformed or oversized
// requests itself, and hands each complete request, one at a time, to its ConnectionObserver
// (the engine), which answers through respond() (written by its ResponseWriter). Only a
// WebSocket upgrade goes to QtHttpServer, through this QTcpSocket facade, which then carries
// the upgraded connection. Pipelined requests wait until the previous response has been
// written, so responses never come out of order, and QtHttpServer never holds the real
// socket, so a reply that comes late cannot touch freed memory. See server/http/README.md.
class TlsContext;
class IdleParking;

class GuardedSocket final : public QTcpSocket
{
    Q_OBJECT

public:
    // With `tls`, the connection is TLS only: the handshake starts at once and must finish
    // within the header timeout; requests are read after it.
    GuardedSocket(qintptr descriptor, GuardLimits limits, ConnectionObserver *observer,
        const TlsContext *tls = nullptr, QObject *parent = nullptr);
    ~GuardedSocket() override;

    bool isOpenConnection() const { return m_real != nullptr; }
    const FramedRequest &current() const { return m_framer.request(); }
    FramedRequest &current() { return m_framer.request(); }
    // A WebSocket upgrade was handed to QtHttpServer through this facade.
    bool isUpgrading() const { return m_state == State::Passthrough; }
    const QByteArray &peerText() const { return m_peerText; }

    // Answers the request `sequence`. Serialises the response (no body for HEAD), decides
    // keep-alive, and moves on to the next pipelined request. A stale sequence is ignored.
    void respond(quint64 sequence, const HttpResponse &response, const QByteArray &requestId);

    // Server shutdown: finish the request in progress with Connection: close, close if idle.
    void drain();

    // This thread's IdleParking (the Listener's), for the life of the connection.
    void setParking(IdleParking *parking);
    // IdleParking's sweep: a plain TCP connection idle since the last sweep (no bytes in,
    // nothing buffered or to write) is parked.
    void sweptIdle(IdleParking &parking);
    // Bytes (or the end of the connection) arrived while parked: back to the event loop, read.
    void wakeFromParking(IdleParking &parking);
    bool isParked() const { return m_parked; }

    qint64 bytesAvailable() const override;
    qint64 bytesToWrite() const override;
    void close() override;
    void disconnectFromHost() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;
    void timerEvent(QTimerEvent *event) override;

private:
    enum class State { Idle, Headers, Body, Handling, Closing, Passthrough, Closed };

    void onRealReadyRead();
    void onRealDisconnected();
    void onEncrypted();
    // Appends what the connection has to `out`. At the client's half-close (shutdown(SHUT_WR))
    // sets m_peerDone: nothing more will come, but what it sent is still answered.
    void receive(QByteArray &out);
    void closeIfPeerDone();
    // Closes once what was written is sent (Closing).
    void closeConnection();
    // TLS: whether a read notification of QSslSocket's own TCP socket may go through (there
    // is something to read, or an error to see); at the end of the stream it marks the
    // half-close instead.
    bool admitTlsRead(QSocketNotifier *notifier);
    void onPeerFinished();
    void processInput();
    void releaseRequest();
    void reject(int status, const QString &detail);
    void setState(State state);
    void leaveParking();
    // The current state's timeout from now. m_timer is armed lazily: it may fire before the
    // deadline (timerEvent() then arms it for the rest), so that a request on a keep-alive
    // connection, which passes Idle, Headers, Handling and Idle again, does not move the timer
    // in Qt's timer list (a linear list: with 10,000 connections each move scanned thousands).
    void arm(int timeoutMs);
    void syncTimer();
    // While one exists, arm() only records the deadline; the last one to go sets the timer.
    class TimerDeferral
    {
    public:
        explicit TimerDeferral(GuardedSocket &socket);
        ~TimerDeferral();
        TimerDeferral(const TimerDeferral &) = delete;
        TimerDeferral &operator=(const TimerDeferral &) = delete;

    private:
        GuardedSocket &m_socket;
    };
    void afterResponse(bool close);
    void pumpStream();
    void endStream();

    GuardLimits m_limits;
    ConnectionObserver *m_observer;
    QTcpSocket *m_real = nullptr;
    QSocketNotifier *m_notifier = nullptr;   // plain TCP: we read the descriptor ourselves
    QPointer<QSocketNotifier> m_tlsNotifier; // TLS: QSslSocket's, filtered (admitTlsRead())
    QByteArray m_peerText;
    State m_state = State::Idle;
    QBasicTimer m_timer;
    qint64 m_deadlineMs = 0; // steady clock; 0: no timeout in this state
    qint64 m_timerDueMs = 0; // when m_timer fires, while it is active
    int m_timerDeferrals = 0;
    int m_idleSweeps = 0; // idle-connection sweeps since the last bytes came in (IdleParking)
    bool m_parked = false;
    QPointer<IdleParking> m_parking;
    RequestFramer m_framer {m_limits};
    ResponseWriter m_writer;

    QByteArray m_released; // a WebSocket upgrade (and what follows) for QtHttpServer to read
    qsizetype m_releasedPos = 0;

    bool m_draining = false;
    bool m_tls = false;
    bool m_handshaking = false;      // TLS: the server handshake has not finished
    bool m_peerDone = false;         // the client sent all it will (half-close)
    int m_lingerFd = -1;             // TLS: closed by a LingeringClose once QSslSocket is done
    bool m_upgradeForwarded = false; // bytes went to a WebSocket handler
    quint64 m_sequence = 0;
};

} // namespace Outpost::Server
