#include "crypto.h"

#include <QStringBuilder>
#include <QtGlobal>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cmath>
#include <vector>

namespace Outpost::Server::Crypto {

namespace {

// OpenSSL wants non-null pointers even for zero lengths on some paths.
const unsigned char *bytesOf(QByteArrayView view)
{
    static const unsigned char empty = 0;
    return view.isEmpty() ? &empty : reinterpret_cast<const unsigned char *>(view.data());
}

bool isBase64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
}

constexpr auto base64UrlOptions = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

} // namespace

QByteArray randomBytes(int count)
{
    Q_ASSERT(count >= 0);
    QByteArray bytes(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count) != 1)
        qFatal("OpenSSL's random generator failed");
    return bytes;
}

QByteArray newOpaqueToken()
{
    return base64Url(randomBytes(32));
}

QByteArray newApiKey()
{
    return QByteArrayLiteral("opk_") + base62(randomBytes(32));
}

QByteArray base62(QByteArrayView bytes)
{
    static constexpr char alphabet[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if (bytes.isEmpty())
        return {};

    // Fixed width for a given input length (32 bytes -> 43 characters): the number of base62
    // digits the largest value of that many bytes needs. 62^n is never a power of two, so the
    // quotient is never an exact integer and ceil() is safe.
    const auto width = static_cast<qsizetype>(
        std::ceil(static_cast<double>(bytes.size()) * 8.0 / std::log2(62.0)));

    // Big-endian long division by 62, one digit per pass.
    std::vector<unsigned char> number(bytes.begin(), bytes.end());
    QByteArray digits(width, '0');
    qsizetype pos = width;
    std::size_t start = 0;
    while (start < number.size()) {
        unsigned remainder = 0;
        for (std::size_t i = start; i < number.size(); ++i) {
            const unsigned value = (remainder << 8) | number[i];
            number[i] = static_cast<unsigned char>(value / 62);
            remainder = value % 62;
        }
        Q_ASSERT(pos > 0);
        digits[--pos] = alphabet[remainder];
        while (start < number.size() && number[start] == 0)
            ++start;
    }
    return digits;
}

QByteArray sha256(QByteArrayView data)
{
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (EVP_Digest(bytesOf(data), static_cast<std::size_t>(data.size()),
            reinterpret_cast<unsigned char *>(digest.data()), &length, EVP_sha256(), nullptr)
        != 1)
        qFatal("OpenSSL SHA-256 failed");
    digest.resize(static_cast<qsizetype>(length));
    return digest;
}

Sha256::Sha256()
    : m_context(EVP_MD_CTX_new())
{
    if (m_context == nullptr || EVP_DigestInit_ex(m_context, EVP_sha256(), nullptr) != 1)
        qFatal("OpenSSL SHA-256 failed");
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_context);
}

void Sha256::addData(QByteArrayView data)
{
    if (!data.isEmpty()
        && EVP_DigestUpdate(m_context, data.data(), static_cast<std::size_t>(data.size())) != 1)
        qFatal("OpenSSL SHA-256 failed");
}

QByteArray Sha256::result()
{
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_context, reinterpret_cast<unsigned char *>(digest.data()), &length)
        != 1)
        qFatal("OpenSSL SHA-256 failed");
    digest.resize(static_cast<qsizetype>(length));
    return digest;
}

QByteArray sha256Hex(QByteArrayView data)
{
    return sha256(data).toHex();
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    QByteArray mac(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), bytesOf(key), static_cast<int>(key.size()), bytesOf(data),
            static_cast<std::size_t>(data.size()), reinterpret_cast<unsigned char *>(mac.data()),
            &length)
        == nullptr)
        qFatal("OpenSSL HMAC-SHA256 failed");
    mac.resize(static_cast<qsizetype>(length));
    return mac;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(bytesOf(a), bytesOf(b), static_cast<std::size_t>(a.size())) == 0;
}

QByteArray base64Url(QByteArrayView data)
{
    return data.toByteArray().toBase64(base64UrlOptions);
}

QByteArray fromBase64Url(QByteArrayView text, bool *ok)
{
    if (ok)
        *ok = false;
    // Only the base64url alphabet: no padding, no '+' or '/', no whitespace.
    for (const char c : text) {
        if (!isBase64UrlChar(c))
            return {};
    }
    auto decoded = QByteArray::fromBase64Encoding(
        text.toByteArray(), base64UrlOptions | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return {};
    // Canonical form only: an impossible length or non-zero trailing bits would let several
    // texts decode to the same bytes (a signature could be altered without being noticed).
    if (base64Url(decoded.decoded) != text)
        return {};
    if (ok)
        *ok = true;
    return std::move(decoded.decoded);
}

} // namespace Outpost::Server::Crypto
