#include "auditmodel.h"

#include "client/auditresource.h"
#include "modelformat.h"

namespace Outpost::App {

QStringList AuditModel::headers() const
{
    return {tr("When"), tr("Who"), tr("What"), tr("Object")};
}

Client::Reply<Page<AuditEntry>> AuditModel::fetchPage(const PageRequest &page)
{
    AuditQuery query;
    query.page = page;
    query.userId = m_userId;
    return Client::AuditResource(client()).list(query);
}

void AuditModel::setUserId(qint64 userId)
{
    m_userId = userId;
    refresh();
}

QString AuditModel::actorText(const AuditEntry &entry)
{
    // Entries made before anyone could sign in name how they were allowed (the server records
    // it as detail.method); said in the reader's language.
    const QString method = entry.detail.value(QStringLiteral("method")).toString();
    if (method == QLatin1String("setup_token"))
        return tr("Setup token (first administrator)");
    if (method == QLatin1String("loopback"))
        return tr("Registration on the server's computer (first administrator)");
    if (entry.actorId == 0 && entry.actorLabel == QLatin1String("cli"))
        return tr("Command line (outpost-server)");
    if (entry.actorLabel.isEmpty())
        return tr("(anonymous)");
    return entry.actorLabel;
}

QVariant AuditModel::cell(const AuditEntry &entry, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case At:
        return displayTime(entry.at);
    case Actor:
        return actorText(entry);
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
