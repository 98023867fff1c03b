#include "error.h"

namespace Outpost {

Error Error::validation(QList<FieldError> fields, const QString &detail)
{
    Error e {ErrorCode::Validation, detail, std::move(fields)};
    if (e.detail.isEmpty()) {
        e.detail = e.fields.size() == 1
            ? e.fields.first().field + QStringLiteral(": ") + e.fields.first().message
            : QStringLiteral("%1 fields are invalid").arg(e.fields.size());
    }
    return e;
}

Error Error::validation(const QString &field, const QString &message)
{
    return validation(QList<FieldError> {{field, message}});
}

} // namespace Outpost
