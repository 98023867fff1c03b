#include "standardwebhooks.h"

#include "auth/crypto.h"
#include "core/timeformat.h"

#include <QJsonDocument>

namespace Outpost::Server::StandardWebhooks {

namespace {
const QString kPrefix = QStringLiteral("whsec_");
constexpr int kSecretBytes = 32;
} // namespace

QString newSecret()
{
    return kPrefix + QString::fromLatin1(Crypto::randomBytes(kSecretBytes).toBase64());
}

Result<QByteArray> secretKey(const QString &secret)
{
    const QString encoded = secret.startsWith(kPrefix) ? secret.mid(kPrefix.size()) : secret;
    const auto decoded =
        QByteArray::fromBase64Encoding(encoded.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return fail(Error::validation(QStringLiteral("secret"), QStringLiteral("is not base64")));
    return decoded.decoded;
}

QByteArray sign(
    const QByteArray &key, const QByteArray &messageId, qint64 timestamp, const QByteArray &body)
{
    const QByteArray content = messageId + '.' + QByteArray::number(timestamp) + '.' + body;
    return QByteArrayLiteral("v1,") + Crypto::hmacSha256(key, content).toBase64();
}

QString newMessageId()
{
    return QStringLiteral("msg_") + QString::fromLatin1(Crypto::base62(Crypto::randomBytes(18)));
}

QByteArray body(const QString &type, const QDateTime &timestamp, const QJsonObject &data)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("type"), type},
            {QStringLiteral("timestamp"), toRfc3339(timestamp)}, {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

} // namespace Outpost::Server::StandardWebhooks
