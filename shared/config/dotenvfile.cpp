#include "dotenvfile.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace Outpost {

namespace {

constexpr qint64 maxDotEnvBytes = 1024LL * 1024;

bool isValidKey(const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(key).hasMatch();
}

// What may follow a closing quote: nothing, or a comment.
bool onlyCommentLeft(QStringView rest)
{
    const QStringView trimmed = rest.trimmed();
    return trimmed.isEmpty() || trimmed.startsWith(u'#');
}

} // namespace

Result<QList<DotEnvEntry>> DotEnvFile::read(const QString &path)
{
    QFile file(path);
    if (!file.exists()) {
        return QList<DotEnvEntry> {};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(Error::validation(
            path, QStringLiteral("cannot read the file (%1)").arg(file.errorString())));
    }
    const QByteArray text = file.read(maxDotEnvBytes + 1);
    if (text.size() > maxDotEnvBytes) {
        return fail(Error::validation(path, QStringLiteral("the file is larger than 1 MiB")));
    }
    return parse(text, path);
}

Result<QList<DotEnvEntry>> DotEnvFile::parse(const QByteArray &text, const QString &fileName)
{
    QList<DotEnvEntry> entries;
    const QStringList lines = QString::fromUtf8(text).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNumber = int(i + 1);
        const auto lineError = [&](const QString &message) {
            return fail(Error::validation(
                QStringLiteral("%1 line %2").arg(fileName).arg(lineNumber), message));
        };

        QStringView line = QStringView(lines.at(i)).trimmed();
        if (line.isEmpty() || line.startsWith(u'#')) {
            continue;
        }
        if (line.startsWith(u"export") && line.size() > 6 && line.at(6).isSpace()) {
            line = line.mid(7).trimmed();
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals < 0) {
            return lineError(QStringLiteral("expected KEY=VALUE"));
        }
        const QString key = line.left(equals).trimmed().toString();
        if (!isValidKey(key)) {
            return lineError(QStringLiteral("the name before '=' must be letters, digits and _"));
        }

        const QStringView raw = line.mid(equals + 1).trimmed();
        QString value;
        if (raw.startsWith(u'\'')) {
            const qsizetype close = raw.indexOf(u'\'', 1);
            if (close < 0) {
                return lineError(
                    QStringLiteral("unterminated single quote (values span one line)"));
            }
            if (!onlyCommentLeft(raw.mid(close + 1))) {
                return lineError(QStringLiteral("unexpected text after the closing quote"));
            }
            value = raw.mid(1, close - 1).toString();
        } else if (raw.startsWith(u'"')) {
            qsizetype pos = 1;
            bool closed = false;
            for (; pos < raw.size(); ++pos) {
                const QChar c = raw.at(pos);
                if (c == u'"') {
                    closed = true;
                    break;
                }
                if (c == u'\\' && pos + 1 < raw.size()) {
                    const QChar next = raw.at(++pos);
                    switch (next.unicode()) {
                    case 'n':
                        value += u'\n';
                        break;
                    case 'r':
                        value += u'\r';
                        break;
                    case 't':
                        value += u'\t';
                        break;
                    case '"':
                    case '\\':
                    case '$':
                        value += next;
                        break;
                    default:
                        // Unknown escapes stay as written, as in docker compose.
                        value += u'\\';
                        value += next;
                    }
                    continue;
                }
                value += c;
            }
            if (!closed) {
                return lineError(
                    QStringLiteral("unterminated double quote (values span one line)"));
            }
            if (!onlyCommentLeft(raw.mid(pos + 1))) {
                return lineError(QStringLiteral("unexpected text after the closing quote"));
            }
        } else {
            // An unquoted value ends at a '#' that follows whitespace ("a#b" keeps its '#').
            qsizetype end = raw.size();
            for (qsizetype pos = 1; pos < raw.size(); ++pos) {
                if (raw.at(pos) == u'#' && raw.at(pos - 1).isSpace()) {
                    end = pos;
                    break;
                }
            }
            value = raw.left(end).trimmed().toString();
        }
        entries.append(DotEnvEntry {key, value, lineNumber});
    }
    return entries;
}

} // namespace Outpost
