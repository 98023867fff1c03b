#pragma once

#include "apiresponse.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>

class QIODevice;
class QNetworkReply;

namespace Outpost::Client {

class ApiClient;

// One request in flight. Emits finished() exactly once (also when aborted) and then deletes
// itself; connect with a context object so a closed view never receives an answer.
class ApiCall final : public QObject
{
    Q_OBJECT

public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // Cancels the request; finished() follows with aborted set.
    void abort();
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void finished(const Outpost::Client::ApiResponse &response);
    void uploadProgress(qint64 sent, qint64 total);
    void downloadProgress(qint64 received, qint64 total);
    // The status and headers of the answer, before any of its body (a resumed download checks
    // its Content-Range and ETag here, and may abort()).
    void headersReceived(int status, const Outpost::Client::ApiCall::Headers &headers);

private:
    friend class ApiClient;
    explicit ApiCall(ApiClient *client);

    void attach(QNetworkReply *reply);
    void finish(const ApiResponse &response);

    ApiClient *m_client = nullptr;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_method;
    QUrl m_url;
    QByteArray m_body;
    QIODevice *m_device = nullptr; // streamed body (not retried)
    Headers m_headers;
    QIODevice *m_sink = nullptr; // download target; null: keep the body in memory
    bool m_authenticated = true;
    bool m_retried = false;
    bool m_finished = false;
    bool m_aborted = false;
    QElapsedTimer m_clock;
};

} // namespace Outpost::Client
