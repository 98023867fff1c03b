// How the mailer writes a message (server/services/mailmessage.h), without a server: header
// values from user data never hold a line break, non-ASCII subjects are RFC 2047 words within
// the length limit, dates are RFC 5322, addresses that could add a header are refused.
// tests/api/tst_mailer.cpp checks what a real SMTP server and Python's parser make of it.
#include "services/mailmessage.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace Outpost::Server;

class TestMailMessage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerTextHasNoLineBreaks_data();
    void headerTextHasNoLineBreaks();
    void nonAsciiBecomesShortEncodedWords();
    void dateIsRfc5322InUtc();
    void refusesAddressesThatCouldAddHeaders_data();
    void refusesAddressesThatCouldAddHeaders();
    void messageIdUsesTheSendersDomain();
    void rendersMultipartAlternative();
};

void TestMailMessage::headerTextHasNoLineBreaks_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QStringLiteral("A title") << QByteArray("A title");
    QTest::newRow("crlf") << QStringLiteral("A\r\nBcc: x@evil.test")
                          << QByteArray("A Bcc: x@evil.test");
    QTest::newRow("lone cr and lf") << QStringLiteral("A\rB\nC") << QByteArray("A B C");
    QTest::newRow("nul and tab") << QStringLiteral("A\tB").append(QChar(0)).append(u'C')
                                 << QByteArray("A B C");
}

void TestMailMessage::headerTextHasNoLineBreaks()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);
    QCOMPARE(MailMessage::encodedHeaderText(text), expected);
}

void TestMailMessage::nonAsciiBecomesShortEncodedWords()
{
    const QString subject =
        QStringLiteral("Überall ✓ ") + QString(40, u'é') + QStringLiteral("\r\nBcc: x");
    const QByteArray encoded = MailMessage::encodedHeaderText(subject);
    // Folded only as "CRLF SPACE" between words, never a bare line break.
    const QList<QByteArray> lines = encoded.split('\n');
    QVERIFY(lines.size() > 1);
    QString decoded;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (i + 1 < lines.size()) {
            QVERIFY(line.endsWith('\r'));
            line.chop(1);
        }
        if (i > 0) {
            QVERIFY(line.startsWith(' '));
            line = line.mid(1);
        }
        QVERIFY2(line.size() <= 75, line.constData());
        QVERIFY(line.startsWith("=?UTF-8?B?") && line.endsWith("?="));
        decoded += QString::fromUtf8(QByteArray::fromBase64(line.mid(10, line.size() - 12)));
    }
    QCOMPARE(decoded, QStringLiteral("Überall ✓ ") + QString(40, u'é') + QStringLiteral(" Bcc: x"));
}

void TestMailMessage::dateIsRfc5322InUtc()
{
    const QDateTime time(QDate(2026, 12, 7), QTime(9, 5, 3), QTimeZone(3600));
    QCOMPARE(MailMessage::rfc5322Date(time), QByteArray("Mon, 07 Dec 2026 08:05:03 +0000"));
}

void TestMailMessage::refusesAddressesThatCouldAddHeaders_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QStringLiteral("someone@example.test") << true;
    QTest::newRow("plus") << QStringLiteral("some.one+tag@example.test") << true;
    QTest::newRow("crlf") << QStringLiteral("a@example.test\r\nBcc: b@evil.test") << false;
    QTest::newRow("bracket") << QStringLiteral("a@example.test>") << false;
    QTest::newRow("comma") << QStringLiteral("a@example.test,b@evil.test") << false;
    QTest::newRow("space") << QStringLiteral("a b@example.test") << false;
    QTest::newRow("two at") << QStringLiteral("a@b@example.test") << false;
    QTest::newRow("no local") << QStringLiteral("@example.test") << false;
    QTest::newRow("non-ascii") << QStringLiteral("ü@example.test") << false;
}

void TestMailMessage::refusesAddressesThatCouldAddHeaders()
{
    QFETCH(QString, address);
    QFETCH(bool, valid);
    QCOMPARE(MailMessage::isValidAddress(address), valid);
}

void TestMailMessage::messageIdUsesTheSendersDomain()
{
    const QByteArray id =
        MailMessage::newMessageId(QStringLiteral("Outpost <noreply@mail.example.org>"));
    QVERIFY2(QRegularExpression(QStringLiteral("^<[0-9a-f]{32}@mail\\.example\\.org>$"))
                 .match(QString::fromLatin1(id))
                 .hasMatch(),
        id.constData());
    QVERIFY(MailMessage::newMessageId(QStringLiteral("a@b.test"))
        != MailMessage::newMessageId(QStringLiteral("a@b.test")));
}

void TestMailMessage::rendersMultipartAlternative()
{
    MailMessage message;
    message.from = QStringLiteral("Outpost <outpost@example.test>");
    message.to = QStringLiteral("someone@example.test");
    message.subject = QStringLiteral("Hi");
    message.text = QStringLiteral("text ✓");
    message.html = QStringLiteral("<p>html ✓</p>");
    message.messageId = "<1@example.test>";
    message.date = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    const QByteArray raw = message.render();
    const qsizetype end = raw.indexOf("\r\n\r\n");
    QVERIFY(end > 0);
    const QByteArray head = raw.left(end);
    QVERIFY(head.contains("\r\nContent-Type: multipart/alternative; boundary=\""));
    QVERIFY(head.startsWith("Date: Fri, 02 Jan 2026 03:04:05 +0000\r\n"));
    QVERIFY(head.contains("\r\nMessage-ID: <1@example.test>\r\n"));
    QVERIFY(head.contains("\r\nFrom: \"Outpost\" <outpost@example.test>\r\n"));
    QVERIFY(!raw.contains("\n\n") && !raw.contains("\r\r")); // CRLF only
    QVERIFY(raw.contains(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"));
    QVERIFY(raw.contains(
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"));
    QVERIFY(raw.contains(QStringLiteral("text ✓").toUtf8().toBase64()));
    QVERIFY(raw.endsWith("--\r\n"));
}

QTEST_GUILESS_MAIN(TestMailMessage)
#include "tst_mailmessage.moc"
