#pragma once

#include "models/audit.h"
#include "pagedtablemodel.h"

namespace Outpost::App {

// Recent audit entries (admin): when, who, what, which object.
class AuditModel final : public TypedTableModel<AuditEntry>
{
    Q_OBJECT

public:
    using TypedTableModel::TypedTableModel;
    enum Column { At, Actor, Action, Target };
    // "Who" in words, also for entries without a signed-in actor (the first admin, the CLI).
    static QString actorText(const AuditEntry &entry);
    // Only one user's entries (by them or about them); 0 for everyone's. Reloads.
    void setUserId(qint64 userId);
    qint64 userId() const { return m_userId; }

protected:
    QStringList headers() const override;
    Client::Reply<Page<AuditEntry>> fetchPage(const PageRequest &page) override;
    QVariant cell(const AuditEntry &entry, int column, int role) const override;

private:
    qint64 m_userId = 0;
};

} // namespace Outpost::App
