#include "requestframer.h"

#include "auth/crypto.h"

#include <http_parser.h>

#include <algorithm>
#include <utility>

namespace Outpost::Server {

namespace {

bool isValidRequestId(const QByteArray &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    return std::ranges::all_of(id, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.' || c == ':';
    });
}

// RFC 9110 token characters: what a header field name may consist of.
bool isToken(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    return std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
    });
}

bool isSupportedMethod(unsigned method)
{
    switch (method) {
    case HTTP_GET:
    case HTTP_HEAD:
    case HTTP_POST:
    case HTTP_PUT:
    case HTTP_DELETE:
    case HTTP_PATCH:
    case HTTP_OPTIONS:
    case HTTP_TRACE:
        return true;
    default:
        return false;
    }
}

RequestFramer *framerOf(http_parser *parser)
{
    return static_cast<RequestFramer *>(parser->data);
}

} // namespace

// http_parser's C callbacks, with access to the framer's state. A callback that rejects the
// request returns non-zero, which stops the parser.
struct FramerCallbacks
{
    static int onMessageBegin(http_parser *parser)
    {
        framerOf(parser)->m_fed.requestBegan = true;
        return 0;
    }

    static int onUrl(http_parser *parser, const char *at, size_t length)
    {
        RequestFramer *f = framerOf(parser);
        if (f->m_request.target.size() + qsizetype(length) > f->m_limits.maxTargetBytes) {
            return f->reject(414,
                QStringLiteral("the request target is longer than %1 bytes")
                    .arg(f->m_limits.maxTargetBytes));
        }
        f->m_request.target.append(at, qsizetype(length));
        return 0;
    }

    static int onHeaderField(http_parser *parser, const char *at, size_t length)
    {
        RequestFramer *f = framerOf(parser);
        if (f->m_inValue && !f->finishHeaderField())
            return 1;
        f->m_inValue = false;
        f->m_field.append(at, qsizetype(length));
        return f->m_field.size() > f->m_limits.maxHeaderBytes ? tooLarge(f) : 0;
    }

    static int onHeaderValue(http_parser *parser, const char *at, size_t length)
    {
        RequestFramer *f = framerOf(parser);
        f->m_inValue = true;
        f->m_value.append(at, qsizetype(length));
        return f->m_headerBytes + f->m_field.size() + f->m_value.size() > f->m_limits.maxHeaderBytes
            ? tooLarge(f)
            : 0;
    }

    static int tooLarge(RequestFramer *f)
    {
        return f->reject(431,
            QStringLiteral("the request header block is larger than %1 bytes")
                .arg(f->m_limits.maxHeaderBytes));
    }

    static int onHeadersComplete(http_parser *parser)
    {
        RequestFramer *f = framerOf(parser);
        if (f->m_inValue && !f->finishHeaderField())
            return -1;
        FramedRequest &r = f->m_request;
        r.method = http_method_str(static_cast<http_method>(parser->method));
        r.httpMinor = parser->http_minor;
        r.keepAlive = http_should_keep_alive(parser) != 0;
        f->m_chunked = (parser->flags & F_CHUNKED) != 0;

        const auto fail = [f](int status, const QString &detail) {
            f->reject(status, detail);
            return -1;
        };
        if (parser->http_major != 1)
            return fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported"));
        if (!isSupportedMethod(parser->method)) {
            return fail(501,
                QStringLiteral("method %1 is not supported").arg(QString::fromLatin1(r.method)));
        }
        if (r.target.isEmpty() || (r.target.front() != '/' && r.target != "*"))
            return fail(400, QStringLiteral("the request target must be an absolute path"));
        if (!f->requestLineIsStrict())
            return fail(400, QStringLiteral("malformed request line"));
        if (r.httpMinor >= 1 && f->m_hostHeaders == 0)
            return fail(400, QStringLiteral("an HTTP/1.1 request needs a Host header"));
        if (f->m_hostHeaders > 1)
            return fail(400, QStringLiteral("a request must have one Host header"));
        if (f->m_contentLengthHeaders > 0 && f->m_chunked) {
            return fail(400,
                QStringLiteral("Content-Length and Transfer-Encoding must not both be present"));
        }
        if (f->m_unknownExpectation)
            return fail(417, QStringLiteral("the only supported expectation is 100-continue"));
        if (parser->upgrade) {
            // http_parser stops framing at an upgrade; only a body-less WebSocket GET may pass.
            if (!f->m_websocketUpgrade || parser->method != HTTP_GET || f->m_chunked
                || (f->m_contentLengthHeaders > 0 && parser->content_length > 0))
                return fail(400, QStringLiteral("unsupported protocol upgrade"));
            const qsizetype query = r.target.indexOf('?');
            if (!f->m_limits.websocketPaths.contains(query < 0 ? r.target : r.target.left(query)))
                return fail(404, QStringLiteral("no WebSocket endpoint at this path"));
        }
        const bool hasLength = f->m_contentLengthHeaders > 0;
        if (hasLength && qint64(parser->content_length) > f->m_limits.maxBodyBytes) {
            return fail(413,
                QStringLiteral("the request body is larger than %1 bytes")
                    .arg(f->m_limits.maxBodyBytes));
        }
        if (f->m_expectContinue && r.httpMinor >= 1 && (f->m_chunked || parser->content_length > 0))
            f->m_fed.sendContinue = true;
        if (f->m_chunked || (hasLength && parser->content_length > 0)) {
            f->m_fed.bodyFollows = true;
            if (f->m_spoolChooser) {
                const BodySpool spool = f->m_spoolChooser(r);
                if (!spool.directory.isEmpty()) {
                    // A failed creation is kept in the file's error(): the body is still read
                    // (and dropped), and the route answers for the disk (507 when full).
                    f->m_spool = std::make_shared<SpooledFile>(spool.directory);
                    if (spool.sha256)
                        f->m_spoolHash = std::make_unique<Crypto::Sha256>();
                }
            }
        }
        return 0;
    }

