#include "viewsupport.h"

#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QTableView>

namespace Outpost::App {

SearchField::SearchField(QWidget *parent)
    : QLineEdit(parent)
{
    setPlaceholderText(tr("Search (Ctrl+F)"));
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
    table->setWordWrap(false);
    table->setAlternatingRowColors(true);
    table->setTextElideMode(Qt::ElideRight);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 10);
    table->horizontalHeader()->setHighlightSections(false);
    // Survives model resets (which forget per-section sizes); wide enough for a date.
    table->horizontalHeader()->setDefaultSectionSize(150);
}

QString displaySize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

} // namespace Outpost::App
