// Administration (server/api/adminapi.cpp): API keys, the audit trail and server information;
// and the whole OpenAPI document against the validator.
#include "factories.h"
#include "testserver.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost::Test;

namespace {

// The value under a path of object keys.
QJsonValue valueAt(const QJsonObject &root, const QStringList &keys)
{
    QJsonValue value = root;
    for (const QString &key : keys)
        value = value.toObject().value(key);
    return value;
}

QJsonObject keyRequest(const QString &name, const QStringList &scopes)
{
    return {{QStringLiteral("name"), name},
        {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)}};
}

bool isRfc3339(const QJsonValue &value)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
    return value.isString() && pattern.match(value.toString()).hasMatch();
}

QJsonObject findById(const HttpResult &list, qint64 id)
{
    for (const QJsonValue &item : itemsOf(list)) {
        if (item.toObject().value(QStringLiteral("id")).toInteger() == id)
            return item.toObject();
    }
    return {};
}

// The position (0 = newest) of the first audit entry with this action and target id; -1 if
// none.
qsizetype auditIndex(const QJsonArray &entries, const QString &action, const QString &targetId)
{
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        if (entry.value(QStringLiteral("action")).toString() == action
            && entry.value(QStringLiteral("target_id")).toString() == targetId)
            return i;
    }
    return -1;
}

// The version of the newest migration in the source tree (what a freshly migrated database is
// at); 0 if none is found.
int newestMigration()
{
    const QDir dir(
        qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/resources/migrations"));
    int newest = 0;
    for (const QString &name : dir.entryList({QStringLiteral("*.up.sql")}, QDir::Files))
        newest = qMax(newest, name.section(QLatin1Char('_'), 0, 0).toInt());
    return newest;
}

} // namespace

class TestAdminApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void createdKeyIsShownOnce();
    void createKeyRejectsInvalidInput_data();
    void createKeyRejectsInvalidInput();
    void keyRoutesNeedAnAdmin();
    void apiKeyCannotBeUsedOnUserOrAdminRoutes_data();
    void apiKeyCannotBeUsedOnUserOrAdminRoutes();
    void lastUsedAtIsSetOnceTheKeyIsUsed();
    void revokedKeyStopsWorking();
    void keyListIsAPaginatedEnvelope();
    void unknownKeyIs401();

    void auditRecordsWhoDidWhatNewestFirst();
    void auditRecordsBootstrapAdmin();
    void auditKeepsNoSecrets();
    void auditPages();
    void auditRejectsOutOfRangePaging_data();
    void auditRejectsOutOfRangePaging();
    void auditFiltersByUser();
    void auditRejectsABadUserFilter_data();
    void auditRejectsABadUserFilter();

    void infoDescribesTheServer();
    void infoCountsUsers();
    void adminRoutesNeedAnAdmin_data();
    void adminRoutesNeedAnAdmin();

    void openApiDescribesAdminRoutes();
    void openApiListsKeysAndAuditAsPages();
    void openApiPassesTheValidator();
    // Last: it leaves posts behind, which infoDescribesTheServer() counts.
    void apiKeyScopesOpenTheirRoutesOnly();

private:
    QJsonArray audit(int limit = 100);

    TestServer m_server;
    Account m_admin;
    Account m_user;
};

// A failure because the shared server went away says so, with its last words.
void TestAdminApi::cleanup()
{
    if (QTest::currentTestFailed() && !m_server.isRunning()) {
        qWarning().noquote() << "the server is not running:" << m_server.processState() << "\n"
                             << QString::fromUtf8(m_server.output().right(2000));
    }
}

void TestAdminApi::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
    m_user = createAccount(m_server);
    QVERIFY(m_user.ok());
}

QJsonArray TestAdminApi::audit(int limit)
{
    const HttpResult result =
        get(m_server, QStringLiteral("/v1/admin/audit?limit=%1").arg(limit), m_admin.auth());
    return itemsOf(result);
}

