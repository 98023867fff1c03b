#include "mailmessage.h"

#include "auth/crypto.h"

#include <QLocale>

#include <algorithm>

namespace Outpost::Server {

namespace {

QString withoutControls(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        // C0, DEL, C1, and the Unicode line and paragraph separators.
        const bool control = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029;
        out.append(control ? QChar(u' ') : ch);
    }
    return out;
}

bool plainAscii(const QString &text)
{
    return std::ranges::all_of(
        text, [](QChar ch) { return ch.unicode() >= 0x20 && ch.unicode() <= 0x7e; });
}

// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 6.8).
QByteArray base64Lines(const QByteArray &data)
{
    const QByteArray encoded = data.toBase64();
    QByteArray out;
    out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        out.append(encoded.mid(i, 76)).append("\r\n");
    return out;
}

// Text with any line ends, as CRLF lines.
QByteArray crlfText(const QString &text)
{
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    normalized.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    normalized.replace(QStringLiteral("\n"), QStringLiteral("\r\n"));
    return normalized.toUtf8();
}

} // namespace

QByteArray MailMessage::newMessageId(const QString &from)
{
    const QString address = addressOf(from);
    const QString host = address.mid(address.lastIndexOf(QLatin1Char('@')) + 1);
    return '<' + Crypto::randomBytes(16).toHex() + '@'
        + (host.isEmpty() ? QByteArrayLiteral("outpost.invalid") : host.toLatin1()) + '>';
}

QString MailMessage::addressOf(const QString &mailbox)
{
    const qsizetype open = mailbox.lastIndexOf(QLatin1Char('<'));
    if (open >= 0 && mailbox.endsWith(QLatin1Char('>')))
        return mailbox.mid(open + 1, mailbox.size() - open - 2).trimmed();
    return mailbox.trimmed();
}

bool MailMessage::isValidAddress(const QString &address)
{
    if (address.size() > 254 || address.count(QLatin1Char('@')) != 1)
        return false;
    const qsizetype at = address.indexOf(QLatin1Char('@'));
    if (at == 0 || at == address.size() - 1)
        return false;
    return std::ranges::all_of(address, [](QChar ch) {
        const char16_t c = ch.unicode();
        return c > 0x20 && c < 0x7f && !QStringView(u"<>()[],;:\"\\").contains(ch);
    });
}

QByteArray MailMessage::rfc5322Date(const QDateTime &time)
{
    // English names whatever the locale (RFC 5322 3.3).
    return QLocale::c()
               .toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"))
               .toLatin1()
        + " +0000";
}

QByteArray MailMessage::encodedHeaderText(const QString &text)
{
    const QString clean = withoutControls(text).simplified();
    if (plainAscii(clean) && clean.size() <= 900)
        return clean.toLatin1();
    // Encoded words of at most 45 bytes of UTF-8 (60 of base64: each word stays under the
    // 75-character limit of RFC 2047 2), never splitting a character.
    QByteArray out;
    QByteArray chunk;
    const auto flush = [&] {
        if (chunk.isEmpty())
            return;
        if (!out.isEmpty())
            out.append("\r\n ");
        out.append("=?UTF-8?B?").append(chunk.toBase64()).append("?=");
        chunk.clear();
    };
    const QList<uint> codePoints = clean.toUcs4();
    for (const uint cp : codePoints) {
        const QByteArray bytes =
            QString::fromUcs4(reinterpret_cast<const char32_t *>(&cp), 1).toUtf8();
        if (chunk.size() + bytes.size() > 45)
            flush();
        chunk.append(bytes);
    }
    flush();
    return out;
}

QString MailMessage::htmlEscaped(const QString &text)
{
    return text.toHtmlEscaped().replace(QLatin1Char('\''), QStringLiteral("&#39;"));
}

QByteArray MailMessage::render() const
{
    const QByteArray boundary = "=_outpost_" + Crypto::randomBytes(12).toHex();
    QByteArray out;
    out.reserve(text.size() * 3 + html.size() * 3 + 1024);
    out.append("Date: ").append(rfc5322Date(date)).append("\r\n");
    // From is checked by the configuration; the display name may still need encoding.
    const QString fromAddress = addressOf(from);
    const qsizetype open = from.lastIndexOf(QLatin1Char('<'));
    const QString name = open > 0 ? from.left(open).trimmed() : QString();
    out.append("From: ");
    if (!name.isEmpty()) {
        if (plainAscii(name) && !name.contains(QLatin1Char('"'))
            && !name.contains(QLatin1Char('\\'))) {
            out.append('"').append(name.toLatin1()).append("\" ");
        } else {
            out.append(encodedHeaderText(name)).append(' ');
        }
    }
    out.append('<').append(withoutControls(fromAddress).toLatin1()).append(">\r\n");
    out.append("To: <").append(withoutControls(to).toLatin1()).append(">\r\n");
    out.append("Subject: ").append(encodedHeaderText(subject)).append("\r\n");
    out.append("Message-ID: ").append(messageId).append("\r\n");
    out.append("MIME-Version: 1.0\r\n");
    out.append("Auto-Submitted: auto-generated\r\n");
    out.append("Content-Type: multipart/alternative; boundary=\"")
        .append(boundary)
        .append("\"\r\n");
    out.append("\r\n");
    out.append("--").append(boundary).append("\r\n");
    out.append("Content-Type: text/plain; charset=utf-8\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n");
    out.append(base64Lines(crlfText(text)));
    out.append("--").append(boundary).append("\r\n");
    out.append("Content-Type: text/html; charset=utf-8\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n");
    out.append(base64Lines(crlfText(html)));
    out.append("--").append(boundary).append("--\r\n");
    return out;
}

} // namespace Outpost::Server
