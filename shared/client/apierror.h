#pragma once

#include "core/error.h"

#include <QList>
#include <QString>

namespace Outpost::Client {

struct ApiResponse;

// Why a typed call failed: the server's problem document (status, title, detail, field
// errors), an answer that did not fit the model, or no answer at all (status 0: network or
// TLS failure, cancelled). `code` names the failure in the domain's words, so callers test
// `code == ErrorCode::PreconditionFailed` rather than 412.
struct ApiError
{
    int status = 0; // the HTTP status; 0 when no answer came
    ErrorCode code = ErrorCode::Unavailable;
    QString title;  // the problem's title ("Not Found"), or the network error for status 0
    QString detail; // the problem's detail; may be empty
    QList<FieldError> fields;
    bool aborted = false; // cancelled by the caller

    // The error of a failed answer (not 2xx, or no answer).
    static ApiError fromResponse(const ApiResponse &response);
    // A 2xx answer whose body is not the model it should be (`error` from its fromJson).
    static ApiError unexpectedBody(const ApiResponse &response, const Error &error);
    // The domain code for an HTTP status (the inverse of the server's problem mapping).
    static ErrorCode codeFor(int status);

    // The messages for a field ("title" -> "must not be empty"), empty when none.
    QString fieldMessage(const QString &field) const;
    // "Title: detail", or the network error: readable, never empty.
    QString text() const;
};

} // namespace Outpost::Client
