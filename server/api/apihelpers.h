#pragma once

#include "core/result.h"
#include "http/problem.h"
#include "http/request.h"
#include "models/page.h"
#include "services/userservice.h"

#include <QJsonObject>

namespace Outpost::Server::Api {

// The request body as a JSON object: BadRequest (400) for malformed JSON or another type.
Result<QJsonObject> jsonBody(const Request &request);
// A positive integer path parameter; Validation (422) otherwise.
Result<qint64> idParam(const Request &request, const QString &name = QStringLiteral("id"));
// limit/skip from the query string (absent: defaults); Validation (422) when out of range.
Result<PageRequest> pageOf(const Request &request);
// Who is asking: principal, address, and whether the request came straight from this
// machine (loopback peer and no proxy forwarding headers).
Caller callerOf(const Request &request);

inline HttpResponse problem(const Error &error, const Request &request)
{
    return Problem::fromError(error, request.path());
}

inline HttpResponse ok(const QJsonObject &body)
{
    return HttpResponse::json(200, body);
}

inline HttpResponse created(const QJsonObject &body, const QString &location)
{
    return HttpResponse::json(201, body).withHeader(
        QByteArrayLiteral("Location"), location.toUtf8());
}

// 200 with the value's JSON, or the error as a problem.
template<typename T> HttpResponse respond(const Result<T> &result, const Request &request)
{
    return result ? ok(result->toJson()) : problem(result.error(), request);
}

inline HttpResponse respondNoContent(const Status &status, const Request &request)
{
    return status ? HttpResponse::noContent() : problem(status.error(), request);
}

} // namespace Outpost::Server::Api
