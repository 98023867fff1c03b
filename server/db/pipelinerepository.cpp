#include "pipelinerepository.h"

#include "database.h"
#include "runrow.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

// A pipeline with its newest run (NULL when it has none), of `pipelines p LEFT JOIN runs r`.
const auto kPipelineRow = rowFormat<Pipeline>([](auto &c, Pipeline &pipeline) {
    c.column("p.id", pipeline.id);
    c.column("p.name", pipeline.name);
    c.column("p.source", pipeline.source);
    c.column("p.repository", pipeline.repository);
    c.column("p.external_id", pipeline.externalId);
    c.column("p.definition", pipeline.definition);
    c.column("p.created_at", pipeline.createdAt);
    c.optional(kRunRow, pipeline.lastRun);
});

// Each pipeline with its newest run, in one query rather than one per pipeline:
// runs_pipeline_idx answers the subquery.
const QString kPipelineWithLastRun = QStringLiteral("SELECT ") + kPipelineRow.columns()
    + QStringLiteral(" FROM pipelines p LEFT JOIN runs r ON r.id = "
                     "(SELECT MAX(l.id) FROM runs l WHERE l.pipeline_id = p.id)");

} // namespace

PipelineRepository::PipelineRepository(const Database &database)
    : m_database(database)
{ }

Result<Page<Pipeline>> PipelineRepository::list(const PageRequest &page) const
{
    Page<Pipeline> result;
    result.limit = page.limit;
    result.skip = page.skip;
    auto total = scalarCached(
        m_database, QStringLiteral("SELECT COUNT(*) FROM pipelines"), {}, "count pipelines");
    if (!total)
        return fail(total.error());
    result.total = total->toLongLong();
    {
        auto q = execCached(m_database,
            kPipelineWithLastRun + QStringLiteral(" ORDER BY p.id DESC LIMIT :limit OFFSET :skip"),
            {{":limit", page.limit}, {":skip", page.skip}}, "list pipelines");
        if (!q)
            return fail(q.error());
        while ((*q)->next()) {
            result.items.append(kPipelineRow.read(QtRow {**q}));
        }
    }
    return result;
}

Result<std::optional<Pipeline>> PipelineRepository::find(qint64 id) const
{
    auto q = execCached(m_database, kPipelineWithLastRun + QStringLiteral(" WHERE p.id = :id"),
        {{":id", id}}, "find pipeline");
    if (!q)
        return fail(q.error());
    if (!(*q)->next())
        return std::optional<Pipeline>();
    return std::optional<Pipeline>(kPipelineRow.read(QtRow {**q}));
}

Result<qint64> PipelineRepository::insert(const Pipeline &pipeline)
{
    const QString at = seconds(QDateTime::currentDateTimeUtc());
    auto id = scalarCached(m_database,
        QStringLiteral("INSERT INTO pipelines (name, source, repository, external_id, definition, "
                       "created_at, updated_at) VALUES (:name, :source, :repository, :external, "
                       ":definition, :created, :updated) RETURNING id"),
        {{":name", pipeline.name}, {":source", pipeline.source},
            {":repository", textOrNull(pipeline.repository)},
            {":external", textOrNull(pipeline.externalId)},
            {":definition", textOrNull(pipeline.definition)}, {":created", at}, {":updated", at}},
        "insert pipeline", Error::conflict(QStringLiteral("this pipeline exists already")));
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<qint64> PipelineRepository::ensure(const QString &source, const QString &externalId,
    const QString &name, const QString &repository)
{
    const QString at = seconds(QDateTime::currentDateTimeUtc());
    auto id = scalarCached(m_database,
        QStringLiteral(
            "INSERT INTO pipelines (name, source, repository, external_id, created_at, updated_at) "
            "VALUES (:name, :source, :repository, :external, :created, :updated) "
            "ON CONFLICT (source, external_id) DO UPDATE SET "
            "name = COALESCE(NULLIF(excluded.name, ''), pipelines.name), "
            "repository = COALESCE(excluded.repository, pipelines.repository) RETURNING id"),
        {{":name", name}, {":source", source}, {":repository", textOrNull(repository)},
            {":external", externalId}, {":created", at}, {":updated", at}},
        "ensure pipeline");
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<bool> PipelineRepository::remove(qint64 id)
{
    auto q = execCached(m_database, QStringLiteral("DELETE FROM pipelines WHERE id = :id"),
        {{":id", id}}, "delete pipeline");
    if (!q)
        return fail(q.error());
    return (*q)->numRowsAffected() > 0;
}

} // namespace Outpost::Server
