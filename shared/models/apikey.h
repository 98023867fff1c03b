#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Outpost {

namespace Scopes {
inline const QString pipelinesWrite = QStringLiteral("pipelines:write");
inline const QString filesWrite = QStringLiteral("files:write");
inline const QString read = QStringLiteral("read");
QStringList all();
} // namespace Scopes

// {"id","name","scopes","prefix","created_at","last_used_at","created_by"} and, once, "key".
struct ApiKey
{
    qint64 id = 0;
    QString name;
    QStringList scopes;
    QString prefix; // first characters of the key, to recognise it ("opk_AbC1")
    QDateTime createdAt;
    QDateTime lastUsedAt; // invalid: never used
    qint64 createdBy = 0; // 0: the creator was deleted
    QString key;          // only in the creation response

    QJsonObject toJson() const;
    static Result<ApiKey> fromJson(const QJsonObject &json);
};

// POST /v1/api-keys: name 1..100 characters; scopes a non-empty subset of Scopes::all().
struct ApiKeyCreate
{
    QString name;
    QStringList scopes;

    QJsonObject toJson() const;
    static Result<ApiKeyCreate> fromJson(const QJsonObject &json);
};

} // namespace Outpost
