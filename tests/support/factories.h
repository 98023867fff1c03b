#pragma once

#include "testserver.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace Outpost::Test {

using Headers = QMap<QByteArray, QByteArray>;

// A password that passes the server's rules (8..128 characters, mixed classes).
inline const QString kPassword = QStringLiteral("Correct-Horse-9");

// `Authorization: Bearer <token>` (plus `extra`).
Headers bearer(const QByteArray &token, const Headers &extra = {});
Headers bearer(const QString &token, const Headers &extra = {});

// A compact JSON body.
QByteArray jsonBytes(const QJsonObject &object);

// `size` bytes from a generator seeded with `seed`: the same bytes for the same seed.
QByteArray randomBytes(qsizetype size, quint32 seed);
// The SHA-256 of `bytes` in lower-case hex, as the files API reports it.
QByteArray sha256Hex(const QByteArray &bytes);

// A fresh address like "user-7-1712345678@example.test" (unique within the process).
QString uniqueEmail(const QString &prefix = QStringLiteral("user"));

// POST /v1/users. id is 0 unless the server answered 201.
struct CreatedUser
{
    int status = 0;
    qint64 id = 0;
    QJsonObject json; // the user object, or the problem
    HttpResult result;
};
CreatedUser registerUser(TestServer &server, const QString &email,
    const QString &password = kPassword, const QString &username = {}, const Headers &headers = {});

// The id of a newly registered user; 0 (and a qWarning with the answer) if it failed.
qint64 createUser(TestServer &server, const QString &email, const QString &password = kPassword,
    const QString &username = {}, const Headers &headers = {});

// POST /v1/login (JSON). The tokens are empty unless the server answered 200.
struct TokenPair
{
    int status = 0;
    QByteArray accessToken;
    QByteArray refreshToken;
    QJsonObject json;
    HttpResult result;
    bool ok() const { return status == 200 && !accessToken.isEmpty(); }
};
TokenPair login(TestServer &server, const QString &email, const QString &password = kPassword);
// The same as an OAuth2 password form (username = email).
TokenPair loginWithForm(
    TestServer &server, const QString &email, const QString &password = kPassword);
// POST /v1/token/refresh.
TokenPair refresh(TestServer &server, const QByteArray &refreshToken);

// A registered and signed-in user.
struct Account
{
    qint64 id = 0;
    QString email;
    QString password;
    QByteArray accessToken;
    QByteArray refreshToken;
    bool ok() const { return id > 0 && !accessToken.isEmpty(); }
    Headers auth(const Headers &extra = {}) const { return bearer(accessToken, extra); }
};

// Registers (from loopback, no proxy headers) and signs in. On a server without an admin,
// the first such registration becomes the admin: createAdmin() is exactly that.
Account createAccount(TestServer &server, const QString &email = {},
    const QString &password = kPassword, const QString &username = {});
Account createAdmin(
    TestServer &server, const QString &email = {}, const QString &password = kPassword);

// Convenience requests on the server.
HttpResult get(TestServer &server, const QString &path, const Headers &headers = {});
HttpResult post(
    TestServer &server, const QString &path, const QJsonObject &body, const Headers &headers = {});
HttpResult patch(
    TestServer &server, const QString &path, const QJsonObject &body, const Headers &headers = {});
HttpResult del(TestServer &server, const QString &path, const Headers &headers = {});

// Empty when `result` is an application/problem+json document with this status and title
// (and, for 401, WWW-Authenticate: Bearer); otherwise what differs, for QVERIFY2.
QByteArray problemMismatch(const HttpResult &result, int status, const QString &title);

// The field names listed in a 422 problem's `errors`.
QStringList errorFields(const HttpResult &result);

// PUT with a JSON body.
HttpResult put(
    TestServer &server, const QString &path, const QJsonObject &body, const Headers &headers = {});

// POST /v1/posts as `author`. id is 0 unless the server answered 201.
struct CreatedPost
{
    int status = 0;
    qint64 id = 0;
    QByteArray etag;
    QJsonObject json; // the post object, or the problem
    HttpResult result;
};
CreatedPost submitPost(TestServer &server, const Account &author, const QString &title,
    const QString &content = QStringLiteral("Some content."), bool published = true);

// The id of a new post by `author`; 0 (and a qWarning with the answer) if it failed.
qint64 createPost(TestServer &server, const Account &author, const QString &title,
    const QString &content = QStringLiteral("Some content."), bool published = true);

// "/v1/posts/{id}".
QString postPath(qint64 id);

// POST /v1/vote {"post_id", "dir"} as `voter`.
HttpResult vote(TestServer &server, const Account &voter, qint64 postId, int dir);

// Reading answers. The JSON object of an answer (empty if it is none).
QJsonObject objectOf(const HttpResult &result);
// Its "id" (0 if none).
qint64 idOf(const HttpResult &result);
// A page's "items", their ids in order, and its "total" (-1 if it has none).
QJsonArray itemsOf(const HttpResult &result);
QList<qint64> idsOf(const HttpResult &result);
qint64 totalOf(const HttpResult &result);
// A string member of `object`.
QString textOf(const QJsonObject &object, const char *key);

} // namespace Outpost::Test

// Fails the current test unless `result` is a problem with this status and title. A macro, as
// QVERIFY2 must be, so that a failure names the test's own line.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage)
#define OUTPOST_VERIFY_PROBLEM(result, status, title)                                              \
    do {                                                                                           \
        const QByteArray mismatch_ =                                                               \
            ::Outpost::Test::problemMismatch((result), (status), QStringLiteral(title));           \
        QVERIFY2(mismatch_.isEmpty(), mismatch_.constData());                                      \
    } while (false)
