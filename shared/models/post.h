#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace Outpost {

class JsonWriter;

// {"id","email","username"} of a post's owner.
struct PostOwner
{
    qint64 id = 0;
    QString email;
    QString username; // empty: JSON null
};

// {"id","title","content","published","created_at","updated_at","owner":{...},"votes"}
struct Post
{
    qint64 id = 0;
    QString title;
    QString content;
    bool published = true;
    QDateTime createdAt;
    QDateTime updatedAt;
    PostOwner owner;
    qint64 votes = 0;

    QJsonObject toJson() const;
    void writeJson(JsonWriter &writer) const;              // the same JSON, without a QJsonObject
    static Result<Post> fromJson(const QJsonObject &json); // for clients
};

// POST /v1/posts and PUT /v1/posts/{id} (a full post): title 1..300 characters after
// trimming, content 0..100000 characters, published optional (default true). Unknown fields
// are errors; every field error is collected.
struct PostWrite
{
    QString title;
    QString content;
    bool published = true;

    QJsonObject toJson() const;
    static Result<PostWrite> fromJson(const QJsonObject &json);
};

enum class PostSort { NewestFirst, OldestFirst, MostVotes };

// GET /v1/posts query: limit 1..100 (default 10), skip >= 0, search (title and content,
// substring, case-insensitive), owner_id > 0, sort "-created_at" | "created_at" | "-votes".
// Null strings mean absent; anything else must be valid (Validation, never clamped).
struct PostQuery
{
    int limit = 10;
    qint64 skip = 0;
    QString search;
    qint64 ownerId = 0; // 0: any owner
    PostSort sort = PostSort::NewestFirst;

    static Result<PostQuery> fromQuery(const QString &limit, const QString &skip,
        const QString &search, const QString &ownerId, const QString &sort);
    // The same as query items, for clients (search and owner_id only when set).
    QUrlQuery toQuery() const;
};

// POST /v1/vote: {"post_id": integer > 0, "dir": 0 or 1} — integers only (no strings, no
// booleans).
struct VoteRequest
{
    qint64 postId = 0;
    int dir = 1;

    QJsonObject toJson() const;
    static Result<VoteRequest> fromJson(const QJsonObject &json);
};

// One hit of GET /v1/search: {"kind":"post","id",..} or {"kind":"file","file_path",..}, with
// "title", "snippet" (matches wrapped in <mark>…</mark>, the rest HTML-escaped) and "score"
// (higher is better).
struct SearchHit
{
    QString kind; // "post" | "file"
    qint64 id = 0;
    QString filePath;
    QString title;
    QString snippet;
    double score = 0;

    QJsonObject toJson() const;
};

} // namespace Outpost
