#include "pipelineservice.h"

#include "auditservice.h"
#include "db/database.h"
#include "db/deliveryrepository.h"
#include "db/pipelinerepository.h"
#include "db/runrepository.h"
#include "db/transaction.h"
#include "eventbus.h"
#include "runrules.h"

#include <QLoggingCategory>

#include <atomic>

Q_LOGGING_CATEGORY(lcPipelines, "outpost.pipelines", QtInfoMsg)

namespace Outpost::Server {

namespace {

Error pipelineNotFound(qint64 id)
{
    return Error::notFound(QStringLiteral("pipeline %1 does not exist").arg(id));
}

Error runNotFound(qint64 id)
{
    return Error::notFound(QStringLiteral("run %1 does not exist").arg(id));
}

} // namespace

PipelineService::PipelineService(
    const Database &database, EventBus &events, AuditService &audit, PipelineSettings settings)
    : m_database(database)
    , m_events(events)
    , m_audit(audit)
    , m_settings(settings)
{ }

Result<Page<Pipeline>> PipelineService::list(const PageRequest &page) const
{
    return PipelineRepository(m_database).list(page);
}

Result<Pipeline> PipelineService::get(qint64 id) const
{
    auto found = PipelineRepository(m_database).find(id);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(pipelineNotFound(id));
    return **found;
}

Result<Pipeline> PipelineService::create(const PipelineCreate &create, const Principal &principal,
    const std::function<Status(const QString &)> &validateDefinition)
{
    if (create.source == u"local" && create.definition.isEmpty()) {
        return fail(Error::validation(
            QStringLiteral("definition"), QStringLiteral("is required for a local pipeline")));
    }
    if (!create.definition.isEmpty() && validateDefinition) {
        if (auto valid = validateDefinition(create.definition); !valid)
            return fail(valid.error());
    }
    Pipeline pipeline;
    pipeline.name = create.name;
    pipeline.source = create.source;
    pipeline.repository = create.repository;
    pipeline.definition = create.definition;
    Result<qint64> id = 0;
    {
        const auto lock = m_database.lockForWrite();
        id = PipelineRepository(m_database).insert(pipeline);
    }
    if (!id)
        return fail(id.error());
    m_audit.record(principal, QStringLiteral("pipeline.create"), QStringLiteral("pipeline"),
        QString::number(*id), {}, {{QStringLiteral("name"), create.name}});
    // So a pipelines list (the desktop app's) shows it without a refresh.
    m_events.publish({QStringLiteral("pipeline.created"), *id, {}, 0});
    return get(*id);
}

Status PipelineService::remove(qint64 id, const Principal &principal)
{
    Result<bool> removed = false;
    {
        const auto lock = m_database.lockForWrite();
        removed = PipelineRepository(m_database).remove(id);
    }
    if (!removed)
        return fail(removed.error());
    if (!*removed)
        return fail(pipelineNotFound(id));
    m_audit.record(principal, QStringLiteral("pipeline.delete"), QStringLiteral("pipeline"),
        QString::number(id), {});
    m_events.publish({QStringLiteral("pipeline.deleted"), id, {}, 0});
    return {};
}

Result<Page<Run>> PipelineService::runs(qint64 pipelineId, const PageRequest &page) const
{
    if (auto pipeline = get(pipelineId); !pipeline)
        return fail(pipeline.error());
    return RunRepository(m_database).list(pipelineId, page);
}

Result<Run> PipelineService::run(qint64 id) const
{
    auto found = RunRepository(m_database).find(id);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(runNotFound(id));
    return **found;
}

Result<QString> PipelineService::log(qint64 runId) const
{
    if (auto found = run(runId); !found)
        return fail(found.error());
    auto logs = RunRepository(m_database).logs(runId);
    if (!logs)
        return fail(logs.error());
    if (logs->isEmpty())
        return fail(Error::notFound(QStringLiteral("run %1 has no log").arg(runId)));
    QString text;
    for (const auto &[name, log] : *logs) {
        text += QStringLiteral("==> ") + name + u'\n' + log;
        if (!log.isEmpty() && !log.endsWith(u'\n'))
            text += u'\n';
    }
    return text;
}

void PipelineService::publish(const QString &type, qint64 runId) const
{
    m_events.publish({type, runId, {}, 0});
}

void PipelineService::prune(qint64 pipelineId)
{
    Result<QList<qint64>> deleted = QList<qint64>();
    {
        const auto lock = m_database.lockForWrite();
        deleted = RunRepository(m_database).prune(pipelineId, m_settings.runRetention);
    }
    if (!deleted) {
        qCWarning(lcPipelines) << "pruning runs of pipeline" << pipelineId
                               << "failed:" << deleted.error().detail;
        return;
    }
    for (const qint64 id : *deleted)
        publish(QStringLiteral("run.deleted"), id);
}

Result<Run> PipelineService::report(qint64 pipelineId, const RunUpdate &update)
{
    if (auto pipeline = get(pipelineId); !pipeline)
        return fail(pipeline.error());
    qint64 id = 0;
    {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return fail(begun.error());
        RunRepository runs(m_database);
        Run run;
        run.pipelineId = pipelineId;
        if (!update.runNumber) {
            auto next = runs.nextRunNumber(pipelineId);
            if (!next)
                return fail(next.error());
            run.runNumber = *next;
        }
        RunRules::applyRun(run, update, false);
        auto inserted = runs.insert(run);
        if (!inserted)
            return fail(inserted.error());
        run.id = id = *inserted;
        RunUpdate stagesOnly;
        stagesOnly.stages = update.stages;
        if (auto applied = RunRules::applyStored(m_database, run, stagesOnly, false); !applied)
            return fail(applied.error());
        if (auto committed = transaction.commit(); !committed)
            return fail(committed.error());
    }
    publish(QStringLiteral("run.created"), id);
    prune(pipelineId);
    return run(id);
}

Result<Run> PipelineService::patch(qint64 runId, const RunUpdate &update)
{
    {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return fail(begun.error());
        auto found = RunRepository(m_database).find(runId);
        if (!found)
            return fail(found.error());
        if (!*found)
            return fail(runNotFound(runId));
        Run stored = **found;
        if (auto applied = RunRules::applyStored(m_database, stored, update, false); !applied)
            return fail(applied.error());
        if (auto committed = transaction.commit(); !committed)
            return fail(committed.error());
    }
    publish(QStringLiteral("run.updated"), runId);
    return run(runId);
}

Result<std::optional<qint64>> PipelineService::applyExternal(
    const ExternalUpdate &update, const QString &deliveryId)
{
    qint64 runId = 0;
    qint64 pipelineId = 0;
    bool created = false;
    {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return fail(begun.error());
        if (!deliveryId.isEmpty()) {
            auto fresh = DeliveryRepository(m_database).record(update.source, deliveryId);
            if (!fresh)
                return fail(fresh.error());
            if (!*fresh)
                return std::optional<qint64>();
        }
        RunRepository runs(m_database);
        auto found = runs.findByExternal(update.source, update.runExternalId);
        if (!found)
            return fail(found.error());
        Run run;
        if (*found) {
            run = **found;
        } else {
            auto pipeline = PipelineRepository(m_database)
                                .ensure(update.source, update.pipelineExternalId,
                                    update.pipelineName, update.repository);
            if (!pipeline)
                return fail(pipeline.error());
            run.pipelineId = *pipeline;
            run.externalId = update.runExternalId;
            // Until the provider tells its number (a job can come before its run), the next
            // free one stands in.
            auto next = runs.nextRunNumber(*pipeline);
            if (!next)
                return fail(next.error());
            run.runNumber = *next;
            run.attempt = update.run.attempt.value_or(1);
            auto inserted = runs.insert(run);
            if (!inserted)
                return fail(inserted.error());
            run.id = *inserted;
            created = true;
        }
        RunUpdate change = update.run;
        if (change.runNumber && *change.runNumber != run.runNumber) {
            // Another run holds that number only if it was a stand-in: keep ours then.
            auto taken = runs.numberTaken(run.pipelineId, *change.runNumber, run.id);
            if (!taken)
                return fail(taken.error());
            if (*taken)
                change.runNumber.reset();
        }
        if (auto applied = RunRules::applyStored(m_database, run, change, true); !applied)
            return fail(applied.error());
        if (auto committed = transaction.commit(); !committed)
            return fail(committed.error());
        runId = run.id;
        pipelineId = run.pipelineId;
    }
    publish(created ? QStringLiteral("run.created") : QStringLiteral("run.updated"), runId);
    if (created)
        prune(pipelineId);
    // Delivery ids are kept 30 days; now and then the older ones go.
    static std::atomic<quint32> deliveries {0};
    if (!deliveryId.isEmpty() && deliveries.fetch_add(1) % 512 == 0) {
        const auto lock = m_database.lockForWrite();
        auto pruned =
            DeliveryRepository(m_database).prune(QDateTime::currentDateTimeUtc().addDays(-30));
        if (!pruned)
            qCWarning(lcPipelines) << "pruning webhook deliveries failed:" << pruned.error().detail;
    }
    return std::optional<qint64>(runId);
}

Result<Run> PipelineService::startLocalRun(qint64 pipelineId, const QStringList &stageNames)
{
    qint64 id = 0;
    {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return fail(begun.error());
        RunRepository runs(m_database);
        auto active = runs.active(pipelineId);
        if (!active)
            return fail(active.error());
        if (*active) {
            return fail(Error::conflict(
                QStringLiteral("run %1 of this pipeline is still running").arg(**active)));
        }
        auto next = runs.nextRunNumber(pipelineId);
        if (!next)
            return fail(next.error());
        Run run;
        run.pipelineId = pipelineId;
        run.runNumber = *next;
        run.event = QStringLiteral("manual");
        RunRules::applyRun(run, RunUpdate {}, false);
        auto inserted = runs.insert(run);
        if (!inserted)
            return fail(inserted.error());
        run.id = id = *inserted;
        RunUpdate stages;
        for (const QString &name : stageNames) {
            StageUpdate stage;
            stage.name = name;
            stages.stages.append(stage);
        }
        if (auto applied = RunRules::applyStored(m_database, run, stages, false); !applied)
            return fail(applied.error());
        if (auto committed = transaction.commit(); !committed)
            return fail(committed.error());
    }
    publish(QStringLiteral("run.created"), id);
    prune(pipelineId);
    return run(id);
}

Result<Run> PipelineService::applyLocal(qint64 runId, const RunUpdate &update)
{
    return patch(runId, update);
}

Status PipelineService::appendLog(qint64 runId, const QString &stageName, const QString &text)
{
    auto found = run(runId);
    if (!found)
        return fail(found.error());
    for (const Stage &stage : found->stages) {
        if (stage.name == stageName) {
            const auto lock = m_database.lockForWrite();
            return RunRepository(m_database).appendLog(stage.id, text);
        }
    }
    return fail(Error::notFound(QStringLiteral("no stage %1").arg(stageName)));
}

Result<int> PipelineService::failInterruptedRuns(const QString &note)
{
    auto ids = RunRepository(m_database).unfinishedLocal();
    if (!ids)
        return fail(ids.error());
    for (const qint64 id : *ids) {
        auto found = run(id);
        if (!found)
            return fail(found.error());
        RunUpdate update;
        update.status = QStringLiteral("completed");
        update.conclusion = QStringLiteral("failure");
        update.note = note;
        for (const Stage &stage : found->stages) {
            if (stage.status == u"completed")
                continue;
            StageUpdate change;
            change.name = stage.name;
            change.status = QStringLiteral("completed");
            change.conclusion = stage.status == u"in_progress" ? QStringLiteral("failure")
                                                               : QStringLiteral("skipped");
            update.stages.append(change);
        }
        if (auto patched = patch(id, update); !patched)
            return fail(patched.error());
        qCWarning(lcPipelines) << "run" << id << "was left unfinished; marked as failed";
    }
    return int(ids->size());
}

} // namespace Outpost::Server
