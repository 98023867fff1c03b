#include "backupsapi.h"

#include "apihelpers.h"
#include "core/tsanhandoff.h"
#include "http/openapi.h"
#include "http/router.h"
#include "services/auditservice.h"
#include "services/backupservice.h"
#include "services/servercontext.h"
#include "storage/filestore.h"

#include <QAbstractEventDispatcher>
#include <QJsonArray>
#include <QThread>

namespace Outpost::Server {

using namespace Api;

namespace {

QString statusUrl(const QString &name)
{
    return QStringLiteral("/v1/admin/backups/%1/status").arg(name);
}

QString downloadUrl(const QString &name)
{
    return QStringLiteral("/v1/admin/backups/") + name;
}

QJsonObject nameParameter()
{
    return {{QStringLiteral("name"), QStringLiteral("name")},
        {QStringLiteral("in"), QStringLiteral("path")}, {QStringLiteral("required"), true},
        {QStringLiteral("schema"),
            QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}},
        {QStringLiteral("description"), QStringLiteral("outpost-backup-<time>.tar.gz")}};
}

QJsonObject backupJson(const BackupInfo &backup)
{
    return {{QStringLiteral("name"), backup.name}, {QStringLiteral("size_bytes"), backup.size},
        {QStringLiteral("created_at"), backup.createdAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("download_url"), downloadUrl(backup.name)}};
}

QJsonObject jobJson(const BackupJob &job)
{
    static const char *const states[] = {"running", "done", "failed"};
    QJsonObject json {{QStringLiteral("name"), job.name},
        {QStringLiteral("state"), QString::fromLatin1(states[int(job.state)])},
        {QStringLiteral("started_at"), job.startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("status_url"), statusUrl(job.name)}};
    if (job.finishedAt.isValid())
        json.insert(QStringLiteral("finished_at"), job.finishedAt.toString(Qt::ISODateWithMs));
    if (job.state == BackupJob::State::Done) {
        json.insert(QStringLiteral("size_bytes"), job.size);
        json.insert(QStringLiteral("download_url"), downloadUrl(job.name));
    }
    if (job.state == BackupJob::State::Failed)
        json.insert(QStringLiteral("detail"), job.detail);
    return json;
}

} // namespace