void TestAdminApi::createdKeyIsShownOnce()
{
    const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"),
        keyRequest(QStringLiteral("ci runner"),
            {QStringLiteral("pipelines:write"), QStringLiteral("read")}),
        m_admin.auth());
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("Cache-Control"), QByteArray("no-store"));
    const QJsonObject key = created.json().object();
    const qint64 id = key.value(QStringLiteral("id")).toInteger();
    QVERIFY(id > 0);
    QCOMPARE(created.header("Location"), QStringLiteral("/v1/api-keys/%1").arg(id).toUtf8());
    const QString secret = key.value(QStringLiteral("key")).toString();
    static const QRegularExpression shape(QStringLiteral("^opk_[A-Za-z0-9]{43}$"));
    QVERIFY2(shape.match(secret).hasMatch(), qPrintable(secret));
    QCOMPARE(key.value(QStringLiteral("name")).toString(), QStringLiteral("ci runner"));
    QCOMPARE(key.value(QStringLiteral("scopes")).toArray(),
        QJsonArray({QStringLiteral("pipelines:write"), QStringLiteral("read")}));
    QCOMPARE(key.value(QStringLiteral("prefix")).toString(), secret.left(8));
    QVERIFY(isRfc3339(key.value(QStringLiteral("created_at"))));
    QCOMPARE(key.value(QStringLiteral("last_used_at")), QJsonValue(QJsonValue::Null));
    QCOMPARE(key.value(QStringLiteral("created_by")).toInteger(), m_admin.id);

    // The list describes it without the key.
    const HttpResult list = get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth());
    QCOMPARE(list.status, 200);
    const QJsonObject listed = findById(list, id);
    QCOMPARE(listed.value(QStringLiteral("name")).toString(), QStringLiteral("ci runner"));
    QCOMPARE(listed.value(QStringLiteral("prefix")).toString(), secret.left(8));
    QVERIFY(!listed.contains(QStringLiteral("key")));
    QVERIFY(!list.body.contains(secret.toLatin1()));
    QVERIFY(!list.body.contains("\"key\""));
    QVERIFY(totalOf(list) >= 1);

    // Two keys never share a secret.
    const HttpResult another = post(m_server, QStringLiteral("/v1/api-keys"),
        keyRequest(QStringLiteral("ci runner"), {QStringLiteral("read")}), m_admin.auth());
    QCOMPARE(another.status, 201);
    QVERIFY(another.json().object().value(QStringLiteral("key")).toString() != secret);
}

void TestAdminApi::createKeyRejectsInvalidInput_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    const QString read = QStringLiteral("read");
    QTest::newRow("no scopes") << keyRequest(QStringLiteral("k"), {}) << QStringLiteral("scopes");
    QTest::newRow("unknown scope")
        << keyRequest(QStringLiteral("k"), {QStringLiteral("admin")}) << QStringLiteral("scopes");
    QTest::newRow("duplicate scope")
        << keyRequest(QStringLiteral("k"), {read, read}) << QStringLiteral("scopes");
    QTest::newRow("scopes not an array") << QJsonObject {
        {QStringLiteral("name"), QStringLiteral("k")},
        {QStringLiteral("scopes"), read}} << QStringLiteral("scopes");
    QTest::newRow("missing scopes")
        << QJsonObject {{QStringLiteral("name"), QStringLiteral("k")}} << QStringLiteral("scopes");
    QTest::newRow("missing name") << QJsonObject {{QStringLiteral("scopes"), QJsonArray {read}}}
                                  << QStringLiteral("name");
    QTest::newRow("blank name") << keyRequest(QStringLiteral("   "), {read})
                                << QStringLiteral("name");
    QTest::newRow("name of 101") << keyRequest(QString(101, QLatin1Char('n')), {read})
                                 << QStringLiteral("name");
    QJsonObject extra = keyRequest(QStringLiteral("k"), {read});
    extra.insert(QStringLiteral("key"), QStringLiteral("opk_chosen_by_me"));
    QTest::newRow("client-chosen key") << extra << QStringLiteral("key");
}

void TestAdminApi::createKeyRejectsInvalidInput()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    const qint64 before = get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth())
                              .json()
                              .object()
                              .value(QStringLiteral("total"))
                              .toInteger();
    const HttpResult result = post(m_server, QStringLiteral("/v1/api-keys"), body, m_admin.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QVERIFY2(errorFields(result).contains(field), result.body.constData());
    const qint64 after = get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth())
                             .json()
                             .object()
                             .value(QStringLiteral("total"))
                             .toInteger();
    QCOMPARE(after, before);
}

void TestAdminApi::keyRoutesNeedAnAdmin()
{
    const QJsonObject body = keyRequest(QStringLiteral("sneaky"), {QStringLiteral("read")});
    OUTPOST_VERIFY_PROBLEM(
        post(m_server, QStringLiteral("/v1/api-keys"), body, m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(
        post(m_server, QStringLiteral("/v1/api-keys"), body), 401, "Unauthorized");
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/api-keys"), m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(get(m_server, QStringLiteral("/v1/api-keys")), 401, "Unauthorized");

    const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"), body, m_admin.auth());
    QCOMPARE(created.status, 201);
    const QString path = QStringLiteral("/v1/api-keys/%1").arg(idOf(created));
    OUTPOST_VERIFY_PROBLEM(del(m_server, path, m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(del(m_server, path), 401, "Unauthorized");
    // Still there.
    const QByteArray key =
        created.json().object().value(QStringLiteral("key")).toString().toLatin1();
    const HttpResult list = get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth());
    QVERIFY(!findById(list, idOf(created)).isEmpty());
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(key)).status, 403);
}

void TestAdminApi::apiKeyCannotBeUsedOnUserOrAdminRoutes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::newRow("me") << QByteArrayLiteral("GET") << QStringLiteral("/v1/users/me");
    QTest::newRow("a user") << QByteArrayLiteral("GET") << QStringLiteral("/v1/users/1");
    QTest::newRow("user list") << QByteArrayLiteral("GET") << QStringLiteral("/v1/users");
    QTest::newRow("api keys") << QByteArrayLiteral("GET") << QStringLiteral("/v1/api-keys");
    QTest::newRow("admin info") << QByteArrayLiteral("GET") << QStringLiteral("/v1/admin/info");
    QTest::newRow("audit") << QByteArrayLiteral("GET") << QStringLiteral("/v1/admin/audit");
    QTest::newRow("delete a user") << QByteArrayLiteral("DELETE") << QStringLiteral("/v1/users/2");
}

