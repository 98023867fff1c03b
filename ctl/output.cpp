#include "output.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace Outpost::Ctl::Output {

namespace {

QJsonValue at(const QJsonValue &value, const QString &path)
{
    QJsonValue current = value;
    for (const QString &key : path.split(QLatin1Char('.')))
        current = current.toObject().value(key);
    return current;
}

QString cell(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("-");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        const qint64 whole = value.toInteger(0); // 0 for a fraction or beyond qint64's range
        return whole != 0 || number == 0 ? QString::number(whole) : QString::number(number);
    }
    case QJsonValue::String:
        return value.toString().simplified();
    case QJsonValue::Array:
    case QJsonValue::Object:
        return QString::fromUtf8(
            QJsonDocument::fromVariant(value.toVariant()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QByteArray scalarYaml(const QJsonValue &value)
{
    if (!value.isString())
        return cell(value) == QLatin1String("-") ? QByteArray("null") : cell(value).toUtf8();
    const QString text = value.toString();
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_/][A-Za-z0-9_ ./@-]*$"));
    static const QRegularExpression reserved(QStringLiteral("^(true|false|yes|no|on|off|null|~)$"),
        QRegularExpression::CaseInsensitiveOption);
    if (plain.match(text).hasMatch() && !reserved.match(text).hasMatch() && !text.endsWith(u' '))
        return text.toUtf8();
    // A JSON string is a valid YAML double-quoted scalar.
    const QByteArray quoted = QJsonDocument(QJsonArray {text}).toJson(QJsonDocument::Compact);
    return quoted.mid(1, quoted.size() - 2);
}

void yaml(const QJsonValue &value, int indent, QByteArray &out)
{
    const QByteArray pad(indent, ' ');
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out += " {}\n";
            return;
        }
        out += '\n';
        for (auto it = object.begin(); it != object.end(); ++it) {
            out += pad + scalarYaml(it.key()) + ':';
            if (it.value().isObject() || it.value().isArray()) {
                yaml(it.value(), indent + 2, out);
            } else {
                out += ' ' + scalarYaml(it.value()) + '\n';
            }
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out += " []\n";
            return;
        }
        out += '\n';
        for (const auto &item : array) {
            out += pad + '-';
            if (item.isObject() || item.isArray()) {
                yaml(item, indent + 2, out);
            } else {
                out += ' ' + scalarYaml(item) + '\n';
            }
        }
    } else {
        out += ' ' + scalarYaml(value) + '\n';
    }
}

} // namespace

bool parseFormat(const QString &text, Format *format)
{
    static const QList<std::pair<QString, Format>> names {{QStringLiteral("table"), Format::Table},
        {QStringLiteral("json"), Format::Json}, {QStringLiteral("yaml"), Format::Yaml},
        {QStringLiteral("name"), Format::Name}};
    const auto found = std::find_if(
        names.begin(), names.end(), [&](const auto &entry) { return entry.first == text; });
    if (found == names.end())
        return false;
    *format = found->second;
    return true;
}

QByteArray toYaml(const QJsonValue &value)
{
    QByteArray out;
    yaml(value, 0, out);
    // The top level starts on its own line; drop that first newline (or the leading space).
    return out.mid(1);
}

QJsonArray rowsOf(const QJsonValue &value)
{
    if (value.isArray())
        return value.toArray();
    const QJsonObject object = value.toObject();
    for (const QString &key : {QStringLiteral("items"), QStringLiteral("files")}) {
        if (object.value(key).isArray())
            return object.value(key).toArray();
    }
    return QJsonArray {value};
}

QByteArray table(const QJsonArray &rows, const QStringList &columns)
{
    QList<QStringList> cells;
    QList<qsizetype> widths;
    QStringList header;
    for (const QString &column : columns) {
        header.append(column.toUpper().replace(QLatin1Char('.'), QLatin1Char('_')));
        widths.append(header.constLast().size());
    }
    for (const auto &row : rows) {
        QStringList line;
        for (qsizetype i = 0; i < columns.size(); ++i) {
            QString text = cell(at(row, columns.at(i)));
            if (text.size() > 60)
                text = text.left(59) + QChar(0x2026);
            widths[i] = qMax(widths.at(i), text.size());
            line.append(text);
        }
        cells.append(line);
    }
    QByteArray out;
    const auto emit = [&](const QStringList &line) {
        QString text;
        for (qsizetype i = 0; i < line.size(); ++i)
            text += i + 1 < line.size() ? line.at(i).leftJustified(widths.at(i) + 2) : line.at(i);
        out += text.toUtf8() + '\n';
    };
    emit(header);
    for (const QStringList &line : std::as_const(cells))
        emit(line);
    return out;
}

QByteArray render(const QByteArray &body, Format format, const View &view)
{
    if (format == Format::Json)
        return body.endsWith('\n') ? body : body + '\n';
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue value =
        document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    if (format == Format::Yaml)
        return toYaml(value);
    const QJsonArray rows = rowsOf(value);
    if (format == Format::Name) {
        QByteArray out;
        for (const auto &row : rows)
            out += cell(at(row, view.nameField)).toUtf8() + '\n';
        return out;
    }
    if (!view.columns.isEmpty())
        return table(rows, view.columns);
    // No columns chosen: every scalar field of the first row.
    QStringList columns;
    const QJsonObject first = rows.isEmpty() ? QJsonObject() : rows.first().toObject();
    for (auto it = first.begin(); it != first.end(); ++it) {
        if (!it.value().isObject() && !it.value().isArray())
            columns.append(it.key());
    }
    return table(rows, columns);
}

} // namespace Outpost::Ctl::Output
