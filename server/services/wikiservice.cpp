#include "wikiservice.h"

#include "outgoinghttp.h"

#include "keyphrases.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

#include <optional>

Q_LOGGING_CATEGORY(lcWiki, "outpost.wiki", QtInfoMsg)

namespace Outpost::Server {

namespace {

// Summaries are small (a few KiB); anything far larger is not one.
constexpr qint64 kMaxSummaryBytes = qint64(1024) * 1024;
// Distinct titles kept; past it the cache starts over (a lookup is one request to refill).
constexpr qsizetype kMaxCached = 1000;
constexpr int kMaxPhrases = 10;

Error wikiFailed(const QString &why)
{
    qCWarning(lcWiki).noquote() << "wiki lookup failed:" << why;
    return Error::badGateway(QStringLiteral("the wiki failed: %1").arg(why));
}

} // namespace

// An answer without a title or an extract is not a summary.
Result<WikiSummary> WikiService::parseSummary(const QByteArray &body)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return fail(wikiFailed(QStringLiteral("the summary is not a JSON object")));
    const QJsonObject json = document.object();
    WikiSummary summary;
    summary.title = json.value(QStringLiteral("titles"))
                        .toObject()
                        .value(QStringLiteral("normalized"))
                        .toString(json.value(QStringLiteral("title")).toString());
    const QJsonValue extract = json.value(QStringLiteral("extract"));
    if (summary.title.isEmpty() || !extract.isString())
        return fail(wikiFailed(QStringLiteral("the summary has no title or extract")));
    summary.summary = extract.toString();
    summary.url = json.value(QStringLiteral("content_urls"))
                      .toObject()
                      .value(QStringLiteral("desktop"))
                      .toObject()
                      .value(QStringLiteral("page"))
                      .toString();
    summary.phrases = KeyPhrases::extract(summary.title, summary.summary, kMaxPhrases);
    return summary;
}

QJsonObject WikiSummary::toJson() const
{
    return {{QStringLiteral("title"), title}, {QStringLiteral("summary"), summary},
        {QStringLiteral("url"), url},
        {QStringLiteral("phrases"), QJsonArray::fromStringList(phrases)}};
}

WikiService::WikiService(QString baseUrl, int timeoutMs)
    : m_baseUrl(std::move(baseUrl))
    , m_timeoutMs(timeoutMs)
{ }

Result<WikiSummary> WikiService::lookup(const QString &title) const
{
    if (!isEnabled()) {
        return fail(Error::notFound(
            QStringLiteral("the wiki lookup is off on this server (OUTPOST_WIKI_URL=off)")));
    }
    const QString trimmed = title.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 255) {
        return fail(Error::validation(
            QStringLiteral("title"), QStringLiteral("must be 1 to 255 characters")));
    }
    // MediaWiki titles use underscores for spaces; the title is one path segment.
    QString key = trimmed;
    key.replace(QLatin1Char(' '), QLatin1Char('_'));

    std::optional<Cached> cached;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_cache.constFind(key);
        if (it != m_cache.constEnd())
            cached = *it;
    }

    // One path segment: a '/' in a title ("AC/DC") is %2F, as the REST API expects.
    const QUrl url = QUrl::fromEncoded(
        m_baseUrl.toUtf8() + "/page/summary/" + QUrl::toPercentEncoding(key), QUrl::StrictMode);
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json");
    // Wikimedia asks API clients to name themselves.
    request.setRawHeader("User-Agent", "outpost-server (wiki lookup)");
    if (cached)
        request.setRawHeader("If-None-Match", cached->etag);

    QNetworkReply *reply = startOutgoing(threadNetwork(), request, nullptr);
    QByteArray body;
    const bool tooLarge = readBoundedReply(reply, kMaxSummaryBytes, body);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString errorText = reply->errorString();
    const QByteArray etag = reply->rawHeader("ETag");
    reply->deleteLater();

    if (tooLarge)
        return fail(wikiFailed(QStringLiteral("the summary is larger than 1 MiB")));
    if (networkError == QNetworkReply::OperationCanceledError
        || networkError == QNetworkReply::TimeoutError) {
        qCWarning(lcWiki).noquote() << "wiki lookup timed out after" << m_timeoutMs << "ms";
        return fail(Error::gatewayTimeout(
            QStringLiteral("the wiki did not answer within %1 s").arg(m_timeoutMs / 1000.0)));
    }
    if (status == 304 && cached)
        return cached->summary;
    if (status == 404) {
        {
            QMutexLocker lock(&m_mutex);
            m_cache.remove(key);
        }
        return fail(Error::notFound(QStringLiteral("the wiki has no page %1").arg(trimmed)));
    }
    if (status != 200) {
        return fail(wikiFailed(
            status == 0 ? errorText : QStringLiteral("it answered HTTP %1").arg(status)));
    }
    Result<WikiSummary> summary = parseSummary(body);
    if (summary && !etag.isEmpty()) {
        QMutexLocker lock(&m_mutex);
        if (m_cache.size() >= kMaxCached)
            m_cache.clear();
        m_cache.insert(key, Cached {etag, *summary});
    }
    return summary;
}

} // namespace Outpost::Server
