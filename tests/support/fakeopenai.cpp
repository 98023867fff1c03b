#include "fakeopenai.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>

namespace Outpost::Test {

QByteArray FakeOpenAi::textFor(const QString &prompt)
{
    return "Generated text about " + prompt.toUtf8();
}

QByteArray FakeOpenAi::pngFor(const QString &prompt)
{
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + "fake image of " + prompt.toUtf8();
}

QByteArray FakeOpenAi::mp3For(const QString &prompt)
{
    return "ID3\x04"
           "fake speech of "
        + prompt.toUtf8();
}

bool FakeOpenAi::start()
{
    const auto handle = [this](const QString &path, const QHttpServerRequest &request) {
        Call call {path, request.value("authorization"),
            QJsonDocument::fromJson(request.body()).object(), request.value("traceparent")};
        m_calls.append(call);
        if (call.authorization != QByteArray("Bearer ") + kApiKey) {
            return QHttpServerResponse("application/json",
                R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})",
                QHttpServerResponse::StatusCode::Unauthorized);
        }
        if (m_failing) {
            return QHttpServerResponse("application/json",
                R"({"error":{"message":"The server had an error","type":"server_error"}})",
                QHttpServerResponse::StatusCode::InternalServerError);
        }
        if (path == u"/v1/chat/completions") {
            const QString prompt = call.body.value(QStringLiteral("messages"))
                                       .toArray()
                                       .at(0)
                                       .toObject()
                                       .value(QStringLiteral("content"))
                                       .toString();
            const QJsonObject answer {{QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
                {QStringLiteral("object"), QStringLiteral("chat.completion")},
                {QStringLiteral("choices"),
                    QJsonArray {QJsonObject {{QStringLiteral("index"), 0},
                        {QStringLiteral("message"),
                            QJsonObject {{QStringLiteral("role"), QStringLiteral("assistant")},
                                {QStringLiteral("content"), QString::fromUtf8(textFor(prompt))}}},
                        {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}}};
            return QHttpServerResponse(answer);
        }
        if (path == u"/v1/images/generations") {
            const QString prompt = call.body.value(QStringLiteral("prompt")).toString();
            const QJsonObject answer {{QStringLiteral("created"), 1},
                {QStringLiteral("data"),
                    QJsonArray {QJsonObject {{QStringLiteral("b64_json"),
                        QString::fromLatin1(pngFor(prompt).toBase64())}}}}};
            return QHttpServerResponse(answer);
        }
        const QString input = call.body.value(QStringLiteral("input")).toString();
        return QHttpServerResponse("audio/mpeg", mp3For(input));
    };
    for (const char *path :
        {"/v1/chat/completions", "/v1/images/generations", "/v1/audio/speech"}) {
        const QString route = QString::fromLatin1(path);
        m_server.route(route, QHttpServerRequest::Method::Post,
            [handle, route](const QHttpServerRequest &request) { return handle(route, request); });
    }
    m_port = m_server.listen(QHostAddress(QHostAddress::LocalHost), 0);
    return m_port != 0;
}

QString FakeOpenAi::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port);
}

} // namespace Outpost::Test
