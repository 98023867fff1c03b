#include "bearertoken.h"

#include "request.h"

namespace Outpost::Server {

Result<QByteArray> bearerToken(const Request &request)
{
    const QByteArray header = request.header(QByteArrayLiteral("authorization"));
    if (header.isEmpty())
        return fail(Error::unauthorized(QStringLiteral("sign-in is required")));
    if (header.size() < 8 || header.left(7).compare("Bearer ", Qt::CaseInsensitive) != 0)
        return fail(Error::unauthorized(QStringLiteral("use Authorization: Bearer <token>")));
    return header.mid(7).trimmed();
}

} // namespace Outpost::Server