    static int onBody(http_parser *parser, const char *at, size_t length)
    {
        RequestFramer *f = framerOf(parser);
        f->m_bodyBytes += qint64(length);
        if (f->m_bodyBytes > f->m_limits.maxBodyBytes) {
            return f->reject(413,
                QStringLiteral("the request body is larger than %1 bytes")
                    .arg(f->m_limits.maxBodyBytes));
        }
        if (f->m_spool) {
            const QByteArrayView bytes(at, qsizetype(length));
            if (f->m_spool->append(bytes) && f->m_spoolHash)
                f->m_spoolHash->addData(bytes);
        } else if (f->m_chunked) {
            f->m_chunkedBody.append(at, qsizetype(length));
        }
        f->m_fed.bodyArrived = true;
        return 0;
    }

    static int onMessageComplete(http_parser *parser)
    {
        framerOf(parser)->m_messageComplete = true;
        http_parser_pause(parser, 1); // one request at a time: stop right after it
        return 0;
    }
};

namespace {

const http_parser_settings &parserSettings()
{
    static const http_parser_settings settings = [] {
        http_parser_settings s {};
        s.on_message_begin = &FramerCallbacks::onMessageBegin;
        s.on_url = &FramerCallbacks::onUrl;
        s.on_header_field = &FramerCallbacks::onHeaderField;
        s.on_header_value = &FramerCallbacks::onHeaderValue;
        s.on_headers_complete = &FramerCallbacks::onHeadersComplete;
        s.on_body = &FramerCallbacks::onBody;
        s.on_message_complete = &FramerCallbacks::onMessageComplete;
        // Our own limits (32 KiB) act first; this is http_parser's process-wide backstop.
        http_parser_set_max_header_size(256 * 1024);
        return s;
    }();
    return settings;
}

} // namespace

RequestFramer::RequestFramer(const GuardLimits &limits)
    : m_limits(limits)
    , m_parser(std::make_unique<http_parser>())
{
    parserSettings();
    reset();
}

RequestFramer::~RequestFramer() = default;

void RequestFramer::reset()
{
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;
    m_request = FramedRequest {};
    m_field.clear();
    m_value.clear();
    m_inValue = false;
    m_headerCount = 0;
    m_headerBytes = 0;
    m_contentLengthHeaders = 0;
    m_hostHeaders = 0;
    m_expectContinue = false;
    m_unknownExpectation = false;
    m_websocketUpgrade = false;
    m_chunked = false;
    m_chunkedBody.clear();
    discardBody();
    m_bodyBytes = 0;
    m_rejectStatus = 0;
    m_rejectDetail.clear();
    m_messageComplete = false;
    m_parsed = 0;
}

