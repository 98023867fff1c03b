#pragma once

#include <QStringList>
#include <QWidget>

namespace Outpost::App {

// Short texts (key phrases, tags) as rounded chips that wrap onto more lines as needed.
class ChipList final : public QWidget
{
    Q_OBJECT

public:
    explicit ChipList(QWidget *parent = nullptr);

    void setChips(const QStringList &texts);
    QStringList chips() const { return m_texts; }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    // Places the chips for `width`; returns the height used. Moves them only when `apply`.
    int layoutChips(int width, bool apply) const;

    QStringList m_texts;
    QList<QWidget *> m_chips;
};

} // namespace Outpost::App
