#include "statusnotice.h"

#include <QFontMetrics>

namespace Outpost::App {

StatusNotice::StatusNotice(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("statusNotice"));
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &StatusNotice::clearNotice);
}

void StatusNotice::showNotice(const QString &text, const QString &detail, int timeoutMs)
{
    m_text = text;
    setToolTip(detail.isEmpty() ? text : QString(text % QLatin1String("\n\n") % detail));
    setAccessibleDescription(detail);
    updateShown();
    if (timeoutMs > 0) {
        m_timeout.start(timeoutMs);
    } else {
        m_timeout.stop();
    }
}

void StatusNotice::clearNotice()
{
    m_timeout.stop();
    m_text.clear();
    setToolTip(QString());
    setAccessibleDescription(QString());
    setText(QString());
}

QString StatusNotice::elideAtWord(const QString &text, const QFontMetrics &metrics, int width)
{
    if (metrics.horizontalAdvance(text) <= width)
        return text;
    const QString ellipsis(QChar(0x2026));
    QString shown;
    qsizetype from = 0;
    while (from < text.size()) {
        const qsizetype space = text.indexOf(QLatin1Char(' '), from + 1);
        const qsizetype end = space < 0 ? text.size() : space;
        // Trailing punctuation of the word before the cut reads badly before "…".
        QString candidate = text.left(end);
        while (!candidate.isEmpty() && QStringView(candidate).back().isPunct())
            candidate.chop(1);
        if (metrics.horizontalAdvance(candidate + ellipsis) > width)
            break;
        shown = candidate;
        if (space < 0)
            break;
        from = space;
    }
    return shown.isEmpty() ? ellipsis : shown.trimmed() + ellipsis;
}

QSize StatusNotice::minimumSizeHint() const
{
    return {0, QLabel::minimumSizeHint().height()};
}

void StatusNotice::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    updateShown();
}

void StatusNotice::updateShown()
{
    const int width = contentsRect().width();
    setText(width > 0 ? elideAtWord(m_text, fontMetrics(), width) : m_text);
}

} // namespace Outpost::App
