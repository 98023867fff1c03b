#pragma once

// What the fuzz targets share: a Request built from fuzzed parts, as HttpEngine builds one
// from a framed request, without a connection.
#include "http/request.h"

#include <QByteArray>
#include <QList>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace Outpost::Server::Fuzz {

// The input split at the first occurrence of `separator` (the rest is empty when there is none).
inline std::pair<QByteArray, QByteArray> splitAt(const uint8_t *data, size_t size, char separator)
{
    const QByteArray all(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype at = all.indexOf(separator);
    if (at < 0)
        return {all, {}};
    return {all.left(at), all.mid(at + 1)};
}

// A request with `target` ("/path?query"), `headers` and `body`, its path and query taken
// apart the way HttpEngine does.
inline Request makeRequest(const QByteArray &method, const QByteArray &target,
    QList<HeaderField> headers, const QByteArray &body)
{
    FramedRequest framed;
    framed.method = method;
    framed.target = target;
    framed.headers = std::move(headers);
    framed.body = body;
    auto context = std::make_shared<ResponseContext>();
    context->method = method;
    context->target = target;
    const qsizetype queryAt = target.indexOf('?');
    const QByteArray rawPath = queryAt < 0 ? target : target.left(queryAt);
    const QByteArray query = queryAt < 0 ? QByteArray() : target.mid(queryAt + 1);
    return {framed, std::move(context), QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath)),
        query};
}

} // namespace Outpost::Server::Fuzz