void TestAdminApi::apiKeyCannotBeUsedOnUserOrAdminRoutes()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    // A key made by an admin, with every scope: still no user or admin powers.
    const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"),
        keyRequest(QStringLiteral("all scopes"),
            {QStringLiteral("pipelines:write"), QStringLiteral("files:write"),
                QStringLiteral("read")}),
        m_admin.auth());
    QCOMPARE(created.status, 201);
    const QByteArray key =
        created.json().object().value(QStringLiteral("key")).toString().toLatin1();
    const HttpResult result = httpRequest(method, m_server.url(path), {}, bearer(key));
    OUTPOST_VERIFY_PROBLEM(result, 403, "Forbidden");
    QCOMPARE(result.json().object().value(QStringLiteral("detail")).toString(),
        QStringLiteral("API keys cannot be used here"));
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/2"), m_admin.auth()).status, 200);
}

// A key works where its scope applies (read: posts, search, files, pipelines; files:write:
// file writes and uploads) and nowhere else, acting as the admin who made it without that
// admin's powers: another user's unpublished post stays hidden.
void TestAdminApi::apiKeyScopesOpenTheirRoutesOnly()
{
    const auto keyWith = [this](const QString &name, const QStringList &scopes) {
        const HttpResult created = post(
            m_server, QStringLiteral("/v1/api-keys"), keyRequest(name, scopes), m_admin.auth());
        return created.status == 201
            ? created.json().object().value(QStringLiteral("key")).toString().toLatin1()
            : QByteArray();
    };
    const QByteArray reader = keyWith(QStringLiteral("reader"), {QStringLiteral("read")});
    const QByteArray writer = keyWith(QStringLiteral("uploader"), {QStringLiteral("files:write")});
    const QByteArray ci = keyWith(QStringLiteral("ci"), {QStringLiteral("pipelines:write")});
    QVERIFY(!reader.isEmpty() && !writer.isEmpty() && !ci.isEmpty());
    const qint64 published = createPost(m_server, m_user, QStringLiteral("Open to readers"));
    const qint64 draft =
        createPost(m_server, m_user, QStringLiteral("A draft"), QStringLiteral("Not yet."), false);
    QVERIFY(published > 0 && draft > 0);

    // read: the reads, and nothing that writes.
    QCOMPARE(get(m_server, QStringLiteral("/v1/posts"), bearer(reader)).status, 200);
    QCOMPARE(get(m_server, postPath(published), bearer(reader)).status, 200);
    OUTPOST_VERIFY_PROBLEM(get(m_server, postPath(draft), bearer(reader)), 404, "Not Found");
    QCOMPARE(get(m_server, QStringLiteral("/v1/search?q=readers"), bearer(reader)).status, 200);
    QCOMPARE(get(m_server, QStringLiteral("/v1/files"), bearer(reader)).status, 200);
    QCOMPARE(get(m_server, QStringLiteral("/v1/pipelines"), bearer(reader)).status, 200);
    const QJsonObject postBody {{QStringLiteral("title"), QStringLiteral("By a key")},
        {QStringLiteral("content"), QStringLiteral("Should not exist.")}};
    const HttpResult created =
        post(m_server, QStringLiteral("/v1/posts"), postBody, bearer(reader));
    OUTPOST_VERIFY_PROBLEM(created, 403, "Forbidden");
    QCOMPARE(created.json().object().value(QStringLiteral("detail")).toString(),
        QStringLiteral("API keys cannot be used here"));
    const HttpResult upload = httpRequest("PUT",
        m_server.url(QStringLiteral("/v1/files/keys/by-reader.txt")), "text", bearer(reader));
    OUTPOST_VERIFY_PROBLEM(upload, 403, "Forbidden");
    QCOMPARE(upload.json().object().value(QStringLiteral("detail")).toString(),
        QStringLiteral("this API key lacks the files:write scope"));

    // files:write: writes files, reads nothing.
    const QUrl file = m_server.url(QStringLiteral("/v1/files/keys/by-uploader.txt"));
    QCOMPARE(httpRequest("PUT", file, "uploaded by a key", bearer(writer)).status, 201);
    const HttpResult unread = httpRequest("GET", file, {}, bearer(writer));
    OUTPOST_VERIFY_PROBLEM(unread, 403, "Forbidden");
    QCOMPARE(unread.json().object().value(QStringLiteral("detail")).toString(),
        QStringLiteral("this API key lacks the read scope"));
    const HttpResult read = httpRequest("GET", file, {}, bearer(reader));
    QCOMPARE(read.status, 200);
    QCOMPARE(read.body, QByteArray("uploaded by a key"));
    QCOMPARE(httpRequest("DELETE", file, {}, bearer(writer)).status, 204);

    // pipelines:write alone reads nothing either.
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/posts"), bearer(ci)), 403, "Forbidden");
    // Nothing was written by the refused requests.
    const HttpResult mine = get(m_server, QStringLiteral("/v1/posts?limit=100"), m_admin.auth());
    for (const QJsonValue &item : itemsOf(mine))
        QVERIFY(item.toObject().value(QStringLiteral("title")).toString() != u"By a key");
    QCOMPARE(httpRequest("GET", m_server.url(QStringLiteral("/v1/files/keys/by-reader.txt")), {},
                 m_admin.auth())
                 .status,
        404);
}

