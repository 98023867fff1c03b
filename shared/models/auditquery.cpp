#include "auditquery.h"

namespace Outpost {

Result<AuditQuery> AuditQuery::fromQuery(
    const QString &limit, const QString &skip, const QString &userId)
{
    AuditQuery query;
    QList<FieldError> errors;
    if (Result<PageRequest> page = PageRequest::fromQuery(limit, skip))
        query.page = *page;
    else
        errors.append(page.error().fields);
    if (!userId.isNull()) {
        // ASCII digits only: " 5", "+5" and "5x" are not an id.
        bool ok = !userId.isEmpty();
        for (const QChar c : userId)
            ok = ok && c >= u'0' && c <= u'9';
        const qint64 id = ok ? userId.toLongLong(&ok) : 0;
        if (ok && id > 0)
            query.userId = id;
        else
            errors.append(
                {QStringLiteral("user_id"), QStringLiteral("must be a positive integer")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return query;
}

QUrlQuery AuditQuery::toQuery() const
{
    QUrlQuery query = page.toQuery();
    if (userId > 0)
        query.addQueryItem(QStringLiteral("user_id"), QString::number(userId));
    return query;
}

} // namespace Outpost
