#pragma once

#include <QLineEdit>
#include <QString>
#include <QTimer>

#include <functional>
#include <initializer_list>
#include <utility>

class QHeaderView;
class QLabel;
class QTableView;
class QWidget;

namespace Outpost::Client {
struct ApiError;
}

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

// Error labels of a form: cleared and hidden.
void clearErrorLabels(std::initializer_list<QLabel *> labels);
// A refused write's error: each field's message under its field (`fields`: the API's field
// name and its label); the whole error in `general` when no field was named or it was not a
// validation error.
void showFieldErrors(const Client::ApiError &error,
    std::initializer_list<std::pair<QString, QLabel *>> fields, QLabel *general);

} // namespace Outpost::App
