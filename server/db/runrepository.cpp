#include "runrepository.h"

#include "database.h"
#include "runrow.h"
#include "sqlsupport.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

QVariant timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(seconds(time)) : QVariant(QMetaType(QMetaType::QString));
}

QString now()
{
    return seconds(QDateTime::currentDateTimeUtc());
}

// A stage without its log (hasLog says whether there is one), of `stages`.
const auto kStageRow = rowFormat<Stage>([](auto &c, Stage &stage) {
    c.column("id", stage.id);
    c.column("run_id", stage.runId);
    c.column("name", stage.name);
    c.column("position", stage.position);
    c.column("external_id", stage.externalId);
    c.column("status", stage.status);
    c.column("conclusion", stage.conclusion);
    c.column("provider_status", stage.providerStatus);
    c.column("started_at", stage.startedAt);
    c.column("finished_at", stage.finishedAt);
    c.column("CASE WHEN log IS NULL THEN 0 ELSE 1 END", stage.hasLog);
    c.column("steps", stage.steps, // JSON text
        [](const QString &text) { return QJsonDocument::fromJson(text.toUtf8()).array(); });
});

// A stage's name and log.
const auto kLogRow = rowFormat<std::pair<QString, QString>>([](auto &c, auto &log) {
    c.column("name", log.first);
    c.column("log", log.second);
});

const QString kRunColumns = kRunRow.columns();

Error runNumberTaken()
{
    return Error::conflict(QStringLiteral("a run with this run_number exists in this pipeline"));
}

} // namespace

RunRepository::RunRepository(const Database &database)
    : m_database(database)
{ }

Result<Page<Run>> RunRepository::list(qint64 pipelineId, const PageRequest &page) const
{
    Page<Run> result;
    result.limit = page.limit;
    result.skip = page.skip;
    auto total =
        scalarCached(m_database, QStringLiteral("SELECT COUNT(*) FROM runs WHERE pipeline_id = :p"),
            {{":p", pipelineId}}, "count runs");
    if (!total)
        return fail(total.error());
    result.total = total->toLongLong();
    auto q = execCached(m_database,
        QStringLiteral("SELECT ") + kRunColumns
            + QStringLiteral(" FROM runs r WHERE r.pipeline_id = :p ORDER BY r.id DESC "
                             "LIMIT :limit OFFSET :skip"),
        {{":p", pipelineId}, {":limit", page.limit}, {":skip", page.skip}}, "list runs");
    if (!q)
        return fail(q.error());
    while ((*q)->next())
        result.items.append(kRunRow.read(QtRow {**q}));
    return result;
}

Result<std::optional<Run>> RunRepository::find(qint64 id, bool withStages) const
{
    std::optional<Run> found;
    {
        auto q = execCached(m_database,
            QStringLiteral("SELECT ") + kRunColumns
                + QStringLiteral(" FROM runs r WHERE r.id = :id"),
            {{":id", id}}, "find run");
        if (!q)
            return fail(q.error());
        if (!(*q)->next())
            return found;
        found = kRunRow.read(QtRow {**q});
    }
    if (!withStages)
        return found;
    static const QString stagesSql = QStringLiteral("SELECT ") + kStageRow.columns()
        + QStringLiteral(" FROM stages WHERE run_id = :id ORDER BY position, id");
    auto q = execCached(m_database, stagesSql, {{":id", id}}, "list stages");
    if (!q)
        return fail(q.error());
    while ((*q)->next())
        found->stages.append(kStageRow.read(QtRow {**q}));
    return found;
}

Result<std::optional<Run>> RunRepository::findByExternal(
    const QString &source, const QString &externalId) const
{
    qint64 id = 0;
    {
        auto q = execCached(m_database,
            QStringLiteral("SELECT r.id FROM runs r JOIN pipelines p ON p.id = r.pipeline_id "
                           "WHERE p.source = :source AND r.external_id = :external "
                           "ORDER BY r.id DESC LIMIT 1"),
            {{":source", source}, {":external", externalId}}, "find run by external id");
        if (!q)
            return fail(q.error());
        if (!(*q)->next())
            return std::optional<Run>();
        id = (*q)->value(0).toLongLong();
    }
    return find(id);
}

