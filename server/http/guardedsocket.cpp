#include "guardedsocket.h"

#include "idleparking.h"

#include "httplog.h"
#include "problem.h"
#include "requestid.h"
#include "tlscontext.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTimer>
#include <QTimerEvent>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Outpost::Server {

namespace {

// The last part of closing a TLS connection the client may still be sending on: closing a
// socket with unread bytes (or bytes that arrive after the close) makes the kernel send a
// reset, which can destroy the replies the client has not read yet. So the descriptor is kept
// (a duplicate, while QSslSocket closes its own), the write side is shut (FIN, after every
// byte queued), and what still comes is read and dropped until the client closes too, or
// `timeoutMs` passes. It counts against no limit but the descriptors, and only for that time.
class LingeringClose final : public QObject
{
public:
    LingeringClose(int fd, int timeoutMs, QObject *parent)
        : QObject(parent)
        , m_fd(fd)
        , m_notifier(fd, QSocketNotifier::Read, this)
    {
        ::shutdown(m_fd, SHUT_WR);
        connect(&m_notifier, &QSocketNotifier::activated, this, &LingeringClose::drain);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &LingeringClose::finish);
        m_timer.start(timeoutMs);
    }
    ~LingeringClose() override
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

private:
    void drain()
    {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0)
                continue;
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            finish(); // the client closed too (or reset)
            return;
        }
    }
    void finish()
    {
        m_notifier.setEnabled(false);
        m_timer.stop();
        ::close(m_fd);
        m_fd = -1;
        deleteLater();
    }

    int m_fd;
    QSocketNotifier m_notifier;
    QTimer m_timer;
};

qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

GuardedSocket::GuardedSocket(qintptr descriptor, GuardLimits limits, ConnectionObserver *observer,
    const TlsContext *tls, QObject *parent)
    : QTcpSocket(parent)
    , m_limits(std::move(limits))
    , m_observer(observer)
{
    QSslSocket *ssl = tls ? new QSslSocket(this) : nullptr;
    QTcpSocket *real = ssl ? ssl : new QTcpSocket(this);
    // Unbuffered: we keep our own buffer, and a response goes to the kernel in one write.
    // QSslSocket decrypts into a buffer of its own whatever the mode.
    if (!real->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState,
            ssl ? QIODevice::ReadWrite : QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        qCWarning(lcHttp) << "cannot adopt socket:" << real->errorString();
        delete real;
        return;
    }
    m_real = real;
    m_tls = ssl != nullptr;
    m_framer.setSpoolChooser([this](const FramedRequest &request) {
        return m_observer ? m_observer->bodySpool(request) : BodySpool {};
    });
    m_writer.attach(m_real, m_tls);
    m_real->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    setPeerAddress(m_real->peerAddress());
    m_peerText = m_real->peerAddress().toString().toLatin1();
    setPeerPort(m_real->peerPort());
    setLocalAddress(m_real->localAddress());
    setLocalPort(m_real->localPort());
    QIODevice::open(QIODevice::ReadWrite);
    setSocketState(QAbstractSocket::ConnectedState);

    if (ssl) {
        connect(m_real, &QTcpSocket::readyRead, this, &GuardedSocket::onRealReadyRead);
        // QSslSocket reads the ciphertext through a QTcpSocket of its own, which takes the
        // client's half-close (a read returning 0) for the end of the connection and closes the
        // descriptor at once, before the replies are encrypted and sent. Its read notifications
        // pass admitTlsRead() first, which keeps the end of the stream from it.
        for (QSocketNotifier *notifier : m_real->findChildren<QSocketNotifier *>()) {
            if (notifier->type() == QSocketNotifier::Read && !m_tlsNotifier) {
                m_tlsNotifier = notifier;
                notifier->installEventFilter(this);
            }
        }
        if (!m_tlsNotifier)
            qCWarning(lcHttp) << "TLS: no read notifier to watch; a half-close drops replies";
    } else {
        // We read the descriptor ourselves (receive()); QTcpSocket only writes. Its own read
        // notifier stays off: we never read through it, which is what would turn it back on.
        for (QSocketNotifier *notifier : m_real->findChildren<QSocketNotifier *>()) {
            if (notifier->type() == QSocketNotifier::Read)
                notifier->setEnabled(false);
        }
        m_notifier = new QSocketNotifier(descriptor, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &GuardedSocket::onRealReadyRead);
    }
    connect(m_real, &QTcpSocket::disconnected, this, &GuardedSocket::onRealDisconnected);
    connect(m_real, &QTcpSocket::bytesWritten, this, &GuardedSocket::bytesWritten);
    connect(m_real, &QTcpSocket::bytesWritten, this, [this] {
        if (m_writer.isStreaming())
            pumpStream();
    });
    connect(m_real, &QAbstractSocket::errorOccurred, this, [this](SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) {
            qCDebug(lcHttp) << "socket error:" << m_real->errorString();
            return;
        }
        // TLS: the client's close_notify (it sends nothing more) while the connection is still
        // up; it may wait for its replies before it closes the TCP connection, or never.
        if (m_tls && !m_peerDone && m_real->state() == QAbstractSocket::ConnectedState) {
            m_peerDone = true;
            QMetaObject::invokeMethod(this, &GuardedSocket::onPeerFinished, Qt::QueuedConnection);
        }
    });
    if (ssl) {
        // The handshake is a request's headers as far as time goes: a client that never
        // finishes it is closed by the header timeout, like one that never finishes its headers.
        connect(ssl, &QSslSocket::encrypted, this, &GuardedSocket::onEncrypted);
        connect(ssl, &QSslSocket::sslErrors, this,
            [](const QList<QSslError> &errors) { qCDebug(lcHttp) << "TLS handshake:" << errors; });
        ssl->setSslConfiguration(tls->configuration());
        m_handshaking = true;
        setState(State::Headers);
        ssl->startServerEncryption();
        return;
    }
    setState(State::Idle);
}

