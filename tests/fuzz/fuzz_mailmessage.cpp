// The SMTP message builder (server/services/mailmessage.cpp): "subject\nto\ntext". Whatever
// the subject holds (CR, LF, NUL, long non-ASCII runs, lone surrogates), its header is printable
// ASCII, folded only as CRLF + space, with lines within the RFC 5322 limit, and decodes back to
// the cleaned text; a rendered message has no header line that its builder did not write.
#include "fuzzrequest.h"
#include "services/mailmessage.h"

#include <QList>
#include <QRegularExpression>

#include <algorithm>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Outpost::Server;

namespace {

// The words of an encoded header, decoded and joined; the text itself when it is plain.
QString decoded(const QByteArray &header)
{
    if (!header.startsWith("=?UTF-8?B?"))
        return QString::fromLatin1(header);
    QByteArray utf8;
    const QList<QByteArray> words = header.split(' ');
    for (QByteArray word : words) {
        word = word.trimmed();
        if (!word.startsWith("=?UTF-8?B?") || !word.endsWith("?="))
            std::abort();
        utf8 += QByteArray::fromBase64(word.mid(10, word.size() - 12));
    }
    return QString::fromUtf8(utf8);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [subjectBytes, rest] = Fuzz::splitAt(data, size, '\n');
    const QByteArray more = rest;
    const auto [to, text] = Fuzz::splitAt(
        reinterpret_cast<const uint8_t *>(more.constData()), size_t(more.size()), '\n');
    const QString subject = QString::fromUtf8(subjectBytes);

    const QByteArray header = MailMessage::encodedHeaderText(subject);
    const QList<QByteArray> lines = header.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (i + 1 < lines.size()) {
            if (!line.endsWith('\r'))
                std::abort(); // a bare LF
            line.chop(1);
        }
        if (i > 0 && !line.startsWith(' '))
            std::abort(); // a continuation must start with white space
        if (line.size() > 998)
            std::abort();
        for (const char c : line) {
            if (c < 0x20 || c > 0x7e)
                std::abort();
        }
    }
    // What the builder promises to keep: the text with controls as spaces, simplified.
    QString clean = subject;
    for (QChar &ch : clean) {
        const char16_t c = ch.unicode();
        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029)
            ch = QLatin1Char(' ');
    }
    clean = clean.simplified();
    const bool plain = std::all_of(clean.cbegin(), clean.cend(),
        [](QChar ch) { return ch.unicode() >= 0x20 && ch.unicode() <= 0x7e; });
    if (plain && clean.size() <= 900 ? header != clean.toLatin1() : decoded(header) != clean)
        std::abort();

    (void)MailMessage::addressOf(QString::fromUtf8(to));
    if (!MailMessage::isValidAddress(QString::fromUtf8(to)))
        return 0;
    MailMessage message;
    message.from = QStringLiteral("Outpost <outpost@example.com>");
    message.to = QString::fromUtf8(to);
    message.subject = subject;
    message.text = QString::fromUtf8(text);
    message.html = MailMessage::htmlEscaped(message.text);
    message.messageId = QByteArrayLiteral("<fuzz@example.com>");
    message.date = QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC);
    const QByteArray rendered = message.render();
    const qsizetype end = rendered.indexOf("\r\n\r\n");
    if (end < 0)
        std::abort();
    static const QRegularExpression known(QStringLiteral(
        "^(Date|From|To|Subject|Message-ID|MIME-Version|Auto-Submitted|Content-Type): "));
    const QList<QByteArray> headerLines = rendered.left(end).split('\n');
    for (QByteArray line : headerLines) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.contains('\r') || line.contains('\0'))
            std::abort();
        if (!line.startsWith(' ') && !known.match(QString::fromLatin1(line)).hasMatch())
            std::abort();
    }
    return 0;
}