void TestAdminApi::lastUsedAtIsSetOnceTheKeyIsUsed()
{
    const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"),
        keyRequest(QStringLiteral("used later"), {QStringLiteral("read")}), m_admin.auth());
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);
    const QByteArray key =
        created.json().object().value(QStringLiteral("key")).toString().toLatin1();
    QCOMPARE(findById(get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth()), id)
                 .value(QStringLiteral("last_used_at")),
        QJsonValue(QJsonValue::Null));

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-2);
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(key)).status, 403);
    const QJsonValue lastUsed =
        findById(get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth()), id)
            .value(QStringLiteral("last_used_at"));
    QVERIFY2(isRfc3339(lastUsed), qPrintable(lastUsed.toString()));
    const QDateTime at = QDateTime::fromString(lastUsed.toString(), Qt::ISODate);
    QVERIFY2(at >= before && at <= QDateTime::currentDateTimeUtc().addSecs(2),
        qPrintable(lastUsed.toString()));
}

void TestAdminApi::revokedKeyStopsWorking()
{
    const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"),
        keyRequest(QStringLiteral("short lived"), {QStringLiteral("read")}), m_admin.auth());
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);
    const QByteArray key =
        created.json().object().value(QStringLiteral("key")).toString().toLatin1();
    const QString path = QStringLiteral("/v1/api-keys/%1").arg(id);
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), bearer(key)).status, 403);

    const HttpResult revoked = del(m_server, path, m_admin.auth());
    QCOMPARE(revoked.status, 204);
    QVERIFY(revoked.body.isEmpty());
    OUTPOST_VERIFY_PROBLEM(del(m_server, path, m_admin.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users/me"), bearer(key)), 401, "Unauthorized");
    QVERIFY(findById(get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth()), id).isEmpty());

    OUTPOST_VERIFY_PROBLEM(
        del(m_server, QStringLiteral("/v1/api-keys/987654"), m_admin.auth()), 404, "Not Found");
    OUTPOST_VERIFY_PROBLEM(del(m_server, QStringLiteral("/v1/api-keys/abc"), m_admin.auth()), 422,
        "Unprocessable Content");
}

void TestAdminApi::keyListIsAPaginatedEnvelope()
{
    // API.md, Conventions: lists are {"items", "total", "limit", "skip"} envelopes with limit
    // 1..100 (default 10) and skip >= 0, out-of-range values 422.
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(post(m_server, QStringLiteral("/v1/api-keys"),
                     keyRequest(QStringLiteral("paged %1").arg(i), {QStringLiteral("read")}),
                     m_admin.auth())
                     .status,
            201);
    }
    const HttpResult defaults = get(m_server, QStringLiteral("/v1/api-keys"), m_admin.auth());
    QCOMPARE(defaults.status, 200);
    const QJsonObject envelope = defaults.json().object();
    QVERIFY2(
        envelope.value(QStringLiteral("limit")).toInt() == 10, defaults.body.left(300).constData());
    QCOMPARE(envelope.value(QStringLiteral("skip")), QJsonValue(0));

    const HttpResult page =
        get(m_server, QStringLiteral("/v1/api-keys?limit=2&skip=1"), m_admin.auth());
    QCOMPARE(page.status, 200);
    QCOMPARE(itemsOf(page).size(), qsizetype(2));
    QCOMPARE(page.json().object().value(QStringLiteral("limit")).toInt(), 2);
    QCOMPARE(page.json().object().value(QStringLiteral("skip")).toInt(), 1);
    OUTPOST_VERIFY_PROBLEM(get(m_server, QStringLiteral("/v1/api-keys?limit=101"), m_admin.auth()),
        422, "Unprocessable Content");
}

void TestAdminApi::unknownKeyIs401()
{
    const QByteArray madeUp = QByteArrayLiteral("opk_") + QByteArray(43, 'A');
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/users/me"), bearer(madeUp)), 401, "Unauthorized");
}

