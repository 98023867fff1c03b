#pragma once

#include "core/jsonwriter.h"
#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QUrlQuery>

#include <optional>

namespace Outpost {

// limit/skip from a query string. Out-of-range values are a Validation error, never clamped.
struct PageRequest
{
    int limit = 10;  // 1..100
    qint64 skip = 0; // >= 0

    // Null strings mean "absent" (defaults); anything else must parse and be in range.
    static Result<PageRequest> fromQuery(
        const QString &limit, const QString &skip, int maxLimit = 100);
    // The same as query items, for clients: limit=L&skip=S.
    QUrlQuery toQuery() const;
};

namespace PageJson {
// The envelope's members besides "items" (total, limit, skip), for Page<T>::fromJson.
void readCounts(
    const QJsonObject &json, qint64 &total, int &limit, qint64 &skip, QList<FieldError> &errors);
// The "items" array; an error when it is missing or not an array.
QJsonArray readItems(const QJsonObject &json, QList<FieldError> &errors);
// The item at `index` as an object; an error named "items[<index>]" when it is not one.
std::optional<QJsonObject> itemObject(
    const QJsonArray &items, qsizetype index, QList<FieldError> &errors);
// An item's field errors, renamed "items[<index>].<field>".
void appendItemErrors(qsizetype index, const Error &error, QList<FieldError> &errors);
} // namespace PageJson

// {"items": [...], "total": N, "limit": L, "skip": S}
template<typename T> struct Page
{
    QList<T> items;
    qint64 total = 0;
    int limit = 10;
    qint64 skip = 0;

    // For items with writeJson(JsonWriter &): the envelope as bytes, written once.
    QByteArray toJsonBytes() const
    {
        QByteArray out;
        out.reserve(256 + items.size() * 512);
        JsonWriter w(out);
        w.beginObject().key("items").beginArray();
        for (const T &item : items)
            item.writeJson(w);
        w.endArray();
        w.key("limit").value(limit).key("skip").value(skip).key("total").value(total);
        w.endObject();
        return out;
    }

    // For clients, with items that have fromJson: every item's field errors are collected,
    // named after their place ("items[3].title").
    static Result<Page<T>> fromJson(const QJsonObject &json)
    {
        Page<T> page;
        QList<FieldError> errors;
        const QJsonArray items = PageJson::readItems(json, errors);
        page.items.reserve(items.size());
        for (qsizetype i = 0; i < items.size(); ++i) {
            const std::optional<QJsonObject> object = PageJson::itemObject(items, i, errors);
            if (!object)
                continue;
            Result<T> item = T::fromJson(*object);
            if (!item) {
                PageJson::appendItemErrors(i, item.error(), errors);
                continue;
            }
            page.items.append(std::move(*item));
        }
        PageJson::readCounts(json, page.total, page.limit, page.skip, errors);
        if (!errors.isEmpty())
            return fail(Error::validation(errors));
        return page;
    }

    QJsonObject toJson() const
    {
        QJsonArray array;
        for (const T &item : items)
            array.append(item.toJson());
        return {{QStringLiteral("items"), array}, {QStringLiteral("total"), total},
            {QStringLiteral("limit"), limit}, {QStringLiteral("skip"), skip}};
    }
};

} // namespace Outpost
