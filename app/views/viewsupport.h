#pragma once

#include <QLineEdit>
#include <QString>
#include <QTimer>

#include <functional>
#include <initializer_list>

class QHeaderView;
class QTableView;
class QWidget;

namespace Outpost::App {

// A search box that reports its text 300 ms after the last keystroke.
class SearchField final : public QLineEdit
{
    Q_OBJECT

public:
    explicit SearchField(QWidget *parent = nullptr);
    static constexpr int kDebounceMs = 300;

Q_SIGNALS:
    void searchChanged(const QString &text);

private:
    QTimer m_debounce;
};

// Asks a yes/no question without blocking the event loop; `onYes` runs on "Yes".
void confirm(
    QWidget *parent, const QString &title, const QString &text, const std::function<void()> &onYes);

// Column widths and order kept in QSettings under "columns/<key>".
void rememberColumns(QHeaderView *header, const QString &key);

// The common look of the app's lists: whole rows selected, one line per row, read-only.
void setupTable(QTableView *table);

// Columns as wide as their contents, except `stretched`, which share the rest (also when
// rows arrive or change later).
void fitColumns(QTableView *table, std::initializer_list<int> stretched);

// Tab goes through these one after the other, in reading order (a toolbar's search box before
// the list below it); the default order is the order the widgets were made in.
void chainTabOrder(std::initializer_list<QWidget *> widgets);

// "1.5 MiB".
QString displaySize(qint64 bytes);

} // namespace Outpost::App
