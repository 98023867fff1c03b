#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace Outpost::Server {

// Key phrases of one text by RAKE (Rose, Engel, Cramer, Cowley 2010, "Automatic keyword
// extraction from individual documents"): no model files, no network, no corpus statistics.
// It replaces the Python service's TextBlob noun phrases behind GET /v1/posts/{id}/phrases.
//
// Candidates are runs of words between punctuation, line breaks and English stop words (the
// SMART list embedded as :/text/stopwords_en.txt). Words are Unicode letters, digits and marks,
// joined inside a word by '-', '\'' or '.' ("state-of-the-art", "don't", "node.js"), optionally
// ending in up to two '+'/'#' ("c++", "c#"). One-character words, like stop words, end a
// candidate; candidates without a letter (bare numbers) and candidates longer than
// maxPhraseWords are dropped. A word scores degree/frequency over all candidate occurrences, a
// phrase the sum of its words' scores. Phrases are lower-case (so "Qt" and "qt" merge), words
// joined by one space.
//
// Thread-safe: the stop list is read once, on first use, and only read afterwards.
class KeyPhrases
{
public:
    // Longer runs of content words are rarely key phrases and would dominate the scores.
    static constexpr int maxPhraseWords = 4;

    // The best maxPhrases phrases of title and content together, best first; equal scores keep
    // the order of first occurrence. The title is a sentence of its own. Empty if maxPhrases <= 0.
    static QStringList extract(const QString &title, const QString &content, int maxPhrases = 10);

    // Every distinct candidate phrase of text with its score, ranked as extract() ranks them.
    static QList<std::pair<QString, double>> scored(const QString &text);
};

} // namespace Outpost::Server
