#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Outpost::Server::Crypto {

// Random bytes from OpenSSL's CSPRNG (RAND_bytes); aborts if the generator fails.
QByteArray randomBytes(int count);
// 256 random bits, base64url without padding: refresh tokens, setup tokens.
QByteArray newOpaqueToken();
// "opk_" + 32 random bytes in base62 (43 characters).
QByteArray newApiKey();
QByteArray base62(QByteArrayView bytes);
QByteArray sha256(QByteArrayView data);                         // raw 32 bytes
QByteArray sha256Hex(QByteArrayView data);                      // lower-case hex
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data); // raw 32 bytes
// Compares in time that depends only on the lengths (CRYPTO_memcmp).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
QByteArray base64Url(QByteArrayView data);                         // no padding
QByteArray fromBase64Url(QByteArrayView text, bool *ok = nullptr); // strict: rejects bad chars

} // namespace Outpost::Server::Crypto
