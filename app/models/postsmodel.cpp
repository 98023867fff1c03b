#include "postsmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList PostsModel::headers() const
{
    return {tr("Title"), tr("Owner"), tr("Votes"), tr("Published"), tr("Created")};
}

QVariant PostsModel::cell(const QJsonObject &object, int column, int role) const
{
    if (role == Qt::TextAlignmentRole && column == Votes)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QJsonObject owner = object.value(QStringLiteral("owner")).toObject();
    switch (column) {
    case Title:
        return object.value(QStringLiteral("title")).toString();
    case Owner: {
        const QString name = owner.value(QStringLiteral("username")).toString();
        return name.isEmpty() ? owner.value(QStringLiteral("email")).toString() : name;
    }
    case Votes:
        return object.value(QStringLiteral("votes")).toInteger();
    case Published:
        return object.value(QStringLiteral("published")).toBool() ? tr("Yes") : tr("No");
    case Created:
        return displayTime(object.value(QStringLiteral("created_at")));
    default:
        return {};
    }
}

QString PostsModel::sortValue(int column, Qt::SortOrder order) const
{
    if (column == Votes)
        return QStringLiteral("-votes");
    if (column == Created)
        return order == Qt::AscendingOrder ? QStringLiteral("created_at")
                                           : QStringLiteral("-created_at");
    return {};
}

} // namespace Outpost::App