Result<std::optional<qint64>> RunRepository::active(qint64 pipelineId) const
{
    auto q = execCached(m_database,
        QStringLiteral("SELECT id FROM runs WHERE pipeline_id = :p AND status <> 'completed' "
                       "ORDER BY id DESC LIMIT 1"),
        {{":p", pipelineId}}, "active run");
    if (!q)
        return fail(q.error());
    if (!(*q)->next())
        return std::optional<qint64>();
    return std::optional<qint64>((*q)->value(0).toLongLong());
}

Result<qint64> RunRepository::nextRunNumber(qint64 pipelineId) const
{
    auto n = scalarCached(m_database,
        QStringLiteral("SELECT COALESCE(MAX(run_number), 0) + 1 FROM runs WHERE pipeline_id = :p"),
        {{":p", pipelineId}}, "next run number");
    if (!n)
        return fail(n.error());
    return n->toLongLong();
}

Result<bool> RunRepository::numberTaken(qint64 pipelineId, qint64 number, qint64 exceptRunId) const
{
    auto n = scalarCached(m_database,
        QStringLiteral("SELECT COUNT(*) FROM runs WHERE pipeline_id = :p AND run_number = :n "
                       "AND id <> :id"),
        {{":p", pipelineId}, {":n", number}, {":id", exceptRunId}}, "run number taken");
    if (!n)
        return fail(n.error());
    return n->toLongLong() > 0;
}

