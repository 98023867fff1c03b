#include "postrepository.h"

#include "database.h"
#include "pgreader.h"
#include "rowformat.h"
#include "sqlitereader.h"
#include "sqlsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

// A post with its owner, of `posts p JOIN users u`.
const auto kPostRow = rowFormat<Post>([](auto &c, Post &post) {
    c.column("p.id", post.id);
    c.column("p.title", post.title);
    c.column("p.content", post.content);
    c.column("p.published", post.published);
    c.column("p.created_at", post.createdAt);
    c.column("p.updated_at", post.updatedAt);
    c.column("p.votes_count", post.votes);
    c.column("u.id", post.owner.id);
    c.column("u.email", post.owner.email);
    c.column("u.username", post.owner.username); // NULL: empty
});

// kPostRow's columns; on SQLite the text columns are read as BLOBs (see TextAs).
const QString &postColumns(const Database &database)
{
    static const QString plain = kPostRow.columns();
    static const QString sqlite = kPostRow.columns(TextAs::Blob);
    return database.dialect() == u"sqlite" ? sqlite : plain;
}
const QString kPostsJoinUsers = QStringLiteral(" FROM posts p JOIN users u ON u.id = p.owner_id");

const auto kAccessRow = rowFormat<PostRepository::Access>([](auto &c, auto &access) {
    c.column("owner_id", access.ownerId);
    c.column("published", access.published);
});

// Text for a NOT NULL column: a null QString binds as NULL, so an empty one is bound as ''.
QVariant notNullText(const QString &text)
{
    return text.isNull() ? QVariant(QString(0, QChar())) : QVariant(text);
}

// A LIKE pattern for `text` as a substring, for "lower(column) LIKE lower(:pattern) ESCAPE '!'"
// (lower() on both sides in SQL, so both are folded the same way on either dialect).
QString likeSubstring(const QString &text)
{
    QString pattern;
    pattern.reserve(text.size() + 2);
    pattern.append(u'%');
    for (const QChar c : text) {
        if (c == u'!' || c == u'%' || c == u'_')
            pattern.append(u'!');
        pattern.append(c);
    }
    pattern.append(u'%');
    return pattern;
}

QString orderBy(PostSort sort)
{
    switch (sort) {
    case PostSort::OldestFirst:
        return QStringLiteral(" ORDER BY p.id ASC");
    case PostSort::MostVotes:
        return QStringLiteral(" ORDER BY p.votes_count DESC, p.id DESC");
    case PostSort::NewestFirst:
        break;
    }
    // Ids grow with creation time (INTEGER PRIMARY KEY, never reused while larger ones exist),
    // so id order is created_at order, read straight off the table without a sort.
    return QStringLiteral(" ORDER BY p.id DESC");
}

} // namespace

PostRepository::PostRepository(const Database &database)
    : m_database(database)
{ }