void GuardedSocket::onEncrypted()
{
    m_handshaking = false;
    if (m_state == State::Headers && m_framer.buffered() == 0)
        setState(State::Idle);
}

GuardedSocket::~GuardedSocket()
{
    // QAbstractSocket's destructor would abort() and emit signals from a half-destroyed
    // object; we are only a facade, so just say we are closed.
    setSocketState(QAbstractSocket::UnconnectedState);
    if (m_lingerFd >= 0)
        ::close(m_lingerFd);
    if (m_parking) {
        leaveParking();
        m_parking->remove(this);
    }
}

void GuardedSocket::setParking(IdleParking *parking)
{
    m_parking = parking;
    if (parking)
        parking->add(this);
}

void GuardedSocket::sweptIdle(IdleParking &parking)
{
    if (m_parked)
        return;
    const bool idle = m_notifier && m_real && m_state == State::Idle && !m_peerDone
        && m_framer.buffered() == 0 && m_real->bytesToWrite() == 0;
    if (!idle) {
        m_idleSweeps = 0;
        return;
    }
    if (++m_idleSweeps < 2)
        return; // idle now, but maybe only for a moment: park at the next sweep
    if (parking.park(this, int(m_real->socketDescriptor()))) {
        m_parked = true;
        m_notifier->setEnabled(false);
    }
}

void GuardedSocket::wakeFromParking(IdleParking &parking)
{
    Q_UNUSED(parking);
    leaveParking();
    onRealReadyRead();
}

void GuardedSocket::leaveParking()
{
    if (!m_parked)
        return;
    m_parked = false;
    m_idleSweeps = 0;
    if (m_parking)
        m_parking->unpark(this, m_real ? int(m_real->socketDescriptor()) : -1);
    if (m_notifier)
        m_notifier->setEnabled(true);
}

void GuardedSocket::setState(State state)
{
    m_state = state;
    switch (state) {
    case State::Idle:
        arm(m_limits.idleTimeoutMs);
        break;
    case State::Headers:
        arm(m_limits.headerTimeoutMs);
        break;
    case State::Body:
        arm(m_limits.bodyTimeoutMs);
        break;
    case State::Handling:
    case State::Closing:
    case State::Passthrough:
    case State::Closed:
        m_deadlineMs = 0;
        break;
    }
}

