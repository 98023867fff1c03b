#include "jwt.h"

#include "crypto.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <optional>

namespace Outpost::Server {

namespace {

// Far above any token we issue; stops work on junk before any decoding.
constexpr qsizetype maxTokenLength = 8192;

Error invalidToken()
{
    return Error::unauthorized(QStringLiteral("invalid token"));
}

// A JSON object, or nothing: arrays, scalars and malformed JSON are all refused.
std::optional<QJsonObject> parseObject(const QByteArray &json)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

JwtCodec::JwtCodec(QByteArray secret, QString issuer, int leewaySeconds)
    : m_secret(std::move(secret))
    , m_issuer(std::move(issuer))
    , m_leeway(leewaySeconds)
{
    // The configuration refuses an empty secret; sign() and verify() refuse it too.
    Q_ASSERT(!m_secret.isEmpty());
    Q_ASSERT(m_leeway >= 0);
}

QByteArray JwtCodec::sign(const QJsonObject &claims) const
{
    if (m_secret.isEmpty())
        return {};
    const QByteArray header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})");
    const QByteArray payload = QJsonDocument(claims).toJson(QJsonDocument::Compact);
    const QByteArray input = signingInput(Crypto::base64Url(header), Crypto::base64Url(payload));
    return input + '.' + signature(input);
}

bool isNumericDate(const QJsonValue &value)
{
    constexpr double kEndOfYear9999 = 253402300799.0;
    const double seconds = value.toDouble(-1);
    return value.isDouble() && seconds >= 0 && seconds <= kEndOfYear9999;
}

Result<QJsonObject> JwtCodec::verify(const QByteArray &token, qint64 now) const
{
    if (m_secret.isEmpty() || token.isEmpty() || token.size() > maxTokenLength)
        return fail(invalidToken());

    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return fail(invalidToken());

    // Every segment must be canonical base64url, without padding.
    bool ok = false;
    const QByteArray headerJson = Crypto::fromBase64Url(parts[0], &ok);
    if (!ok)
        return fail(invalidToken());
    const QByteArray payloadJson = Crypto::fromBase64Url(parts[1], &ok);
    if (!ok)
        return fail(invalidToken());
    const QByteArray receivedMac = Crypto::fromBase64Url(parts[2], &ok);
    if (!ok)
        return fail(invalidToken());

    // The signature first, over the exact bytes received; nothing inside is trusted before.
    const QByteArray expectedMac = Crypto::hmacSha256(m_secret, signingInput(parts[0], parts[1]));
    if (!Crypto::constantTimeEquals(receivedMac, expectedMac))
        return fail(invalidToken());

    // Only HS256: never "none" or another algorithm, whatever the signature says.
    const auto header = parseObject(headerJson);
    if (!header)
        return fail(invalidToken());
    const QJsonValue alg = header->value(QLatin1StringView("alg"));
    if (!alg.isString() || alg.toString() != QLatin1StringView("HS256"))
        return fail(invalidToken());
    if (header->contains(QLatin1StringView("typ"))) {
        const QJsonValue typ = header->value(QLatin1StringView("typ"));
        if (!typ.isString()
            || typ.toString().compare(QLatin1StringView("JWT"), Qt::CaseInsensitive) != 0)
            return fail(invalidToken());
    }
    // We understand no extensions, so a token that demands one is refused (RFC 7515 4.1.11).
    if (header->contains(QLatin1StringView("crit")))
        return fail(invalidToken());

    const auto claims = parseObject(payloadJson);
    if (!claims)
        return fail(invalidToken());

    const auto current = static_cast<double>(now);
    const QJsonValue exp = claims->value(QLatin1StringView("exp"));
    if (!isNumericDate(exp))
        return fail(invalidToken());
    if (current > exp.toDouble() + m_leeway)
        return fail(Error::unauthorized(QStringLiteral("token expired")));

    if (claims->contains(QLatin1StringView("iat"))) {
        const QJsonValue iat = claims->value(QLatin1StringView("iat"));
        if (!isNumericDate(iat) || current + m_leeway < iat.toDouble())
            return fail(invalidToken());
    }
    if (claims->contains(QLatin1StringView("nbf"))) {
        const QJsonValue nbf = claims->value(QLatin1StringView("nbf"));
        if (!isNumericDate(nbf) || current + m_leeway < nbf.toDouble())
            return fail(invalidToken());
    }

    if (!m_issuer.isEmpty()) {
        const QJsonValue iss = claims->value(QLatin1StringView("iss"));
        if (!iss.isString() || iss.toString() != m_issuer)
            return fail(invalidToken());
    }
    return *claims;
}

QByteArray JwtCodec::signingInput(const QByteArray &headerB64, const QByteArray &payloadB64) const
{
    return headerB64 + '.' + payloadB64;
}

QByteArray JwtCodec::signature(const QByteArray &signingInput) const
{
    if (m_secret.isEmpty())
        return {};
    return Crypto::base64Url(Crypto::hmacSha256(m_secret, signingInput));
}

} // namespace Outpost::Server
