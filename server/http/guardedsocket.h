#pragma once

#include "httpresponse.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QList>
#include <QSet>
#include <QTcpSocket>

#include <memory>

struct http_parser;

namespace Outpost::Server {

struct GuardLimits
{
    int maxTargetBytes = 8 * 1024;            // request-target (URL); over it: 414
    int maxHeaderBytes = 32 * 1024;           // whole header block; over it: 431
    int maxHeaderCount = 100;                 // header fields; over it: 431
    qint64 maxBodyBytes = 32LL * 1024 * 1024; // over it: 413, before the body is read
    int idleTimeoutMs = 60'000;               // keep-alive connection with no request in progress
    int headerTimeoutMs = 10'000;             // first byte of a request to the end of its headers
    int bodyTimeoutMs = 60'000;               // no body bytes for this long
    QSet<QByteArray> websocketPaths; // upgrades elsewhere get 404 before QtHttpServer sees them
};

// A request header field as framed: the name in lower case, the value without the whitespace
// around it. Repeated fields stay separate, in the order they came.
struct HeaderField
{
    QByteArray name;
    QByteArray value;
};

// What the guard learned while framing the request now being handled.
struct FramedRequest
{
    QByteArray method;     // "GET"
    QByteArray target;     // the raw request-target, "/v1/posts?limit=10"
    QByteArray requestId;  // a valid incoming X-Request-Id, else empty
    int httpMinor = 1;     // HTTP/1.<minor>
    bool keepAlive = true; // what the client asked for (HTTP/1.0 needs keep-alive)
    qint64 startedNs = 0;  // monotonic time the request became complete
    quint64 sequence = 0;  // which request on this connection
    QList<HeaderField> headers;
    QByteArray body; // exactly Content-Length bytes, or the de-chunked body
};

class GuardedSocket;

// Told about what the guard decides by itself (it answers those requests without a route).
class ConnectionObserver
{
public:
    virtual ~ConnectionObserver() = default;
    virtual void connectionOpened(GuardedSocket &socket) = 0;
    // A complete, valid request that is not a WebSocket upgrade is in socket.current() (take
    // its headers and body); answer it with socket.respond(), now or later.
    virtual void requestReady(GuardedSocket &socket) = 0;
    virtual void requestRejected(const GuardedSocket &socket, int status, const QByteArray &method,
        const QByteArray &target, const QByteArray &requestId) = 0;
    virtual void connectionClosed(GuardedSocket &socket) = 0;
};

// The connection guard. It owns the real TCP socket, frames every request with a strict
// HTTP/1.1 parser (Debian's libhttp-parser), enforces size limits and timeouts, answers
// malformed or oversized requests itself, and hands each complete request, one at a time, to
// its ConnectionObserver (the engine), which answers through respond(). Only a WebSocket
// upgrade goes to QtHttpServer, through this QTcpSocket facade, which then carries the
// upgraded connection. Pipelined requests wait until the previous response has been written,
// so responses never come out of order, and QtHttpServer never holds the real socket, so a
// reply that comes late cannot touch freed memory. See server/http/README.md.
class GuardedSocket final : public QTcpSocket
{
    Q_OBJECT

public:
    GuardedSocket(qintptr descriptor, GuardLimits limits, ConnectionObserver *observer,
        QObject *parent = nullptr);
    ~GuardedSocket() override;

    bool isOpenConnection() const { return m_real != nullptr; }
    const FramedRequest &current() const { return m_request; }
    FramedRequest &current() { return m_request; }
    bool isHandling() const { return m_state == State::Handling; }
    // A WebSocket upgrade was handed to QtHttpServer through this facade.
    bool isUpgrading() const { return m_state == State::Passthrough; }
    const QByteArray &peerText() const { return m_peerText; }

    // Answers the request `sequence`. Serialises the response (no body for HEAD), decides
    // keep-alive, and moves on to the next pipelined request. A stale sequence is ignored.
    void respond(quint64 sequence, const HttpResponse &response, const QByteArray &requestId);

    // Server shutdown: finish the request in progress with Connection: close, close if idle.
    void drain();

    qint64 bytesAvailable() const override;
    qint64 bytesToWrite() const override;
    void close() override;
    void disconnectFromHost() override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;
    void timerEvent(QTimerEvent *event) override;

private:
    enum class State { Idle, Headers, Body, Handling, Closing, Passthrough, Closed };

    friend struct GuardCallbacks;

    void onRealReadyRead();
    void onRealDisconnected();
    void processInput();
    void releaseRequest(qsizetype messageBytes);
    void reject(int status, const QString &detail);
    void writeRaw(const QByteArray &bytes);
    void setState(State state);
    void resetParser();
    bool finishHeaderField();
    bool requestLineIsStrict() const;
    void afterResponse(bool close);
    void pumpStream();
    void endStream();

    GuardLimits m_limits;
    ConnectionObserver *m_observer;
    QTcpSocket *m_real = nullptr;
    QByteArray m_peerText;
    std::unique_ptr<http_parser> m_parser;
    State m_state = State::Idle;
    QBasicTimer m_timer;

    QByteArray m_inbuf;    // bytes from the start of the current request on
    qsizetype m_fed = 0;   // how many of m_inbuf the parser has seen
    QByteArray m_released; // a WebSocket upgrade (and what follows) for QtHttpServer to read
    qsizetype m_releasedPos = 0;

    // Per-request parse state.
    FramedRequest m_request;
    QByteArray m_field;
    QByteArray m_value;
    bool m_inValue = false;
    int m_headerCount = 0;
    qsizetype m_headerBytes = 0;
    int m_contentLengthHeaders = 0;
    int m_hostHeaders = 0;
    bool m_expectContinue = false;
    bool m_unknownExpectation = false;
    bool m_websocketUpgrade = false;
    bool m_chunked = false;
    QByteArray m_chunkedBody; // de-chunked body
    qint64 m_bodyBytes = 0;
    int m_rejectStatus = 0;
    QString m_rejectDetail;
    bool m_messageComplete = false;

    // A streamed response body in progress (HttpResponse::stream).
    std::shared_ptr<QIODevice> m_stream;
    qint64 m_streamLeft = 0;
    bool m_streamClose = false;
    bool m_streamEnded = false; // a sequential device said no more will come

    bool m_draining = false;
    bool m_upgradeForwarded = false; // bytes went to a WebSocket handler
    bool m_closeAfterResponse = false;
    quint64 m_sequence = 0;
};

} // namespace Outpost::Server
