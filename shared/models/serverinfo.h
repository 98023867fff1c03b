#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Outpost {

// GET /v1/admin/info: {"version","started_at","uptime_s","database":{"driver",
// "schema_version"},"file_store":{"kind"},"counts":{"users","posts","files","pipelines"}}.
struct ServerInfo
{
    struct Counts
    {
        qint64 users = 0;
        qint64 posts = 0;
        qint64 files = 0;
        qint64 pipelines = 0;
    };

    QString version;
    QDateTime startedAt;
    qint64 uptimeSeconds = 0;
    QString databaseDriver; // "sqlite", "postgresql"
    qint64 schemaVersion = 0;
    QString fileStoreKind; // "local", "s3", ...
    Counts counts;

    QJsonObject toJson() const;
    static Result<ServerInfo> fromJson(const QJsonObject &json); // for clients
};

// GET /healthz: {"status": "ok"} while the process serves HTTP.
struct Health
{
    QString status;

    bool isOk() const { return status == QLatin1String("ok"); }
    QJsonObject toJson() const;
    static Result<Health> fromJson(const QJsonObject &json); // for clients
};

} // namespace Outpost
