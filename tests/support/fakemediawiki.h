#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTcpServer>

#include <memory>

class QTcpSocket;

namespace Outpost::Test {

// A local stand-in for a MediaWiki REST API's page/summary endpoint (Wikimedia's rest_v1), on
// 127.0.0.1 and a free port, in the test's own thread. It answers with the real responses
// recorded in tests/fixtures/mediawiki/ (see SOURCE there): the Tokyo summary with an ETag,
// 304 to an If-None-Match naming that ETag, and the wiki's 404 for any other title. It can
// also fail (503) or never answer (to test timeouts), and records every request.
class FakeMediaWiki
{
public:
    // The ETag the summary goes with: RESTBase's "{revision}/{tid}" of the recorded response.
    static constexpr const char *kTokyoEtag = "\"871928272/present\"";

    enum class Mode { Normal, Failing, Silent };

    FakeMediaWiki();
    ~FakeMediaWiki();

    bool start();
    QString baseUrl() const; // "http://127.0.0.1:PORT/api/rest_v1"
    void setMode(Mode mode) { m_mode = mode; }

    struct Call
    {
        QByteArray target;      // "/api/rest_v1/page/summary/Tokyo"
        QByteArray ifNoneMatch; // empty when not sent
        int status = 0;         // what the fake answered; 0: nothing (Silent)
    };
    const QList<Call> &calls() const { return m_calls; }

private:
    void serve(QTcpSocket *socket);

    QTcpServer m_server;
    Mode m_mode = Mode::Normal;
    QList<Call> m_calls;
    QByteArray m_summary;
    QByteArray m_notFound;
};

} // namespace Outpost::Test
