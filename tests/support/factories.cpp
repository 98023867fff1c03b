#include "factories.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrl>
#include <QtDebug>

namespace Outpost::Test {

namespace {

TokenPair tokenPairOf(const HttpResult &result)
{
    TokenPair pair;
    pair.result = result;
    pair.status = result.status;
    pair.json = result.json().object();
    if (result.status == 200) {
        pair.accessToken = pair.json.value(QStringLiteral("access_token")).toString().toLatin1();
        pair.refreshToken = pair.json.value(QStringLiteral("refresh_token")).toString().toLatin1();
    }
    return pair;
}

Account signIn(TestServer &server, qint64 id, const QString &email, const QString &password)
{
    Account account;
    if (id <= 0)
        return account;
    const TokenPair tokens = login(server, email, password);
    if (!tokens.ok()) {
        qWarning().noquote() << "login of" << email << "failed:" << tokens.status
                             << QString::fromUtf8(tokens.result.body);
        return account;
    }
    account.id = id;
    account.email = email;
    account.password = password;
    account.accessToken = tokens.accessToken;
    account.refreshToken = tokens.refreshToken;
    return account;
}

} // namespace

Headers bearer(const QByteArray &token, const Headers &extra)
{
    Headers headers = extra;
    headers.insert(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token);
    return headers;
}

Headers bearer(const QString &token, const Headers &extra)
{
    return bearer(token.toLatin1(), extra);
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(generator.bounded(256));
    return bytes;
}

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray jsonBytes(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString uniqueEmail(const QString &prefix)
{
    static QAtomicInteger<int> counter;
    return QStringLiteral("%1-%2-%3@example.test")
        .arg(prefix)
        .arg(counter.fetchAndAddRelaxed(1) + 1)
        .arg(QCoreApplication::applicationPid());
}

CreatedUser registerUser(TestServer &server, const QString &email, const QString &password,
    const QString &username, const Headers &headers)
{
    QJsonObject body {{QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
    if (!username.isEmpty())
        body.insert(QStringLiteral("username"), username);
    CreatedUser created;
    created.result =
        httpRequest("POST", server.url(QStringLiteral("/v1/users")), jsonBytes(body), headers);
    created.status = created.result.status;
    created.json = created.result.json().object();
    if (created.status == 201)
        created.id = created.json.value(QStringLiteral("id")).toInteger();
    return created;
}

qint64 createUser(TestServer &server, const QString &email, const QString &password,
    const QString &username, const Headers &headers)
{
    const CreatedUser created = registerUser(server, email, password, username, headers);
    if (created.id <= 0) {
        qWarning().noquote() << "registration of" << email << "failed:" << created.status
                             << QString::fromUtf8(created.result.body);
    }
    return created.id;
}

TokenPair login(TestServer &server, const QString &email, const QString &password)
{
    const QJsonObject body {
        {QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
    return tokenPairOf(
        httpRequest("POST", server.url(QStringLiteral("/v1/login")), jsonBytes(body)));
}

TokenPair loginWithForm(TestServer &server, const QString &email, const QString &password)
{
    const QByteArray form = "grant_type=password&username=" + QUrl::toPercentEncoding(email)
        + "&password=" + QUrl::toPercentEncoding(password);
    return tokenPairOf(httpRequest("POST", server.url(QStringLiteral("/v1/login")), form,
        {{QByteArrayLiteral("Content-Type"),
            QByteArrayLiteral("application/x-www-form-urlencoded")}}));
}

TokenPair refresh(TestServer &server, const QByteArray &refreshToken)
{
    const QJsonObject body {{QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken)}};
    return tokenPairOf(
        httpRequest("POST", server.url(QStringLiteral("/v1/token/refresh")), jsonBytes(body)));
}

Account createAccount(
    TestServer &server, const QString &email, const QString &password, const QString &username)
{
    const QString address = email.isEmpty() ? uniqueEmail() : email;
    return signIn(server, createUser(server, address, password, username), address, password);
}

Account createAdmin(TestServer &server, const QString &email, const QString &password)
{
    const QString address = email.isEmpty() ? uniqueEmail(QStringLiteral("admin")) : email;
    const CreatedUser created = registerUser(server, address, password);
    if (created.json.value(QStringLiteral("role")).toString() != QLatin1String("admin")) {
        qWarning().noquote() << "the registration of" << address
                             << "did not make an admin:" << created.status
                             << QString::fromUtf8(created.result.body);
        return {};
    }
    return signIn(server, created.id, address, password);
}

HttpResult get(TestServer &server, const QString &path, const Headers &headers)
{
    return httpRequest("GET", server.url(path), {}, headers);
}

HttpResult post(
    TestServer &server, const QString &path, const QJsonObject &body, const Headers &headers)
{
    return httpRequest("POST", server.url(path), jsonBytes(body), headers);
}

HttpResult patch(
    TestServer &server, const QString &path, const QJsonObject &body, const Headers &headers)
{
    return httpRequest("PATCH", server.url(path), jsonBytes(body), headers);
}

HttpResult del(TestServer &server, const QString &path, const Headers &headers)
{
    return httpRequest("DELETE", server.url(path), {}, headers);
}

QByteArray problemMismatch(const HttpResult &result, int status, const QString &title)
{
    QByteArray why;
    if (result.status != status)
        why += "status " + QByteArray::number(result.status) + ", expected "
            + QByteArray::number(status) + "; ";
    const QByteArray type = result.header("Content-Type");
    if (type != "application/problem+json")
        why += "Content-Type \"" + type + "\", expected application/problem+json; ";
    const QJsonObject problem = result.json().object();
    if (problem.value(QStringLiteral("title")).toString() != title)
        why += "title \"" + problem.value(QStringLiteral("title")).toString().toUtf8()
            + "\", expected \"" + title.toUtf8() + "\"; ";
    if (problem.value(QStringLiteral("status")).toInt() != status)
        why += "status member differs; ";
    if (status == 401 && result.header("WWW-Authenticate") != "Bearer")
        why += "WWW-Authenticate \"" + result.header("WWW-Authenticate") + "\", expected Bearer; ";
    if (!why.isEmpty())
        why += "body: " + result.body;
    return why;
}

QStringList errorFields(const HttpResult &result)
{
    QStringList fields;
    const QJsonArray errors = result.json().object().value(QStringLiteral("errors")).toArray();
    for (const QJsonValue &error : errors)
        fields.append(error.toObject().value(QStringLiteral("field")).toString());
    return fields;
}

HttpResult put(
    TestServer &server, const QString &path, const QJsonObject &body, const Headers &headers)
{
    return httpRequest("PUT", server.url(path), jsonBytes(body), headers);
}

CreatedPost submitPost(TestServer &server, const Account &author, const QString &title,
    const QString &content, bool published)
{
    const QJsonObject body {{QStringLiteral("title"), title}, {QStringLiteral("content"), content},
        {QStringLiteral("published"), published}};
    CreatedPost created;
    created.result = post(server, QStringLiteral("/v1/posts"), body, author.auth());
    created.status = created.result.status;
    created.json = created.result.json().object();
    if (created.status == 201) {
        created.id = created.json.value(QStringLiteral("id")).toInteger();
        created.etag = created.result.header("ETag");
    }
    return created;
}

qint64 createPost(TestServer &server, const Account &author, const QString &title,
    const QString &content, bool published)
{
    const CreatedPost created = submitPost(server, author, title, content, published);
    if (created.id <= 0) {
        qWarning().noquote() << "creating post" << title << "failed:" << created.status
                             << QString::fromUtf8(created.result.body);
    }
    return created.id;
}

QString postPath(qint64 id)
{
    return QStringLiteral("/v1/posts/%1").arg(id);
}

HttpResult vote(TestServer &server, const Account &voter, qint64 postId, int dir)
{
    const QJsonObject body {{QStringLiteral("post_id"), postId}, {QStringLiteral("dir"), dir}};
    return post(server, QStringLiteral("/v1/vote"), body, voter.auth());
}

QJsonObject objectOf(const HttpResult &result)
{
    return result.json().object();
}

qint64 idOf(const HttpResult &result)
{
    return objectOf(result).value(QStringLiteral("id")).toInteger();
}

QJsonArray itemsOf(const HttpResult &result)
{
    return objectOf(result).value(QStringLiteral("items")).toArray();
}

QList<qint64> idsOf(const HttpResult &result)
{
    QList<qint64> ids;
    for (const QJsonValue &item : itemsOf(result))
        ids.append(item.toObject().value(QStringLiteral("id")).toInteger());
    return ids;
}

qint64 totalOf(const HttpResult &result)
{
    return objectOf(result).value(QStringLiteral("total")).toInteger(-1);
}

QString textOf(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

} // namespace Outpost::Test
