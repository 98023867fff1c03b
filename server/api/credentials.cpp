#include "credentials.h"

#include "apihelpers.h"

#include <QUrlQuery>

namespace Outpost::Server::Api {

Result<Credentials> credentialsOf(const Request &request)
{
    const QByteArray type = request.header(QByteArrayLiteral("content-type")).toLower();
    Credentials credentials;
    QList<FieldError> errors;
    if (type.startsWith("application/x-www-form-urlencoded")) {
        QByteArray body = request.body();
        body.replace('+', ' ');
        const QUrlQuery form(QString::fromUtf8(body));
        credentials.email = form.queryItemValue(QStringLiteral("username"), QUrl::FullyDecoded);
        credentials.password = form.queryItemValue(QStringLiteral("password"), QUrl::FullyDecoded);
        if (credentials.email.isEmpty())
            errors.append({QStringLiteral("username"), QStringLiteral("is required")});
    } else if (type.startsWith("application/json")) {
        auto body = jsonBody(request);
        if (!body)
            return fail(body.error());
        const QJsonValue email = body->value(QStringLiteral("email"));
        const QJsonValue password = body->value(QStringLiteral("password"));
        if (!email.isString() || email.toString().isEmpty())
            errors.append({QStringLiteral("email"), QStringLiteral("is required")});
        if (!password.isString())
            errors.append({QStringLiteral("password"), QStringLiteral("is required")});
        credentials.email = email.toString();
        credentials.password = password.toString();
    } else {
        Error error {ErrorCode::Validation,
            QStringLiteral("send application/x-www-form-urlencoded (username, password) "
                           "or application/json (email, password)"),
            {}};
        error.fields.append({QStringLiteral("Content-Type"), QStringLiteral("is not supported")});
        return fail(error);
    }
    if (credentials.password.isEmpty() && errors.isEmpty())
        errors.append({QStringLiteral("password"), QStringLiteral("is required")});
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return credentials;
}

} // namespace Outpost::Server::Api