Result<qint64> RunRepository::insert(const Run &run)
{
    const QString at = now();
    auto id = scalarCached(m_database,
        QStringLiteral(
            "INSERT INTO runs (pipeline_id, run_number, external_id, status, conclusion, "
            "provider_status, head_sha, head_branch, event, actor, html_url, queued_at, "
            "started_at, finished_at, note, created_at, updated_at, attempt) VALUES (:p, "
            ":number, :external, :status, :conclusion, :provider, :sha, :branch, :event, :actor, "
            ":url, :queued, :started, :finished, :note, :created, :updated, :attempt) "
            "RETURNING id"),
        {{":p", run.pipelineId}, {":number", run.runNumber}, {":attempt", run.attempt},
            {":external", textOrNull(run.externalId)}, {":status", run.status},
            {":conclusion", textOrNull(run.conclusion)},
            {":provider", textOrNull(run.providerStatus)}, {":sha", textOrNull(run.headSha)},
            {":branch", textOrNull(run.headBranch)}, {":event", textOrNull(run.event)},
            {":actor", textOrNull(run.actor)}, {":url", textOrNull(run.htmlUrl)},
            {":queued", timeOrNull(run.queuedAt)}, {":started", timeOrNull(run.startedAt)},
            {":finished", timeOrNull(run.finishedAt)}, {":note", textOrNull(run.note)},
            {":created", at}, {":updated", at}},
        "insert run", runNumberTaken());
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Status RunRepository::update(const Run &run)
{
    auto q = execCached(m_database,
        QStringLiteral(
            "UPDATE runs SET run_number = :number, status = :status, conclusion = :conclusion, "
            "provider_status = :provider, head_sha = :sha, head_branch = :branch, event = :event, "
            "actor = :actor, html_url = :url, queued_at = :queued, started_at = :started, "
            "finished_at = :finished, note = :note, updated_at = :updated, attempt = :attempt "
            "WHERE id = :id"),
        {{":id", run.id}, {":number", run.runNumber}, {":attempt", run.attempt},
            {":status", run.status}, {":conclusion", textOrNull(run.conclusion)},
            {":provider", textOrNull(run.providerStatus)}, {":sha", textOrNull(run.headSha)},
            {":branch", textOrNull(run.headBranch)}, {":event", textOrNull(run.event)},
            {":actor", textOrNull(run.actor)}, {":url", textOrNull(run.htmlUrl)},
            {":queued", timeOrNull(run.queuedAt)}, {":started", timeOrNull(run.startedAt)},
            {":finished", timeOrNull(run.finishedAt)}, {":note", textOrNull(run.note)},
            {":updated", now()}},
        "update run", runNumberTaken());
    if (!q)
        return fail(q.error());
    return {};
}

Result<qint64> RunRepository::saveStage(const Stage &stage)
{
    const QString steps = stage.steps.isEmpty()
        ? QString()
        : QString::fromUtf8(QJsonDocument(stage.steps).toJson(QJsonDocument::Compact));
    const Error duplicate = Error::conflict(QStringLiteral("a stage with this name exists"));
    if (stage.id == 0) {
        auto id = scalarCached(m_database,
            QStringLiteral("INSERT INTO stages (run_id, name, position, external_id, status, "
                           "conclusion, provider_status, started_at, finished_at, steps) VALUES "
                           "(:run, :name, :position, :external, :status, :conclusion, :provider, "
                           ":started, :finished, :steps) RETURNING id"),
            {{":run", stage.runId}, {":name", stage.name}, {":position", stage.position},
                {":external", textOrNull(stage.externalId)}, {":status", stage.status},
                {":conclusion", textOrNull(stage.conclusion)},
                {":provider", textOrNull(stage.providerStatus)},
                {":started", timeOrNull(stage.startedAt)},
                {":finished", timeOrNull(stage.finishedAt)}, {":steps", textOrNull(steps)}},
            "insert stage", duplicate);
        if (!id)
            return fail(id.error());
        return id->toLongLong();
    }
    auto q = execCached(m_database,
        QStringLiteral("UPDATE stages SET name = :name, position = :position, status = :status, "
                       "conclusion = :conclusion, provider_status = :provider, started_at = "
                       ":started, finished_at = :finished, steps = :steps WHERE id = :id"),
        {{":id", stage.id}, {":name", stage.name}, {":position", stage.position},
            {":status", stage.status}, {":conclusion", textOrNull(stage.conclusion)},
            {":provider", textOrNull(stage.providerStatus)},
            {":started", timeOrNull(stage.startedAt)}, {":finished", timeOrNull(stage.finishedAt)},
            {":steps", textOrNull(steps)}},
        "update stage", duplicate);
    if (!q)
        return fail(q.error());
    return stage.id;
}

Status RunRepository::removeStages(qint64 runId)
{
    auto q = execCached(m_database, QStringLiteral("DELETE FROM stages WHERE run_id = :id"),
        {{":id", runId}}, "delete stages");
    if (!q)
        return fail(q.error());
    return {};
}

Status RunRepository::appendLog(qint64 stageId, const QString &text)
{
    // || is standard SQL string concatenation on both dialects. A log stops growing past
    // about 1 MiB; the local runner says where it cut its own.
    auto q = execCached(m_database,
        QStringLiteral("UPDATE stages SET log = COALESCE(log, '') || :text "
                       "WHERE id = :id AND LENGTH(COALESCE(log, '')) < :max"),
        {{":id", stageId}, {":text", text}, {":max", 1100 * 1000}}, "append stage log");
    if (!q)
        return fail(q.error());
    return {};
}

Result<QList<std::pair<QString, QString>>> RunRepository::logs(qint64 runId) const
{
    static const QString sql = QStringLiteral("SELECT ") + kLogRow.columns()
        + QStringLiteral(
            " FROM stages WHERE run_id = :id AND log IS NOT NULL ORDER BY position, id");
    auto q = execCached(m_database, sql, {{":id", runId}}, "stage logs");
    if (!q)
        return fail(q.error());
    QList<std::pair<QString, QString>> result;
    while ((*q)->next())
        result.append(kLogRow.read(QtRow {**q}));
    return result;
}

Result<QList<qint64>> RunRepository::prune(qint64 pipelineId, int keep)
{
    QList<qint64> ids;
    {
        auto q = execCached(m_database,
            // SQLite needs a LIMIT before OFFSET: a bound that is never reached.
            QStringLiteral("SELECT id FROM runs WHERE pipeline_id = :p ORDER BY id DESC "
                           "LIMIT 1000000000 OFFSET :keep"),
            {{":p", pipelineId}, {":keep", keep}}, "runs past retention");
        if (!q)
            return fail(q.error());
        while ((*q)->next())
            ids.append((*q)->value(0).toLongLong());
    }
    for (const qint64 id : ids) {
        auto q = execCached(m_database, QStringLiteral("DELETE FROM runs WHERE id = :id"),
            {{":id", id}}, "delete run");
        if (!q)
            return fail(q.error());
    }
    return ids;
}

Result<QList<qint64>> RunRepository::unfinishedLocal() const
{
    auto q = execCached(m_database,
        QStringLiteral("SELECT r.id FROM runs r JOIN pipelines p ON p.id = r.pipeline_id "
                       "WHERE p.source = 'local' AND r.status <> 'completed'"),
        {}, "unfinished local runs");
    if (!q)
        return fail(q.error());
    QList<qint64> ids;
    while ((*q)->next())
        ids.append((*q)->value(0).toLongLong());
    return ids;
}

} // namespace Outpost::Server
