#include "searchsnippet.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTextDocument>

#include <utility>
#include <vector>

namespace Outpost::App {

namespace {

const QString kOpen = QStringLiteral("<mark>");
const QString kClose = QStringLiteral("</mark>");

// The entities the server's escaping writes; any other '&' stays as it is.
QString decodeEntities(QStringView text)
{
    static const std::pair<QString, QChar> entities[] = {{QStringLiteral("&lt;"), u'<'},
        {QStringLiteral("&gt;"), u'>'}, {QStringLiteral("&quot;"), u'"'},
        {QStringLiteral("&#39;"), u'\''}, {QStringLiteral("&#x27;"), u'\''},
        {QStringLiteral("&amp;"), u'&'}};
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        bool decoded = false;
        if (text.at(i) == u'&') {
            for (const auto &[entity, character] : entities) {
                if (text.mid(i).startsWith(entity)) {
                    out.append(character);
                    i += entity.size() - 1;
                    decoded = true;
                    break;
                }
            }
        }
        if (!decoded)
            out.append(text.at(i));
    }
    return out;
}

// The snippet as (text, highlighted) pieces, the text decoded.
std::vector<std::pair<QString, bool>> pieces(const QString &snippet)
{
    std::vector<std::pair<QString, bool>> out;
    bool open = false;
    qsizetype from = 0;
    while (from <= snippet.size()) {
        const qsizetype next = snippet.indexOf(open ? kClose : kOpen, from);
        const qsizetype end = next < 0 ? snippet.size() : next;
        if (end > from)
            out.emplace_back(decodeEntities(QStringView(snippet).mid(from, end - from)), open);
        if (next < 0)
            break;
        from = next + (open ? kClose.size() : kOpen.size());
        open = !open;
    }
    return out;
}

} // namespace

QString snippetHtml(const QString &snippet, const QColor &markBackground, const QColor &markText)
{
    QString html;
    // Bold, not only coloured: a match shows in a selected row and to someone without colour.
    const QString span =
        QStringLiteral("<span style=\"background-color:%1; color:%2; font-weight:bold\">")
            .arg(markBackground.name(), markText.name());
    for (const auto &[text, highlighted] : pieces(snippet)) {
        if (highlighted) {
            html += span + text.toHtmlEscaped() + QStringLiteral("</span>");
        } else {
            html += text.toHtmlEscaped();
        }
    }
    return html;
}

QString snippetPlainText(const QString &snippet)
{
    QString text;
    for (const auto &piece : pieces(snippet))
        text += piece.first;
    return text;
}

QStringList snippetMatches(const QString &snippet)
{
    QStringList words;
    for (const auto &[text, highlighted] : pieces(snippet)) {
        const QString word = text.trimmed();
        if (highlighted && !word.isEmpty() && !words.contains(word, Qt::CaseInsensitive))
            words.append(word);
    }
    return words;
}

SnippetDelegate::SnippetDelegate(int htmlRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_htmlRole(htmlRole)
{ }

namespace {

void layOut(QTextDocument &document, const QStyleOptionViewItem &option, const QModelIndex &index,
    int htmlRole)
{
    const QPalette::ColorGroup group =
        option.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text = option.palette.color(
        group, option.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text);
    document.setDefaultFont(option.font);
    document.setDefaultStyleSheet(QStringLiteral("body { color: %1; }").arg(text.name()));
    document.setHtml(QStringLiteral("<body><b>%1</b><br/>%2</body>")
                         .arg(index.data(Qt::DisplayRole).toString().toHtmlEscaped(),
                             index.data(htmlRole).toString()));
    document.setTextWidth(option.rect.width() > 0 ? option.rect.width() : 400);
}

} // namespace

void SnippetDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle *style = background.widget ? background.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, background.widget);

    QTextDocument document;
    layOut(document, option, index, m_htmlRole);
    painter->save();
    painter->translate(option.rect.topLeft());
    painter->setClipRect(QRect(QPoint(0, 0), option.rect.size()));
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = option.palette;
    document.documentLayout()->draw(painter, context);
    painter->restore();
}

QSize SnippetDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QTextDocument document;
    layOut(document, option, index, m_htmlRole);
    return {int(document.idealWidth()), int(document.size().height())};
}

} // namespace Outpost::App
