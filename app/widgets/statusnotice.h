#pragma once

#include <QLabel>
#include <QTimer>

namespace Outpost::App {

// A message in the status bar that never shows a cut-off word: when the bar is too narrow it
// ends after the last whole word that fits, with "…", and the whole text (and any technical
// detail) is in its tooltip. Cleared after a while, like QStatusBar::showMessage().
class StatusNotice final : public QLabel
{
    Q_OBJECT

public:
    explicit StatusNotice(QWidget *parent = nullptr);

    void showNotice(const QString &text, const QString &detail = {}, int timeoutMs = 10'000);
    void clearNotice();
    QString fullText() const { return m_text; }

    // `text` shortened at a word boundary to fit `width` pixels in `metrics` ("…" appended).
    static QString elideAtWord(const QString &text, const QFontMetrics &metrics, int width);

    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateShown();

    QString m_text;
    QTimer m_timeout;
};

} // namespace Outpost::App
