#include "searchresource.h"

#include "apiclient.h"

namespace Outpost::Client {

namespace {

// A hit as sent: {"kind", "id" | "file_path", "title", "snippet", "score"}, every field error
// collected (SearchHit itself only writes JSON: the server's model).
struct SentHit
{
    SearchHit hit;

    static Result<SentHit> fromJson(const QJsonObject &json)
    {
        SentHit sent;
        QList<FieldError> errors;
        const auto text = [&json, &errors](const QString &key, QString &out) {
            const QJsonValue value = json.value(key);
            if (value.isString())
                out = value.toString();
            else
                errors.append({key, QStringLiteral("must be a string")});
        };
        text(QStringLiteral("kind"), sent.hit.kind);
        if (sent.hit.kind == u"file") {
            text(QStringLiteral("file_path"), sent.hit.filePath);
        } else {
            const QJsonValue id = json.value(QStringLiteral("id"));
            if (id.isDouble() && id.toInteger(-1) > 0)
                sent.hit.id = id.toInteger();
            else
                errors.append({QStringLiteral("id"), QStringLiteral("must be a positive integer")});
        }
        text(QStringLiteral("title"), sent.hit.title);
        text(QStringLiteral("snippet"), sent.hit.snippet);
        const QJsonValue score = json.value(QStringLiteral("score"));
        if (score.isDouble())
            sent.hit.score = score.toDouble();
        else
            errors.append({QStringLiteral("score"), QStringLiteral("must be a number")});
        if (!errors.isEmpty())
            return fail(Error::validation(errors));
        return sent;
    }
};

ApiResult<Page<SearchHit>> decodeHits(const ApiResponse &response)
{
    ApiResult<Page<SentHit>> sent = Decode::json<Page<SentHit>>(response);
    if (!sent)
        return tl::unexpected<ApiError>(sent.error());
    Page<SearchHit> page;
    page.total = sent->total;
    page.limit = sent->limit;
    page.skip = sent->skip;
    page.items.reserve(sent->items.size());
    for (SentHit &item : sent->items)
        page.items.append(std::move(item.hit));
    return page;
}

} // namespace

Reply<Page<SearchHit>> SearchResource::search(const QString &text, const PageRequest &page) const
{
    QUrlQuery query = page.toQuery();
    query.addQueryItem(QStringLiteral("q"), text);
    return {m_client->get(QStringLiteral("/v1/search"), query), &decodeHits};
}

} // namespace Outpost::Client
