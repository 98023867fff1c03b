#include "problem.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Outpost::Server {

int Problem::statusFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest:
        return 400;
    case ErrorCode::Validation:
        return 422;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::Forbidden:
        return 403;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::PreconditionFailed:
        return 412;
    case ErrorCode::PayloadTooLarge:
        return 413;
    case ErrorCode::RateLimited:
        return 429;
    case ErrorCode::InsufficientStorage:
        return 507;
    case ErrorCode::Unavailable:
        return 503;
    case ErrorCode::BadGateway:
        return 502;
    case ErrorCode::GatewayTimeout:
        return 504;
    case ErrorCode::Internal:
        return 500;
    }
    return 500;
}

HttpResponse Problem::make(
    int status, const QString &detail, const QString &instance, const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("type"), QStringLiteral("about:blank"));
    body.insert(QStringLiteral("title"), QString::fromLatin1(reasonPhrase(status)));
    body.insert(QStringLiteral("status"), status);
    if (!detail.isEmpty())
        body.insert(QStringLiteral("detail"), detail);
    if (!instance.isEmpty())
        body.insert(QStringLiteral("instance"), instance);
    HttpResponse response {status, QByteArrayLiteral("application/problem+json"),
        QJsonDocument(body).toJson(QJsonDocument::Compact), {}};
    if (status == 401)
        response.withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer"));
    return response;
}

HttpResponse Problem::fromError(const Error &error, const QString &instance)
{
    QJsonObject extra;
    if (!error.fields.isEmpty()) {
        QJsonArray errors;
        for (const FieldError &field : error.fields) {
            errors.append(QJsonObject {{QStringLiteral("field"), field.field},
                {QStringLiteral("message"), field.message}});
        }
        extra.insert(QStringLiteral("errors"), errors);
    }
    HttpResponse response = make(statusFor(error.code), error.detail, instance, extra);
    if (error.code == ErrorCode::RateLimited && error.retryAfterSeconds > 0)
        response.withHeader(
            QByteArrayLiteral("Retry-After"), QByteArray::number(error.retryAfterSeconds));
    return response;
}

} // namespace Outpost::Server
