#include "page.h"

#include "jsonfields.h"

#include <limits>
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

QUrlQuery PageRequest::toQuery() const
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    query.addQueryItem(QStringLiteral("skip"), QString::number(skip));
    return query;
}

namespace PageJson {

void readCounts(
    const QJsonObject &json, qint64 &total, int &limit, qint64 &skip, QList<FieldError> &errors)
{
    JsonFields::readIntegerField(json, QStringLiteral("total"), true, total, errors);
    qint64 wideLimit = limit;
    if (JsonFields::readIntegerField(json, QStringLiteral("limit"), true, wideLimit, errors))
        limit = int(qBound(qint64(0), wideLimit, qint64(std::numeric_limits<int>::max())));
    JsonFields::readIntegerField(json, QStringLiteral("skip"), true, skip, errors);
}

QJsonArray readItems(const QJsonObject &json, QList<FieldError> &errors)
{
    const QString key = QStringLiteral("items");
    const QJsonValue value = json.value(key);
    if (!value.isArray()) {
        errors.append({key,
            value.isUndefined() ? JsonFields::isRequired() : QStringLiteral("must be an array")});
    }
    return value.toArray();
}

std::optional<QJsonObject> itemObject(
    const QJsonArray &items, qsizetype index, QList<FieldError> &errors)
{
    const QJsonValue item = items.at(index);
    if (item.isObject())
        return item.toObject();
    errors.append({QStringLiteral("items[%1]").arg(index), QStringLiteral("must be an object")});
    return std::nullopt;
}

void appendItemErrors(qsizetype index, const Error &error, QList<FieldError> &errors)
{
    JsonFields::appendNested(QStringLiteral("items[%1]").arg(index), error.fields, errors);
}

} // namespace PageJson

} // namespace Outpost
