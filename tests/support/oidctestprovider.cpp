#include "oidctestprovider.h"

#include "childprocess.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace Outpost::Test {

OidcTestProvider::OidcTestProvider()
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    killWithTestProcess(m_process);
}

OidcTestProvider::~OidcTestProvider()
{
    stop();
}

bool OidcTestProvider::start(int timeoutMs)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString tools = qEnvironmentVariable("OUTPOST_TOOLS_DIR");
    const QString script =
        qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/tests/oidc/provider.mjs");
    const QString package = tools + QStringLiteral("/node_modules/oidc-provider/package.json");
    if (node.isEmpty() || tools.isEmpty() || !QFile::exists(package) || !QFile::exists(script)) {
        m_error =
            QStringLiteral("node or oidc-provider is missing (run make deps): %1").arg(package);
        return false;
    }
    if (!isMainThread()) {
        m_error = QStringLiteral("start the OpenID provider on the main thread");
        return false;
    }
    m_process.start(node, {script, tools});
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("cannot start node: ") + m_process.errorString();
        return false;
    }
    QByteArray output;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(100);
        output += m_process.readAllStandardOutput();
        const qsizetype end = output.indexOf('\n');
        if (end >= 0) {
            m_issuer = QJsonDocument::fromJson(output.left(end))
                           .object()
                           .value(QStringLiteral("issuer"))
                           .toString();
            if (!m_issuer.isEmpty())
                return true;
            break;
        }
    }
    m_error = QStringLiteral("the OpenID provider did not start: ")
        + QString::fromUtf8(output + m_process.readAllStandardError());
    stop();
    return false;
}

void OidcTestProvider::stop()
{
    stopProcess(m_process);
}

QJsonObject OidcTestProvider::control(
    const QByteArray &method, const QString &path, const QJsonObject &body)
{
    const HttpResult result = httpRequest(method, QUrl(m_issuer + path),
        method == "GET" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
        {{"Content-Type", "application/json"}}, 30'000);
    if (result.status != 200) {
        qWarning("OpenID provider %s %s: %d %s (stderr: %s)", method.constData(), qPrintable(path),
            result.status, result.body.constData(), m_process.readAllStandardError().constData());
        return {};
    }
    return result.json().object();
}

bool OidcTestProvider::setAccount(
    const QString &id, const QString &email, bool emailVerified, const QStringList &groups)
{
    QJsonObject account {{QStringLiteral("id"), id},
        {QStringLiteral("email_verified"), emailVerified},
        {QStringLiteral("groups"), QJsonArray::fromStringList(groups)}};
    if (!email.isEmpty())
        account.insert(QStringLiteral("email"), email);
    return control("POST", QStringLiteral("/__test/accounts"), account)
        .contains(QStringLiteral("id"));
}

QUrl OidcTestProvider::login(const QUrl &authorizationUrl, const QString &account)
{
    const QJsonObject answer = control("POST", QStringLiteral("/__test/login"),
        {{QStringLiteral("url"), authorizationUrl.toString(QUrl::FullyEncoded)},
            {QStringLiteral("account"), account}});
    return QUrl(answer.value(QStringLiteral("location")).toString(), QUrl::StrictMode);
}

QString OidcTestProvider::rotateKey()
{
    return control("POST", QStringLiteral("/__test/rotate"), {})
        .value(QStringLiteral("kid"))
        .toString();
}

QByteArray OidcTestProvider::sign(const QJsonObject &claims, const QJsonObject &header)
{
    return control("POST", QStringLiteral("/__test/sign"),
        {{QStringLiteral("claims"), claims}, {QStringLiteral("header"), header}})
        .value(QStringLiteral("token"))
        .toString()
        .toLatin1();
}

QByteArray OidcTestProvider::clientCredentialsToken(const QString &scope, const QString &resource)
{
    const QByteArray form = "grant_type=client_credentials&scope=" + QUrl::toPercentEncoding(scope)
        + "&resource=" + QUrl::toPercentEncoding(resource);
    const HttpResult result = httpRequest("POST", QUrl(m_issuer + QStringLiteral("/token")), form,
        {{"Content-Type", "application/x-www-form-urlencoded"},
            {"Authorization", "Basic " + QByteArray("machine:machine-secret").toBase64()}});
    if (result.status != 200)
        qWarning("client credentials: %d %s", result.status, result.body.constData());
    return result.json().object().value(QStringLiteral("access_token")).toString().toLatin1();
}

int OidcTestProvider::keySetFetches()
{
    return control("GET", QStringLiteral("/__test/stats"), {})
        .value(QStringLiteral("jwks"))
        .toInt(-1);
}

int OidcTestProvider::userInfoFetches()
{
    return control("GET", QStringLiteral("/__test/stats"), {})
        .value(QStringLiteral("userinfo"))
        .toInt(-1);
}

bool OidcTestProvider::setConformIdTokenClaims(bool on)
{
    return control("POST", QStringLiteral("/__test/conform"), {{QStringLiteral("on"), on}})
               .value(QStringLiteral("conformIdTokenClaims"))
               .toBool(!on)
        == on;
}

bool OidcTestProvider::setUserInfoAnswer(const QJsonObject &answer)
{
    const QJsonObject result = control("POST", QStringLiteral("/__test/userinfo"),
        {{QStringLiteral("answer"), answer.isEmpty() ? QJsonValue() : QJsonValue(answer)}});
    return result.contains(QStringLiteral("answer"));
}

bool peersRequired()
{
    return qEnvironmentVariable("CI") == u"true";
}

} // namespace Outpost::Test
