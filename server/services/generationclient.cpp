#include "generationclient.h"

#include "outgoinghttp.h"

#include "core/tracing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

Q_LOGGING_CATEGORY(lcGeneration, "outpost.generation", QtInfoMsg)

namespace Outpost::Server {

namespace {

constexpr int kTimeoutMs = 120'000;

Error upstreamFailed(const QString &why)
{
    qCWarning(lcGeneration).noquote() << "generation failed:" << why;
    return Error::unavailable(QStringLiteral("the generation service failed"));
}

} // namespace

GenerationClient::GenerationClient(GenerationSettings settings)
    : m_settings(std::move(settings))
{ }

GenerationClient::Reply GenerationClient::post(
    const QString &endpoint, const QJsonObject &body) const
{
    QNetworkRequest request(QUrl(m_settings.baseUrl + endpoint));
    request.setTransferTimeout(kTimeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + m_settings.apiKey);
    Tracing::ClientSpan span("POST " + endpoint.toUtf8());
    span.setAttribute("http.request.method", QByteArrayLiteral("POST"));
    span.setAttribute("server.address", QUrl(m_settings.baseUrl).host().toUtf8());
    if (span.isActive()) {
        request.setRawHeader("traceparent", span.traceparent());
        if (!span.traceState().isEmpty())
            request.setRawHeader("tracestate", span.traceState());
    }
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = startOutgoing(threadNetwork(), request, &json);
    QByteArray received;
    const bool tooLarge = readBoundedReply(reply, m_settings.maxResultBytes, received);
    Reply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = std::move(received);
    result.error = tooLarge ? QStringLiteral("the answer is too large") : reply->errorString();
    if (tooLarge)
        result.status = 0;
    span.setAttribute("http.response.status_code", qint64(result.status));
    span.setError(result.status == 0 || result.status >= 500);
    reply->deleteLater();
    return result;
}

Result<GenerationClient::Generated> GenerationClient::generate(
    GenerateRequest::Type type, const QString &prompt) const
{
    if (!isConfigured()) {
        return fail(Error::unavailable(
            QStringLiteral("no generation service is configured (OUTPOST_OPENAI_API_KEY)")));
    }
    switch (type) {
    case GenerateRequest::Type::Text: {
        const Reply reply = post(QStringLiteral("/chat/completions"),
            {{QStringLiteral("model"), m_settings.textModel},
                {QStringLiteral("messages"),
                    QJsonArray {QJsonObject {{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), prompt}}}}});
        if (reply.status != 200) {
            return fail(upstreamFailed(
                QStringLiteral("chat completions: %1 %2").arg(reply.status).arg(reply.error)));
        }
        const QJsonValue content = QJsonDocument::fromJson(reply.body)
                                       .object()
                                       .value(QStringLiteral("choices"))
                                       .toArray()
                                       .at(0)
                                       .toObject()
                                       .value(QStringLiteral("message"))
                                       .toObject()
                                       .value(QStringLiteral("content"));
        if (!content.isString())
            return fail(upstreamFailed(QStringLiteral("chat completions: no message content")));
        return Generated {content.toString().toUtf8(), QStringLiteral("text/plain; charset=utf-8")};
    }
    case GenerateRequest::Type::Image: {
        const Reply reply = post(QStringLiteral("/images/generations"),
            {{QStringLiteral("model"), m_settings.imageModel}, {QStringLiteral("prompt"), prompt},
                {QStringLiteral("n"), 1}, {QStringLiteral("size"), QStringLiteral("1024x1024")},
                {QStringLiteral("response_format"), QStringLiteral("b64_json")}});
        if (reply.status != 200) {
            return fail(upstreamFailed(
                QStringLiteral("image generations: %1 %2").arg(reply.status).arg(reply.error)));
        }
        const QString encoded = QJsonDocument::fromJson(reply.body)
                                    .object()
                                    .value(QStringLiteral("data"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("b64_json"))
                                    .toString();
        const auto decoded = QByteArray::fromBase64Encoding(
            encoded.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (encoded.isEmpty() || !decoded || !decoded.decoded.startsWith("\x89PNG"))
            return fail(upstreamFailed(QStringLiteral("image generations: no PNG in the answer")));
        return Generated {decoded.decoded, QStringLiteral("image/png")};
    }
    case GenerateRequest::Type::Speech: {
        const Reply reply = post(QStringLiteral("/audio/speech"),
            {{QStringLiteral("model"), m_settings.speechModel}, {QStringLiteral("input"), prompt},
                {QStringLiteral("voice"), m_settings.voice},
                {QStringLiteral("response_format"), QStringLiteral("mp3")}});
        if (reply.status != 200 || reply.body.isEmpty()) {
            return fail(upstreamFailed(
                QStringLiteral("audio speech: %1 %2").arg(reply.status).arg(reply.error)));
        }
        return Generated {reply.body, QStringLiteral("audio/mpeg")};
    }
    }
    return fail(Error::internal(QStringLiteral("unknown generation type")));
}

} // namespace Outpost::Server
