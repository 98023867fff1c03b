#pragma once

#include <QList>
#include <QString>

namespace Outpost::App {

// A line diff, to show what someone else changed in a post: the lines of `from` and `to` in
// order, each kept, removed or added (a longest common subsequence). Long runs of kept lines
// are collapsed to `context` lines either side of a change. Too large an input (more than
// `maxCells` line pairs to compare) gives no lines and `tooLarge` set.
struct TextDiff
{
    enum class Kind { Kept, Removed, Added, Skipped };
    struct Line
    {
        Kind kind;
        QString text; // Skipped: empty
    };
    QList<Line> lines;
    bool tooLarge = false;

    bool isEmpty() const;
    // "- removed", "+ added", "  kept", "…" per line.
    QString toText() const;

    static TextDiff compute(
        const QString &from, const QString &to, int context = 2, qint64 maxCells = 4'000'000);
};

} // namespace Outpost::App