void TestAdminApi::auditRecordsWhoDidWhatNewestFirst()
{
    const QString email = uniqueEmail(QStringLiteral("audited"));
    const qint64 id = createUser(m_server, email);
    QVERIFY(id > 0);
    const QString target = QString::number(id);
    const TokenPair session = login(m_server, email);
    QVERIFY(session.ok());
    const HttpResult failed = httpRequestFrom(QHostAddress(QStringLiteral("127.0.0.77")),
        m_server.port(), "POST", "/v1/login",
        jsonBytes({{QStringLiteral("email"), email},
            {QStringLiteral("password"), QStringLiteral("Wrong-Pass-1")}}));
    QCOMPARE(failed.status, 401);
    QCOMPARE(patch(m_server, QStringLiteral("/v1/users/%1").arg(id),
                 {{QStringLiteral("username"), QStringLiteral("audited_one")}}, m_admin.auth())
                 .status,
        200);
    const HttpResult key = post(m_server, QStringLiteral("/v1/api-keys"),
        keyRequest(QStringLiteral("audited key"), {QStringLiteral("read")}), m_admin.auth());
    QCOMPARE(key.status, 201);
    const QString keyId = QString::number(idOf(key));
    QCOMPARE(del(m_server, QStringLiteral("/v1/api-keys/") + keyId, m_admin.auth()).status, 204);
    const TokenPair rotated = refresh(m_server, session.refreshToken);
    QVERIFY(rotated.ok());
    QCOMPARE(refresh(m_server, session.refreshToken).status, 401); // reuse
    QCOMPARE(del(m_server, QStringLiteral("/v1/users/%1").arg(id), m_admin.auth()).status, 204);

    const HttpResult result =
        get(m_server, QStringLiteral("/v1/admin/audit?limit=100"), m_admin.auth());
    QCOMPARE(result.status, 200);
    const QJsonArray entries = itemsOf(result);
    const QList<qsizetype> order {
        auditIndex(entries, QStringLiteral("user.deleted"), target),
        auditIndex(entries, QStringLiteral("refresh.reuse_detected"), target),
        auditIndex(entries, QStringLiteral("api_key.revoked"), keyId),
        auditIndex(entries, QStringLiteral("api_key.created"), keyId),
        auditIndex(entries, QStringLiteral("user.updated"), target),
        auditIndex(entries, QStringLiteral("login.failed"), target),
        auditIndex(entries, QStringLiteral("login.succeeded"), target),
        auditIndex(entries, QStringLiteral("user.registered"), target),
    };
    for (qsizetype i = 0; i < order.size(); ++i) {
        QVERIFY2(order.at(i) >= 0,
            qPrintable(
                QStringLiteral("entry %1 missing: %2").arg(i).arg(QString::fromUtf8(result.body))));
        if (i > 0)
            QVERIFY2(order.at(i) > order.at(i - 1), result.body.constData()); // newest first
    }
    // Times never increase down the list.
    for (qsizetype i = 1; i < entries.size(); ++i) {
        const QString newer = entries.at(i - 1).toObject().value(QStringLiteral("at")).toString();
        const QString older = entries.at(i).toObject().value(QStringLiteral("at")).toString();
        QVERIFY2(isRfc3339(QJsonValue(older)), qPrintable(older));
        QVERIFY2(
            QDateTime::fromString(newer, Qt::ISODate) >= QDateTime::fromString(older, Qt::ISODate),
            qPrintable(newer + QLatin1Char(' ') + older));
    }

    const QJsonObject failure = entries.at(order.at(5)).toObject();
    QCOMPARE(
        failure.value(QStringLiteral("client_address")).toString(), QStringLiteral("127.0.0.77"));
    QCOMPARE(failure.value(QStringLiteral("target_type")).toString(), QStringLiteral("user"));
    const QJsonObject success = entries.at(order.at(6)).toObject();
    QCOMPARE(
        success.value(QStringLiteral("client_address")).toString(), QStringLiteral("127.0.0.1"));
    // The user is gone (actor_id is then null); the label stays.
    QCOMPARE(success.value(QStringLiteral("actor")).toString(), email);

    const QJsonObject update = entries.at(order.at(4)).toObject();
    QCOMPARE(update.value(QStringLiteral("actor_id")).toInteger(), m_admin.id);
    QCOMPARE(update.value(QStringLiteral("actor")).toString(), m_admin.email);
    QCOMPARE(update.value(QStringLiteral("detail"))
                 .toObject()
                 .value(QStringLiteral("username"))
                 .toString(),
        QStringLiteral("audited_one"));
    const QJsonObject deletion = entries.at(order.at(0)).toObject();
    QCOMPARE(deletion.value(QStringLiteral("actor_id")).toInteger(), m_admin.id);
    QCOMPARE(deletion.value(QStringLiteral("target_type")).toString(), QStringLiteral("user"));
    const QJsonObject created = entries.at(order.at(3)).toObject();
    QCOMPARE(created.value(QStringLiteral("target_type")).toString(), QStringLiteral("api_key"));
    QCOMPARE(created.value(QStringLiteral("actor_id")).toInteger(), m_admin.id);
}

void TestAdminApi::auditRecordsBootstrapAdmin()
{
    const QJsonArray entries = audit(100);
    const QString adminId = QString::number(m_admin.id);
    const qsizetype bootstrap =
        auditIndex(entries, QStringLiteral("user.bootstrap_admin"), adminId);
    QVERIFY(bootstrap >= 0);
    // Nobody was signed in: the entry names how the first admin got in (here a registration
    // from the server's own machine).
    const QJsonObject entry = entries.at(bootstrap).toObject();
    QCOMPARE(
        entry.value(QStringLiteral("actor")).toString(), QStringLiteral("loopback registration"));
    QCOMPARE(entry.value(QStringLiteral("detail")).toObject().value(QStringLiteral("method")),
        QJsonValue(QStringLiteral("loopback")));
    QCOMPARE(auditIndex(entries, QStringLiteral("user.registered"), adminId), qsizetype(-1));
    const QString userId = QString::number(m_user.id);
    QVERIFY(auditIndex(entries, QStringLiteral("user.registered"), userId) >= 0);
    QCOMPARE(auditIndex(entries, QStringLiteral("user.bootstrap_admin"), userId), qsizetype(-1));
}

