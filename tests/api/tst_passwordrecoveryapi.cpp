// Password recovery by e-mail (server/api/passwordrecoveryapi.cpp) against a real SMTP server,
// Debian's aiosmtpd with STARTTLS and AUTH required (tests/support/smtpserver.py): the whole
// flow from request to mail to reset, every session ending, single use, expiry, no account
// enumeration, 404 without SMTP, rate limiting, mail metrics and the OpenAPI description. On
// SQLite and PostgreSQL (the _pg twin).
#include "auth/passwordhasher.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "factories.h"
#include "services/auditservice.h"
#include "services/mailer.h"
#include "services/passwordrecoveryservice.h"
#include "smtpserver.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace Outpost::Test;
using namespace Outpost::Server;

namespace {

const QString kNewPassword = QStringLiteral("Brand-New-Pass-7");

QString tokenIn(const QJsonObject &message)
{
    static const QRegularExpression token(QStringLiteral("opr_[A-Za-z0-9_-]{43}"));
    return token.match(SmtpServer::part(message, QStringLiteral("text/plain"))).captured(0);
}

QString recipientOf(const QJsonObject &message)
{
    return message.value(QStringLiteral("rcpt_tos")).toArray().first().toString();
}

} // namespace

class TestPasswordRecoveryApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void recoveryResetsPasswordAndEndsEverySession();
    void unknownEmailAnswersTheSameAndMailsNothing();
    void expiredTokenIsRefused();
    void refusedPasswordLeavesTokenUsable();
    void badRequestsAreProblems();
    void mailIsCountedInMetrics();
    void routesAreNotFoundWithoutSmtp();
    void routesAreRateLimited();
    void openApiDescribesTheRoutes();
    void expiredTokensArePrunedADayLater(); // last: it deletes every token

private:
    QString databaseUrl() const;
    // Asks for a reset of `email` and returns the token from the mail that arrives.
    QString requestToken(const QString &email);
    HttpResult reset(const QString &token, const QString &password);
    // Waits until the audit trail has `count` entries of `action` about `actor`.
    bool waitForAudit(const QString &action, const QString &actor, int count);

    SmtpServer m_smtp {SmtpServer::Mode::StartTls};
    TestServer m_server;
    Account m_admin;
};

void TestPasswordRecoveryApi::initTestCase()
{
    QVERIFY2(m_smtp.start(), qPrintable(m_smtp.lastError()));
    const QMap<QString, QString> env = m_smtp.serverEnvironment();
    for (auto it = env.begin(); it != env.end(); ++it)
        m_server.setEnv(it.key(), it.value());
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    m_admin = createAdmin(m_server);
    QVERIFY(m_admin.ok());
}

QString TestPasswordRecoveryApi::requestToken(const QString &email)
{
    const int before = int(m_smtp.messages().size());
    const HttpResult asked =
        post(m_server, QStringLiteral("/v1/password-recovery"), {{QStringLiteral("email"), email}});
    if (asked.status != 202 || !m_smtp.waitForMessages(before + 1))
        return {};
    const QJsonObject message = m_smtp.messages().at(before);
    return recipientOf(message) == email ? tokenIn(message) : QString();
}

QString TestPasswordRecoveryApi::databaseUrl() const
{
    return TestServer::onPostgres() ? m_server.databaseUrl()
                                    : QStringLiteral("sqlite://")
            + QDir(m_server.dataDir()).filePath(QStringLiteral("outpost.db"));
}

HttpResult TestPasswordRecoveryApi::reset(const QString &token, const QString &password)
{
    return post(m_server, QStringLiteral("/v1/reset-password"),
        {{QStringLiteral("token"), token}, {QStringLiteral("new_password"), password}});
}

