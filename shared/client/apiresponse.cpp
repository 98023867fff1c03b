#include "apiresponse.h"

#include "apierror.h"

#include <QJsonArray>

namespace Outpost::Client {

ApiProblem ApiProblem::fromJson(const QJsonObject &json)
{
    ApiProblem problem;
    problem.status = json.value(QStringLiteral("status")).toInt();
    problem.title = json.value(QStringLiteral("title")).toString();
    problem.detail = json.value(QStringLiteral("detail")).toString();
    const QJsonArray errors = json.value(QStringLiteral("errors")).toArray();
    for (const auto &value : errors) {
        const QJsonObject error = value.toObject();
        problem.fields.append({error.value(QStringLiteral("field")).toString(),
            error.value(QStringLiteral("message")).toString()});
    }
    return problem;
}

QString ApiResponse::errorText() const
{
    return ok() ? QString() : ApiError::fromResponse(*this).text();
}

} // namespace Outpost::Client
