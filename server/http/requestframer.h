#pragma once

#include "framedrequest.h"
#include "guardlimits.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

struct http_parser;

namespace Outpost::Server {

namespace Crypto {
class Sha256;
}

// Frames the requests of one connection, one at a time, with a strict HTTP/1.1 parser
// (Debian's libhttp-parser) under the guard's size limits: a request-target over its limit is
// 414, a header block over its size or field count 431, a body over its size 413 (before it
// is read when Content-Length says so), an unknown expectation 417, an unsupported method 501
// or HTTP version 505, and a malformed or ambiguous request (no Host, a duplicated or
// negative Content-Length, Content-Length with Transfer-Encoding, a header name that is not a
// token, a sloppy request line) 400. It holds the bytes read from the start of the current
// request on, and never writes or times anything: after each feed() its owner (GuardedSocket)
// sends what is due, restarts its timers and answers.
class RequestFramer
{
public:
    enum class Progress {
        Waiting,  // the request is not complete yet
        Complete, // request() is complete: release() it
        Rejected, // the request is invalid: answer rejectStatus() and close
    };

    // What one feed() did, in the order it happened.
    struct Fed
    {
        Progress progress = Progress::Waiting;
        bool requestBegan = false; // a request's first bytes: its headers' time starts
        bool sendContinue = false; // the client waits for "100 Continue" before its body
        bool bodyFollows = false;  // the headers are complete and a body follows
        bool bodyArrived = false;  // body bytes came: a slow but moving upload stays alive
    };

    // Asked once a request's headers are complete and valid and a body follows: where that
    // body goes (a file for the file-write routes, else memory).
    using SpoolChooser = std::function<BodySpool(const FramedRequest &)>;

    explicit RequestFramer(const GuardLimits &limits);
    ~RequestFramer();
    RequestFramer(const RequestFramer &) = delete;
    RequestFramer &operator=(const RequestFramer &) = delete;

    void append(const QByteArray &bytes) { m_input.append(bytes); }
    // The bytes held, for the connection to read into directly.
    QByteArray &input() { return m_input; }
    // Bytes held: the current request's and any pipelined behind it.
    qsizetype buffered() const { return m_input.size(); }
    bool hasUnparsedInput() const { return m_parsed < m_input.size(); }

    // Parses the bytes not parsed yet, up to the end of one request.
    Fed feed();

    // The request being framed, or the complete one being handled.
    FramedRequest &request() { return m_request; }
    const FramedRequest &request() const { return m_request; }
    int rejectStatus() const { return m_rejectStatus; }
    const QString &rejectDetail() const { return m_rejectDetail; }

    // After Complete: the request is a WebSocket upgrade; take its bytes (and the upgraded
    // protocol's behind them) with takeInput().
    bool isUpgrade() const;
    QByteArray takeInput();
    // After Complete: moves the body into request() and drops the request's bytes from the
    // input, keeping the pipelined requests behind it. When nothing follows, the input itself
    // becomes the body, headers cut off in place, so a large body is never copied.
    void release();

    // Ready for the next request on the connection (the pipelined bytes stay).
    void reset();

    void setSpoolChooser(SpoolChooser chooser) { m_spoolChooser = std::move(chooser); }
    // Drops the body being spooled, if any (its file goes): the connection is closing.
    void discardBody();

private:
    friend struct FramerCallbacks;

    bool finishHeaderField();
    bool requestLineIsStrict() const;
    int reject(int status, const QString &detail);

    const GuardLimits &m_limits;
    std::unique_ptr<http_parser> m_parser;
    QByteArray m_input;     // bytes from the start of the current request on
    qsizetype m_parsed = 0; // how many of m_input the parser has seen
    Fed m_fed;              // what the feed() in progress did

    // Per-request state.
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
    SpoolChooser m_spoolChooser;
    std::shared_ptr<SpooledFile> m_spool;        // the body goes here, not to memory
    std::unique_ptr<Crypto::Sha256> m_spoolHash; // when the route wants the body's digest
    qint64 m_bodyBytes = 0;
    int m_rejectStatus = 0;
    QString m_rejectDetail;
    bool m_messageComplete = false;
};

} // namespace Outpost::Server