void BackupsApi::registerRoutes(Router &router, const ServerContext &context)
{
    BackupService &backups = *context.backups;
    AuditService &audit = *context.audit;
    FileStore &store = *context.fileStore;
    QThreadPool &pool = *context.slowPool;

    router.addSchema(QStringLiteral("Backup"), R"json({
        "type": "object", "required": ["name", "size_bytes", "created_at", "download_url"],
        "properties": {"name": {"type": "string", "example": "outpost-backup-20261207T120000123Z.tar.gz"},
            "size_bytes": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
            "download_url": {"type": "string"}}})json");
    router.addSchema(QStringLiteral("BackupJob"), R"json({
        "type": "object", "required": ["name", "state", "started_at", "status_url"],
        "properties": {"name": {"type": "string"}, "state": {"enum": ["running", "done", "failed"]},
            "started_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": "string", "format": "date-time"},
            "size_bytes": {"type": "integer"}, "status_url": {"type": "string"},
            "download_url": {"type": "string", "description": "Once done"},
            "detail": {"type": "string", "description": "Why it failed"}}})json");

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/admin/backups"),
        .access = Access::Admin,
        .tag = QStringLiteral("Administration"),
        .summary = QStringLiteral("List the backups in the file store"),
        .openapi = R"json({"operationId": "listBackups",
            "description": "Backups made on schedule (OUTPOST_BACKUP_INTERVAL) or by POST, newest first. SQLite servers only: on PostgreSQL this answers 422 with advice (pg_dump, point-in-time recovery).",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Backup"}}}}}}},
                "422": {"description": "The database is PostgreSQL"}}})json",
        .handler = handle([&backups, &pool](Request &request) {
            return runOffThread(pool, request, [&backups, instance = request.path()] {
                auto list = backups.list();
                if (!list)
                    return problem(list.error(), instance);
                QJsonArray items;
                for (const BackupInfo &backup : *list)
                    items.append(backupJson(backup));
                return ok(QJsonObject {{QStringLiteral("items"), items}});
            });
        }),
    });

    router.add({
        .method = "POST",
        .path = QStringLiteral("/v1/admin/backups"),
        .access = Access::Admin,
        .tag = QStringLiteral("Administration"),
        .summary = QStringLiteral("Start a backup now"),
        .openapi = R"json({"operationId": "startBackup",
            "description": "Makes a backup into the file store on a thread of its own. Poll the status URL (Location) until its state is done or failed.",
            "responses": {"202": {"description": "Started", "headers": {"Location": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BackupJob"}}}},
                "409": {"description": "A backup is already being made"},
                "422": {"description": "The database is PostgreSQL"}}})json",
        .handler = handle([&backups, &audit](Request &request) -> Reply {
            auto job = backups.start(QDateTime::currentDateTimeUtc());
            if (!job)
                return fail(job.error());
            const Caller caller = callerOf(request);
            audit.record(caller.principal, QStringLiteral("backup.started"),
                QStringLiteral("backup"), job->name, caller.clientAddress);
            return HttpResponse::json(202, jobJson(*job))
                .withHeader(QByteArrayLiteral("Location"), statusUrl(job->name).toUtf8());
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/admin/backups/{name}/status"),
        .access = Access::Admin,
        .tag = QStringLiteral("Administration"),
        .summary = QStringLiteral("The state of a backup started by POST"),
        .parameters = {nameParameter()},
        .openapi = R"json({"operationId": "getBackupStatus",
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BackupJob"}}}},
                "404": {"description": "No backup was started under that name since the server started"}}})json",
        .handler = handle([&backups](Request &request) -> Reply {
            auto job = backups.job(request.pathParam(QStringLiteral("name")));
            if (!job)
                return fail(job.error());
            return ok(jobJson(*job));
        }),
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/v1/admin/backups/{name}"),
        .access = Access::Admin,
        .tag = QStringLiteral("Administration"),
        .summary = QStringLiteral("Download a backup"),
        .parameters = {nameParameter()},
        .openapi = R"json({"operationId": "downloadBackup",
            "description": "The archive (.tar.gz): the SQLite database, the local file store's files and a manifest with a SHA-256 per member. Restore it with `outpost-server restore --input FILE`.",
            "responses": {"200": {"description": "The archive", "content": {"application/gzip": {"schema": {"type": "string", "format": "binary"}}}},
                "404": {"description": "No such backup"}}})json",
        .handler = handle([&backups, &audit, &store, &pool](Request &request) -> Reply {
            const QString name = request.pathParam(QStringLiteral("name"));
            const QString key = BackupService::keyOf(name);
            if (key.isEmpty())
                return fail(Error::notFound(QStringLiteral("no backup named %1").arg(name)));
            const Caller caller = callerOf(request);
            DeferredReply reply = request.defer();
            // Find its size off the HTTP thread (listing S3 blocks), then stream it from here.
            QObject *here = QAbstractEventDispatcher::instance(QThread::currentThread());
            pool.start(TsanHandOff::handOver([&backups, &audit, &store, reply, here, name, key,
                                                 caller, instance = request.path()] {
                auto list = backups.list();
                if (!list) {
                    reply.send(problem(list.error(), instance));
                    return;
                }
                const auto found = std::find_if(list->cbegin(), list->cend(),
                    [&name](const BackupInfo &backup) { return backup.name == name; });
                if (found == list->cend()) {
                    reply.send(problem(
                        Error::notFound(QStringLiteral("no backup named %1").arg(name)), instance));
                    return;
                }
                audit.record(caller.principal, QStringLiteral("backup.downloaded"),
                    QStringLiteral("backup"), name, caller.clientAddress);
                const qint64 size = found->size;
                QMetaObject::invokeMethod(
                    here, TsanHandOff::handOver([&store, reply, key, name, size, instance] {
                        HttpResponse response {200, QByteArrayLiteral("application/gzip"), {}, {}};
                        response.withHeader(
                            QByteArrayLiteral("Content-Length"), QByteArray::number(size));
                        response.withHeader(QByteArrayLiteral("Content-Disposition"),
                            "attachment; filename=\"" + name.toLatin1() + '"');
                        response.withHeader(
                            QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
                        if (size == 0) {
                            reply.send(std::move(response));
                            return;
                        }
                        store.openRead(key, 0, size,
                            [reply, response, size, instance](
                                Result<std::shared_ptr<QIODevice>> device) mutable {
                                if (!device) {
                                    reply.send(problem(device.error(), instance));
                                    return;
                                }
                                response.stream = std::move(*device);
                                response.streamLength = size;
                                reply.send(std::move(response));
                            });
                    }));
            }));
            return HttpResponse::deferred();
        }),
    });
}

} // namespace Outpost::Server
