#pragma once

#include <QColor>
#include <QString>
#include <QStyledItemDelegate>

namespace Outpost::App {

// A search hit's snippet from /v1/search ("text &amp; more <mark>match</mark>") made safe:
// only <mark> and </mark> are read as markup (balanced, shown as highlighted spans in the
// given colours); anything else that looks like a tag is shown as the text it is, entities
// are decoded and the text escaped again. A server cannot put a link, image or style here.
QString snippetHtml(const QString &snippet, const QColor &markBackground, const QColor &markText);
// The same snippet as plain text (for accessible names and tooltips).
QString snippetPlainText(const QString &snippet);
// The highlighted words of a snippet, once each (to highlight them in the full text).
QStringList snippetMatches(const QString &snippet);

// Paints an item's Qt::DisplayRole title in bold and, below it, the rich text in `htmlRole`
// (made by snippetHtml), in the palette's colours.
class SnippetDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    SnippetDelegate(int htmlRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_htmlRole;
};

} // namespace Outpost::App
