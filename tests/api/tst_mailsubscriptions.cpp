// E-mail subscriptions end to end (issue 19): a subscription of kind "email" is delivered by the
// dispatcher (server/services/deliverydispatcher.*) through the mailer
// (server/services/mailer.*) to a real SMTP server, Debian's aiosmtpd with STARTTLS and AUTH
// required (tests/support/smtpserver.py). The two halves are tested on their own in
// tst_subscriptionsapi and tst_mailer; this suite checks the wiring between them in
// server/server.cpp, on SQLite and (the _pg twin) PostgreSQL.

#include "factories.h"
#include "smtpserver.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Outpost::Test;

namespace {

QString recipientOf(const QJsonObject &message)
{
    const QJsonArray to = message.value(QStringLiteral("rcpt_tos")).toArray();
    return to.size() == 1 ? to.first().toString() : QString();
}

} // namespace

class TestMailSubscriptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void eventsReachTheSubscriberByMail();
    void anotherUsersUnpublishedPostIsNotMailed();

private:
    HttpResult subscribe(const Account &account, const QStringList &events);

    SmtpServer m_smtp {SmtpServer::Mode::StartTls};
    TestServer m_server;
};

void TestMailSubscriptions::initTestCase()
{
    QVERIFY2(m_smtp.start(), qPrintable(m_smtp.lastError()));
    const QMap<QString, QString> env = m_smtp.serverEnvironment();
    for (auto it = env.begin(); it != env.end(); ++it)
        m_server.setEnv(it.key(), it.value());
    m_server.setEnv(QStringLiteral("OUTPOST_MAIL_DIGEST_WINDOW"), QStringLiteral("1s"));
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
}

HttpResult TestMailSubscriptions::subscribe(const Account &account, const QStringList &events)
{
    return post(m_server, QStringLiteral("/v1/subscriptions"),
        {{QStringLiteral("kind"), QStringLiteral("email")}, {QStringLiteral("to"), account.email},
            {QStringLiteral("events"), QJsonArray::fromStringList(events)}},
        account.auth());
}

void TestMailSubscriptions::eventsReachTheSubscriberByMail()
{
    const Account user = createAccount(m_server);
    QVERIFY(user.ok());
    const HttpResult created = subscribe(user, {QStringLiteral("post.created")});
    QCOMPARE(created.status, 201);

    const int before = int(m_smtp.messages().size());
    const qint64 postId = createPost(m_server, user, QStringLiteral("Mailed to its author"));
    QVERIFY(postId > 0);
    QVERIFY(m_smtp.waitForMessages(before + 1));

    const QJsonObject mail = m_smtp.messages().at(before);
    QCOMPARE(recipientOf(mail), user.email);
    QVERIFY2(SmtpServer::header(mail, QStringLiteral("Subject")).contains(u"post.created"),
        qPrintable(SmtpServer::header(mail, QStringLiteral("Subject"))));
    const QString text =
        SmtpServer::part(mail, QStringLiteral("text/plain")).remove(QLatin1Char('\r'));
    QVERIFY2(text.contains(QStringLiteral("id: %1\n").arg(postId)), qPrintable(text));

    // The delivery is recorded as done, not left pending.
    const qint64 subscription = idOf(created);
    QDeadlineTimer deadline(15'000);
    QString status;
    while (!deadline.hasExpired()) {
        const HttpResult deliveries = get(m_server,
            QStringLiteral("/v1/subscriptions/%1/deliveries").arg(subscription), user.auth());
        QCOMPARE(deliveries.status, 200);
        const QJsonArray items = itemsOf(deliveries);
        status = items.isEmpty() ? QString() : textOf(items.first().toObject(), "status");
        if (status == u"delivered")
            break;
        QTest::qWait(50);
    }
    QCOMPARE(status, QStringLiteral("delivered"));
}

void TestMailSubscriptions::anotherUsersUnpublishedPostIsNotMailed()
{
    const Account watcher = createAccount(m_server);
    const Account author = createAccount(m_server);
    QVERIFY(watcher.ok() && author.ok());
    QCOMPARE(subscribe(watcher, {QStringLiteral("post.*")}).status, 201);

    const int before = int(m_smtp.messages().size());
    const qint64 draft = createPost(
        m_server, author, QStringLiteral("Draft"), QStringLiteral("Hidden."), /*published=*/false);
    QVERIFY(draft > 0);
    // A published post after it: once its mail has arrived, the draft's would have too.
    const qint64 published = createPost(m_server, author, QStringLiteral("Public"));
    QVERIFY(published > 0);
    QVERIFY(m_smtp.waitForMessages(before + 1));
    QDeadlineTimer settle(2'000); // the digest window (1 s) plus a poll, for a second mail
    while (!settle.hasExpired() && m_smtp.messages().size() == before + 1)
        QTest::qWait(50);

    QString all;
    for (qsizetype i = before; i < m_smtp.messages().size(); ++i) {
        const QJsonObject mail = m_smtp.messages().at(i);
        if (recipientOf(mail) == watcher.email)
            all += SmtpServer::part(mail, QStringLiteral("text/plain")).remove(QLatin1Char('\r'));
    }
    QVERIFY2(all.contains(QStringLiteral("id: %1\n").arg(published)), qPrintable(all));
    QVERIFY2(!all.contains(QStringLiteral("id: %1\n").arg(draft)), qPrintable(all));
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const int code = SmtpServer::exitCodeWithoutTools(); code >= 0)
        return code;
    TestMailSubscriptions test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mailsubscriptions.moc"