Result<Page<Post>> PostRepository::list(const PostQuery &query, const Viewer &viewer) const
{
    // Only fixed text goes into the SQL (so every variant is one cached statement); values are
    // bound.
    QStringList conditions;
    BindingList filter;
    if (!viewer.isAdmin) {
        conditions.append(kVisibleToViewer);
        filter.append({QStringLiteral(":viewer"), viewer.userId});
    }
    if (query.ownerId != 0) {
        conditions.append(QStringLiteral("p.owner_id = :owner"));
        filter.append({QStringLiteral(":owner"), query.ownerId});
    }
    const QString search = query.search.trimmed();
    if (!search.isEmpty()) {
        conditions.append(
            QStringLiteral("(lower(p.title) LIKE lower(:titlePattern) ESCAPE '!'"
                           " OR lower(p.content) LIKE lower(:contentPattern) ESCAPE '!')"));
        const QString pattern = likeSubstring(search);
        filter.append({QStringLiteral(":titlePattern"), pattern});
        filter.append({QStringLiteral(":contentPattern"), pattern});
    }
    const QString where = conditions.isEmpty()
        ? QString()
        : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));

    // Totals without a search come from the counters the triggers keep (post_stats and
    // post_owner_stats, migrations 0002 and 0006): one row each, however many posts there are.
    QString totalSql;
    BindingList totalBindings;
    if (!search.isEmpty()) {
        totalSql = QStringLiteral("SELECT COUNT(*) FROM posts p") + where;
        totalBindings = filter;
    } else if (query.ownerId != 0) {
        // The owner's published posts, and their unpublished ones when the viewer may see them.
        const bool seesUnpublished = viewer.isAdmin || viewer.userId == query.ownerId;
        totalSql = seesUnpublished
            ? QStringLiteral("SELECT COALESCE((SELECT published + unpublished"
                             " FROM post_owner_stats WHERE owner_id = :owner), 0)")
            : QStringLiteral("SELECT COALESCE((SELECT published"
                             " FROM post_owner_stats WHERE owner_id = :owner), 0)");
        totalBindings.append({QStringLiteral(":owner"), query.ownerId});
    } else if (viewer.isAdmin) {
        totalSql = QStringLiteral("SELECT published + unpublished FROM post_stats");
    } else {
        totalSql =
            QStringLiteral("SELECT s.published + COALESCE((SELECT o.unpublished FROM "
                           "post_owner_stats o WHERE o.owner_id = :viewer), 0) FROM post_stats s");
        totalBindings.append({QStringLiteral(":viewer"), viewer.userId});
    }

    BindingList bindings = filter;
    bindings.append({QStringLiteral(":limit"), query.limit});
    bindings.append({QStringLiteral(":skip"), query.skip});
    const QString rowsSql = QStringLiteral("SELECT ") + postColumns(m_database) + kPostsJoinUsers
        + where + orderBy(query.sort) + QStringLiteral(" LIMIT :limit OFFSET :skip");

    Page<Post> page;
    page.limit = query.limit;
    page.skip = query.skip;
    page.items.reserve(query.limit);
    if (SqliteReader *reader = SqliteReader::forThread(m_database)) {
        Result<qint64> total = reader->integer(totalSql, totalBindings, "count posts");
        if (!total)
            return fail(total.error());
        page.total = *total;
        Result<SqliteReader::Rows> rows = reader->exec(rowsSql, bindings, "list posts");
        if (!rows)
            return fail(rows.error());
        while (rows->next())
            page.items.append(kPostRow.read(*rows));
        if (rows->error())
            return fail(*rows->error());
        return page;
    }

    // On PostgreSQL every statement is a round trip: the total rides along with the page as
    // one more column (its bindings are all in `filter` too), and is asked for on its own only
    // when the page is empty.
    const bool totalInPage = m_database.dialect() == u"postgresql";
    const QString pageSql = totalInPage ? QStringLiteral("SELECT ") + postColumns(m_database)
            + QStringLiteral(", (") + totalSql + QStringLiteral(")") + kPostsJoinUsers + where
            + orderBy(query.sort) + QStringLiteral(" LIMIT :limit OFFSET :skip")
                                        : rowsSql;
    static const int totalColumn = kPostRow.count();
    if (PgReader *reader = PgReader::forThread(m_database)) {
        Result<std::optional<PgReader::Rows>> rows = reader->exec(pageSql, bindings, "list posts");
        if (!rows)
            return fail(rows.error());
        if (*rows) {
            PgReader::Rows &pageRows = **rows;
            while (pageRows.next()) {
                if (page.items.isEmpty())
                    page.total = pageRows.integer(totalColumn);
                page.items.append(kPostRow.read(pageRows));
            }
            if (!page.items.isEmpty())
                return page;
            Result<std::optional<PgReader::Rows>> total =
                reader->exec(totalSql, totalBindings, "count posts");
            if (!total)
                return fail(total.error());
            if (*total) {
                page.total = (*total)->next() ? (*total)->integer(0) : 0;
                return page;
            }
        }
        // The connection is busy with a Qt query: through Qt Sql below.
    }
    if (!totalInPage) {
        Result<QVariant> total = scalarCached(m_database, totalSql, totalBindings, "count posts");
        if (!total)
            return fail(total.error());
        page.total = total->toLongLong();
    }
    Result<CachedQuery> rows = execCached(m_database, pageSql, bindings, "list posts");
    if (!rows)
        return fail(rows.error());
    while ((*rows)->next()) {
        if (totalInPage && page.items.isEmpty())
            page.total = (*rows)->value(totalColumn).toLongLong();
        page.items.append(kPostRow.read(QtRow {**rows}));
    }
    if ((*rows)->lastError().isValid())
        return fail(failure((*rows)->lastError(), m_database.connection(), "list posts", {}));
    if (totalInPage && page.items.isEmpty()) {
        Result<QVariant> total = scalarCached(m_database, totalSql, totalBindings, "count posts");
        if (!total)
            return fail(total.error());
        page.total = total->toLongLong();
    }
    return page;
}

