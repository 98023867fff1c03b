// Standard Webhooks signing (server/services/standardwebhooks.cpp): a secret as an operator or
// the API gives it, then "message id\ntimestamp\nbody". A key is never empty, a signature is
// "v1," and 44 characters of base64 and depends on every part, and the JSON body keeps the
// event's type and data.
#include "fuzzrequest.h"
#include "services/standardwebhooks.h"

#include <QDateTime>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost::Server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [secret, rest] = Fuzz::splitAt(data, size, '\n');
    const QByteArray all = rest;
    const auto [messageId, more] =
        Fuzz::splitAt(reinterpret_cast<const uint8_t *>(all.constData()), size_t(all.size()), '\n');
    const QByteArray tail = more;
    const auto [timestampText, body] = Fuzz::splitAt(
        reinterpret_cast<const uint8_t *>(tail.constData()), size_t(tail.size()), '\n');

    const auto key = StandardWebhooks::secretKey(QString::fromUtf8(secret));
    if (key) {
        if (key->isEmpty())
            std::abort();
        const qint64 timestamp = timestampText.toLongLong();
        const QByteArray signature = StandardWebhooks::sign(*key, messageId, timestamp, body);
        if (!signature.startsWith("v1,") || signature.size() != 47
            || signature != StandardWebhooks::sign(*key, messageId, timestamp, body)
            || signature == StandardWebhooks::sign(*key, messageId + 'x', timestamp, body)
            || signature == StandardWebhooks::sign(*key, messageId, timestamp, body + 'x'))
            std::abort();
    }

    const QJsonObject payload = QJsonDocument::fromJson(body).object();
    const QString type = QString::fromUtf8(messageId);
    const QDateTime time =
        QDateTime::fromSecsSinceEpoch(timestampText.toLongLong() % 253'402'300'800LL, Qt::UTC);
    const QJsonObject parsed =
        QJsonDocument::fromJson(StandardWebhooks::body(type, time, payload)).object();
    if (parsed.value(QStringLiteral("type")).toString() != QJsonValue(type).toString()
        || parsed.value(QStringLiteral("data")).toObject() != payload)
        std::abort();
    return 0;
}
