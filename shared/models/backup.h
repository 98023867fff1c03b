#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Outpost {

// One backup kept in the file store (GET /v1/admin/backups): {"name","size_bytes",
// "created_at","download_url"}.
struct Backup
{
    QString name; // outpost-backup-20261207T120000123Z.tar.gz
    qint64 sizeBytes = 0;
    QDateTime createdAt;
    QString downloadUrl;

    QJsonObject toJson() const;
    static Result<Backup> fromJson(const QJsonObject &json); // for clients
};

// GET /v1/admin/backups: {"items": [Backup...]}, newest first.
struct BackupList
{
    QList<Backup> items;

    QJsonObject toJson() const;
    static Result<BackupList> fromJson(const QJsonObject &json); // for clients
};

// A backup started by POST /v1/admin/backups, as its status URL reports it.
struct BackupJob
{
    enum class State { Running, Done, Failed };

    QString name;
    State state = State::Running;
    QDateTime startedAt;
    QDateTime finishedAt; // invalid while running
    qint64 sizeBytes = 0; // once done
    QString statusUrl;
    QString downloadUrl; // once done
    QString detail;      // why it failed

    bool isFinished() const { return state != State::Running; }
    QJsonObject toJson() const;
    static Result<BackupJob> fromJson(const QJsonObject &json); // for clients
};

} // namespace Outpost
