#include "post.h"

#include "core/jsonwriter.h"

#include "core/timeformat.h"
#include "jsonfields.h"
#include "page.h"

#include <QJsonValue>

namespace Outpost {

using namespace JsonFields;

namespace {

constexpr qsizetype kMaxTitleLength = 300;
constexpr qsizetype kMaxContentLength = 100000;

const QString kId = QStringLiteral("id");
const QString kTitle = QStringLiteral("title");
const QString kContent = QStringLiteral("content");
const QString kPublished = QStringLiteral("published");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kUpdatedAt = QStringLiteral("updated_at");
const QString kOwner = QStringLiteral("owner");
const QString kEmail = QStringLiteral("email");
const QString kUsername = QStringLiteral("username");
const QString kVotes = QStringLiteral("votes");
const QString kOwnerId = QStringLiteral("owner_id");
const QString kSort = QStringLiteral("sort");
const QString kPostId = QStringLiteral("post_id");
const QString kDir = QStringLiteral("dir");
const QString kKind = QStringLiteral("kind");
const QString kFilePath = QStringLiteral("file_path");
const QString kSnippet = QStringLiteral("snippet");
const QString kScore = QStringLiteral("score");

const QString kSortNewest = QStringLiteral("-created_at");
const QString kSortOldest = QStringLiteral("created_at");
const QString kSortVotes = QStringLiteral("-votes");

QString mustBeBoolean()
{
    return QStringLiteral("must be true or false");
}

// A query-string integer: ASCII digits with an optional '-', nothing else ("+5", " 5", "5x"
// and "" are not integers).
std::optional<qint64> parseInteger(const QString &text)
{
    const qsizetype digitsFrom = text.startsWith(u'-') ? 1 : 0;
    if (text.size() == digitsFrom)
        return std::nullopt;
    for (qsizetype i = digitsFrom; i < text.size(); ++i) {
        if (text.at(i) < u'0' || text.at(i) > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

// A required whole-number member; `field` names it in errors (e.g. "owner.id").
std::optional<qint64> readInteger(
    const QJsonObject &json, const QString &key, const QString &field, QList<FieldError> &errors)
{
    const QJsonValue value = json.value(key);
    if (const std::optional<qint64> integer = integerValue(value))
        return integer;
    errors.append(
        {field, value.isUndefined() ? isRequired() : QStringLiteral("must be an integer")});
    return std::nullopt;
}

void readTime(
    const QJsonObject &json, const QString &key, QDateTime &out, QList<FieldError> &errors)
{
    QString text;
    if (!readString(json, key, true, text, errors))
        return;
    out = fromRfc3339(text);
    if (!out.isValid())
        errors.append({key, QStringLiteral("must be an RFC 3339 time")});
}

} // namespace

QJsonObject Post::toJson() const
{
    QJsonObject ownerJson {
        {kId, owner.id},
        {kUsername,
            owner.username.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(owner.username)},
    };
    if (!owner.email.isEmpty()) // hidden from other users (hideOwnerEmail)
        ownerJson.insert(kEmail, owner.email);
    return {{kId, id}, {kTitle, title}, {kContent, content}, {kPublished, published},
        {kCreatedAt, toJsonTime(createdAt)}, {kUpdatedAt, toJsonTime(updatedAt)},
        {kOwner, ownerJson}, {kVotes, votes}};
}

// The same document as toJson(), written straight into bytes (server hot path); keys in the
// same (sorted) order as QJsonDocument writes them, so both give identical text.
void Post::writeJson(JsonWriter &w) const
{
    QByteArray created;
    QByteArray updated;
    appendRfc3339(created, createdAt);
    appendRfc3339(updated, updatedAt);
    w.beginObject();
    w.key("content").value(content);
    w.key("created_at");
    created.isEmpty() ? w.null() : w.raw(QByteArray('"' + created + '"'));
    w.key("id").value(id);
    w.key("owner").beginObject();
    if (!owner.email.isEmpty())
        w.key("email").value(owner.email);
    w.key("id").value(owner.id);
    w.key("username");
    owner.username.isEmpty() ? w.null() : w.value(owner.username);
    w.endObject();
    w.key("published").value(published);
    w.key("title").value(title);
    w.key("updated_at");
    updated.isEmpty() ? w.null() : w.raw(QByteArray('"' + updated + '"'));
    w.key("votes").value(votes);
    w.endObject();
}

// Lenient about members it does not know, so clients keep working with newer servers.
Result<Post> Post::fromJson(const QJsonObject &json)
{
    Post post;
    QList<FieldError> errors;

    if (const std::optional<qint64> id = readInteger(json, kId, kId, errors))
        post.id = *id;
    readString(json, kTitle, true, post.title, errors);
    readString(json, kContent, true, post.content, errors);

    const QJsonValue published = json.value(kPublished);
    if (published.isBool())
        post.published = published.toBool();
    else
        errors.append({kPublished, published.isUndefined() ? isRequired() : mustBeBoolean()});

    readTime(json, kCreatedAt, post.createdAt, errors);
    readTime(json, kUpdatedAt, post.updatedAt, errors);

    const QJsonValue owner = json.value(kOwner);
    if (owner.isObject()) {
        const QJsonObject ownerJson = owner.toObject();
        const QString prefix = kOwner + u'.';
        if (const std::optional<qint64> id = readInteger(ownerJson, kId, prefix + kId, errors))
            post.owner.id = *id;
        const QJsonValue email = ownerJson.value(kEmail);
        if (email.isString())
            post.owner.email = email.toString();
        else if (!email.isUndefined()) // absent: not the viewer's to see
            errors.append({prefix + kEmail, mustBeString()});
        const QJsonValue username = ownerJson.value(kUsername);
        if (username.isString())
            post.owner.username = username.toString();
        else if (!username.isNull() && !username.isUndefined())
            errors.append({prefix + kUsername, QStringLiteral("must be a string or null")});
    } else {
        errors.append(
            {kOwner, owner.isUndefined() ? isRequired() : QStringLiteral("must be an object")});
    }

    if (const std::optional<qint64> votes = readInteger(json, kVotes, kVotes, errors))
        post.votes = *votes;

    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return post;
}

QJsonObject PostWrite::toJson() const
{
    return {{kTitle, title}, {kContent, content}, {kPublished, published}};
}

Result<PostWrite> PostWrite::fromJson(const QJsonObject &json)
{
    PostWrite write;
    QList<FieldError> errors;

    if (readString(json, kTitle, true, write.title, errors)) {
        write.title = write.title.trimmed();
        if (write.title.isEmpty())
            errors.append({kTitle, QStringLiteral("must not be empty")});
        else if (codePointCount(write.title) > kMaxTitleLength)
            errors.append(
                {kTitle, QStringLiteral("must be at most %1 characters").arg(kMaxTitleLength)});
    }

    if (readString(json, kContent, true, write.content, errors)
        && codePointCount(write.content) > kMaxContentLength)
        errors.append(
            {kContent, QStringLiteral("must be at most %1 characters").arg(kMaxContentLength)});

    if (json.contains(kPublished)) {
        const QJsonValue published = json.value(kPublished);
        if (published.isBool())
            write.published = published.toBool();
        else
            errors.append({kPublished, mustBeBoolean()});
    }

    rejectUnknownFields(json, {kTitle, kContent, kPublished}, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return write;
}

Result<PostQuery> PostQuery::fromQuery(const QString &limit, const QString &skip,
    const QString &search, const QString &ownerId, const QString &sort)
{
    PostQuery query;
    QList<FieldError> errors;

    if (const Result<PageRequest> page = PageRequest::fromQuery(limit, skip)) {
        query.limit = page->limit;
        query.skip = page->skip;
    } else {
        errors.append(page.error().fields);
    }

    // An empty search is no filter (a form's empty search box).
    query.search = search.trimmed();

    if (!ownerId.isNull()) {
        const std::optional<qint64> id = parseInteger(ownerId);
        if (id && *id > 0)
            query.ownerId = *id;
        else
            errors.append({kOwnerId, QStringLiteral("must be a positive integer")});
    }

    if (!sort.isNull()) {
        if (sort == kSortNewest) {
            query.sort = PostSort::NewestFirst;
        } else if (sort == kSortOldest) {
            query.sort = PostSort::OldestFirst;
        } else if (sort == kSortVotes) {
            query.sort = PostSort::MostVotes;
        } else {
            errors.append({kSort,
                QStringLiteral("must be one of %1, %2, %3")
                    .arg(kSortNewest, kSortOldest, kSortVotes)});
        }
    }

    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return query;
}

QUrlQuery PostQuery::toQuery() const
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    query.addQueryItem(QStringLiteral("skip"), QString::number(skip));
    if (!search.isEmpty())
        query.addQueryItem(QStringLiteral("search"), search);
    if (ownerId > 0)
        query.addQueryItem(kOwnerId, QString::number(ownerId));
    const QString &order = sort == PostSort::OldestFirst ? kSortOldest
        : sort == PostSort::MostVotes                    ? kSortVotes
                                                         : kSortNewest;
    query.addQueryItem(kSort, order);
    return query;
}

QJsonObject VoteRequest::toJson() const
{
    return {{kPostId, postId}, {kDir, dir}};
}

Result<VoteRequest> VoteRequest::fromJson(const QJsonObject &json)
{
    VoteRequest vote;
    QList<FieldError> errors;

    const QJsonValue postId = json.value(kPostId);
    const std::optional<qint64> id = integerValue(postId);
    if (id && *id > 0)
        vote.postId = *id;
    else
        errors.append({kPostId,
            postId.isUndefined() ? isRequired() : QStringLiteral("must be a positive integer")});

    // JSON has one number type, so 1.0 is 1; "1", true, 2 and -1 are not a direction.
    const QJsonValue dir = json.value(kDir);
    const std::optional<qint64> direction = integerValue(dir);
    if (direction && (*direction == 0 || *direction == 1))
        vote.dir = static_cast<int>(*direction);
    else
        errors.append({kDir, dir.isUndefined() ? isRequired() : QStringLiteral("must be 0 or 1")});

    rejectUnknownFields(json, {kPostId, kDir}, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return vote;
}

QJsonObject SearchHit::toJson() const
{
    QJsonObject json {{kKind, kind}, {kTitle, title}, {kSnippet, snippet}, {kScore, score}};
    if (kind == u"file")
        json.insert(kFilePath, filePath);
    else
        json.insert(kId, id);
    return json;
}

} // namespace Outpost
