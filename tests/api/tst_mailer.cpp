// The mailer (server/services/mailer.h) against a real SMTP server, Debian's aiosmtpd on
// 127.0.0.1 with STARTTLS and AUTH required (tests/support/smtpserver.py): what arrives (parts,
// headers, encodings), that user data cannot add a header, failures (wrong password, a server
// without STARTTLS) logged, retried and counted, plain SMTP only when asked for, and digests.
#include "services/mailer.h"
#include "smtpserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace Outpost::Test;
using namespace Outpost::Server;

namespace {

const QString kTo = QStringLiteral("someone@example.test");

MailSettings settingsFor(const SmtpServer &smtp)
{
    MailSettings settings;
    settings.url = QUrl(QStringLiteral("smtp://127.0.0.1:%1").arg(smtp.port()));
    settings.username = smtp.user();
    settings.password = smtp.password().toUtf8();
    settings.from = QStringLiteral("Outpost Tests <outpost@outpost.test>");
    settings.caFile = smtp.caFile();
    settings.retryDelay = std::chrono::milliseconds(10);
    settings.maxAttempts = 2;
    settings.timeout = std::chrono::seconds(10);
    return settings;
}

QStringList headerNames(const QJsonObject &message)
{
    QStringList names;
    const QJsonArray headers = message.value(QStringLiteral("headers")).toArray();
    for (const auto &header : headers)
        names.append(header.toObject().value(QStringLiteral("name")).toString().toLower());
    return names;
}

} // namespace

class TestMailer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void isOffWithoutUrl();
    void sendsMultipartAlternativeOverStartTlsWithAuth();
    void userDataCannotInjectHeaders();
    void wrongPasswordIsLoggedRetriedAndCounted();
    void refusesServerWithoutStartTls();
    void plainSmtpWhenAskedForExplicitly();
    void foldsEventsIntoOneDigestPerRecipient();

private:
    SmtpServer m_smtp {SmtpServer::Mode::StartTls};
};

void TestMailer::initTestCase()
{
    QVERIFY2(m_smtp.start(), qPrintable(m_smtp.lastError()));
}

void TestMailer::isOffWithoutUrl()
{
    Mailer mailer {MailSettings {}};
    QVERIFY(!mailer.enabled());
    mailer.send(kTo, QStringLiteral("s"), QStringLiteral("t"), QStringLiteral("<p>h</p>"));
    mailer.notify(kTo, QStringLiteral("post.created"), {});
    QCOMPARE(mailer.counters().sent, 0U);
    QCOMPARE(mailer.counters().dropped, 0U);
}

void TestMailer::sendsMultipartAlternativeOverStartTlsWithAuth()
{
    const int before = int(m_smtp.messages().size());
    Mailer mailer(settingsFor(m_smtp));
    QVERIFY(mailer.enabled());
    const QString subject = QStringLiteral("Grüße aus Outpost ✓ — a subject long enough to need "
                                           "more than one encoded word when it is encoded");
    const QString text = QStringLiteral("Hello,\nline two with ümlauts\n.\nend");
    const QString html = QStringLiteral("<p>Hello, <b>ümlaut</b></p>");
    const QDateTime sentAfter = QDateTime::currentDateTimeUtc().addSecs(-1);
    mailer.send(kTo, subject, text, html);
    QVERIFY(m_smtp.waitForMessages(before + 1));
    const QJsonObject message = m_smtp.messages().at(before);
    QTRY_COMPARE(mailer.counters().sent, 1U);

    QVERIFY(message.value(QStringLiteral("tls")).toBool());
    QVERIFY(message.value(QStringLiteral("authenticated")).toBool());
    QCOMPARE(message.value(QStringLiteral("mail_from")).toString(),
        QStringLiteral("outpost@outpost.test"));
    QCOMPARE(message.value(QStringLiteral("rcpt_tos")).toArray(), QJsonArray {kTo});
    QCOMPARE(message.value(QStringLiteral("defects")).toArray(), QJsonArray {});
    QCOMPARE(message.value(QStringLiteral("content_type")).toString(),
        QStringLiteral("multipart/alternative"));
    const QJsonArray parts = message.value(QStringLiteral("parts")).toArray();
    QCOMPARE(parts.size(), 2);
    for (const auto &part : parts) {
        QCOMPARE(
            part.toObject().value(QStringLiteral("charset")).toString(), QStringLiteral("utf-8"));
    }
    // Line ends come back as the reader's; the text and the lone "." line survive SMTP.
    QCOMPARE(SmtpServer::part(message, QStringLiteral("text/plain"))
                 .replace(QStringLiteral("\r\n"), QStringLiteral("\n")),
        text);
    QCOMPARE(SmtpServer::part(message, QStringLiteral("text/html")).trimmed(), html);

    QCOMPARE(SmtpServer::header(message, QStringLiteral("Subject")), subject);
    QCOMPARE(SmtpServer::header(message, QStringLiteral("To")), QStringLiteral("<%1>").arg(kTo));
    QCOMPARE(SmtpServer::header(message, QStringLiteral("From")),
        QStringLiteral("\"Outpost Tests\" <outpost@outpost.test>"));
    QCOMPARE(SmtpServer::header(message, QStringLiteral("MIME-Version")), QStringLiteral("1.0"));
    // Encoded words stay within RFC 2047's 75 characters, on folded lines.
    const QString head = message.value(QStringLiteral("head")).toString();
    static const QRegularExpression word(QStringLiteral("=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]*\\?="));
    int words = 0;
    for (auto it = word.globalMatch(head); it.hasNext(); ++words)
        QVERIFY(it.next().capturedLength() <= 75);
    QVERIFY(words >= 2);

    const QString id = SmtpServer::header(message, QStringLiteral("Message-ID"));
    QVERIFY2(
        QRegularExpression(QStringLiteral("^<[0-9a-f]{32}@outpost\\.test>$")).match(id).hasMatch(),
        qPrintable(id));
    const QDateTime date =
        QDateTime::fromString(SmtpServer::header(message, QStringLiteral("Date")), Qt::RFC2822Date);
    QVERIFY2(date.isValid(), qPrintable(SmtpServer::header(message, QStringLiteral("Date"))));
    QVERIFY(date >= sentAfter);
    QVERIFY(date <= QDateTime::currentDateTimeUtc().addSecs(1));
    QVERIFY(SmtpServer::header(message, QStringLiteral("Date")).endsWith(QStringLiteral(" +0000")));

    QByteArray metrics;
    mailer.appendMetrics(metrics);
    QVERIFY2(
        metrics.contains("outpost_mail_messages_total{result=\"sent\"} 1\n"), metrics.constData());
    QVERIFY2(metrics.contains("outpost_mail_queue_depth 0\n"), metrics.constData());
}