void GuardedSocket::arm(int timeoutMs)
{
    m_deadlineMs = monotonicMs() + timeoutMs;
    if (m_timerDeferrals == 0)
        syncTimer();
}

void GuardedSocket::syncTimer()
{
    // A timer due before the deadline stays: timerEvent() arms it again for the rest. Only a
    // deadline earlier than the timer moves it.
    if (m_deadlineMs == 0 || (m_timer.isActive() && m_timerDueMs <= m_deadlineMs))
        return;
    m_timer.start(int(qMax<qint64>(0, m_deadlineMs - monotonicMs())), this);
    m_timerDueMs = m_deadlineMs;
}

GuardedSocket::TimerDeferral::TimerDeferral(GuardedSocket &socket)
    : m_socket(socket)
{
    ++m_socket.m_timerDeferrals;
}

GuardedSocket::TimerDeferral::~TimerDeferral()
{
    if (--m_socket.m_timerDeferrals == 0)
        m_socket.syncTimer();
}

void GuardedSocket::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QTcpSocket::timerEvent(event);
        return;
    }
    if (m_deadlineMs == 0) {
        m_timer.stop(); // the state it was armed for is over
        return;
    }
    if (const qint64 now = monotonicMs(); now < m_deadlineMs) {
        // Armed for an earlier deadline (or fired early, as a coarse timer may): the rest.
        m_timer.start(int(m_deadlineMs - now), this);
        m_timerDueMs = m_deadlineMs;
        return;
    }
    m_timer.stop();
    m_deadlineMs = 0;
    switch (m_state) {
    case State::Idle:
        qCDebug(lcHttp) << "closing idle connection";
        closeConnection();
        break;
    case State::Headers:
        if (m_handshaking) {
            qCDebug(lcHttp) << "closing a connection whose TLS handshake did not finish in time";
            m_state = State::Closing;
            m_real->abort();
            break;
        }
        reject(408, QStringLiteral("the request headers did not arrive in time"));
        break;
    case State::Body:
        reject(408, QStringLiteral("the request body stopped arriving"));
        break;
    case State::Handling:
        if (m_writer.isStreaming()) {
            // A streamed body the client stopped reading: give the connection up.
            qCDebug(lcHttp) << "closing a connection whose client stopped reading";
            endStream();
            m_state = State::Closing;
            m_real->abort();
        }
        break;
    default:
        break;
    }
}

void GuardedSocket::onRealReadyRead()
{
    if (!m_real)
        return;
    m_idleSweeps = 0;
    const TimerDeferral deferral(*this);
    if (m_state == State::Passthrough) {
        receive(m_released);
        Q_EMIT readyRead();
        if (m_peerDone && m_state == State::Passthrough)
            m_real->disconnectFromHost(); // the WebSocket client went away
        return;
    }
    if (m_state == State::Closing || m_state == State::Closed) {
        // Discard what comes while we close: unread bytes would make the kernel reset the
        // connection, and the client could lose the answer it has not read yet.
        QByteArray discarded;
        receive(discarded);
        return;
    }
    // While a request is being handled, keep at most one more request's worth queued; the
    // rest stays in the kernel, which pushes back on the client (reading resumes after the
    // response: afterResponse()).
    if (m_state == State::Handling
        && m_framer.buffered() > m_limits.maxHeaderBytes + m_limits.maxBodyBytes) {
        if (m_notifier)
            m_notifier->setEnabled(false);
        return;
    }
    receive(m_framer.input());
    if (m_state == State::Idle && m_framer.buffered() > 0)
        setState(State::Headers);
    processInput();
}

