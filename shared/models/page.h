#pragma once

#include "core/jsonwriter.h"
#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace Outpost {

// limit/skip from a query string. Out-of-range values are a Validation error, never clamped.
struct PageRequest
{
    int limit = 10;  // 1..100
    qint64 skip = 0; // >= 0

    // Null strings mean "absent" (defaults); anything else must parse and be in range.
    static Result<PageRequest> fromQuery(
        const QString &limit, const QString &skip, int maxLimit = 100);
};

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
