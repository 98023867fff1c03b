#pragma once
// What a screen reader gets from a window, read through QAccessible the way one reads it: every
// control it can reach has a name, field labels point at their fields, tables say what their
// columns are. Used by tst_appaccessibility (English and German) and tst_appkeyboard.
#include <QAbstractButton>
#include <QAccessible>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMetaEnum>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QTableView>
#include <QTextDocumentFragment>
#include <QTreeView>
#include <QWidget>

namespace Outpost::Test {

// "QLineEdit#url in connectDialog" for a failure message.
inline QString describeWidget(const QObject *object)
{
    if (!object)
        return QStringLiteral("(no object)");
    const auto name = [](const QObject *o) {
        QString text = QString::fromLatin1(o->metaObject()->className());
        if (!o->objectName().isEmpty())
            text += QLatin1Char('#') + o->objectName();
        return text;
    };
    // The object, then its parents up to the first one with a name.
    QString text = name(object);
    for (const QObject *parent = object->parent(); parent; parent = parent->parent()) {
        text += QStringLiteral(" in ") + name(parent);
        if (!parent->objectName().isEmpty())
            break;
    }
    return text;
}

inline QString roleName(QAccessible::Role role)
{
    return QString::fromLatin1(QMetaEnum::fromType<QAccessible::Role>().valueToKey(role));
}

// The text a label shows, without markup or mnemonic ampersands.
inline QString plainLabelText(const QLabel *label)
{
    QString text = Qt::mightBeRichText(label->text())
        ? QTextDocumentFragment::fromHtml(label->text()).toPlainText()
        : label->text();
    text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
    return text.trimmed();
}

// The controls a person operates; each one needs a name of its own.
inline bool isControl(QAccessible::Role role)
{
    static const QSet<QAccessible::Role> controls {QAccessible::PushButton, QAccessible::ButtonMenu,
        QAccessible::ButtonDropDown, QAccessible::CheckBox, QAccessible::RadioButton,
        QAccessible::ComboBox, QAccessible::EditableText, QAccessible::SpinBox, QAccessible::Slider,
        QAccessible::Dial, QAccessible::Table, QAccessible::Tree, QAccessible::List,
        QAccessible::PageTabList, QAccessible::PageTab, QAccessible::Link, QAccessible::MenuItem};
    return controls.contains(role);
}

class AccessibilityAudit
{
public:
    // Everything wrong under `root` that is shown now (hidden parts are not read out).
    static QStringList run(QWidget *root)
    {
        AccessibilityAudit audit;
        audit.walk(QAccessible::queryAccessibleInterface(root), 0);
        audit.checkLabels(root);
        return audit.m_problems;
    }

    // How many interfaces the last walk read: a check that it read something at all.
    static int controlsNamed(QWidget *root)
    {
        AccessibilityAudit audit;
        audit.walk(QAccessible::queryAccessibleInterface(root), 0);
        return audit.m_named;
    }

private:
    QStringList m_problems;
    int m_named = 0;

    void walk(QAccessibleInterface *iface, int depth)
    {
        if (!iface || !iface->isValid() || depth > 64)
            return;
        const QAccessible::State state = iface->state();
        if (state.invisible || state.offscreen)
            return;
        const QAccessible::Role role = iface->role();
        const QString name = iface->text(QAccessible::Name).trimmed();
        // A label is named by its text; an empty one has nothing to say.
        if (isControl(role) || (state.focusable && role != QAccessible::StaticText)) {
            if (name.isEmpty()) {
                m_problems << QStringLiteral("%1 (%2) has no accessible name")
                                  .arg(describeWidget(iface->object()), roleName(role));
            } else {
                ++m_named;
            }
        }
        if (role == QAccessible::Table || role == QAccessible::Tree)
            checkHeaders(iface);
        // Rows, cells and a combo box's items are data, named by the data itself.
        if (role == QAccessible::Table || role == QAccessible::Tree || role == QAccessible::List
            || role == QAccessible::ComboBox)
            return;
        for (int i = 0; i < iface->childCount(); ++i)
            walk(iface->child(i), depth + 1);
    }

    // A table or a tree with several columns says what each column is.
    void checkHeaders(QAccessibleInterface *iface)
    {
        auto *view = qobject_cast<QAbstractItemView *>(iface->object());
        if (!view || !view->model())
            return;
        QHeaderView *header = nullptr;
        if (auto *table = qobject_cast<QTableView *>(view))
            header = table->horizontalHeader();
        else if (auto *tree = qobject_cast<QTreeView *>(view))
            header = tree->header();
        const int columns = view->model()->columnCount(view->rootIndex());
        int shown = 0;
        for (int column = 0; header && column < columns; ++column)
            shown += header->isSectionHidden(column) ? 0 : 1;
        if (!header || header->isHidden()) {
            if (shown > 1) {
                m_problems << QStringLiteral("%1 shows %2 columns without a header")
                                  .arg(describeWidget(view))
                                  .arg(shown);
            }
            return;
        }
        int named = 0;
        for (int i = 0; i < iface->childCount(); ++i) {
            QAccessibleInterface *child = iface->child(i);
            if (!child || child->role() != QAccessible::ColumnHeader)
                continue;
            if (child->text(QAccessible::Name).trimmed().isEmpty()) {
                m_problems << QStringLiteral("%1: column header %2 has no name")
                                  .arg(describeWidget(view))
                                  .arg(i);
            } else {
                ++named;
            }
        }
        if (named < shown) {
            m_problems << QStringLiteral("%1 exposes %2 named column headers for %3 columns")
                              .arg(describeWidget(view))
                              .arg(named)
                              .arg(shown);
        }
    }

    // "Email:" beside a field is that field's name: the label points at it (its buddy), so a
    // screen reader reads it with the field and its mnemonic moves the focus there.
    void checkLabels(QWidget *root)
    {
        for (QFormLayout *form : root->findChildren<QFormLayout *>()) {
            for (int row = 0; row < form->rowCount(); ++row) {
                QLayoutItem *labelItem = form->itemAt(row, QFormLayout::LabelRole);
                QLayoutItem *fieldItem = form->itemAt(row, QFormLayout::FieldRole);
                auto *label = labelItem ? qobject_cast<QLabel *>(labelItem->widget()) : nullptr;
                QWidget *field = fieldItem ? fieldItem->widget() : nullptr;
                if (!label || !field || !label->isVisibleTo(root) || plainLabelText(label).isEmpty()
                    || field->focusPolicy() == Qt::NoFocus || qobject_cast<QLabel *>(field))
                    continue;
                if (label->buddy() != field && !field->isAncestorOf(label->buddy())) {
                    m_problems << QStringLiteral("label \"%1\" is not the buddy of %2")
                                      .arg(plainLabelText(label), describeWidget(field));
                }
            }
        }
        for (QLabel *label : root->findChildren<QLabel *>()) {
            if (!label->isVisibleTo(root) || label->buddy())
                continue;
            const QString text = plainLabelText(label);
            const bool mnemonic =
                label->text().contains(QRegularExpression(QStringLiteral("&[^&\\s]")))
                && label->textFormat() != Qt::RichText && !Qt::mightBeRichText(label->text());
            if (mnemonic || (text.endsWith(QLatin1Char(':')) && text.size() < 40)) {
                m_problems << QStringLiteral("label \"%1\" (%2) names no field (no buddy)")
                                  .arg(text, describeWidget(label));
            }
        }
    }
};

} // namespace Outpost::Test
