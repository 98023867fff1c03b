#include "sqlscript.h"

#include <QRegularExpression>
#include <QStringView>

#include <algorithm>

namespace Outpost::Server::SqlScript {

namespace {

bool startsCreateTrigger(const QStringList &words)
{
    // CREATE [TEMP|TEMPORARY] TRIGGER, CREATE OR REPLACE TRIGGER, CREATE CONSTRAINT TRIGGER
    return words.size() >= 2 && words.first() == u"CREATE" && words.contains(u"TRIGGER");
}

} // namespace

QStringList splitStatements(const QString &sql)
{
    static const QRegularExpression dollarTag(QStringLiteral(R"(\$([A-Za-z_][A-Za-z0-9_]*)?\$)"));

    QStringList statements;
    QString current;
    bool hasContent = false;
    QStringList leadingWords; // the first words of the statement, upper case
    bool inTrigger = false;
    int blockDepth = 0; // BEGIN/CASE ... END nesting inside a trigger body

    const auto finishStatement = [&] {
        const QString statement = current.trimmed();
        if (hasContent && !statement.isEmpty()) {
            statements.append(statement);
        }
        current.clear();
        hasContent = false;
        leadingWords.clear();
        inTrigger = false;
        blockDepth = 0;
    };

    const qsizetype n = sql.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = sql.at(i);
        const QChar next = i + 1 < n ? sql.at(i + 1) : QChar();

        if (c == u'-' && next == u'-') { // line comment; keep the newline
            while (i < n && sql.at(i) != u'\n') {
                ++i;
            }
            continue;
        }
        if (c == u'/' && next == u'*') { // block comment
            const qsizetype end = sql.indexOf(QStringLiteral("*/"), i + 2);
            i = end < 0 ? n : end + 2;
            current += u' ';
            continue;
        }
        if (c == u'\'' || c == u'"') { // string or quoted identifier; a doubled quote escapes
            qsizetype j = i + 1;
            while (j < n) {
                if (sql.at(j) == c) {
                    if (j + 1 < n && sql.at(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            j = std::min(j + 1, n);
            current += QStringView(sql).mid(i, j - i);
            hasContent = true;
            i = j;
            continue;
        }
        if (c == u'$') { // PostgreSQL dollar quoting: $tag$ ... $tag$
            const QRegularExpressionMatch match = dollarTag.match(sql, i,
                QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
            if (match.hasMatch()) {
                const QString tag = match.captured(0);
                const qsizetype end = sql.indexOf(tag, i + tag.size());
                const qsizetype j = end < 0 ? n : end + tag.size();
                current += QStringView(sql).mid(i, j - i);
                hasContent = true;
                i = j;
                continue;
            }
        }
        if (c.isLetter() || c == u'_') {
            qsizetype j = i + 1;
            while (
                j < n && (sql.at(j).isLetterOrNumber() || sql.at(j) == u'_' || sql.at(j) == u'$')) {
                ++j;
            }
            const QStringView word = QStringView(sql).mid(i, j - i);
            current += word;
            hasContent = true;
            if (inTrigger) {
                const QString upper = word.toString().toUpper();
                if (upper == u"BEGIN" || upper == u"CASE") {
                    ++blockDepth;
                } else if (upper == u"END" && blockDepth > 0) {
                    --blockDepth;
                }
            } else if (leadingWords.size() < 4) {
                leadingWords.append(word.toString().toUpper());
                inTrigger = startsCreateTrigger(leadingWords);
            }
            i = j;
            continue;
        }
        if (c == u';') {
            if (inTrigger && blockDepth > 0) {
                current += c;
                ++i;
                continue;
            }
            finishStatement();
            ++i;
            continue;
        }
        if (!c.isSpace()) {
            hasContent = true;
        }
        current += c;
        ++i;
    }
    finishStatement();
    return statements;
}

} // namespace Outpost::Server::SqlScript