void GuardedSocket::receive(QByteArray &out)
{
    if (!m_notifier) {
        // TLS: QSslSocket decrypts into a buffer of its own.
        out.append(m_real->readAll());
        return;
    }
    // Plain TCP: straight from the descriptor. QTcpSocket would treat the client's half-close
    // (a read returning 0) as the end of the connection and close the descriptor at once,
    // dropping the answers still to be written; here it is only the end of the requests.
    // At most `perCall` bytes a turn: a client sending a large body as fast as loopback goes
    // never lets the kernel's buffer run dry, and reading until it did would gather the whole
    // body here before any of it is framed (or spooled to a file). The notifier is level
    // triggered: what is left is read at the next turn of the event loop.
    const int fd = int(m_real->socketDescriptor());
    constexpr qsizetype chunk = 64 * 1024;
    constexpr qsizetype perCall = 1024 * 1024;
    char buffer[chunk];
    for (qsizetype taken = 0;;) {
        const ssize_t n = ::recv(fd, buffer, chunk, MSG_DONTWAIT);
        if (n > 0) {
            out.append(buffer, n);
            taken += n;
            if (n < chunk || taken >= perCall)
                return; // drained, or enough for this turn (the notifier fires again)
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        m_notifier->setEnabled(false);
        if (n == 0) {
            m_peerDone = true; // half-closed: answer what came, then close
            return;
        }
        qCDebug(lcHttp) << "socket error:" << std::strerror(errno);
        m_real->abort(); // reset: disconnected() follows
        return;
    }
}

bool GuardedSocket::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tlsNotifier && event->type() == QEvent::SockAct)
        return !admitTlsRead(m_tlsNotifier);
    return QTcpSocket::eventFilter(watched, event);
}

bool GuardedSocket::admitTlsRead(QSocketNotifier *notifier)
{
    // Qt's TCP socket reads what FIONREAD reports, and only when that is 0 does it read on into
    // the end of the stream (and close). So a notification goes through when there are bytes
    // (it reads exactly those) or an error to report, never at the end of the stream.
    const int fd = int(notifier->socket());
    int pending = 0;
    if (::ioctl(fd, FIONREAD, &pending) == 0 && pending > 0)
        return true;
    char byte = 0;
    const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0)
        return true;
    if (n < 0)
        return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR; // a reset: Qt closes
    // The client's half-close: what it sent is answered (afterResponse()), then we close.
    notifier->setEnabled(false);
    if (!m_peerDone) {
        m_peerDone = true;
        QMetaObject::invokeMethod(this, &GuardedSocket::onPeerFinished, Qt::QueuedConnection);
    }
    return false;
}

void GuardedSocket::onPeerFinished()
{
    if (!m_real)
        return;
    if (m_state == State::Passthrough) {
        m_real->disconnectFromHost(); // the WebSocket client went away
        return;
    }
    // Complete requests still buffered (pipelined behind one just answered) are answered
    // first; processInput() closes after them.
    if (m_state == State::Idle && m_framer.buffered() > 0)
        setState(State::Headers);
    processInput();
}

void GuardedSocket::closeIfPeerDone()
{
    // After a half-close: once every complete request is answered, an incomplete one can never
    // finish, so close (the client has everything it asked for).
    if (m_peerDone && m_real
        && (m_state == State::Idle || m_state == State::Headers || m_state == State::Body)) {
        m_deadlineMs = 0;
        closeConnection();
    }
}