void TestAdminApi::auditKeepsNoSecrets()
{
    const QString password = QStringLiteral("Very-Secret-Word-42");
    const Account user = createAccount(m_server, {}, password);
    QVERIFY(user.ok());
    QCOMPARE(login(m_server, user.email, QStringLiteral("Wrong-But-Secret-43")).status, 401);
    const QString next = QStringLiteral("Next-Secret-Word-44");
    QCOMPARE(
        patch(m_server, QStringLiteral("/v1/users/%1").arg(user.id),
            {{QStringLiteral("password"), next}, {QStringLiteral("current_password"), password}},
            user.auth())
            .status,
        200);
    const HttpResult key = post(m_server, QStringLiteral("/v1/api-keys"),
        keyRequest(QStringLiteral("secret key"), {QStringLiteral("read")}), m_admin.auth());
    QCOMPARE(key.status, 201);
    const QByteArray secret =
        key.json().object().value(QStringLiteral("key")).toString().toLatin1();

    const HttpResult result =
        get(m_server, QStringLiteral("/v1/admin/audit?limit=100"), m_admin.auth());
    QCOMPARE(result.status, 200);
    QVERIFY(
        auditIndex(itemsOf(result), QStringLiteral("user.updated"), QString::number(user.id)) >= 0);
    for (const QByteArray &needle : {password.toUtf8(), QByteArray("Wrong-But-Secret-43"),
             next.toUtf8(), secret, user.accessToken, user.refreshToken, QByteArray("$2")})
        QVERIFY2(!result.body.contains(needle), needle.constData());
}

void TestAdminApi::auditPages()
{
    const HttpResult all =
        get(m_server, QStringLiteral("/v1/admin/audit?limit=100"), m_admin.auth());
    const qint64 total = totalOf(all);
    QVERIFY(total >= 3);
    const QJsonArray items = itemsOf(all);

    const HttpResult page =
        get(m_server, QStringLiteral("/v1/admin/audit?limit=2&skip=1"), m_admin.auth());
    QCOMPARE(page.status, 200);
    const QJsonObject envelope = page.json().object();
    QCOMPARE(envelope.value(QStringLiteral("limit")).toInt(), 2);
    QCOMPARE(envelope.value(QStringLiteral("skip")).toInt(), 1);
    QVERIFY(envelope.value(QStringLiteral("total")).toInteger() >= total);
    const QJsonArray paged = envelope.value(QStringLiteral("items")).toArray();
    QCOMPARE(paged.size(), qsizetype(2));
    // Nothing was recorded in between (reading the audit is not audited), so pages line up.
    QCOMPARE(paged.at(0).toObject().value(QStringLiteral("id")),
        items.at(1).toObject().value(QStringLiteral("id")));
    QCOMPARE(paged.at(1).toObject().value(QStringLiteral("id")),
        items.at(2).toObject().value(QStringLiteral("id")));

    const HttpResult defaults = get(m_server, QStringLiteral("/v1/admin/audit"), m_admin.auth());
    QCOMPARE(defaults.json().object().value(QStringLiteral("limit")).toInt(), 10);
    QCOMPARE(defaults.json().object().value(QStringLiteral("skip")).toInt(), 0);
}

void TestAdminApi::auditRejectsOutOfRangePaging_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("limit 0") << QStringLiteral("limit=0");
    QTest::newRow("limit 101") << QStringLiteral("limit=101");
    QTest::newRow("skip -1") << QStringLiteral("skip=-1");
    QTest::newRow("limit x") << QStringLiteral("limit=x");
}

void TestAdminApi::auditRejectsOutOfRangePaging()
{
    QFETCH(QString, query);
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/admin/audit?") + query, m_admin.auth()), 422,
        "Unprocessable Content");
}

