#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace Outpost::Server {

// One e-mail as RFC 5322 text: multipart/alternative with a plain-text and an HTML part, both
// UTF-8 and base64. Every header value is built here from checked or encoded text, so user data
// (a post title with CR/LF in it) can never start a header of its own.
struct MailMessage
{
    QString from;         // "Name <local@domain>" or "local@domain" (checked by the config)
    QString to;           // one address, checked by isValidAddress()
    QString subject;      // any text: control characters become spaces, non-ASCII RFC 2047
    QString text;         // the text/plain part
    QString html;         // the text/html part (the caller escapes user data: htmlEscaped())
    QByteArray messageId; // "<random@host-of-from>", made once so retries keep it
    QDateTime date;

    // A new Message-ID for a message from `from`.
    static QByteArray newMessageId(const QString &from);
    // The bare address of a mailbox ("Name <a@b>" -> "a@b").
    static QString addressOf(const QString &mailbox);
    // A plain addr-spec without spaces, quotes, brackets, commas or control characters.
    static bool isValidAddress(const QString &address);
    // "Mon, 07 Dec 2026 15:04:05 +0000" (RFC 5322 3.3), in UTC.
    static QByteArray rfc5322Date(const QDateTime &time);
    // A header value of any text: control characters as spaces, RFC 2047 B-words (UTF-8) folded
    // onto continuation lines when it is not plain printable ASCII.
    static QByteArray encodedHeaderText(const QString &text);
    static QString htmlEscaped(const QString &text);

    // The message with CRLF line ends, ready for SMTP DATA (libcurl does the dot-stuffing).
    QByteArray render() const;
};

} // namespace Outpost::Server
