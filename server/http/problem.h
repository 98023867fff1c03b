#pragma once

#include "core/error.h"
#include "httpresponse.h"

#include <QJsonObject>
#include <QString>

namespace Outpost::Server {

// RFC 9457 problem documents. The one place where a domain ErrorCode becomes an HTTP status.
class Problem
{
public:
    static int statusFor(ErrorCode code);

    // {"type":"about:blank","title":<reason>,"status":..,"detail":..,"instance":..} + extra.
    static HttpResponse make(int status, const QString &detail, const QString &instance = {},
        const QJsonObject &extra = {});
    // Error -> problem; Validation adds "errors": [{"field","message"}], RateLimited adds
    // Retry-After.
    static HttpResponse fromError(const Error &error, const QString &instance = {});
};

} // namespace Outpost::Server
