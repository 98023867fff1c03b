#pragma once

#include "apicall.h"
#include "apierror.h"
#include "apiresponse.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>

#include <tl/expected.hpp>

#include <utility>

namespace Outpost::Client {

// What a typed call gives: the decoded model, or why there is none.
template<typename T> using ApiResult = tl::expected<T, ApiError>;

// A model with the entity tag it was sent with (for If-Match on the next write).
template<typename T> struct Versioned
{
    T value;
    QByteArray etag;
};

// How an answer becomes an ApiResult. A failed answer is always its ApiError; a 2xx one is
// decoded as the call promises.
namespace Decode {

inline tl::unexpected<ApiError> failure(const ApiResponse &response)
{
    return tl::unexpected<ApiError>(ApiError::fromResponse(response));
}

// A JSON object read by T::fromJson (models, Page<T>).
template<typename T> ApiResult<T> json(const ApiResponse &response)
{
    if (!response.ok())
        return failure(response);
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return tl::unexpected<ApiError>(ApiError::unexpectedBody(
            response, Error::badRequest(QStringLiteral("the body is not a JSON object"))));
    }
    Result<T> value = T::fromJson(document.object());
    if (!value)
        return tl::unexpected<ApiError>(ApiError::unexpectedBody(response, value.error()));
    return std::move(*value);
}

// The same, with the answer's ETag.
template<typename T> ApiResult<Versioned<T>> versioned(const ApiResponse &response)
{
    ApiResult<T> value = json<T>(response);
    if (!value)
        return tl::unexpected<ApiError>(std::move(value.error()));
    return Versioned<T> {std::move(*value), response.etag};
}

// Success without a body worth reading (204, or a message).
inline ApiResult<void> nothing(const ApiResponse &response)
{
    if (!response.ok())
        return failure(response);
    return {};
}

// The body as it came (file content).
inline ApiResult<QByteArray> bytes(const ApiResponse &response)
{
    if (!response.ok())
        return failure(response);
    return response.body;
}

// The body as UTF-8 text (logs).
inline ApiResult<QString> text(const ApiResponse &response)
{
    if (!response.ok())
        return failure(response);
    return QString::fromUtf8(response.body);
}

} // namespace Decode

// One typed call in flight: the transport's ApiCall plus how its answer decodes. Attach the
// handler with then(); it runs once with an ApiResult<T>, and not at all when `context` is
// destroyed before the answer (a closed view never hears of it). Progress signals and
// abort() stay on call().
template<typename T> class Reply
{
public:
    using Decoder = ApiResult<T> (*)(const ApiResponse &);

    Reply(ApiCall *call, Decoder decode)
        : m_call(call)
        , m_decode(decode)
    { }

    ApiCall *call() const { return m_call; }
    void abort() const
    {
        if (m_call)
            m_call->abort();
    }

    // `handler(ApiResult<T>)` on the context's thread. Returns the call (for progress).
    template<typename Handler> ApiCall *then(const QObject *context, Handler handler) const
    {
        Q_ASSERT(context);
        if (m_call) {
            QObject::connect(m_call, &ApiCall::finished, context,
                [decode = m_decode, handler = std::move(handler)](
                    const ApiResponse &response) mutable { handler(decode(response)); });
        }
        return m_call;
    }

private:
    QPointer<ApiCall> m_call;
    Decoder m_decode;
};

} // namespace Outpost::Client