void TestMailer::userDataCannotInjectHeaders()
{
    const int before = int(m_smtp.messages().size());
    MailSettings settings = settingsFor(m_smtp);
    settings.digestWindow = std::chrono::seconds(1);
    Mailer mailer(settings);
    const QString title = QStringLiteral(
        "Hello\r\nBcc: victim@evil.test\r\nX-Injected: yes\n\r<script>alert(1)</script>");
    mailer.send(kTo, title, QStringLiteral("text"), QStringLiteral("<p>html</p>"));
    mailer.notify(QStringLiteral("watcher@example.test"), QStringLiteral("post.created"),
        {{QStringLiteral("title"), title}, {QStringLiteral("id"), 7}});
    // A recipient that would add one is refused.
    mailer.send(QStringLiteral("a@example.test>\r\nBcc: victim@evil.test"), QStringLiteral("s"),
        QStringLiteral("t"), QStringLiteral("h"));
    QCOMPARE(mailer.counters().dropped, 1U);
    QVERIFY(m_smtp.waitForMessages(before + 2));
    QTRY_COMPARE(mailer.counters().sent, 2U);
    const QList<QJsonObject> messages = m_smtp.messages().mid(before);
    for (const QJsonObject &message : messages) {
        const QStringList names = headerNames(message);
        QVERIFY2(!names.contains(QStringLiteral("bcc")), qPrintable(names.join(u',')));
        QVERIFY2(!names.contains(QStringLiteral("x-injected")), qPrintable(names.join(u',')));
        QCOMPARE(names.count(QStringLiteral("subject")), 1);
        QCOMPARE(message.value(QStringLiteral("rcpt_tos")).toArray().size(), 1);
        QCOMPARE(message.value(QStringLiteral("defects")).toArray(), QJsonArray {});
        const QString subject = SmtpServer::header(message, QStringLiteral("Subject"));
        QVERIFY2(subject.contains(
                     QStringLiteral("Hello Bcc: victim@evil.test X-Injected: yes <script>")),
            qPrintable(subject));
    }
    // The digest's HTML has the title escaped; its text has it as it is.
    const QJsonObject digest =
        messages.at(0).value(QStringLiteral("rcpt_tos")).toArray().first() == kTo ? messages.at(1)
                                                                                  : messages.at(0);
    const QString html = SmtpServer::part(digest, QStringLiteral("text/html"));
    QVERIFY2(
        html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")), qPrintable(html));
    QVERIFY2(!html.contains(QStringLiteral("<script>")), qPrintable(html));
    QVERIFY(SmtpServer::part(digest, QStringLiteral("text/plain"))
                .contains(QStringLiteral("<script>alert(1)</script>")));
}

void TestMailer::wrongPasswordIsLoggedRetriedAndCounted()
{
    const int before = int(m_smtp.messages().size());
    const int failuresBefore = m_smtp.authFailures();
    MailSettings settings = settingsFor(m_smtp);
    settings.password = "not-the-password";
    Mailer mailer(settings);
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("failed \\(attempt 1 of 2\\), trying again .*535")));
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("failed after 2 attempt\\(s\\), given up: .*535")));
    mailer.send(kTo, QStringLiteral("never"), QStringLiteral("t"), QStringLiteral("h"));
    QTRY_COMPARE_WITH_TIMEOUT(mailer.counters().failed, 1U, 20'000);
    QCOMPARE(mailer.counters().attemptsFailed, 2U);
    QCOMPARE(mailer.counters().sent, 0U);
    QCOMPARE(m_smtp.authFailures() - failuresBefore, 2);
    QCOMPARE(int(m_smtp.messages().size()), before);
    QByteArray metrics;
    mailer.appendMetrics(metrics);
    QVERIFY2(metrics.contains("outpost_mail_messages_total{result=\"failed\"} 1\n"),
        metrics.constData());
    QVERIFY2(metrics.contains("outpost_mail_send_failures_total 2\n"), metrics.constData());
}

