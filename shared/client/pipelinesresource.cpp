#include "pipelinesresource.h"

#include "apiclient.h"

#include <QUrlQuery>

namespace Outpost::Client {

namespace {

QString pipelinePath(qint64 id)
{
    return QStringLiteral("/v1/pipelines/%1").arg(id);
}

QString runPath(qint64 id)
{
    return QStringLiteral("/v1/runs/%1").arg(id);
}

} // namespace

Reply<Page<Pipeline>> PipelinesResource::list(const PageRequest &page) const
{
    return {m_client->get(QStringLiteral("/v1/pipelines"), page.toQuery()),
        &Decode::json<Page<Pipeline>>};
}

Reply<Pipeline> PipelinesResource::get(qint64 id) const
{
    return {m_client->get(pipelinePath(id)), &Decode::json<Pipeline>};
}

Reply<Pipeline> PipelinesResource::create(const PipelineCreate &pipeline) const
{
    return {m_client->post(QStringLiteral("/v1/pipelines"), pipeline.toJson()),
        &Decode::json<Pipeline>};
}

Reply<void> PipelinesResource::remove(qint64 id) const
{
    return {m_client->del(pipelinePath(id)), &Decode::nothing};
}

Reply<Page<Run>> PipelinesResource::runs(qint64 pipelineId, const PageRequest &page) const
{
    return {m_client->get(pipelinePath(pipelineId) + QStringLiteral("/runs"), page.toQuery()),
        &Decode::json<Page<Run>>};
}

Reply<Run> PipelinesResource::report(qint64 pipelineId, const RunUpdate &run) const
{
    return {m_client->post(pipelinePath(pipelineId) + QStringLiteral("/runs"), run.toJson()),
        &Decode::json<Run>};
}

Reply<Run> PipelinesResource::run(qint64 id) const
{
    return {m_client->get(runPath(id)), &Decode::json<Run>};
}

Reply<QString> PipelinesResource::log(qint64 runId, qint64 offset) const
{
    QUrlQuery query;
    if (offset > 0)
        query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    return {m_client->get(runPath(runId) + QStringLiteral("/log"), query), &Decode::text};
}

Reply<Run> PipelinesResource::trigger(qint64 pipelineId) const
{
    return {m_client->post(pipelinePath(pipelineId) + QStringLiteral("/trigger"), QJsonObject()),
        &Decode::json<Run>};
}

Reply<Run> PipelinesResource::cancel(qint64 runId) const
{
    return {m_client->post(runPath(runId) + QStringLiteral("/cancel"), QJsonObject()),
        &Decode::json<Run>};
}

} // namespace Outpost::Client
