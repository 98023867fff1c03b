// An OpenID provider's discovery document and key set as OidcProvider reads them
// (server/services/oidcprovider.cpp): "discovery JSON\nJWKS JSON" served by a fetch function
// instead of the network. Whatever they say, the endpoints taken are https or loopback http.
#include "fuzzrequest.h"
#include "services/oidcprovider.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QUrl>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost;
using namespace Outpost::Server;

namespace {

bool acceptable(const QString &endpoint, bool optional)
{
    if (endpoint.isEmpty())
        return optional;
    const QUrl url(endpoint, QUrl::StrictMode);
    if (url.scheme() == u"https")
        return !url.host().isEmpty();
    const QHostAddress host(url.host());
    return url.scheme() == u"http"
        && (url.host().compare(u"localhost", Qt::CaseInsensitive) == 0
            || (!host.isNull() && host.isLoopback()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Copies, not structured bindings: clang 14 cannot capture those in a lambda.
    const auto parts = Fuzz::splitAt(data, size, '\n');
    const QByteArray discovery = parts.first;
    const QByteArray jwks = parts.second;
    OidcProviderSettings settings;
    settings.name = QStringLiteral("fuzz");
    settings.issuer = QStringLiteral("https://id.example.com");
    settings.clientId = QStringLiteral("outpost");
    const auto fetch = [&](const QString &url, int *maxAge) -> Outpost::Result<QJsonObject> {
        if (maxAge)
            *maxAge = int(size % 100000) - 1;
        const QJsonDocument document = QJsonDocument::fromJson(
            url.endsWith(QLatin1String("/.well-known/openid-configuration")) ? discovery : jwks);
        if (!document.isObject())
            return Outpost::fail(Outpost::Error::unavailable(QStringLiteral("not an object")));
        return document.object();
    };
    const auto offline = [](const QString &, const QByteArray &, const QByteArray &) {
        return Outpost::Result<QJsonObject>(
            Outpost::fail(Outpost::Error::unavailable(QStringLiteral("offline"))));
    };
    OidcProvider provider(settings, fetch, offline);
    if (provider.discover()) {
        if (!acceptable(provider.authorizationEndpoint(), false)
            || !acceptable(provider.tokenEndpoint(), false)
            || !acceptable(provider.endSessionEndpoint(), true)
            || !acceptable(provider.userInfoEndpoint(), true))
            std::abort();
        (void)provider.verify(jwks, 1'700'000'000);
    }
    return 0;
}