bool TestPasswordRecoveryApi::waitForAudit(const QString &action, const QString &actor, int count)
{
    QDeadlineTimer deadline(15'000);
    while (!deadline.hasExpired()) {
        const HttpResult page =
            get(m_server, QStringLiteral("/v1/admin/audit?limit=100"), m_admin.auth());
        int seen = 0;
        for (const auto &entry : itemsOf(page)) {
            const QJsonObject e = entry.toObject();
            seen += e.value(QStringLiteral("action")).toString() == action
                && e.value(QStringLiteral("actor")).toString() == actor;
        }
        if (seen >= count)
            return true;
        QTest::qWait(20);
    }
    return false;
}

void TestPasswordRecoveryApi::recoveryResetsPasswordAndEndsEverySession()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const TokenPair second = login(m_server, user.email);
    QVERIFY(second.ok());

    const int before = int(m_smtp.messages().size());
    const HttpResult asked = post(
        m_server, QStringLiteral("/v1/password-recovery"), {{QStringLiteral("email"), user.email}});
    QCOMPARE(asked.status, 202);
    QVERIFY(asked.body.isEmpty());
    QVERIFY(m_smtp.waitForMessages(before + 1));
    const QJsonObject mail = m_smtp.messages().at(before);
    QCOMPARE(recipientOf(mail), user.email);
    QVERIFY(mail.value(QStringLiteral("tls")).toBool());
    QVERIFY(mail.value(QStringLiteral("authenticated")).toBool());
    QCOMPARE(SmtpServer::header(mail, QStringLiteral("Subject")),
        QStringLiteral("Reset your Outpost password"));
    const QString token = tokenIn(mail);
    QVERIFY2(!token.isEmpty(), qPrintable(SmtpServer::part(mail, QStringLiteral("text/plain"))));
    QVERIFY(SmtpServer::part(mail, QStringLiteral("text/html")).contains(token));

    const HttpResult done = reset(token, kNewPassword);
    QCOMPARE(done.status, 204);

    // Every session ended: refresh tokens revoked, access tokens refused.
    QCOMPARE(refresh(m_server, user.refreshToken).status, 401);
    QCOMPARE(refresh(m_server, second.refreshToken).status, 401);
    QCOMPARE(get(m_server, QStringLiteral("/v1/users/me"), user.auth()).status, 401);
    QCOMPARE(login(m_server, user.email, user.password).status, 401);
    QVERIFY(login(m_server, user.email, kNewPassword).ok());

    // Single use.
    const HttpResult again = reset(token, QStringLiteral("Another-Pass-8"));
    OUTPOST_VERIFY_PROBLEM(again, 422, "Unprocessable Content");
    QCOMPARE(errorFields(again), QStringList {QStringLiteral("token")});
    QVERIFY(login(m_server, user.email, kNewPassword).ok());
    QVERIFY(waitForAudit(QStringLiteral("password.reset"), user.email, 1));
}

void TestPasswordRecoveryApi::unknownEmailAnswersTheSameAndMailsNothing()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const QString unknown = uniqueEmail(QStringLiteral("nobody"));
    const int before = int(m_smtp.messages().size());
    const HttpResult forUnknown = post(
        m_server, QStringLiteral("/v1/password-recovery"), {{QStringLiteral("email"), unknown}});
    QCOMPARE(forUnknown.status, 202);
    // The request for the unknown address is done (its audit entry comes after any mail it
    // would queue); the mailer sends in order, so the next mail is the known user's.
    QVERIFY(waitForAudit(QStringLiteral("password_recovery.requested"), unknown, 1));
    const HttpResult forKnown = post(
        m_server, QStringLiteral("/v1/password-recovery"), {{QStringLiteral("email"), user.email}});
    QCOMPARE(forKnown.status, forUnknown.status);
    QCOMPARE(forKnown.body, forUnknown.body);
    QCOMPARE(forKnown.header("content-type"), forUnknown.header("content-type"));
    QVERIFY(m_smtp.waitForMessages(before + 1));
    QCOMPARE(recipientOf(m_smtp.messages().at(before)), user.email);
}

