#include "fakemediawiki.h"

#include <QFile>
#include <QTcpSocket>

namespace Outpost::Test {

namespace {

QByteArray fixture(const char *name)
{
    QFile file(qEnvironmentVariable("OUTPOST_SOURCE_DIR")
        + QStringLiteral("/tests/fixtures/mediawiki/") + QString::fromLatin1(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray response(
    int status, const QByteArray &reason, const QByteArray &headers, const QByteArray &body = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n" + headers
        + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"
        + body;
}

} // namespace

FakeMediaWiki::FakeMediaWiki() = default;
FakeMediaWiki::~FakeMediaWiki() = default;

bool FakeMediaWiki::start()
{
    m_summary = fixture("summary-Tokyo.json");
    m_notFound = fixture("not-found.json");
    if (m_summary.isEmpty() || m_notFound.isEmpty())
        return false; // OUTPOST_SOURCE_DIR unset, or the fixtures are missing
    QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(&m_server); // a Silent connection stays open until the fake ends
            QObject::connect(
                socket, &QTcpSocket::readyRead, socket, [this, socket] { serve(socket); });
        }
    });
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString FakeMediaWiki::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/api/rest_v1").arg(m_server.serverPort());
}

void FakeMediaWiki::serve(QTcpSocket *socket)
{
    // One GET per connection, without a body: wait for the whole header block.
    const QByteArray request = socket->property("request").toByteArray() + socket->readAll();
    socket->setProperty("request", request);
    const qsizetype end = request.indexOf("\r\n\r\n");
    if (end < 0 || socket->property("seen").toBool())
        return;
    socket->setProperty("seen", true);

    const QList<QByteArray> lines = request.left(end).split('\n');
    Call call;
    call.target = lines.value(0).split(' ').value(1);
    for (const QByteArray &line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "if-none-match")
            call.ifNoneMatch = line.mid(colon + 1).trimmed();
    }

    QByteArray answer;
    if (m_mode == Mode::Silent) {
        m_calls.append(call); // never answered: the server must give up by itself
        return;
    }
    if (m_mode == Mode::Failing) {
        call.status = 503;
        answer = response(503, "Service Unavailable", "Content-Type: text/plain\r\n",
            "the fake wiki fails on purpose");
    } else if (call.target == "/api/rest_v1/page/summary/Tokyo") {
        const QByteArray etag = "ETag: " + QByteArray(kTokyoEtag) + "\r\n";
        if (call.ifNoneMatch == kTokyoEtag) {
            call.status = 304;
            answer = response(304, "Not Modified", etag);
        } else {
            call.status = 200;
            answer = response(
                200, "OK", "Content-Type: application/json; charset=utf-8\r\n" + etag, m_summary);
        }
    } else {
        call.status = 404;
        answer =
            response(404, "Not Found", "Content-Type: application/problem+json\r\n", m_notFound);
    }
    m_calls.append(call);
    socket->write(answer);
    socket->disconnectFromHost();
}

} // namespace Outpost::Test
