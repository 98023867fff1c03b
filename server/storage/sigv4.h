#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>

namespace Outpost::Server::SigV4 {

// AWS Signature Version 4 (HMAC-SHA256), header form. Pure functions over bytes, so that they
// can be checked against AWS's published test suite step by step.

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct Credentials
{
    QByteArray accessKeyId;
    QByteArray secretAccessKey;
    QByteArray sessionToken; // optional: sent and signed as X-Amz-Security-Token
};

// "20150830/us-east-1/service/aws4_request"
struct Scope
{
    QByteArray date; // YYYYMMDD
    QByteArray region;
    QByteArray service;
    QByteArray text() const { return date + '/' + region + '/' + service + "/aws4_request"; }
};

struct CanonicalInput
{
    QByteArray method;
    QByteArray path;        // as sent; percent-encoded or raw UTF-8 both work
    QByteArray query;       // the raw query string, without '?'
    Headers headers;        // every header to sign, in the order sent; duplicates are joined
    QByteArray payloadHash; // lower-case hex SHA-256 of the body (or UNSIGNED-PAYLOAD)
    // Remove "." and ".." segments and repeated slashes; true for most services, false
    // for S3, which names objects by their exact key.
    bool normalizePath = true;
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept, '/' kept when
// `keepSlash`, everything else %XX in upper case.
QByteArray uriEncode(const QByteArray &bytes, bool keepSlash);

QByteArray canonicalRequest(const CanonicalInput &input);
// "host;x-amz-date": the lower-case names of input.headers, sorted, unique.
QByteArray signedHeaders(const Headers &headers);
QByteArray stringToSign(
    const QByteArray &timestamp, const Scope &scope, const QByteArray &canonicalRequest);
QByteArray signingKey(const QByteArray &secretAccessKey, const Scope &scope); // raw 32 bytes
QByteArray signature(const QByteArray &secretAccessKey, const Scope &scope,
    const QByteArray &stringToSign); // lower-case hex
// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
QByteArray authorization(const QByteArray &accessKeyId, const Scope &scope,
    const QByteArray &signedHeaders, const QByteArray &signature);

// "20150830T123600Z"
QByteArray timestamp(const QDateTime &time);

// Everything above in one step: the Authorization header value for a request whose
// headers (Host and X-Amz-Date, X-Amz-Content-Sha256 for S3 included) are in input.headers.
QByteArray sign(const CanonicalInput &input, const Credentials &credentials,
    const QByteArray &timestamp, const QByteArray &region, const QByteArray &service);

} // namespace Outpost::Server::SigV4
