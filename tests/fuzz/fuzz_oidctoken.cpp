// A provider's tokens and keys (server/auth/oidctoken.cpp, jwk.cpp): the first byte picks
//   0: a JWK Set document (RFC 7517), parsed; every key it yields is asked what it allows;
//   1: a compact JWS verified against fixed keys (the RFC 7515 A.2 RSA and A.3 P-256 keys,
//      kids "rsa" and "ec"), and its kid peeked at;
//   2: "JWK Set\ntoken": a token verified against the keys the input itself brings, so odd
//      keys (small or even RSA moduli, EC points off the curve) meet real signature checks;
//   3: ID token claims checked against fixed rules.
#include "auth/jwk.h"
#include "auth/oidctoken.h"
#include "fuzzrequest.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost::Server;

namespace {

const JsonWebKeySet &fixedKeys()
{
    static const JsonWebKeySet keys = [] {
        const QByteArray document = R"json({"keys": [
            {"kty": "RSA", "kid": "rsa", "e": "AQAB",
             "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
            {"kty": "EC", "kid": "ec", "crv": "P-256",
             "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
             "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})json";
        auto parsed = JsonWebKeySet::fromJson(QJsonDocument::fromJson(document).object());
        if (!parsed)
            std::abort(); // the fixed keys are valid
        return *parsed;
    }();
    return keys;
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 4) {
    case 0: {
        const auto keys = JsonWebKeySet::fromJson(objectOf(rest));
        if (keys && keys->size() < 1)
            std::abort(); // a set with no usable key is an error
        break;
    }
    case 1: {
        bool unknownKeyId = false;
        const auto verified = verifyProviderJws(rest, fixedKeys(), &unknownKeyId);
        // A verified token names one of the keys, and that key fits its algorithm.
        if (verified) {
            const JsonWebKey *key = fixedKeys().find(verified->keyId);
            if (!key || !key->allows(verified->algorithm) || unknownKeyId)
                std::abort();
        }
        (void)peekKeyId(rest);
        break;
    }
    case 2: {
        const auto [jwks, token] = Fuzz::splitAt(data + 1, size - 1, '\n');
        const auto keys = JsonWebKeySet::fromJson(objectOf(jwks));
        if (keys)
            (void)verifyProviderJws(token, *keys);
        break;
    }
    case 3: {
        OidcClaimRules rules;
        rules.issuer = QStringLiteral("https://id.example.com");
        rules.audience = QStringLiteral("outpost");
        rules.authorizedParty = QStringLiteral("outpost");
        rules.nonce = QStringLiteral("n-0S6_WzA2Mj");
        rules.now = 1'700'000'000;
        (void)checkOidcClaims(objectOf(rest), rules);
        break;
    }
    }
    return 0;
}
