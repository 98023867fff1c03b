#include "authresource.h"

#include "apiclient.h"

#include <QJsonArray>

namespace Outpost::Client {

Result<AuthProviders> AuthProviders::fromJson(const QJsonObject &json)
{
    AuthProviders result;
    const QJsonValue list = json.value(QStringLiteral("providers"));
    const QString passwordLogin = json.value(QStringLiteral("password_login")).toString();
    QList<FieldError> errors;
    if (!list.isArray())
        errors.append({QStringLiteral("providers"), QStringLiteral("must be an array")});
    if (passwordLogin != QLatin1String("on") && passwordLogin != QLatin1String("off")
        && passwordLogin != QLatin1String("admins-only")) {
        errors.append(
            {QStringLiteral("password_login"), QStringLiteral("must be on, off or admins-only")});
    }
    const QJsonArray providers = list.toArray();
    for (const auto &value : providers) {
        const QJsonObject entry = value.toObject();
        AuthProvider provider {entry.value(QStringLiteral("name")).toString(),
            entry.value(QStringLiteral("display_name")).toString(),
            entry.value(QStringLiteral("login_url")).toString(),
            entry.value(QStringLiteral("end_session_endpoint")).toString()};
        if (provider.name.isEmpty() || !provider.loginUrl.startsWith(u'/')) {
            errors.append({QStringLiteral("providers"),
                QStringLiteral("each needs a name and a login_url starting with /")});
            break;
        }
        if (provider.displayName.isEmpty())
            provider.displayName = provider.name;
        result.providers.append(provider);
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    result.passwordLogin = passwordLogin;
    return result;
}

Reply<TokenPair> AuthResource::login(const QString &email, const QString &password) const
{
    return {m_client->login(email, password), &Decode::json<TokenPair>};
}

Reply<void> AuthResource::logout() const
{
    return {m_client->logout(), &Decode::nothing};
}

Reply<AuthProviders> AuthResource::providers() const
{
    return {m_client->get(QStringLiteral("/v1/auth/providers")), &Decode::json<AuthProviders>};
}

QUrl AuthResource::ssoLoginUrl(const AuthProvider &provider, const QUrl &redirectUri) const
{
    QUrl url = m_client->url(provider.loginUrl);
    url.setQuery(QStringLiteral("redirect_uri=")
            + QString::fromLatin1(
                QUrl::toPercentEncoding(redirectUri.toString(QUrl::FullyEncoded))),
        QUrl::StrictMode);
    return url;
}

Reply<TokenPair> AuthResource::finishSso(
    const AuthProvider &provider, const QString &returnedQuery) const
{
    const QString path = provider.loginUrl.endsWith(QLatin1String("/login"))
        ? provider.loginUrl.chopped(6) + QStringLiteral("/callback")
        : QStringLiteral("/v1/auth/oidc/%1/callback").arg(provider.name);
    return {m_client->finishSso(path, returnedQuery), &Decode::json<TokenPair>};
}

} // namespace Outpost::Client
