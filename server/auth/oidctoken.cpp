#include "oidctoken.h"

#include "crypto.h"
#include "jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QMutexLocker>

#include <algorithm>
#include <optional>

namespace Outpost::Server {

namespace {

// ID tokens with many groups run to a few kilobytes; anything far beyond is refused unread.
constexpr qsizetype kMaxTokenLength = 16LL * 1024;
constexpr qsizetype kMaxLedgerEntries = 100000;

Error refused(const QString &detail)
{
    return Error::unauthorized(detail);
}

std::optional<QJsonObject> parseObject(const QByteArray &json)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

std::optional<QJsonObject> headerOf(const QByteArray &token)
{
    const qsizetype dot = token.indexOf('.');
    if (dot <= 0 || token.size() > kMaxTokenLength)
        return std::nullopt;
    bool ok = false;
    const QByteArray json = Crypto::fromBase64Url(QByteArrayView(token).first(dot), &ok);
    if (!ok)
        return std::nullopt;
    return parseObject(json);
}

bool audienceContains(const QJsonValue &aud, const QString &audience, qsizetype *count)
{
    if (aud.isString()) {
        *count = 1;
        return aud.toString() == audience;
    }
    if (!aud.isArray())
        return false;
    const QJsonArray list = aud.toArray();
    *count = list.size();
    return std::any_of(list.begin(), list.end(), [&audience](const QJsonValue &entry) {
        return entry.isString() && entry.toString() == audience;
    });
}

} // namespace

QString peekKeyId(const QByteArray &token)
{
    const auto header = headerOf(token);
    return header ? header->value(QStringLiteral("kid")).toString() : QString();
}

Result<VerifiedJws> verifyProviderJws(
    const QByteArray &token, const JsonWebKeySet &keys, bool *unknownKeyId)
{
    if (unknownKeyId)
        *unknownKeyId = false;
    if (token.isEmpty() || token.size() > kMaxTokenLength)
        return fail(refused(QStringLiteral("invalid token")));
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return fail(refused(QStringLiteral("invalid token")));
    bool ok = false;
    const QByteArray headerJson = Crypto::fromBase64Url(parts[0], &ok);
    if (!ok)
        return fail(refused(QStringLiteral("invalid token")));
    const QByteArray payloadJson = Crypto::fromBase64Url(parts[1], &ok);
    if (!ok)
        return fail(refused(QStringLiteral("invalid token")));
    const QByteArray signature = Crypto::fromBase64Url(parts[2], &ok);
    if (!ok || signature.isEmpty())
        return fail(refused(QStringLiteral("invalid token")));

    VerifiedJws jws;
    const auto header = parseObject(headerJson);
    if (!header)
        return fail(refused(QStringLiteral("invalid token")));
    jws.header = *header;
    // The algorithm comes from the allow-list, never from what the key "could" do: "none" and
    // HS256 (an attacker's HMAC keyed with our public key) stop here.
    const auto algorithm = jwsAlgorithmNamed(header->value(QStringLiteral("alg")).toString());
    if (!algorithm)
        return fail(refused(QStringLiteral("token algorithm not accepted")));
    jws.algorithm = *algorithm;
    if (header->contains(QStringLiteral("crit")))
        return fail(refused(QStringLiteral("token demands an unsupported extension")));
    const QJsonValue kid = header->value(QStringLiteral("kid"));
    if (!kid.isString() || kid.toString().isEmpty())
        return fail(refused(QStringLiteral("token has no key id")));
    jws.keyId = kid.toString();
    const JsonWebKey *key = keys.find(jws.keyId);
    if (!key) {
        if (unknownKeyId)
            *unknownKeyId = true;
        return fail(refused(QStringLiteral("token signed with an unknown key")));
    }
    if (!key->allows(*algorithm))
        return fail(refused(QStringLiteral("token algorithm does not fit its key")));
    const QByteArray signingInput = parts[0] + '.' + parts[1];
    if (!key->verify(*algorithm, signingInput, signature))
        return fail(refused(QStringLiteral("token signature is not valid")));

    const auto claims = parseObject(payloadJson);
    if (!claims)
        return fail(refused(QStringLiteral("invalid token")));
    jws.claims = *claims;
    return jws;
}

Status checkOidcClaims(const QJsonObject &claims, const OidcClaimRules &rules)
{
    const QJsonValue iss = claims.value(QStringLiteral("iss"));
    if (!iss.isString() || iss.toString() != rules.issuer)
        return fail(refused(QStringLiteral("token issuer is not the configured provider")));

    qsizetype audiences = 0;
    if (!audienceContains(claims.value(QStringLiteral("aud")), rules.audience, &audiences))
        return fail(refused(QStringLiteral("token audience is not this server")));
    if (!rules.authorizedParty.isEmpty()) {
        const QJsonValue azp = claims.value(QStringLiteral("azp"));
        if (azp.isUndefined() ? audiences > 1 : azp.toString() != rules.authorizedParty)
            return fail(refused(QStringLiteral("token authorized party is not this client")));
    }

    const QJsonValue sub = claims.value(QStringLiteral("sub"));
    if (!sub.isString() || sub.toString().isEmpty())
        return fail(refused(QStringLiteral("token has no subject")));

    const auto now = static_cast<double>(rules.now);
    const QJsonValue exp = claims.value(QStringLiteral("exp"));
    if (!isNumericDate(exp))
        return fail(refused(QStringLiteral("token has no valid expiry")));
    if (now > exp.toDouble() + rules.leewaySeconds)
        return fail(refused(QStringLiteral("token expired")));
    for (const QString &name : {QStringLiteral("nbf"), QStringLiteral("iat")}) {
        const QJsonValue value = claims.value(name);
        if (value.isUndefined())
            continue;
        if (!isNumericDate(value) || now + rules.leewaySeconds < value.toDouble())
            return fail(refused(QStringLiteral("token is not valid yet")));
    }

    if (!rules.nonce.isEmpty()) {
        const QJsonValue nonce = claims.value(QStringLiteral("nonce"));
        if (!nonce.isString()
            || !Crypto::constantTimeEquals(nonce.toString().toUtf8(), rules.nonce.toUtf8()))
            return fail(refused(QStringLiteral("token nonce does not match this sign-in")));
    }
    return {};
}

bool NonceLedger::consume(const QString &nonce, qint64 expiresAt, qint64 now)
{
    const QMutexLocker lock(&m_mutex);
    if (const auto found = m_used.constFind(nonce); found != m_used.cend() && *found >= now)
        return false;
    if (m_used.size() >= kMaxLedgerEntries) {
        m_used.removeIf([now](const auto &entry) { return entry.value() < now; });
    }
    m_used.insert(nonce, expiresAt);
    return true;
}

} // namespace Outpost::Server
