#include "apierror.h"

#include "apiresponse.h"

#include <QStringList>

namespace Outpost::Client {

ApiError ApiError::fromResponse(const ApiResponse &response)
{
    ApiError error;
    error.status = response.status;
    error.code = codeFor(response.status);
    error.aborted = response.aborted;
    if (response.status == 0) {
        error.title = response.networkError;
        return error;
    }
    error.title = response.problem.title;
    error.detail = response.problem.detail;
    error.fields = response.problem.fields;
    return error;
}

ApiError ApiError::unexpectedBody(const ApiResponse &response, const Error &error)
{
    ApiError result;
    result.status = response.status;
    result.code = ErrorCode::Internal;
    result.title = QStringLiteral("Unexpected answer");
    result.detail = error.detail;
    result.fields = error.fields;
    return result;
}

ErrorCode ApiError::codeFor(int status)
{
    switch (status) {
    case 400:
        return ErrorCode::BadRequest;
    case 401:
        return ErrorCode::Unauthorized;
    case 403:
        return ErrorCode::Forbidden;
    case 404:
        return ErrorCode::NotFound;
    case 409:
        return ErrorCode::Conflict;
    case 412:
        return ErrorCode::PreconditionFailed;
    case 413:
        return ErrorCode::PayloadTooLarge;
    case 422:
        return ErrorCode::Validation;
    case 429:
        return ErrorCode::RateLimited;
    case 507:
        return ErrorCode::InsufficientStorage;
    case 0:
    case 502:
    case 503:
    case 504:
        return ErrorCode::Unavailable;
    default:
        return status >= 400 && status < 500 ? ErrorCode::BadRequest : ErrorCode::Internal;
    }
}

QString ApiError::fieldMessage(const QString &field) const
{
    QStringList messages;
    for (const FieldError &error : fields) {
        if (error.field == field)
            messages.append(error.message);
    }
    return messages.join(QStringLiteral("; "));
}

QString ApiError::text() const
{
    if (status == 0)
        return title.isEmpty() ? QStringLiteral("no answer from the server") : title;
    const QString heading = title.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : title;
    return detail.isEmpty() ? heading : QString(heading % QStringLiteral(": ") % detail);
}

} // namespace Outpost::Client
