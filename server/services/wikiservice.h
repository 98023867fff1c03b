#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QStringList>

namespace Outpost::Server {

// A page summary from a wiki, with the key phrases of its extract.
struct WikiSummary
{
    QString title;   // the wiki's normalized title
    QString summary; // the extract: the first sentences, plain text
    QString url;     // the page for people
    QStringList phrases;

    QJsonObject toJson() const;
};

// Page summaries from a MediaWiki REST API (Wikimedia's rest_v1: GET page/summary/{title}), as
// the first service's /wiki/{name} looked pages up. Every summary is kept with its ETag and
// revalidated with If-None-Match, so an unchanged page costs the wiki a 304. Blocking, with a
// QNetworkAccessManager per thread: call from worker threads. Thread-safe.
class WikiService
{
public:
    // baseUrl without a trailing slash; empty: lookups are off.
    WikiService(QString baseUrl, int timeoutMs);

    bool isEnabled() const { return !m_baseUrl.isEmpty(); }
    // NotFound for a missing page (or lookups off), BadGateway when the wiki fails or answers
    // nonsense, GatewayTimeout when it does not answer within the timeout.
    Result<WikiSummary> lookup(const QString &title) const;

    // The fields of a page/summary answer (https://www.mediawiki.org/wiki/Specs/Summary) this
    // route returns; BadGateway when it is not a JSON object with a title and an extract.
    static Result<WikiSummary> parseSummary(const QByteArray &body);

private:
    struct Cached
    {
        QByteArray etag;
        WikiSummary summary;
    };

    QString m_baseUrl;
    int m_timeoutMs;
    mutable QMutex m_mutex;
    mutable QHash<QString, Cached> m_cache; // by the title as asked
};

} // namespace Outpost::Server
