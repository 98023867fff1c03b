#include "viewsupport.h"

#include "client/apierror.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QTableView>

namespace Outpost::App {

SearchField::SearchField(QWidget *parent)
    : QLineEdit(parent)
{
    setPlaceholderText(tr("Search (Ctrl+F)"));
    setAccessibleName(tr("Search")); // a placeholder is no name (it is gone once typed over)
    setClearButtonEnabled(true);
    setObjectName(QStringLiteral("search"));
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(this, &QLineEdit::textEdited, &m_debounce, qOverload<>(&QTimer::start));
    connect(this, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            m_debounce.start();
    });
    connect(
        &m_debounce, &QTimer::timeout, this, [this] { Q_EMIT searchChanged(text().trimmed()); });
}

void confirm(
    QWidget *parent, const QString &title, const QString &text, const std::function<void()> &onYes)
{
    auto *box = new QMessageBox(
        QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("confirm"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box, [onYes](int result) {
        if (result == QMessageBox::Yes)
            onYes();
    });
    box->open();
}

void rememberColumns(QHeaderView *header, const QString &key)
{
    const QString name = QStringLiteral("columns/") + key;
    QSettings settings;
    header->restoreState(settings.value(name).toByteArray());
    QObject::connect(header, &QHeaderView::sectionResized, header,
        [header, name] { QSettings().setValue(name, header->saveState()); });
    QObject::connect(header, &QHeaderView::sectionMoved, header,
        [header, name] { QSettings().setValue(name, header->saveState()); });
}

void setupTable(QTableView *table)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Tab leaves the list (the arrows move within it), or it would keep the focus forever.
    table->setTabKeyNavigation(false);
    table->setWordWrap(false);
    table->setAlternatingRowColors(true);
    table->setTextElideMode(Qt::ElideRight);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 10);
    table->horizontalHeader()->setHighlightSections(false);
    // Survives model resets (which forget per-section sizes); wide enough for a date.
    table->horizontalHeader()->setDefaultSectionSize(150);
}

// Short columns as wide as their contents, the free text ones sharing what is left, so that
// nothing is cut off at 1280×800 and a wider window widens the names.
void fitColumns(QTableView *table, std::initializer_list<int> stretched)
{
    QHeaderView *header = table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(48);
    for (int column = 0; column < header->count(); ++column)
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    for (const int column : stretched)
        header->setSectionResizeMode(column, QHeaderView::Stretch);
    // The header sizes its ResizeToContents sections when its own sections change, not when
    // rows arrive or a row's text changes (a run's status arriving live): ask it then.
    const auto resize = [header] {
        QMetaObject::invokeMethod(header, "resizeSections", Qt::QueuedConnection);
    };
    QAbstractItemModel *model = table->model();
    QObject::connect(model, &QAbstractItemModel::dataChanged, header, resize);
    QObject::connect(model, &QAbstractItemModel::rowsInserted, header, resize);
    QObject::connect(model, &QAbstractItemModel::modelReset, header, resize);
}

void chainTabOrder(std::initializer_list<QWidget *> widgets)
{
    QWidget *previous = nullptr;
    for (QWidget *widget : widgets) {
        if (previous)
            QWidget::setTabOrder(previous, widget);
        previous = widget;
    }
}

QString displaySize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

void clearErrorLabels(std::initializer_list<QLabel *> labels)
{
    for (QLabel *label : labels) {
        label->clear();
        label->hide();
    }
}

void showFieldErrors(const Client::ApiError &error,
    std::initializer_list<std::pair<QString, QLabel *>> fields, QLabel *general)
{
    bool shownAtField = false;
    for (const auto &[field, label] : fields) {
        const QString message = error.fieldMessage(field);
        if (!message.isEmpty()) {
            label->setText(message);
            label->show();
            shownAtField = true;
        }
    }
    if (!shownAtField || error.code != ErrorCode::Validation) {
        general->setText(error.text());
        general->show();
    }
}

} // namespace Outpost::App