void TestPasswordRecoveryApi::expiredTokenIsRefused()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const QString token = requestToken(user.email);
    QVERIFY(!token.isEmpty());
    // An hour passes: the token's expiry, moved into the past in the database itself.
    auto parsed = DatabaseUrl::parse(databaseUrl());
    QVERIFY(parsed);
    {
        Database database(*parsed);
        QSqlQuery query(database.connection());
        query.prepare(
            QStringLiteral("UPDATE password_resets SET expires_at = ? WHERE user_id = ?"));
        query.addBindValue(QDateTime::currentDateTimeUtc().addSecs(-1).toString(Qt::ISODate));
        query.addBindValue(user.id);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        QCOMPARE(query.numRowsAffected(), 1);
        query.finish();
        database.closeThreadConnection();
    }
    const HttpResult expired = reset(token, kNewPassword);
    OUTPOST_VERIFY_PROBLEM(expired, 422, "Unprocessable Content");
    QVERIFY2(expired.body.contains("expired"), expired.body.constData());
    QVERIFY(login(m_server, user.email, user.password).ok());
}

void TestPasswordRecoveryApi::refusedPasswordLeavesTokenUsable()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const QString token = requestToken(user.email);
    QVERIFY(!token.isEmpty());
    const HttpResult weak = reset(token, QStringLiteral("short"));
    OUTPOST_VERIFY_PROBLEM(weak, 422, "Unprocessable Content");
    QCOMPARE(errorFields(weak), QStringList {QStringLiteral("new_password")});
    QVERIFY(refresh(m_server, user.refreshToken).ok()); // nothing changed
    QCOMPARE(reset(token, kNewPassword).status, 204);
}

void TestPasswordRecoveryApi::badRequestsAreProblems()
{
    OUTPOST_VERIFY_PROBLEM(
        post(m_server, QStringLiteral("/v1/password-recovery"), {}), 422, "Unprocessable Content");
    OUTPOST_VERIFY_PROBLEM(post(m_server, QStringLiteral("/v1/password-recovery"),
                               {{QStringLiteral("email"), QStringLiteral("not an address")}}),
        422, "Unprocessable Content");
    const HttpResult malformed =
        httpRequest("POST", m_server.url(QStringLiteral("/v1/password-recovery")),
            "{\"email\":", {{"Content-Type", "application/json"}});
    OUTPOST_VERIFY_PROBLEM(malformed, 400, "Bad Request");
    const HttpResult unknownToken = reset(QStringLiteral("opr_") + QString(43, u'A'), kNewPassword);
    OUTPOST_VERIFY_PROBLEM(unknownToken, 422, "Unprocessable Content");
    QCOMPARE(errorFields(unknownToken), QStringList {QStringLiteral("token")});
    const HttpResult missing = post(m_server, QStringLiteral("/v1/reset-password"), {});
    OUTPOST_VERIFY_PROBLEM(missing, 422, "Unprocessable Content");
    QCOMPARE(errorFields(missing),
        (QStringList {QStringLiteral("token"), QStringLiteral("new_password")}));
}

void TestPasswordRecoveryApi::mailIsCountedInMetrics()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    QVERIFY(!requestToken(user.email).isEmpty());
    QDeadlineTimer deadline(15'000);
    double sent = -1;
    while (!deadline.hasExpired()) {
        const HttpResult metrics = get(m_server, QStringLiteral("/metrics"), m_admin.auth());
        QCOMPARE(metrics.status, 200);
        sent = metricValue(metrics.body, "outpost_mail_messages_total{result=\"sent\"}");
        if (sent >= 1)
            break;
        QTest::qWait(20);
    }
    QVERIFY(sent >= 1);
}

void TestPasswordRecoveryApi::routesAreNotFoundWithoutSmtp()
{
    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const HttpResult asked = post(server, QStringLiteral("/v1/password-recovery"),
        {{QStringLiteral("email"), QStringLiteral("someone@example.test")}});
    OUTPOST_VERIFY_PROBLEM(asked, 404, "Not Found");
    QVERIFY2(asked.body.contains("OUTPOST_SMTP_URL"), asked.body.constData());
    const HttpResult reset = post(server, QStringLiteral("/v1/reset-password"),
        {{QStringLiteral("token"), QStringLiteral("opr_x")},
            {QStringLiteral("new_password"), kNewPassword}});
    OUTPOST_VERIFY_PROBLEM(reset, 404, "Not Found");
    const HttpResult metrics = get(server, QStringLiteral("/metrics"));
    QVERIFY(!metrics.body.contains("outpost_mail_"));
}