Result<std::optional<Post>> PostRepository::find(qint64 id, const Viewer &viewer) const
{
    const QString sql = QStringLiteral("SELECT ") + postColumns(m_database) + kPostsJoinUsers
        + QStringLiteral(" WHERE p.id = :id");
    Post post;
    bool found = false;
    bool read = false;
    if (SqliteReader *reader = SqliteReader::forThread(m_database)) {
        Result<SqliteReader::Rows> rows = reader->exec(sql, {{":id", id}}, "find post");
        if (!rows)
            return fail(rows.error());
        found = rows->next();
        if (found) {
            post = kPostRow.read(*rows);
        } else if (rows->error()) {
            return fail(*rows->error());
        }
        read = true;
    } else if (PgReader *pg = PgReader::forThread(m_database)) {
        Result<std::optional<PgReader::Rows>> rows = pg->exec(sql, {{":id", id}}, "find post");
        if (!rows)
            return fail(rows.error());
        if (*rows) {
            found = (*rows)->next();
            if (found)
                post = kPostRow.read(**rows);
            read = true;
        }
    }
    if (!read) {
        Result<CachedQuery> query = execCached(m_database, sql, {{":id", id}}, "find post");
        if (!query)
            return fail(query.error());
        found = (*query)->next();
        if (found) {
            post = kPostRow.read(QtRow {**query});
        } else if ((*query)->lastError().isValid()) {
            return fail(failure((*query)->lastError(), m_database.connection(), "find post", {}));
        }
    }
    if (!found || !isVisible(post, viewer))
        return std::optional<Post>();
    return std::optional<Post>(std::move(post));
}

Result<Post> PostRepository::insert(qint64 ownerId, const PostWrite &post)
{
    // Inside a batch on SQLite the index row waits for the batch's end (migration 0011): the
    // first post of the batch puts in the row that tells the trigger to leave it out.
    WriteBatcher::Deferred *deferred = WriteBatcher::deferred(); // never on PostgreSQL
    if (deferred && deferred->postIndex.empty()) {
        Result<CachedQuery> flagged = execCached(m_database,
            QStringLiteral("INSERT INTO posts_fts_deferred (batch) VALUES (1)"), BindingList {},
            "defer the search index");
        if (!flagged)
            return fail(flagged.error());
    }
    const QString now = seconds(QDateTime::currentDateTimeUtc());
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("INSERT INTO posts (title, content, published, owner_id, created_at, "
                       "updated_at) VALUES (:title, :content, :published, :owner, :created, "
                       ":updated) RETURNING id,"
                       " (SELECT u.email FROM users u WHERE u.id = posts.owner_id),"
                       " (SELECT u.username FROM users u WHERE u.id = posts.owner_id)"),
        {{":title", notNullText(post.title)}, {":content", notNullText(post.content)},
            {":published", boolean(post.published)}, {":owner", ownerId}, {":created", now},
            {":updated", now}},
        "insert post");
    if (!query)
        return fail(query.error());
    if (!(*query)->next()) {
        if ((*query)->lastError().isValid())
            return fail(failure((*query)->lastError(), m_database.connection(), "insert post", {}));
        return fail(Error::internal(QStringLiteral("database error")));
    }
    // What a read would give: the text as bound, the times as stored, no votes yet.
    Post created;
    created.id = (*query)->value(0).toLongLong();
    created.title = post.title;
    created.content = post.content;
    created.published = post.published;
    created.createdAt = toDateTime(now);
    created.updatedAt = created.createdAt;
    created.owner.id = ownerId;
    created.owner.email = (*query)->value(1).toString();
    created.owner.username = (*query)->value(2).toString();
    if (deferred)
        deferred->postIndex.push_back({created.id, post.title, post.content});
    return created;
}

