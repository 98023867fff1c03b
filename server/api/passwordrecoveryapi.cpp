#include "passwordrecoveryapi.h"

#include "apihelpers.h"
#include "core/tsanhandoff.h"
#include "http/router.h"
#include "models/user.h"
#include "services/passwordrecoveryservice.h"
#include "services/servercontext.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QThreadPool>

Q_LOGGING_CATEGORY(lcRecovery, "outpost.auth.recovery", QtInfoMsg)

namespace Outpost::Server {

using namespace Api;

namespace {

const QString kEmail = QStringLiteral("email");
const QString kToken = QStringLiteral("token");
const QString kNewPassword = QStringLiteral("new_password");

// {"email": "..."}
struct RecoveryRequest
{
    QString email;

    static Result<RecoveryRequest> fromJson(const QJsonObject &json)
    {
        const QJsonValue email = json.value(kEmail);
        if (!email.isString() || email.toString().trimmed().isEmpty())
            return fail(Error::validation(kEmail, QStringLiteral("is required")));
        if (const auto problem = UserRules::emailProblem(email.toString().trimmed()))
            return fail(Error::validation(kEmail, *problem));
        return RecoveryRequest {email.toString()};
    }
};

// {"token": "...", "new_password": "..."}
struct ResetRequest
{
    QByteArray token;
    QString newPassword;

    static Result<ResetRequest> fromJson(const QJsonObject &json)
    {
        QList<FieldError> errors;
        const QJsonValue token = json.value(kToken);
        const QJsonValue password = json.value(kNewPassword);
        if (!token.isString() || token.toString().isEmpty() || token.toString().size() > 200)
            errors.append({kToken, QStringLiteral("is required")});
        if (!password.isString())
            errors.append({kNewPassword, QStringLiteral("is required")});
        if (!errors.isEmpty())
            return fail(Error::validation(errors));
        return ResetRequest {token.toString().toUtf8(), password.toString()};
    }
};

Error notConfigured()
{
    return Error::notFound(
        QStringLiteral("password recovery by e-mail is not available: this server sends no e-mail "
                       "(OUTPOST_SMTP_URL is not set)"));
}

} // namespace

void PasswordRecoveryApi::registerRoutes(Router &router, const ServerContext &context)
{
    PasswordRecoveryService &recovery = *context.passwordRecovery;
    QThreadPool &pool = *context.slowPool;

    router.addSchema(QStringLiteral("PasswordRecoveryRequest"), R"json({
        "type": "object", "required": ["email"],
        "properties": {"email": {"type": "string", "format": "email"}}})json");
    router.addSchema(QStringLiteral("PasswordReset"), R"json({
        "type": "object", "required": ["token", "new_password"],
        "properties": {"token": {"type": "string", "description": "From the recovery e-mail"},
                       "new_password": {"type": "string", "minLength": 8, "maxLength": 128}}})json");

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/password-recovery"),
        .access = Access::Public,
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("Ask for a password reset e-mail"),
        .openapi = R"json({
            "operationId": "requestPasswordRecovery",
            "description": "Mails a single-use reset token, valid for one hour, to the address when it belongs to an enabled account. The answer is 202 with an empty body whether it does or not, and comes before any lookup, so neither it nor its timing tells whether an account exists. Only on servers with OUTPOST_SMTP_URL; rate-limited like sign-in.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PasswordRecoveryRequest"}}}},
            "responses": {
                "202": {"description": "Accepted: a mail goes out if the address has an account"},
                "400": {"description": "Malformed JSON", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "404": {"description": "This server sends no e-mail (no OUTPOST_SMTP_URL)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "422": {"description": "email missing or not an address", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "429": {"description": "Too many requests", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}})json",
        .handler =
            handle([&recovery, &pool](Request &request, const RecoveryRequest &body) -> Reply {
                if (!recovery.enabled())
                    return fail(notConfigured());
                // Answered now; the lookup, the token and the mail happen after, on the slow pool.
                pool.start(TsanHandOff::handOver(
                    [&recovery, email = body.email, address = request.peer().toString()] {
                        const Status done =
                            recovery.request(email, address, QDateTime::currentDateTimeUtc());
                        if (!done)
                            qCWarning(lcRecovery).noquote()
                                << "password recovery:" << done.error().detail;
                    }));
                return HttpResponse {202, {}, {}, {}};
            }),
        .expensive = true,
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/reset-password"),
        .access = Access::Public,
        .tag = QStringLiteral("Sessions"),
        .summary = QStringLiteral("Set a new password with a reset token"),
        .openapi = R"json({
            "operationId": "resetPassword",
            "description": "Sets the password of the account the token was mailed for, uses the token up (and any other reset token of that account), and ends every session of the account: refresh tokens are revoked and access tokens stop working. Same password rules as registration.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PasswordReset"}}}},
            "responses": {
                "204": {"description": "Password set; sign in again"},
                "400": {"description": "Malformed JSON", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "404": {"description": "This server sends no e-mail (no OUTPOST_SMTP_URL)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "422": {"description": "Unknown, used or expired token, or a password the rules refuse", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "429": {"description": "Too many requests", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}})json",
        .handler = handle([&recovery, &pool](Request &request, const ResetRequest &body) -> Reply {
            if (!recovery.enabled())
                return fail(notConfigured());
            return offThread(
                pool, request, [&recovery, body, address = request.peer().toString()]() -> Reply {
                    return noContent(recovery.reset(
                        body.token, body.newPassword, address, QDateTime::currentDateTimeUtc()));
                });
        }),
        .expensive = true,
    });
}

} // namespace Outpost::Server
