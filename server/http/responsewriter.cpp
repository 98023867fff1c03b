#include "responsewriter.h"

#include "httplog.h"

#include <QDateTime>
#include <QIODevice>
#include <QLocale>
#include <QTcpSocket>

namespace Outpost::Server {

namespace {

// RFC 9110 Date, recomputed at most once a second per thread.
QByteArray httpDate()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != cachedSecond) {
        cachedSecond = now;
        cached = QLocale::c()
                     .toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC),
                         QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                     .toLatin1();
    }
    return cached;
}

} // namespace

void ResponseWriter::writeRaw(const QByteArray &bytes)
{
    // QTcpSocket sends this on the event loop's next turn, with every other response that
    // turn produced: measured, that beats flush()ing each one at once (GET /v1/posts/{id}
    // 35k against 22k req/s), which wakes the client once per response.
    if (m_socket)
        m_socket->write(bytes);
}

bool ResponseWriter::write(
    const HttpResponse &response, const QByteArray &requestId, bool head, int httpMinor, bool close)
{
    const bool noBody = response.status == 204 || response.status == 304 || response.status < 200;

    QByteArray out;
    out.reserve(256 + (head ? 0 : response.body.size()));
    out.append("HTTP/1.1 ").append(QByteArray::number(response.status)).append(' ');
    out.append(reasonPhrase(response.status)).append("\r\n");
    out.append("Date: ").append(httpDate()).append("\r\n");
    if (!noBody) {
        if (!response.contentType.isEmpty())
            out.append("Content-Type: ").append(response.contentType).append("\r\n");
        const QByteArray explicitLength = response.header(QByteArrayLiteral("Content-Length"));
        const qint64 length = response.stream ? response.streamLength : response.body.size();
        out.append("Content-Length: ")
            .append(explicitLength.isEmpty() ? QByteArray::number(length) : explicitLength)
            .append("\r\n");
    }
    out.append("X-Request-Id: ").append(requestId).append("\r\n");
    // Security headers for every response, one literal: nothing extra on the hot path.
    out.append("X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
               "X-Frame-Options: DENY\r\n");
    if (m_hsts)
        out.append("Strict-Transport-Security: max-age=31536000\r\n");
    for (const auto &[name, value] : response.headers) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0
            || name.compare("Connection", Qt::CaseInsensitive) == 0)
            continue;
        out.append(name).append(": ").append(value).append("\r\n");
    }
    if (close) {
        out.append("Connection: close\r\n");
    } else if (httpMinor == 0) {
        out.append("Connection: keep-alive\r\n");
    }
    out.append("\r\n");
    if (!head && !noBody && !response.stream)
        out.append(response.body);
    writeRaw(out);

    if (head || noBody || !response.stream || response.streamLength <= 0)
        return false;
    m_stream = response.stream;
    m_streamLeft = response.streamLength;
    m_streamClose = close;
    m_streamEnded = false;
    return true;
}

ResponseWriter::Pumped ResponseWriter::pump()
{
    constexpr qint64 chunkBytes = 256LL * 1024;
    constexpr qint64 highWater = 1024LL * 1024; // what may wait in the socket's write buffer
    Pumped pumped = Pumped::Waiting;
    while (m_streamLeft > 0 && m_socket->bytesToWrite() < highWater) {
        QByteArray chunk(qMin(chunkBytes, m_streamLeft), Qt::Uninitialized);
        const qint64 n = m_stream->read(chunk.data(), chunk.size());
        if (n < 0 || (n == 0 && (!m_stream->isSequential() || m_streamEnded))) {
            qCWarning(lcHttp) << "response body source ended early;" << m_streamLeft
                              << "bytes missing";
            return Pumped::Broken;
        }
        if (n == 0)
            return pumped; // a sequential source: wait for readyRead
        chunk.truncate(n);
        m_streamLeft -= n;
        writeRaw(chunk);
        pumped = Pumped::Progress;
    }
    return m_streamLeft == 0 ? Pumped::Finished : pumped;
}

void ResponseWriter::endStream()
{
    m_stream.reset();
    m_streamLeft = 0;
}

} // namespace Outpost::Server
