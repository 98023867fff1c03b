#pragma once

#include <QList>
#include <QString>

namespace Outpost {

// What went wrong, in domain terms. Only server/http/problem.cpp turns a code into an
// HTTP status; everything below the API layer speaks in these.
enum class ErrorCode {
    BadRequest,   // malformed input (bad JSON, bad encoding)
    Validation,   // well-formed but invalid values; carries field errors
    Unauthorized, // missing, invalid or expired credentials
    Forbidden,    // authenticated but not allowed
    NotFound,
    Conflict,           // duplicate or already-done
    PreconditionFailed, // stale If-Match
    PayloadTooLarge,
    RateLimited,
    InsufficientStorage, // quota exceeded
    Unavailable,         // a dependency (database, store, upstream) is down
    BadGateway,          // an upstream service answered with an error or nonsense
    GatewayTimeout,      // an upstream service did not answer in time
    Internal,
};

struct FieldError
{
    QString field;
    QString message;
    friend bool operator==(const FieldError &, const FieldError &) = default;
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString detail;            // human text for the client: never SQL, paths or stack traces
    QList<FieldError> fields;  // for Validation
    int retryAfterSeconds = 0; // for RateLimited

    static Error badRequest(const QString &detail) { return {ErrorCode::BadRequest, detail, {}}; }
    static Error validation(QList<FieldError> fields, const QString &detail = {});
    static Error validation(const QString &field, const QString &message);
    static Error unauthorized(const QString &detail)
    {
        return {ErrorCode::Unauthorized, detail, {}};
    }
    static Error forbidden(const QString &detail) { return {ErrorCode::Forbidden, detail, {}}; }
    static Error notFound(const QString &detail) { return {ErrorCode::NotFound, detail, {}}; }
    static Error conflict(const QString &detail) { return {ErrorCode::Conflict, detail, {}}; }
    static Error unavailable(const QString &detail) { return {ErrorCode::Unavailable, detail, {}}; }
    static Error badGateway(const QString &detail) { return {ErrorCode::BadGateway, detail, {}}; }
    static Error gatewayTimeout(const QString &detail)
    {
        return {ErrorCode::GatewayTimeout, detail, {}};
    }
    static Error internal(const QString &detail) { return {ErrorCode::Internal, detail, {}}; }
};

} // namespace Outpost
