// JWT decoding and verification (server/auth/jwt.cpp). Half of the inputs are tokens as sent;
// the other half are "header JSON\npayload JSON", signed here with the server's secret, so the
// fuzzer also reaches what is checked after the signature (alg, typ, crit, exp, iat, nbf, iss).
// A token this codec signs itself verifies at its own time.
#include "auth/jwt.h"
#include "fuzzrequest.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost::Server;

namespace {

const JwtCodec &codec()
{
    static const JwtCodec jwt(
        QByteArrayLiteral("fuzzing-secret-of-32-bytes-000000"), QStringLiteral("outpost"));
    return jwt;
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    constexpr qint64 now = 1'700'000'000;
    const bool signHere = data[0] & 1;
    const auto [first, second] = Fuzz::splitAt(data + 1, size - 1, '\n');
    if (!signHere) {
        (void)codec().verify(first + second, now);
        return 0;
    }
    const QByteArray input = codec().signingInput(base64Url(first), base64Url(second));
    const Outpost::Result<QJsonObject> claims =
        codec().verify(input + '.' + codec().signature(input), now);
    if (claims) {
        // What verified once verifies again when this codec signs it.
        if (!codec().verify(codec().sign(*claims), now))
            std::abort();
    }
    return 0;
}
