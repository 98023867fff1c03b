#include "auditmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList AuditModel::headers() const
{
    return {tr("When"), tr("Who"), tr("What"), tr("Object")};
}

Client::Reply<Page<AuditEntry>> AuditModel::fetchPage(const PageRequest &page)
{
    return client()->admin().audit(page);
}

QVariant AuditModel::cell(const AuditEntry &entry, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case At:
        return displayTime(entry.at);
    case Actor:
        return entry.actorLabel;
    case Action:
        return entry.action;
    case Target:
        return entry.targetType.isEmpty()
            ? QString()
            : QString(entry.targetType % QLatin1Char(' ') % entry.targetId);
    default:
        return {};
    }
}

} // namespace Outpost::App