RequestFramer::Fed RequestFramer::feed()
{
    m_fed = Fed {};
    const char *data = m_input.constData() + m_parsed;
    const auto length = size_t(m_input.size() - m_parsed);
    const size_t parsed = http_parser_execute(m_parser.get(), &parserSettings(), data, length);
    m_parsed += qsizetype(parsed);
    const auto errorCode = static_cast<http_errno>(m_parser->http_errno);
    if (m_messageComplete) {
        m_fed.progress = Progress::Complete;
    } else if (errorCode != HPE_OK) {
        if (m_rejectStatus == 0) {
            if (errorCode == HPE_HEADER_OVERFLOW) {
                reject(431, QStringLiteral("the request header block is too large"));
            } else {
                reject(400,
                    QStringLiteral("malformed HTTP request: %1")
                        .arg(QString::fromLatin1(http_errno_description(errorCode))));
            }
        }
        m_fed.progress = Progress::Rejected;
        discardBody(); // too large, malformed: its file goes now
    } else if (m_spool) {
        // The body went to its file: drop what was parsed, so that the input holds no more
        // than one read's worth and its buffer is reused rather than grown.
        m_input.remove(0, m_parsed);
        m_parsed = 0;
    }
    return m_fed;
}

void RequestFramer::discardBody()
{
    if (m_spool)
        m_spool->discard();
    m_spool.reset();
    m_spoolHash.reset();
}

int RequestFramer::reject(int status, const QString &detail)
{
    m_rejectStatus = status;
    m_rejectDetail = detail;
    return 1;
}

bool RequestFramer::finishHeaderField()
{
    ++m_headerCount;
    m_headerBytes += m_field.size() + m_value.size() + 4;
    if (m_headerCount > m_limits.maxHeaderCount) {
        reject(431,
            QStringLiteral("the request has more than %1 header fields")
                .arg(m_limits.maxHeaderCount));
        return false;
    }
    if (!isToken(m_field)) {
        // e.g. "Content-Length : 5": RFC 9112 says reject, and a lenient reading smuggles.
        reject(400, QStringLiteral("invalid header field name"));
        return false;
    }
    QByteArray name = m_field.toLower();
    if (name == "host") {
        ++m_hostHeaders;
    } else if (name == "content-length") {
        ++m_contentLengthHeaders;
    } else if (name == "expect") {
        if (m_value.trimmed().compare("100-continue", Qt::CaseInsensitive) == 0) {
            m_expectContinue = true;
        } else {
            m_unknownExpectation = true;
        }
    } else if (name == "upgrade") {
        m_websocketUpgrade = m_value.trimmed().compare("websocket", Qt::CaseInsensitive) == 0;
    } else if (name == "x-request-id") {
        const QByteArray id = m_value.trimmed();
        if (isValidRequestId(id))
            m_request.requestId = id;
    }
    m_request.headers.append({std::move(name), m_value.trimmed()});
    m_field.clear();
    m_value.clear();
    m_inValue = false;
    return true;
}

// "METHOD SP request-target SP HTTP/1.x CRLF", exactly: http_parser as Debian builds it is
// lenient about the protocol name and line endings.
bool RequestFramer::requestLineIsStrict() const
{
    const qsizetype end = m_input.indexOf('\n');
    if (end < 1 || m_input.at(end - 1) != '\r')
        return false;
    const QByteArrayView line(m_input.constData(), end - 1);
    const qsizetype first = line.indexOf(' ');
    const qsizetype last = line.lastIndexOf(' ');
    if (first <= 0 || last <= first + 1)
        return false;
    const QByteArrayView version = line.sliced(last + 1);
    return (version == "HTTP/1.1" || version == "HTTP/1.0")
        && line.sliced(first + 1, last - first - 1).indexOf(' ') < 0;
}

bool RequestFramer::isUpgrade() const
{
    return m_parser->upgrade != 0;
}

QByteArray RequestFramer::takeInput()
{
    m_parsed = 0;
    return std::exchange(m_input, QByteArray());
}

void RequestFramer::release()
{
    const qsizetype messageBytes = m_parsed;
    if (m_spool) {
        if (m_spoolHash)
            m_spool->setSha256Hex(m_spoolHash->result().toHex());
        m_spoolHash.reset();
        m_request.spooled = std::move(m_spool);
    } else if (m_chunked) {
        m_request.body = std::exchange(m_chunkedBody, QByteArray());
    } else if (m_bodyBytes > 0 && messageBytes == m_input.size()) {
        m_request.body = std::exchange(m_input, QByteArray());
        m_request.body.remove(0, messageBytes - m_bodyBytes);
    } else if (m_bodyBytes > 0) {
        m_request.body = m_input.sliced(messageBytes - m_bodyBytes, m_bodyBytes);
    }
    m_input.remove(0, messageBytes);
    if (m_request.spooled && m_input.isEmpty())
        m_input = QByteArray(); // the read buffer a large body grew: not kept while idle
}

} // namespace Outpost::Server
