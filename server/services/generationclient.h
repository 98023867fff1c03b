#pragma once

#include "core/result.h"
#include "models/file.h"

#include <QByteArray>
#include <QString>

namespace Outpost::Server {

struct GenerationSettings
{
    QString baseUrl; // "https://api.openai.com/v1", no trailing slash
    QByteArray apiKey;
    QString textModel;
    QString imageModel;
    QString speechModel;
    QString voice;
    qint64 maxResultBytes = 32LL * 1024 * 1024;
};

// Text, images and speech from an OpenAI-compatible HTTP API (chat completions, image
// generations, audio speech), as the original files service made them. Blocking, with a
// QNetworkAccessManager per thread: call from worker threads.
class GenerationClient
{
public:
    explicit GenerationClient(GenerationSettings settings);

    bool isConfigured() const { return !m_settings.apiKey.isEmpty(); }
    // The bytes of the generated file (UTF-8 text, PNG, MP3) and their content type.
    struct Generated
    {
        QByteArray data;
        QString contentType;
    };
    // Unavailable when no service is configured or it fails or answers nonsense.
    Result<Generated> generate(GenerateRequest::Type type, const QString &prompt) const;

private:
    struct Reply
    {
        int status = 0;
        QByteArray body;
        QString error;
    };
    Reply post(const QString &endpoint, const QJsonObject &body) const;

    GenerationSettings m_settings;
};

} // namespace Outpost::Server
