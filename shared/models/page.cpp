#include "page.h"

#include <optional>

namespace Outpost {

namespace {

// A query-string integer: optional '-' and ASCII digits only (no spaces, '+' or hex), so
// "10abc", " 5" and "" are rejected instead of being read as something else.
std::optional<qint64> parseInteger(const QString &text)
{
    const qsizetype digitsFrom = text.startsWith(u'-') ? 1 : 0;
    if (text.size() == digitsFrom)
        return std::nullopt;
    for (qsizetype i = digitsFrom; i < text.size(); ++i) {
        if (text.at(i) < u'0' || text.at(i) > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt; // overflow
}

} // namespace

Result<PageRequest> PageRequest::fromQuery(const QString &limit, const QString &skip, int maxLimit)
{
    PageRequest page;
    QList<FieldError> errors;
    if (!limit.isNull()) {
        const std::optional<qint64> value = parseInteger(limit);
        if (value && *value >= 1 && *value <= maxLimit) {
            page.limit = static_cast<int>(*value);
        } else {
            errors.append({QStringLiteral("limit"),
                QStringLiteral("must be an integer from 1 to %1").arg(maxLimit)});
        }
    }
    if (!skip.isNull()) {
        const std::optional<qint64> value = parseInteger(skip);
        if (value && *value >= 0) {
            page.skip = *value;
        } else {
            errors.append(
                {QStringLiteral("skip"), QStringLiteral("must be an integer of 0 or more")});
        }
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return page;
}

} // namespace Outpost
