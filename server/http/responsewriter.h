#pragma once

#include "httpresponse.h"

#include <QByteArray>

#include <memory>

class QIODevice;
class QTcpSocket;

namespace Outpost::Server {

// Writes a connection's responses to its socket: the status line, headers and body of each in
// one write (Date, Content-Length, X-Request-Id, nosniff and Connection added; no body for
// HEAD, 1xx, 204 or 304), and a streamed body (HttpResponse::stream) chunk by chunk, whenever
// the socket's write buffer has room. It decides nothing about the connection: its owner
// (GuardedSocket) says whether it closes and drives pump().
class ResponseWriter
{
public:
    // The socket every write goes to, once the connection has one; `tls`: responses carry
    // Strict-Transport-Security.
    void attach(QTcpSocket *socket, bool tls = false)
    {
        m_socket = socket;
        m_hsts = tls;
    }

    // Bytes as they are ("100 Continue").
    void writeRaw(const QByteArray &bytes);

    // Writes `response` to a request of HTTP/1.`httpMinor`; `close`: the connection closes
    // after it. True when its body is a stream still to come: pump() it as the socket drains.
    bool write(const HttpResponse &response, const QByteArray &requestId, bool head, int httpMinor,
        bool close);

    enum class Pumped {
        Waiting,  // the socket is full or the source has nothing yet; wrote nothing
        Progress, // wrote some, more to come
        Finished, // every promised byte is written
        Broken,   // the source ended or failed before the promised length
    };
    // Writes what the stream has while the socket's write buffer is under its high-water mark.
    Pumped pump();

    bool isStreaming() const { return m_stream != nullptr; }
    QIODevice *stream() const { return m_stream.get(); }
    // The `close` the streamed response was written with.
    bool closesAfterStream() const { return m_streamClose; }
    // A sequential source said that no more will come.
    void markStreamEnded() { m_streamEnded = true; }
    void endStream();

private:
    QTcpSocket *m_socket = nullptr;
    std::shared_ptr<QIODevice> m_stream;
    qint64 m_streamLeft = 0;
    bool m_streamClose = false;
    bool m_streamEnded = false;
    bool m_hsts = false;
};

} // namespace Outpost::Server