void TestPasswordRecoveryApi::routesAreRateLimited()
{
    TestServer server;
    const QMap<QString, QString> env = m_smtp.serverEnvironment();
    for (auto it = env.begin(); it != env.end(); ++it)
        server.setEnv(it.key(), it.value());
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_LOOPBACK"), QStringLiteral("limited"));
    server.setEnv(QStringLiteral("OUTPOST_RATE_LIMIT_EXPENSIVE"), QStringLiteral("2/h"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    const QJsonObject body {{QStringLiteral("email"), QStringLiteral("someone@example.test")}};
    QCOMPARE(post(server, QStringLiteral("/v1/password-recovery"), body).status, 202);
    QCOMPARE(post(server, QStringLiteral("/v1/password-recovery"), body).status, 202);
    const HttpResult limited = post(server, QStringLiteral("/v1/password-recovery"), body);
    QCOMPARE(limited.status, 429);
    QVERIFY(!limited.header("retry-after").isEmpty());
}

void TestPasswordRecoveryApi::openApiDescribesTheRoutes()
{
    const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
    QCOMPARE(result.status, 200);
    const QJsonObject paths = result.json().object().value(QStringLiteral("paths")).toObject();
    const QJsonObject recovery = paths.value(QStringLiteral("/v1/password-recovery"))
                                     .toObject()
                                     .value(QStringLiteral("post"))
                                     .toObject();
    const QJsonObject reset = paths.value(QStringLiteral("/v1/reset-password"))
                                  .toObject()
                                  .value(QStringLiteral("post"))
                                  .toObject();
    QCOMPARE(recovery.value(QStringLiteral("operationId")).toString(),
        QStringLiteral("requestPasswordRecovery"));
    QCOMPARE(
        reset.value(QStringLiteral("operationId")).toString(), QStringLiteral("resetPassword"));
    for (const QJsonObject &operation : {recovery, reset}) {
        const QJsonObject responses = operation.value(QStringLiteral("responses")).toObject();
        for (const QString &status :
            {QStringLiteral("404"), QStringLiteral("422"), QStringLiteral("429")}) {
            QVERIFY2(responses.value(status)
                         .toObject()
                         .value(QStringLiteral("content"))
                         .toObject()
                         .contains(QStringLiteral("application/problem+json")),
                qPrintable(status));
        }
    }
    const OpenApiCheck check = validateOpenApi(result.body);
    if (!check.skipReason.isEmpty())
        QSKIP(qPrintable(check.skipReason));
    QVERIFY2(check.ok, check.output.constData());
}

void TestPasswordRecoveryApi::expiredTokensArePrunedADayLater()
{
    auto parsed = DatabaseUrl::parse(databaseUrl());
    QVERIFY(parsed);
    Database database(*parsed);
    const auto count = [&database] {
        QSqlQuery query(database.connection());
        return query.exec(QStringLiteral("SELECT COUNT(*) FROM password_resets")) && query.next()
            ? query.value(0).toLongLong()
            : -1;
    };
    const qint64 before = count();
    QVERIFY(before >= 3); // from the tests above
    PasswordHasher hasher(4);
    AuditService audit(database);
    Mailer mailer {MailSettings {}};
    PasswordRecoveryService recovery(database, hasher, audit, mailer, {});
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Expired (one of them a second ago), but not yet for a day: kept.
    auto pruned = recovery.pruneExpired(now);
    QVERIFY(pruned);
    QCOMPARE(*pruned, 0);
    QCOMPARE(count(), before);
    // A day after the last of them expired: all gone.
    pruned = recovery.pruneExpired(
        now.addSecs(PasswordRecoveryService::kTokenLifetimeSeconds + 86400 + 60));
    QVERIFY(pruned);
    QCOMPARE(*pruned, before);
    QCOMPARE(count(), 0);
    database.closeThreadConnection();
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const int code = SmtpServer::exitCodeWithoutTools(); code >= 0)
        return code;
    TestPasswordRecoveryApi test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_passwordrecoveryapi.moc"
