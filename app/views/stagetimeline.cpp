#include "stagetimeline.h"

#include "models/modelformat.h"
#include "models/pipelinesmodel.h"

#include <QDateTime>
#include <QPainter>

namespace Outpost::App {

StageTimeline::StageTimeline(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("stageTimeline"));
    setMinimumHeight(64);
}

void StageTimeline::setStages(const QList<Stage> &stages)
{
    m_stages = stages;
    update();
}

void StageTimeline::setPlaceholder(const QString &text)
{
    m_placeholder = text;
    update();
}

QSize StageTimeline::sizeHint() const
{
    return {600, 72};
}

void StageTimeline::paintEvent(QPaintEvent * /*event*/)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRect area = rect().adjusted(4, 4, -4, -4);
    if (m_stages.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter,
            m_placeholder.isEmpty() ? tr("Select a run to see its stages") : m_placeholder);
        return;
    }
    // Time range: earliest start to latest end (or now for stages still running).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QDateTime first;
    QDateTime last;
    struct Bar
    {
        QString label;
        QDateTime start;
        QDateTime end;
        QColor color;
    };
    QList<Bar> bars;
    for (const Stage &stage : std::as_const(m_stages)) {
        Bar bar;
        bar.start = stage.startedAt;
        bar.end = stage.finishedAt;
        if (bar.start.isValid() && !bar.end.isValid())
            bar.end = now;
        bar.color = PipelinesModel::statusColor(stage.status, stage.conclusion);
        bar.label = bar.start.isValid()
            ? QStringLiteral("%1 · %2").arg(stage.name, displayDuration(bar.start.msecsTo(bar.end)))
            : stage.name;
        if (bar.start.isValid() && (!first.isValid() || bar.start < first))
            first = bar.start;
        if (bar.end.isValid() && (!last.isValid() || bar.end > last))
            last = bar.end;
        bars.append(bar);
    }
    const qint64 span =
        first.isValid() && last.isValid() ? qMax<qint64>(1, first.msecsTo(last)) : 0;
    const int height = qMin(28, area.height());
    const int top = area.top() + (area.height() - height) / 2;
    const double slot = double(area.width()) / double(bars.size());
    for (int i = 0; i < bars.size(); ++i) {
        const Bar &bar = bars.at(i);
        QRectF box;
        if (span > 0 && bar.start.isValid()) {
            const double x0 =
                area.left() + area.width() * double(first.msecsTo(bar.start)) / double(span);
            const double x1 =
                area.left() + area.width() * double(first.msecsTo(bar.end)) / double(span);
            box = QRectF(x0, top, qMax(6.0, x1 - x0), height);
        } else {
            box = QRectF(area.left() + i * slot + 2, top, slot - 4, height); // not started yet
        }
        painter.setPen(Qt::NoPen);
        painter.setBrush(bar.color);
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(Qt::white);
        const QString text =
            painter.fontMetrics().elidedText(bar.label, Qt::ElideRight, int(box.width()) - 8);
        painter.drawText(box.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
}

} // namespace Outpost::App
