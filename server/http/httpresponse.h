#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>

#include <memory>

class QIODevice;

namespace Outpost::Server {

// What a handler answers. Serialised once, by the connection that owns the request.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    // A handler that answers later (slow work off the event loop) returns deferred() and
    // completes the DeferredReply it took from the request.
    bool isDeferred = false;
    // A body read from a device (a file, a network reply) instead of `body`: the connection
    // writes it in chunks as the socket drains, so a large download needs bounded memory.
    // `streamLength` bytes are sent and announced as Content-Length; the device is used and
    // released on the connection's thread. A stream that ends early closes the connection.
    std::shared_ptr<QIODevice> stream {};
    qint64 streamLength = 0;

    static HttpResponse json(int status, const QByteArray &body)
    {
        return {status, QByteArrayLiteral("application/json"), body, {}};
    }
    static HttpResponse json(int status, const QJsonObject &object)
    {
        return json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    static HttpResponse text(int status, const QByteArray &body, const QByteArray &type)
    {
        return {status, type, body, {}};
    }
    static HttpResponse noContent() { return {204, {}, {}, {}}; }
    static HttpResponse deferred()
    {
        HttpResponse r;
        r.isDeferred = true;
        return r;
    }

    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
        return *this;
    }
    QByteArray header(const QByteArray &name) const;
};

// The reason phrase for a status code ("Not Found"); "Unknown" for codes we never send.
QByteArray reasonPhrase(int status);

} // namespace Outpost::Server
