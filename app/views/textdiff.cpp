#include "textdiff.h"

#include <QStringList>

#include <vector>

namespace Outpost::App {

bool TextDiff::isEmpty() const
{
    for (const Line &line : lines) {
        if (line.kind == Kind::Removed || line.kind == Kind::Added)
            return false;
    }
    return !tooLarge;
}

QString TextDiff::toText() const
{
    QStringList out;
    out.reserve(lines.size());
    for (const Line &line : lines) {
        switch (line.kind) {
        case Kind::Kept:
            out.append(QStringLiteral("  ") + line.text);
            break;
        case Kind::Removed:
            out.append(QStringLiteral("- ") + line.text);
            break;
        case Kind::Added:
            out.append(QStringLiteral("+ ") + line.text);
            break;
        case Kind::Skipped:
            out.append(QStringLiteral("…"));
            break;
        }
    }
    return out.join(u'\n');
}

TextDiff TextDiff::compute(const QString &from, const QString &to, int context, qint64 maxCells)
{
    TextDiff diff;
    const QStringList a = from.split(u'\n');
    const QStringList b = to.split(u'\n');
    // The common head and tail need no table.
    qsizetype head = 0;
    while (head < a.size() && head < b.size() && a.at(head) == b.at(head))
        ++head;
    qsizetype tail = 0;
    while (tail < a.size() - head && tail < b.size() - head
        && a.at(a.size() - 1 - tail) == b.at(b.size() - 1 - tail))
        ++tail;
    const qsizetype n = a.size() - head - tail;
    const qsizetype m = b.size() - head - tail;
    if ((n + 1) * (m + 1) > maxCells) {
        diff.tooLarge = true;
        return diff;
    }

    QList<Line> all;
    for (qsizetype i = 0; i < head; ++i)
        all.append({Kind::Kept, a.at(i)});
    // lcs[i][j]: the longest common subsequence of a[head+i..] and b[head+j..].
    std::vector<int> lcs(size_t((n + 1) * (m + 1)), 0);
    const auto at = [m](qsizetype i, qsizetype j) { return size_t(i * (m + 1) + j); };
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j) {
            lcs[at(i, j)] = a.at(head + i) == b.at(head + j)
                ? lcs[at(i + 1, j + 1)] + 1
                : qMax(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
        }
    }
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(head + i) == b.at(head + j)) {
            all.append({Kind::Kept, a.at(head + i)});
            ++i;
            ++j;
        } else if (i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
            all.append({Kind::Removed, a.at(head + i)}); // removed lines before added ones
            ++i;
        } else {
            all.append({Kind::Added, b.at(head + j)});
            ++j;
        }
    }
    for (qsizetype k = a.size() - tail; k < a.size(); ++k)
        all.append({Kind::Kept, a.at(k)});

    // Kept lines further than `context` from any change become one "…".
    std::vector<bool> nearChange(size_t(all.size()), false);
    for (qsizetype k = 0; k < all.size(); ++k) {
        if (all.at(k).kind == Kind::Kept)
            continue;
        for (qsizetype c = qMax<qsizetype>(0, k - context);
             c <= qMin<qsizetype>(all.size() - 1, k + context); ++c)
            nearChange[size_t(c)] = true;
    }
    bool skipping = false;
    for (qsizetype k = 0; k < all.size(); ++k) {
        if (nearChange[size_t(k)]) {
            diff.lines.append(all.at(k));
            skipping = false;
        } else if (!skipping) {
            diff.lines.append({Kind::Skipped, QString()});
            skipping = true;
        }
    }
    return diff;
}

} // namespace Outpost::App