void GuardedSocket::closeConnection()
{
    leaveParking();         // what comes while closing is read and dropped as usual
    m_framer.discardBody(); // a body cut short (or rejected) leaves no file
    m_state = State::Closing;
    if (m_tls) {
        // QSslSocket hands what it encrypts to its TCP socket only after the close it was
        // asked for, which drops it when the client has sent its close_notify: hand it over
        // first.
        m_real->flush();
        // Until the client has said it is done (end of stream or close_notify), it may still
        // be sending: close through a LingeringClose (onRealDisconnected()).
        if (!m_peerDone && m_lingerFd < 0 && m_real->socketDescriptor() >= 0)
            m_lingerFd = ::fcntl(int(m_real->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    }
    m_real->disconnectFromHost();
}

void GuardedSocket::processInput()
{
    // The states a request passes through while it is read and answered here move the
    // deadline; the timer is set once, for the state it ends in.
    const TimerDeferral deferral(*this);
    while (m_real && (m_state == State::Idle || m_state == State::Headers || m_state == State::Body)
        && m_framer.hasUnparsedInput()) {
        const RequestFramer::Fed fed = m_framer.feed();
        // What the parser met, in its order: each starts (or restarts) a timer.
        if (fed.requestBegan)
            setState(State::Headers);
        if (fed.sendContinue)
            m_writer.writeRaw(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        if (fed.bodyFollows)
            setState(State::Body);
        if (fed.bodyArrived)
            arm(m_limits.bodyTimeoutMs); // a slow but moving upload stays
        switch (fed.progress) {
        case RequestFramer::Progress::Waiting:
            break;
        case RequestFramer::Progress::Complete:
            releaseRequest();
            break;
        case RequestFramer::Progress::Rejected:
            reject(m_framer.rejectStatus(), m_framer.rejectDetail());
            return;
        }
    }
    if (m_state == State::Idle && m_framer.buffered() > 0)
        setState(State::Headers);
    closeIfPeerDone();
}

void GuardedSocket::releaseRequest()
{
    FramedRequest &request = m_framer.request();
    request.sequence = ++m_sequence;
    request.startedNs = monotonicNs();
    if (m_framer.isUpgrade()) {
        // A WebSocket handshake: QtHttpServer reads it, and then the upgraded protocol's bytes,
        // through this facade.
        m_released = m_framer.takeInput();
        m_releasedPos = 0;
        setState(State::Passthrough);
        Q_EMIT readyRead(); // QtHttpServer takes the connection over, synchronously
        return;
    }
    m_framer.release();
    setState(State::Handling);
    // Set until the connection closes, and a closed connection frames nothing more.
    Q_ASSERT(m_observer);
    m_observer->requestReady(*this);
}

void GuardedSocket::respond(
    quint64 sequence, const HttpResponse &response, const QByteArray &requestId)
{
    const FramedRequest &request = m_framer.request();
    if (!m_real || m_state != State::Handling || sequence != request.sequence)
        return;
    const bool close = !request.keepAlive || m_draining
        || response.header(QByteArrayLiteral("Connection")).compare("close", Qt::CaseInsensitive)
            == 0;
    if (m_writer.write(response, requestId, request.method == "HEAD", request.httpMinor, close)) {
        // The rest goes out as the socket drains; pipelined requests wait meanwhile.
        QIODevice *stream = m_writer.stream();
        if (stream->isSequential()) {
            connect(stream, &QIODevice::readyRead, this, &GuardedSocket::pumpStream);
            connect(stream, &QIODevice::readChannelFinished, this, [this] {
                m_writer.markStreamEnded();
                pumpStream();
            });
        }
        pumpStream();
        return;
    }
    afterResponse(close);
}

void GuardedSocket::pumpStream()
{
    if (!m_writer.isStreaming() || !m_real)
        return;
    switch (m_writer.pump()) {
    case ResponseWriter::Pumped::Waiting:
        break;
    case ResponseWriter::Pumped::Progress:
        // The client gets OUTPOST_BODY_TIMEOUT for the next bit.
        arm(m_limits.bodyTimeoutMs);
        break;
    case ResponseWriter::Pumped::Finished: {
        const bool close = m_writer.closesAfterStream();
        endStream();
        afterResponse(close);
        break;
    }
    case ResponseWriter::Pumped::Broken:
        // The source ended before the promised length: closing tells the client.
        endStream();
        closeConnection();
        break;
    }
}

void GuardedSocket::endStream()
{
    if (m_writer.isStreaming() && m_state == State::Handling)
        m_deadlineMs = 0;
    if (QIODevice *stream = m_writer.stream())
        disconnect(stream, nullptr, this, nullptr);
    m_writer.endStream();
}

void GuardedSocket::afterResponse(bool close)
{
    if (close) {
        closeConnection();
        return;
    }
    m_framer.reset();
    setState(State::Idle);
    if (m_framer.buffered() > 0) {
        // Pipelined requests wait in the framer; take them from the event loop, not from
        // inside the handler that just answered.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_state == State::Idle && m_framer.buffered() > 0)
                    setState(State::Headers);
                processInput();
            },
            Qt::QueuedConnection);
    } else if (m_peerDone) {
        closeIfPeerDone();
    } else if (m_tls && m_real->bytesAvailable() > 0) {
        QMetaObject::invokeMethod(this, &GuardedSocket::onRealReadyRead, Qt::QueuedConnection);
    }
    if (m_notifier && !m_peerDone)
        m_notifier->setEnabled(true); // after back-pressure (onRealReadyRead)
}

void GuardedSocket::reject(int status, const QString &detail)
{
    if (!m_real || m_state == State::Closing || m_state == State::Closed)
        return;
    FramedRequest &request = m_framer.request();
    const QByteArray requestId = request.requestId.isEmpty() ? newRequestId() : request.requestId;
    if (m_observer)
        m_observer->requestRejected(*this, status, request.method, request.target, requestId);
    request.sequence = ++m_sequence;
    request.keepAlive = false;
    m_state = State::Handling;
    const HttpResponse response = Problem::make(status, detail);
    request.method = "GET"; // a rejected HEAD still gets the problem body
    respond(request.sequence, response, requestId);
}

void GuardedSocket::drain()
{
    m_draining = true;
    if (m_state == State::Idle && m_framer.buffered() == 0 && m_real) {
        closeConnection();
    }
}

void GuardedSocket::onRealDisconnected()
{
    m_tlsNotifier.clear(); // goes with QSslSocket's socket engine
    if (m_lingerFd >= 0) {
        // QSslSocket has written everything and closed its descriptor; the duplicate ends it.
        new LingeringClose(m_lingerFd, m_limits.headerTimeoutMs, parent());
        m_lingerFd = -1;
    }
    // The descriptor is closed (or about to be reused): never watch it again.
    leaveParking();
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    m_timer.stop();
    m_deadlineMs = 0;
    endStream();
    m_framer.discardBody();
    const bool wasOpen = state() != QAbstractSocket::UnconnectedState;
    m_state = State::Closed;
    if (m_observer)
        m_observer->connectionClosed(*this);
    m_observer = nullptr;
    if (wasOpen) {
        setSocketState(QAbstractSocket::UnconnectedState);
        Q_EMIT readChannelFinished();
        Q_EMIT disconnected(); // QtHttpServer deletes us (later) on this
    }
}

qint64 GuardedSocket::readData(char *data, qint64 maxSize)
{
    const qint64 available = m_released.size() - m_releasedPos;
    if (available <= 0) {
        m_released.clear();
        m_releasedPos = 0;
        return state() == QAbstractSocket::ConnectedState ? 0 : -1;
    }
    const qint64 n = qMin(maxSize, available);
    std::memcpy(data, m_released.constData() + m_releasedPos, size_t(n));
    m_releasedPos += n;
    return n;
}

qint64 GuardedSocket::writeData(const char *data, qint64 size)
{
    // Only an upgraded (WebSocket) connection writes through the facade; HTTP responses go
    // through respond().
    if (!m_real || m_state != State::Passthrough)
        return m_real ? size : -1;
    m_upgradeForwarded = true;
    return m_real->write(data, size);
}

qint64 GuardedSocket::bytesAvailable() const
{
    // QIODevice's own buffer, not QAbstractSocket's (the facade has no socket engine).
    return QIODevice::bytesAvailable() // NOLINT(bugprone-parent-virtual-call)
        + (m_released.size() - m_releasedPos);
}

qint64 GuardedSocket::bytesToWrite() const
{
    return m_real ? m_real->bytesToWrite() : 0;
}

void GuardedSocket::close()
{
    // QAbstractSocket::close() would act on a socket engine the facade does not have.
    QIODevice::close(); // NOLINT(bugprone-parent-virtual-call)
    disconnectFromHost();
}

void GuardedSocket::disconnectFromHost()
{
    // Whoever closes the facade while a request is being handled, or QtHttpServer when it
    // does not take a WebSocket upgrade, would leave the client without an answer: answer
    // first.
    if (m_state == State::Handling) {
        reject(400, QStringLiteral("the request could not be parsed"));
        return;
    }
    if (m_state == State::Passthrough && !m_upgradeForwarded) {
        reject(404, QStringLiteral("no WebSocket endpoint at this path"));
        return;
    }
    if (m_real && m_state != State::Closed) {
        closeConnection();
    }
}

} // namespace Outpost::Server
