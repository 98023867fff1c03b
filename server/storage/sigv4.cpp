#include "sigv4.h"

#include "auth/crypto.h"

#include <QMap>

#include <algorithm>

namespace Outpost::Server::SigV4 {

namespace {

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '.' || c == '_' || c == '~';
}

// "/a/./b/../c//d/" -> "/a/c/d/"
QByteArray normalized(const QByteArray &path)
{
    QList<QByteArray> out;
    for (const QByteArray &segment : path.split('/')) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!out.isEmpty())
                out.removeLast();
            continue;
        }
        out.append(segment);
    }
    QByteArray result = '/' + out.join('/');
    if (path.endsWith('/') && result.size() > 1)
        result.append('/');
    return result;
}

QByteArray canonicalUri(const QByteArray &path, bool normalize)
{
    QByteArray decoded = QByteArray::fromPercentEncoding(path.isEmpty() ? "/" : path);
    if (!decoded.startsWith('/'))
        decoded.prepend('/');
    if (normalize)
        decoded = normalized(decoded);
    return uriEncode(decoded, true);
}

QByteArray canonicalQuery(const QByteArray &query)
{
    QList<QPair<QByteArray, QByteArray>> pairs;
    for (const QByteArray &item : query.split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf('=');
        const QByteArray name = eq < 0 ? item : item.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : item.mid(eq + 1);
        pairs.append({uriEncode(QByteArray::fromPercentEncoding(name), false),
            uriEncode(QByteArray::fromPercentEncoding(value), false)});
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &[name, value] : pairs) {
        if (!out.isEmpty())
            out.append('&');
        out.append(name).append('=').append(value);
    }
    return out;
}

// Trimmed, with runs of spaces (and folded line breaks) made one space.
QByteArray canonicalValue(const QByteArray &value)
{
    return value.simplified();
}

} // namespace

QByteArray uriEncode(const QByteArray &bytes, bool keepSlash)
{
    static constexpr QLatin1StringView hex("0123456789ABCDEF");
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char c : bytes) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(c);
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append('%')
                .append(hex.at(byte >> 4).toLatin1())
                .append(hex.at(byte & 0xf).toLatin1());
        }
    }
    return out;
}

QByteArray signedHeaders(const Headers &headers)
{
    QList<QByteArray> names;
    for (const auto &header : headers) {
        const QByteArray name = header.first.trimmed().toLower();
        if (!names.contains(name))
            names.append(name);
    }
    std::sort(names.begin(), names.end());
    return names.join(';');
}

QByteArray canonicalRequest(const CanonicalInput &input)
{
    QMap<QByteArray, QByteArray> headers; // sorted by name
    for (const auto &[name, value] : input.headers) {
        const QByteArray key = name.trimmed().toLower();
        const QByteArray canonical = canonicalValue(value);
        auto it = headers.find(key);
        if (it == headers.end()) {
            headers.insert(key, canonical);
        } else {
            it.value().append(',').append(canonical);
        }
    }
    QByteArray out;
    out.append(input.method).append('\n');
    out.append(canonicalUri(input.path, input.normalizePath)).append('\n');
    out.append(canonicalQuery(input.query)).append('\n');
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        out.append(it.key()).append(':').append(it.value()).append('\n');
    out.append('\n');
    out.append(signedHeaders(input.headers)).append('\n');
    out.append(input.payloadHash);
    return out;
}

QByteArray stringToSign(
    const QByteArray &timestamp, const Scope &scope, const QByteArray &canonicalRequest)
{
    return "AWS4-HMAC-SHA256\n" + timestamp + '\n' + scope.text() + '\n'
        + Crypto::sha256Hex(canonicalRequest);
}

QByteArray signingKey(const QByteArray &secretAccessKey, const Scope &scope)
{
    const QByteArray date = Crypto::hmacSha256(QByteArray("AWS4" + secretAccessKey), scope.date);
    const QByteArray region = Crypto::hmacSha256(date, scope.region);
    const QByteArray service = Crypto::hmacSha256(region, scope.service);
    return Crypto::hmacSha256(service, "aws4_request");
}

QByteArray signature(
    const QByteArray &secretAccessKey, const Scope &scope, const QByteArray &stringToSign)
{
    return Crypto::hmacSha256(signingKey(secretAccessKey, scope), stringToSign).toHex();
}

QByteArray authorization(const QByteArray &accessKeyId, const Scope &scope,
    const QByteArray &signedHeaders, const QByteArray &signature)
{
    return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + '/' + scope.text()
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
}

QByteArray timestamp(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QByteArray sign(const CanonicalInput &input, const Credentials &credentials,
    const QByteArray &timestamp, const QByteArray &region, const QByteArray &service)
{
    const Scope scope {timestamp.left(8), region, service};
    const QByteArray toSign = stringToSign(timestamp, scope, canonicalRequest(input));
    return authorization(credentials.accessKeyId, scope, signedHeaders(input.headers),
        signature(credentials.secretAccessKey, scope, toSign));
}

} // namespace Outpost::Server::SigV4
