#pragma once

#include "models/pipeline.h"

#include <QList>
#include <QWidget>

namespace Outpost::App {

// A run's stages as a horizontal timeline: one bar per stage, placed by its start and end,
// coloured by its outcome, labelled with its name and duration.
class StageTimeline final : public QWidget
{
    Q_OBJECT

public:
    explicit StageTimeline(QWidget *parent = nullptr);

    void setStages(const QList<Stage> &stages);
    // The text shown while there are no stages.
    void setPlaceholder(const QString &text);
    QList<Stage> stages() const { return m_stages; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Stage> m_stages;
    QString m_placeholder;
};

} // namespace Outpost::App
