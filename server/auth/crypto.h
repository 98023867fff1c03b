#pragma once

#include <QByteArray>
#include <QByteArrayView>

struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX

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

// SHA-256 over data that comes in pieces (a file, a stream), through OpenSSL, which uses the
// CPU's SHA extensions: about ten times QCryptographicHash's speed on this project's machines.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(QByteArrayView data);
    // Raw 32 bytes of everything added so far; call it once.
    QByteArray result();

private:
    ::evp_md_ctx_st *m_context;
};

// Compares in time that depends only on the lengths (CRYPTO_memcmp).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
QByteArray base64Url(QByteArrayView data);                         // no padding
QByteArray fromBase64Url(QByteArrayView text, bool *ok = nullptr); // strict: rejects bad chars

} // namespace Outpost::Server::Crypto