// user_id: what the user did (actor) and what was done to their account (target user), and
// nothing about anyone else; counted and paged the same way.
void TestAdminApi::auditFiltersByUser()
{
    const QString email = uniqueEmail(QStringLiteral("trail"));
    const qint64 id = createUser(m_server, email);
    QVERIFY(id > 0);
    const QString other = uniqueEmail(QStringLiteral("bystander"));
    QVERIFY(createUser(m_server, other) > 0);
    QVERIFY(login(m_server, other).ok());
    QVERIFY(login(m_server, email).ok()); // by them
    QCOMPARE(patch(m_server, QStringLiteral("/v1/users/%1").arg(id),
                 {{QStringLiteral("username"), QStringLiteral("trail_one")}}, m_admin.auth())
                 .status,
        200); // about them, by the admin

    const HttpResult trail = get(
        m_server, QStringLiteral("/v1/admin/audit?limit=100&user_id=%1").arg(id), m_admin.auth());
    QCOMPARE(trail.status, 200);
    const QJsonArray entries = itemsOf(trail);
    QVERIFY2(entries.size() >= 2, trail.body.constData()); // signed in, updated
    QCOMPARE(totalOf(trail), qint64(entries.size()));
    const QString target = QString::number(id);
    for (const QJsonValue &value : entries) {
        const QJsonObject entry = value.toObject();
        const bool byThem = entry.value(QStringLiteral("actor_id")).toInteger() == id;
        const bool aboutThem = entry.value(QStringLiteral("target_type")).toString() == u"user"
            && entry.value(QStringLiteral("target_id")).toString() == target;
        QVERIFY2(byThem || aboutThem, QJsonDocument(entry).toJson().constData());
    }
    const qsizetype updated = auditIndex(entries, QStringLiteral("user.updated"), target);
    const qsizetype signedIn = auditIndex(entries, QStringLiteral("login.succeeded"), target);
    QVERIFY(updated >= 0);
    QVERIFY(signedIn >= 0);
    QVERIFY(updated < signedIn); // newest first, like the whole trail

    const HttpResult paged = get(m_server,
        QStringLiteral("/v1/admin/audit?limit=1&skip=1&user_id=%1").arg(id), m_admin.auth());
    QCOMPARE(paged.status, 200);
    QCOMPARE(totalOf(paged), qint64(entries.size()));
    QCOMPARE(itemsOf(paged).size(), qsizetype(1));
    QCOMPARE(itemsOf(paged).at(0).toObject().value(QStringLiteral("id")),
        entries.at(1).toObject().value(QStringLiteral("id")));

    // Someone with no entries has an empty trail, not everyone's.
    const HttpResult nobody =
        get(m_server, QStringLiteral("/v1/admin/audit?user_id=987654321"), m_admin.auth());
    QCOMPARE(nobody.status, 200);
    QCOMPARE(totalOf(nobody), qint64(0));
    QVERIFY(itemsOf(nobody).isEmpty());
    OUTPOST_VERIFY_PROBLEM(
        get(m_server, QStringLiteral("/v1/admin/audit?user_id=%1").arg(id), m_user.auth()), 403,
        "Forbidden");
}

void TestAdminApi::auditRejectsABadUserFilter_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("zero") << QStringLiteral("user_id=0");
    QTest::newRow("negative") << QStringLiteral("user_id=-3");
    QTest::newRow("text") << QStringLiteral("user_id=abc");
    QTest::newRow("empty") << QStringLiteral("user_id=");
    QTest::newRow("plus") << QStringLiteral("user_id=%2B5");
    QTest::newRow("overflow") << QStringLiteral("user_id=99999999999999999999");
}

void TestAdminApi::auditRejectsABadUserFilter()
{
    QFETCH(QString, query);
    const HttpResult result =
        get(m_server, QStringLiteral("/v1/admin/audit?") + query, m_admin.auth());
    OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
    QCOMPARE(errorFields(result), QStringList {QStringLiteral("user_id")});
}

void TestAdminApi::infoDescribesTheServer()
{
    const TestServer::Run version = TestServer::runCli({QStringLiteral("version")});
    QCOMPARE(version.exitCode, 0);
    const QString expectedVersion = QString::fromUtf8(version.out).split(QLatin1Char(' ')).value(1);
    QVERIFY(!expectedVersion.isEmpty());

    const HttpResult result = get(m_server, QStringLiteral("/v1/admin/info"), m_admin.auth());
    QCOMPARE(result.status, 200);
    const QJsonObject info = result.json().object();
    QCOMPARE(info.value(QStringLiteral("version")).toString(), expectedVersion);
    QVERIFY2(isRfc3339(info.value(QStringLiteral("started_at"))), result.body.constData());
    const QDateTime started =
        QDateTime::fromString(info.value(QStringLiteral("started_at")).toString(), Qt::ISODate);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(started <= now.addSecs(1));
    QVERIFY(started >= now.addSecs(-600));
    QVERIFY(info.value(QStringLiteral("uptime_s")).isDouble());
    const qint64 uptime = info.value(QStringLiteral("uptime_s")).toInteger(-1);
    QVERIFY2(uptime >= 0 && uptime <= started.secsTo(now) + 1, result.body.constData());
    QVERIFY(newestMigration() >= 1);
    QCOMPARE(info.value(QStringLiteral("database")).toObject(),
        (QJsonObject {{QStringLiteral("driver"), TestServer::dialect()},
            {QStringLiteral("schema_version"), newestMigration()}}));
    QCOMPARE(info.value(QStringLiteral("file_store"))
                 .toObject()
                 .value(QStringLiteral("kind"))
                 .toString(),
        QStringLiteral("local"));
    const QJsonObject counts = info.value(QStringLiteral("counts")).toObject();
    for (const QString &name :
        {QStringLiteral("posts"), QStringLiteral("files"), QStringLiteral("pipelines")})
        QCOMPARE(counts.value(name), QJsonValue(0));
    QVERIFY(!result.body.contains(m_server.dataDir().toUtf8()));

    // Uptime moves; started_at does not.
    const auto infoNow = [this] {
        return objectOf(get(m_server, QStringLiteral("/v1/admin/info"), m_admin.auth()));
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        infoNow().value(QStringLiteral("uptime_s")).toInteger() > uptime, 10'000);
    QCOMPARE(
        infoNow().value(QStringLiteral("started_at")), info.value(QStringLiteral("started_at")));
}

void TestAdminApi::infoCountsUsers()
{
    const auto users = [this] {
        return get(m_server, QStringLiteral("/v1/admin/info"), m_admin.auth())
            .json()
            .object()
            .value(QStringLiteral("counts"))
            .toObject()
            .value(QStringLiteral("users"))
            .toInteger(-1);
    };
    const qint64 listed = get(m_server, QStringLiteral("/v1/users"), m_admin.auth())
                              .json()
                              .object()
                              .value(QStringLiteral("total"))
                              .toInteger();
    QCOMPARE(users(), listed);
    const qint64 id = createUser(m_server, uniqueEmail(QStringLiteral("counted")));
    QVERIFY(id > 0);
    QCOMPARE(users(), listed + 1);
    QCOMPARE(del(m_server, QStringLiteral("/v1/users/%1").arg(id), m_admin.auth()).status, 204);
    QCOMPARE(users(), listed);
}

void TestAdminApi::adminRoutesNeedAnAdmin_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("info") << QStringLiteral("/v1/admin/info");
    QTest::newRow("audit") << QStringLiteral("/v1/admin/audit");
}

