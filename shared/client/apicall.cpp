#include "apicall.h"

#include "apiclient.h"

#include <QNetworkReply>

namespace Outpost::Client {

ApiCall::ApiCall(ApiClient *client)
    : QObject(client)
    , m_client(client)
{ }

void ApiCall::abort()
{
    if (m_finished)
        return;
    m_aborted = true;
    if (m_reply) {
        m_reply->abort(); // finished() of the reply follows and reports the abort
        return;
    }
    ApiResponse response;
    response.aborted = true;
    response.networkError = tr("Cancelled");
    finish(response);
}

void ApiCall::attach(QNetworkReply *reply)
{
    m_reply = reply;
    connect(reply, &QNetworkReply::uploadProgress, this, &ApiCall::uploadProgress);
    connect(reply, &QNetworkReply::downloadProgress, this, &ApiCall::downloadProgress);
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 0)
            Q_EMIT headersReceived(status, reply->rawHeaderPairs());
    });
    if (m_sink) {
        connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status >= 200 && status < 300)
                m_sink->write(reply->readAll());
        });
    }
}

void ApiCall::finish(const ApiResponse &response)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(response);
    deleteLater();
}

} // namespace Outpost::Client
