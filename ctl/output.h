#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace Outpost::Ctl {

// How outpostctl prints an answer: a table for people (the default on a terminal), the API's
// JSON exactly as it came, YAML, or one name (id, path) a line for scripts.
enum class Format { Table, Json, Yaml, Name };

// What to show of one kind of answer: the columns of its table (dotted paths into each item,
// "owner.username") and the field that names an item.
struct View
{
    QStringList columns;
    QString nameField = QStringLiteral("id");
};

namespace Output {

// "table", "json", "yaml", "name"; false for anything else.
bool parseFormat(const QString &text, Format *format);
// A JSON value as YAML (block style, strings quoted where YAML would misread them).
QByteArray toYaml(const QJsonValue &value);
// The rows of a list answer: "items" (pages), "files", or the array itself; the object alone
// for a single resource.
QJsonArray rowsOf(const QJsonValue &value);
// An aligned table with a header line.
QByteArray table(const QJsonArray &rows, const QStringList &columns);
// A JSON answer's body in `format`.
QByteArray render(const QByteArray &body, Format format, const View &view);

} // namespace Output

} // namespace Outpost::Ctl
