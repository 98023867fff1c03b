#include "keyphrases.h"

#include "textassets.h"

#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QSet>
#include <QStringView>

#include <algorithm>
#include <cmath>

namespace Outpost::Server {

namespace {

Q_LOGGING_CATEGORY(lcKeyPhrases, "outpost.server", QtInfoMsg)

// Read once, thread-safely (a function-local static), then shared read-only by every request.
const QSet<QString> &stopWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        QFile file(TextAssets::stopWordsPath());
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            // A build without the resource: phrases still come out, just worse.
            qCCritical(lcKeyPhrases) << "stop-word list missing from the build:" << file.fileName();
            return set;
        }
        const QString text = QString::fromUtf8(file.readAll());
        for (const QString &line : text.split(u'\n')) {
            const QString word = line.trimmed();
            if (!word.isEmpty() && !word.startsWith(u'#'))
                set.insert(word.toLower());
        }
        return set;
    }();
    return words;
}

// The code point at i and how many UTF-16 units it takes (2 for a valid surrogate pair).
char32_t codePointAt(QStringView text, qsizetype i, qsizetype *units)
{
    const QChar c = text[i];
    if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
        *units = 2;
        return QChar::surrogateToUcs4(c, text[i + 1]);
    }
    *units = 1;
    return c.unicode();
}

bool isWordChar(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

bool isLineBreak(char32_t c)
{
    return c == U'\n' || c == U'\r' || c == U'\v' || c == U'\f' || c == U'\u0085' || c == U'\u2028'
        || c == U'\u2029';
}

// Characters that join two parts of one word, normalised ('’' is an apostrophe, '‐' a hyphen);
// a null QChar for any other character.
QChar joiner(char32_t c)
{
    switch (c) {
    case U'-':
    case U'\u2010': // hyphen
    case U'\u2011': // non-breaking hyphen
        return u'-';
    case U'\'':
    case U'\u2019': // right single quotation mark, the typographic apostrophe
        return u'\'';
    case U'.':
        return u'.';
    default:
        return {};
    }
}

struct Word
{
    QString text;
    qsizetype length = 0; // in code points
    bool hasLetter = false;
};

// Reads the word starting at *i (a word character) and moves *i past it.
Word readWord(QStringView text, qsizetype *i)
{
    Word word;
    const qsizetype n = text.size();
    qsizetype units = 0;
    while (*i < n) {
        const char32_t c = codePointAt(text, *i, &units);
        if (isWordChar(c)) {
            word.text.append(text.mid(*i, units));
            ++word.length;
            word.hasLetter = word.hasLetter || QChar::isLetter(c);
            *i += units;
            continue;
        }
        const QChar joined = joiner(c);
        if (joined.isNull() || *i + 1 >= n
            || !QChar::isLetterOrNumber(codePointAt(text, *i + 1, &units))) {
            break;
        }
        word.text.append(joined);
        ++word.length;
        *i += 1;
    }
    // "c++", "c#": trailing '+'/'#' belong to the word unless another word follows directly.
    qsizetype end = *i;
    while (end < n && end - *i < 2 && (text[end] == u'+' || text[end] == u'#'))
        ++end;
    if (end > *i && (end == n || !isWordChar(codePointAt(text, end, &units)))) {
        word.text.append(text.mid(*i, end - *i));
        word.length += end - *i;
        *i = end;
    }
    return word;
}

// RAKE's candidates: lower-case word runs between boundaries, stop words and short words.
QList<QStringList> candidatesOf(QStringView text)
{
    const QSet<QString> &stops = stopWords();
    QList<QStringList> candidates;
    QStringList phrase;
    bool phraseHasLetter = false;
    const auto endPhrase = [&] {
        if (!phrase.isEmpty() && phrase.size() <= KeyPhrases::maxPhraseWords && phraseHasLetter)
            candidates.append(phrase);
        phrase.clear();
        phraseHasLetter = false;
    };

    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype units = 0;
        const char32_t c = codePointAt(text, i, &units);
        if (!isWordChar(c)) {
            // Spaces separate words; line breaks, punctuation and symbols separate phrases.
            if (!QChar::isSpace(c) || isLineBreak(c))
                endPhrase();
            i += units;
            continue;
        }
        const Word word = readWord(text, &i);
        const QString lower = word.text.toLower();
        if (word.length < 2 || stops.contains(lower)) {
            endPhrase();
            continue;
        }
        phrase.append(lower);
        phraseHasLetter = phraseHasLetter || word.hasLetter;
    }
    endPhrase();
    return candidates;
}

// Scores equal to nine decimals tie, whatever order their floating-point sums were added in.
qint64 rankKey(double score)
{
    return std::llround(score * 1e9);
}

} // namespace

QList<std::pair<QString, double>> KeyPhrases::scored(const QString &text)
{
    const QString normalised = text.normalized(QString::NormalizationForm_C);
    const QList<QStringList> candidates = candidatesOf(normalised);

    struct WordStats
    {
        int frequency = 0;
        int degree = 0;
    };
    QHash<QString, WordStats> stats;
    for (const QStringList &candidate : candidates) {
        for (const QString &word : candidate) {
            WordStats &s = stats[word];
            ++s.frequency;
            s.degree += int(candidate.size());
        }
    }

    QList<std::pair<QString, double>> ranked;
    QSet<QString> seen;
    for (const QStringList &candidate : candidates) {
        QString phrase = candidate.join(u' ');
        if (seen.contains(phrase))
            continue;
        seen.insert(phrase);
        double score = 0;
        for (const QString &word : candidate) {
            const WordStats s = stats.value(word);
            score += double(s.degree) / s.frequency;
        }
        ranked.append({std::move(phrase), score});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
        [](const auto &a, const auto &b) { return rankKey(a.second) > rankKey(b.second); });
    return ranked;
}

QStringList KeyPhrases::extract(const QString &title, const QString &content, int maxPhrases)
{
    if (maxPhrases <= 0)
        return {};
    const QList<std::pair<QString, double>> ranked = scored(title + u'\n' + content);
    QStringList phrases;
    const qsizetype count = std::min<qsizetype>(maxPhrases, ranked.size());
    phrases.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        phrases.append(ranked[i].first);
    return phrases;
}

} // namespace Outpost::Server