void TestMailer::refusesServerWithoutStartTls()
{
    SmtpServer plain(SmtpServer::Mode::Plain);
    QVERIFY2(plain.start(), qPrintable(plain.lastError()));
    MailSettings settings = settingsFor(plain);
    settings.username.clear();
    settings.maxAttempts = 1;
    Mailer mailer(settings); // smtp:// without ?starttls=off: STARTTLS is required
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("failed after 1 attempt\\(s\\), given up")));
    mailer.send(kTo, QStringLiteral("in clear"), QStringLiteral("t"), QStringLiteral("h"));
    QTRY_COMPARE_WITH_TIMEOUT(mailer.counters().failed, 1U, 20'000);
    QCOMPARE(plain.messages().size(), 0);
}

void TestMailer::plainSmtpWhenAskedForExplicitly()
{
    SmtpServer plain(SmtpServer::Mode::Plain);
    QVERIFY2(plain.start(), qPrintable(plain.lastError()));
    MailSettings settings = settingsFor(plain);
    settings.url = QUrl(QStringLiteral("smtp://127.0.0.1:%1?starttls=off").arg(plain.port()));
    settings.username.clear();
    Mailer mailer(settings);
    mailer.send(kTo, QStringLiteral("in clear"), QStringLiteral("t"), QStringLiteral("h"));
    QVERIFY(plain.waitForMessages(1));
    QVERIFY(!plain.messages().first().value(QStringLiteral("tls")).toBool());
    QCOMPARE(SmtpServer::header(plain.messages().first(), QStringLiteral("Subject")),
        QStringLiteral("in clear"));
}

void TestMailer::foldsEventsIntoOneDigestPerRecipient()
{
    const int before = int(m_smtp.messages().size());
    MailSettings settings = settingsFor(m_smtp);
    settings.digestWindow = std::chrono::seconds(2);
    settings.maxEventsPerDigest = 3;
    Mailer mailer(settings);
    const QString many = QStringLiteral("many@example.test");
    const QString one = QStringLiteral("one@example.test");
    for (int i = 1; i <= 4; ++i) {
        mailer.notify(many, QStringLiteral("post.created"),
            {{QStringLiteral("id"), i},
                {QStringLiteral("title"), QStringLiteral("Post %1").arg(i)}});
    }
    mailer.notify(
        one, QStringLiteral("run.failed"), {{QStringLiteral("name"), QStringLiteral("deploy")}});
    QVERIFY(m_smtp.waitForMessages(before + 2));
    QTRY_COMPARE(mailer.counters().sent, 2U);
    QJsonObject digest;
    QJsonObject single;
    for (const QJsonObject &message : m_smtp.messages().mid(before)) {
        if (message.value(QStringLiteral("rcpt_tos")).toArray().first() == many) {
            digest = message;
        } else {
            single = message;
        }
    }
    QCOMPARE(SmtpServer::header(digest, QStringLiteral("Subject")),
        QStringLiteral("[Outpost] 4 new events"));
    const QString text = SmtpServer::part(digest, QStringLiteral("text/plain"));
    for (int i = 1; i <= 3; ++i)
        QVERIFY2(text.contains(QStringLiteral("title: Post %1").arg(i)), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("Post 4")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("and 1 more")), qPrintable(text));
    QCOMPARE(SmtpServer::header(single, QStringLiteral("Subject")),
        QStringLiteral("[Outpost] run.failed: deploy"));
    QCOMPARE(single.value(QStringLiteral("rcpt_tos")).toArray(), QJsonArray {one});
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const int code = SmtpServer::exitCodeWithoutTools(); code >= 0)
        return code;
    TestMailer test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mailer.moc"
