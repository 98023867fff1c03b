#include "chiplist.h"

#include <QLabel>

namespace Outpost::App {

namespace {

constexpr int kGap = 6;

} // namespace

ChipList::ChipList(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void ChipList::setChips(const QStringList &texts)
{
    m_texts = texts;
    qDeleteAll(m_chips);
    m_chips.clear();
    for (const QString &text : texts) {
        auto *chip = new QLabel(text, this);
        chip->setObjectName(QStringLiteral("chip"));
        chip->setTextFormat(Qt::PlainText);
        // The palette's own colours, so that the chips read in light and dark themes alike.
        chip->setStyleSheet(
            QStringLiteral("QLabel#chip { border: 1px solid palette(mid); border-radius: 10px;"
                           " padding: 2px 8px; background: palette(alternate-base); }"));
        chip->show();
        m_chips.append(chip);
    }
    layoutChips(width(), true);
    updateGeometry();
}

int ChipList::layoutChips(int width, bool apply) const
{
    int x = 0;
    int y = 0;
    int lineHeight = 0;
    for (QWidget *chip : m_chips) {
        const QSize size = chip->sizeHint();
        if (x > 0 && x + size.width() > width) {
            x = 0;
            y += lineHeight + kGap;
            lineHeight = 0;
        }
        if (apply)
            chip->setGeometry(QRect(QPoint(x, y), QSize(qMin(size.width(), width), size.height())));
        x += size.width() + kGap;
        lineHeight = qMax(lineHeight, size.height());
    }
    return m_chips.isEmpty() ? 0 : y + lineHeight;
}

int ChipList::heightForWidth(int width) const
{
    return layoutChips(width, false);
}

QSize ChipList::sizeHint() const
{
    int width = 0;
    for (QWidget *chip : m_chips)
        width += chip->sizeHint().width() + kGap;
    return {width, heightForWidth(qMax(1, this->width()))};
}

QSize ChipList::minimumSizeHint() const
{
    return {0, heightForWidth(qMax(1, width()))};
}

void ChipList::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutChips(width(), true);
}

} // namespace Outpost::App
