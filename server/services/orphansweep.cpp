#include "orphansweep.h"

#include "db/filerepository.h"
#include "db/uploadrepository.h"
#include "storage/filestore.h"
#include "uploadservice.h"

#include <algorithm>

namespace Outpost::Server {

OrphanSweep::OrphanSweep(const Database &database, FileStore &store)
    : m_database(database)
    , m_store(store)
{ }

Result<OrphanSweep::Report> OrphanSweep::sweep(const QDateTime &cutoff, bool dryRun)
{
    // The listing first, the records after it: an object written and recorded meanwhile is
    // then either not listed or already recorded (and too new to be taken anyway).
    auto objects = m_store.listAll();
    if (!objects)
        return fail(objects.error());
    auto keys = FileRepository(m_database).storageKeys();
    if (!keys)
        return fail(keys.error());
    auto uploads = UploadRepository(m_database).ids();
    if (!uploads)
        return fail(uploads.error());
    for (const QString &id : std::as_const(*uploads))
        keys->insert(UploadService::storageKeyFor(id));

    Report report;
    for (const ListedObject &object : std::as_const(*objects)) {
        if (object.key.startsWith(u"backups/") || keys->contains(object.key))
            continue;
        if (!object.modified.isValid() || object.modified >= cutoff)
            continue;
        report.orphans.append(object.key);
        report.bytes += object.size;
    }
    std::sort(report.orphans.begin(), report.orphans.end());
    if (dryRun)
        return report;
    for (const QString &key : std::as_const(report.orphans)) {
        const Status removed = m_store.remove(key);
        if (removed || removed.error().code == ErrorCode::NotFound) {
            ++report.removed;
        } else {
            ++report.failed;
            qCWarning(lcStorage).noquote()
                << "cannot remove an orphaned object:" << removed.error().detail;
        }
    }
    return report;
}

OrphanSweepSchedule::OrphanSweepSchedule(
    OrphanSweep &sweep, const QDateTime &start, Settings settings)
    : m_sweep(&sweep)
    , m_settings(settings)
    , m_next(start.addSecs(settings.firstAfter.count()))
{ }

std::optional<Result<OrphanSweep::Report>> OrphanSweepSchedule::runIfDue(const QDateTime &now)
{
    if (now.addSecs(m_settings.slack.count()) < m_next)
        return std::nullopt;
    m_next = now.addSecs(m_settings.every.count());
    return m_sweep->sweep(now.addSecs(-m_settings.grace.count()));
}

} // namespace Outpost::Server