void TestAdminApi::adminRoutesNeedAnAdmin()
{
    QFETCH(QString, path);
    OUTPOST_VERIFY_PROBLEM(get(m_server, path, m_user.auth()), 403, "Forbidden");
    OUTPOST_VERIFY_PROBLEM(get(m_server, path), 401, "Unauthorized");
    QCOMPARE(get(m_server, path, m_admin.auth()).status, 200);
}

void TestAdminApi::openApiDescribesAdminRoutes()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject paths = result.json().object().value(QStringLiteral("paths")).toObject();
    const QList<QPair<QString, QStringList>> expected {
        {QStringLiteral("/v1/api-keys"), {QStringLiteral("get"), QStringLiteral("post")}},
        {QStringLiteral("/v1/api-keys/{id}"), {QStringLiteral("delete")}},
        {QStringLiteral("/v1/admin/info"), {QStringLiteral("get")}},
        {QStringLiteral("/v1/admin/audit"), {QStringLiteral("get")}},
        // The rest of this change's routes, so one suite sees the whole set.
        {QStringLiteral("/v1/users"), {QStringLiteral("get"), QStringLiteral("post")}},
        {QStringLiteral("/v1/users/me"), {QStringLiteral("get")}},
        {QStringLiteral("/v1/users/{id}"),
            {QStringLiteral("get"), QStringLiteral("patch"), QStringLiteral("delete")}},
        {QStringLiteral("/v1/login"), {QStringLiteral("post")}},
        {QStringLiteral("/v1/token/refresh"), {QStringLiteral("post")}},
        {QStringLiteral("/v1/logout"), {QStringLiteral("post")}},
    };
    for (const auto &[path, methods] : expected) {
        QVERIFY2(paths.contains(path), qPrintable(path));
        for (const QString &method : methods) {
            QVERIFY2(paths.value(path).toObject().contains(method),
                qPrintable(path + QLatin1Char(' ') + method));
        }
    }
}

void TestAdminApi::openApiListsKeysAndAuditAsPages()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject document = result.json().object();
    for (const auto &[path, item] :
        {std::pair {QStringLiteral("/v1/api-keys"), QStringLiteral("ApiKey")},
            std::pair {QStringLiteral("/v1/admin/audit"), QStringLiteral("AuditEntry")}}) {
        const QString page = item + QStringLiteral("Page");
        QCOMPARE(valueAt(document,
                     {QStringLiteral("paths"), path, QStringLiteral("get"),
                         QStringLiteral("responses"), QStringLiteral("200"),
                         QStringLiteral("content"), QStringLiteral("application/json"),
                         QStringLiteral("schema"), QStringLiteral("$ref")})
                     .toString(),
            QStringLiteral("#/components/schemas/") + page);
        const QJsonObject schema =
            valueAt(document, {QStringLiteral("components"), QStringLiteral("schemas"), page})
                .toObject();
        QCOMPARE(schema.value(QStringLiteral("required")).toArray(),
            (QJsonArray {QStringLiteral("items"), QStringLiteral("total"), QStringLiteral("limit"),
                QStringLiteral("skip")}));
        QCOMPARE(valueAt(schema,
                     {QStringLiteral("properties"), QStringLiteral("items"),
                         QStringLiteral("items"), QStringLiteral("$ref")})
                     .toString(),
            QStringLiteral("#/components/schemas/") + item);
    }
}

void TestAdminApi::openApiPassesTheValidator()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
