#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Outpost::Client {

// An RFC 9457 problem document as the server sends it (title, detail, field errors).
struct ApiProblem
{
    int status = 0;
    QString title;
    QString detail;
    QList<FieldError> fields;

    static ApiProblem fromJson(const QJsonObject &json);
};

// One finished request: an HTTP answer, or a network failure (status 0).
struct ApiResponse
{
    int status = 0; // 0: no HTTP answer (connection refused, TLS failure, aborted, ...)
    QByteArray body;
    QByteArray contentType;
    QByteArray etag;
    QString networkError; // set when status is 0
    bool aborted = false; // cancelled by the caller
    ApiProblem problem;   // for 4xx/5xx answers with a problem body
    qint64 elapsedMs = 0;

    bool ok() const { return status >= 200 && status < 300; }
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QJsonObject object() const { return json().object(); }
    // "Title: detail" for an error answer, or the network error: readable, never empty on failure.
    QString errorText() const;
};

} // namespace Outpost::Client
