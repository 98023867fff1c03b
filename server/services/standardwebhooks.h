#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Outpost::Server {

// Signing per the Standard Webhooks specification (https://www.standardwebhooks.com/):
// symmetric "v1" signatures, HMAC-SHA256 (OpenSSL) over "<webhook-id>.<webhook-timestamp>.<body>"
// with the secret's base64-decoded bytes, sent base64 as "v1,<signature>".
namespace StandardWebhooks {

// "whsec_" + base64 of 32 random bytes.
QString newSecret();
// The key bytes of a "whsec_..." secret (the prefix is optional, as the reference libraries
// accept); Validation when it is not base64 or is empty.
Result<QByteArray> secretKey(const QString &secret);
// "v1,<base64 HMAC-SHA256>" of id.timestamp.body.
QByteArray sign(
    const QByteArray &key, const QByteArray &messageId, qint64 timestamp, const QByteArray &body);
// "msg_" + 25 base62 characters (18 random bytes): a delivery's webhook-id.
QString newMessageId();
// The JSON body {"type","timestamp","data"} (compact); `timestamp` is the event's time.
QByteArray body(const QString &type, const QDateTime &timestamp, const QJsonObject &data);

} // namespace StandardWebhooks

} // namespace Outpost::Server
