#include "apihelpers.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace Outpost::Server::Api {

Result<QJsonObject> jsonBody(const Request &request)
{
    const QByteArray &body = request.body();
    if (body.trimmed().isEmpty())
        return fail(Error::badRequest(QStringLiteral("a JSON object body is required")));
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return fail(Error::badRequest(QStringLiteral("malformed JSON at offset %1: %2")
                                          .arg(error.offset)
                                          .arg(error.errorString())));
    }
    if (!document.isObject())
        return fail(Error::badRequest(QStringLiteral("the JSON body must be an object")));
    return document.object();
}

Result<qint64> idParam(const Request &request, const QString &name)
{
    bool ok = false;
    const qint64 id = request.pathParam(name).toLongLong(&ok);
    if (!ok || id <= 0)
        return fail(Error::validation(name, QStringLiteral("must be a positive integer")));
    return id;
}

Result<PageRequest> pageOf(const Request &request)
{
    return PageRequest::fromQuery(
        request.queryItem(QStringLiteral("limit")), request.queryItem(QStringLiteral("skip")));
}

Caller callerOf(const Request &request)
{
    Caller caller;
    caller.principal = request.principal();
    caller.clientAddress = request.peer().toString();
    const bool proxied = !request.header(QByteArrayLiteral("x-forwarded-for")).isEmpty()
        || !request.header(QByteArrayLiteral("forwarded")).isEmpty()
        || !request.header(QByteArrayLiteral("x-real-ip")).isEmpty();
    // Forwarding headers mean "not from this machine" whoever sent them, trusted proxy or not.
    caller.direct = request.socketPeer().isLoopback() && request.peer().isLoopback() && !proxied;
    caller.setupToken = request.header(QByteArrayLiteral("x-setup-token"));
    return caller;
}

bool noneMatch(const Request &request, const QByteArray &etag)
{
    const QByteArray header = request.header(QByteArrayLiteral("if-none-match"));
    if (header.isEmpty())
        return false;
    const auto opaque = [](QByteArray tag) {
        tag = tag.trimmed();
        return tag.startsWith("W/") ? tag.mid(2) : tag;
    };
    const QByteArrayList candidates = header.split(',');
    return std::any_of(candidates.begin(), candidates.end(), [&](const QByteArray &candidate) {
        const QByteArray tag = candidate.trimmed();
        return tag == "*" || opaque(tag) == opaque(etag);
    });
}

} // namespace Outpost::Server::Api