Status PostRepository::indexDeferred(const std::vector<WriteBatcher::Deferred::PostIndexRow> &rows)
{
    // One row each, as the trigger writes it; INSERT ... VALUES into the index runs without a
    // statement savepoint, so the rows stay pending in FTS5 until the commit writes them out.
    for (const WriteBatcher::Deferred::PostIndexRow &row : rows) {
        Result<CachedQuery> indexed = execCached(m_database,
            QStringLiteral("INSERT INTO posts_fts (rowid, title, content) "
                           "VALUES (:id, :title, :content)"),
            {{":id", row.id}, {":title", notNullText(row.title)},
                {":content", notNullText(row.content)}},
            "index posts");
        if (!indexed)
            return fail(indexed.error());
    }
    Result<CachedQuery> cleared = execCached(m_database,
        QStringLiteral("DELETE FROM posts_fts_deferred"), BindingList {}, "index posts");
    if (!cleared)
        return fail(cleared.error());
    return {};
}

Result<bool> PostRepository::update(qint64 id, const PostWrite &post)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("UPDATE posts SET title = :title, content = :content, "
                       "published = :published, updated_at = :now WHERE id = :id"),
        {{":title", notNullText(post.title)}, {":content", notNullText(post.content)},
            {":published", boolean(post.published)},
            {":now", seconds(QDateTime::currentDateTimeUtc())}, {":id", id}},
        "update post");
    if (!query)
        return fail(query.error());
    // Rows changed by the statement itself; the triggers' changes are not counted.
    return (*query)->numRowsAffected() > 0;
}

Result<bool> PostRepository::remove(qint64 id)
{
    // Votes go with the post (ON DELETE CASCADE); triggers update post_stats and the index.
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("DELETE FROM posts WHERE id = :id"), {{":id", id}}, "delete post");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

Result<std::optional<PostRepository::Access>> PostRepository::access(qint64 id) const
{
    static const QString sql = QStringLiteral("SELECT ") + kAccessRow.columns()
        + QStringLiteral(" FROM posts WHERE id = :id");
    // Every vote asks this before it queues its write: through the C API when it can (see
    // SqliteReader), 20k of a vote's 195k instructions through Qt Sql.
    if (SqliteReader *reader = SqliteReader::forThread(m_database)) {
        Result<SqliteReader::Rows> rows = reader->exec(sql, {{":id", id}}, "find post access");
        if (!rows)
            return fail(rows.error());
        if (rows->next())
            return std::optional<Access>(kAccessRow.read(*rows));
        if (rows->error())
            return fail(*rows->error());
        return std::optional<Access>();
    }
    if (PgReader *reader = PgReader::forThread(m_database)) {
        Result<std::optional<PgReader::Rows>> rows =
            reader->exec(sql, {{":id", id}}, "find post access");
        if (!rows)
            return fail(rows.error());
        if (*rows) {
            if ((*rows)->next())
                return std::optional<Access>(kAccessRow.read(**rows));
            return std::optional<Access>();
        }
    }
    Result<CachedQuery> query = execCached(m_database, sql, {{":id", id}}, "find post access");
    if (!query)
        return fail(query.error());
    if (!(*query)->next()) {
        if ((*query)->lastError().isValid()) {
            return fail(
                failure((*query)->lastError(), m_database.connection(), "find post access", {}));
        }
        return std::optional<Access>();
    }
    return std::optional<Access>(kAccessRow.read(QtRow {**query}));
}

} // namespace Outpost::Server
