#include "postrepository.h"

#include "database.h"
#include "sqlitereader.h"
#include "sqlsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <algorithm>
#include <limits>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

// The columns readPost() reads. On SQLite the text columns are read as BLOBs: the Qt driver
// fetches TEXT through sqlite3_column_text16, and SQLite's UTF-8 to UTF-16 conversion,
// character by character, was an eighth of a list request (callgrind); the bytes are UTF-8
// all the same, and QVariant::toString() decodes them with Qt's vectorised decoder.
QString postColumns(const Database &database)
{
    static const QString plain = QStringLiteral(
        "p.id, p.title, p.content, p.published, p.created_at, p.updated_at, p.votes_count, "
        "u.id, u.email, u.username");
    static const QString sqlite = QStringLiteral(
        "p.id, CAST(p.title AS BLOB), CAST(p.content AS BLOB), p.published, "
        "CAST(p.created_at AS BLOB), CAST(p.updated_at AS BLOB), p.votes_count, u.id, "
        "CAST(u.email AS BLOB), CAST(u.username AS BLOB)");
    return database.dialect() == u"sqlite" ? sqlite : plain;
}
const QString kPostsJoinUsers = QStringLiteral(" FROM posts p JOIN users u ON u.id = p.owner_id");
const QString kVisible = QStringLiteral("(p.published = 1 OR p.owner_id = :viewer)");

// snippet() and highlight() mark matches with these private-use characters, which survive
// HTML escaping and then become <mark> and </mark>.
constexpr char16_t kMarkOpen = u'\uE000';
constexpr char16_t kMarkClose = u'\uE001';
// PostgreSQL's ts_headline() drops anything its parser takes for an HTML tag, so the text goes
// in with '<' and '>' as these private-use characters and they become &lt; and &gt; again.
constexpr char16_t kLessThan = u'\uE002';
constexpr char16_t kGreaterThan = u'\uE003';
const QString kMarkArguments = QStringLiteral("char(57344), char(57345)"); // U+E000, U+E001
// Then the ellipsis (U+2026) and at most 12 tokens.
const QString kSnippetArguments = kMarkArguments + QStringLiteral(", char(8230), 12)");

// A row of postColumns(), from Qt Sql (QtRow) or from SqliteReader::Rows.
template<typename Row> Post readPost(const Row &row)
{
    Post post;
    post.id = row.integer(0);
    post.title = row.text(1);
    post.content = row.text(2);
    post.published = row.integer(3) != 0;
    post.createdAt = row.time(4);
    post.updatedAt = row.time(5);
    post.votes = row.integer(6);
    post.owner.id = row.integer(7);
    post.owner.email = row.text(8);
    post.owner.username = row.text(9); // NULL: empty
    return post;
}

// Text for a NOT NULL column: a null QString binds as NULL, so an empty one is bound as ''.
QVariant notNullText(const QString &text)
{
    return text.isNull() ? QVariant(QString(0, QChar())) : QVariant(text);
}

bool isVisible(const Post &post, const Viewer &viewer)
{
    return post.published || viewer.isAdmin || post.owner.id == viewer.userId;
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

// User text as an FTS5 query that means exactly the words typed: every whitespace-separated
// term becomes a quoted string (inner quotes doubled), so FTS5 operators and syntax (AND, OR,
// NOT, NEAR, *, ^, :, parentheses, column filters) are plain text; terms are ANDed. Control
// characters and unpaired surrogates count as spaces: SQLite would stop at a NUL, and its
// UTF-16 decoding swallows the character after a lone surrogate (our closing quote).
QString searchText(const QString &text)
{
    QString cleaned = text;
    for (qsizetype i = 0; i < cleaned.size(); ++i) {
        const QChar c = cleaned.at(i);
        if (c.isHighSurrogate() && i + 1 < cleaned.size() && cleaned.at(i + 1).isLowSurrogate()) {
            ++i;
        } else if (c.isSurrogate() || c.category() == QChar::Other_Control) {
            cleaned[i] = u' ';
        }
    }
    return cleaned.simplified();
}

QString ftsQuery(const QString &text)
{
    QStringList terms = searchText(text).split(u' ', Qt::SkipEmptyParts);
    for (QString &term : terms)
        term = u'"' + term.replace(u'"', QStringLiteral("\"\"")) + u'"';
    return terms.join(u' ');
}

// snippet() output as HTML: the text escaped, our markers as <mark> elements. A marker
// character already in the text could only add a balanced <mark>, never other markup.
QString snippetHtml(const QString &raw)
{
    QString html;
    html.reserve(raw.size() + 32);
    bool open = false;
    for (const QChar c : raw) {
        switch (c.unicode()) {
        case kMarkOpen:
            if (!open)
                html.append(QStringLiteral("<mark>"));
            open = true;
            break;
        case kMarkClose:
            if (open)
                html.append(QStringLiteral("</mark>"));
            open = false;
            break;
        case u'<':
        case kLessThan:
            html.append(QStringLiteral("&lt;"));
            break;
        case u'>':
        case kGreaterThan:
            html.append(QStringLiteral("&gt;"));
            break;
        case u'&':
            html.append(QStringLiteral("&amp;"));
            break;
        case u'"':
            html.append(QStringLiteral("&quot;"));
            break;
        case u'\'':
            html.append(QStringLiteral("&#39;"));
            break;
        default:
            html.append(c);
        }
    }
    if (open)
        html.append(QStringLiteral("</mark>"));
    return html;
}

// The content's snippet when the match is there, else the title's; without a highlighted
// match (a term that only matched through the other column), content before title.
QString pickSnippet(const QString &titleSnippet, const QString &contentSnippet)
{
    if (contentSnippet.contains(kMarkOpen))
        return contentSnippet;
    if (titleSnippet.contains(kMarkOpen) || contentSnippet.isEmpty())
        return titleSnippet;
    return contentSnippet;
}

// The dialect's search statements. Both rank so that a lower score is better (bm25() is
// negative, ts_rank() is negated), and the caller negates it back.
struct SearchSql
{
    QString postsFrom;   // binds :q
    QString postsSelect; // id, title snippet, content snippet, score; PostgreSQL also :q2-:q5
    QString filesFrom;   // binds :q
    QString filesSelect; // path, highlighted path, score; PostgreSQL also :q2, :q3
};

SearchSql sqliteSearchSql()
{
    return {
        QStringLiteral(" FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid"
                       " WHERE posts_fts MATCH :q"),
        QStringLiteral("SELECT p.id, p.title, snippet(posts_fts, 0, ") + kSnippetArguments
            + QStringLiteral(", snippet(posts_fts, 1, ") + kSnippetArguments
            + QStringLiteral(", bm25(posts_fts) AS score"),
        QStringLiteral(" FROM files_fts JOIN files f ON f.id = files_fts.rowid"
                       " WHERE files_fts MATCH :q"),
        QStringLiteral("SELECT f.path, highlight(files_fts, 0, ") + kMarkArguments
            + QStringLiteral("), bm25(files_fts) AS score"),
    };
}

// tsvector columns kept by 0002's triggers, with the outpost_search configuration. The user's
// text is bound once per use, under its own name.
SearchSql postgresSearchSql()
{
    // The same markers as snippet(), U+E000 and U+E001 (written into the SQL text as they
    // are), an ellipsis between fragments and fragments of at most 12 words.
    const QString highlightAll = QStringLiteral("'StartSel=") + QChar(kMarkOpen)
        + QStringLiteral(", StopSel=") + QChar(kMarkClose) + QStringLiteral(", HighlightAll=true'");
    const QString options = QStringLiteral("'StartSel=") + QChar(kMarkOpen)
        + QStringLiteral(", StopSel=") + QChar(kMarkClose)
        + QStringLiteral(", MaxWords=12, MinWords=4, ShortWord=0, MaxFragments=2, "
                         "FragmentDelimiter=")
        + QChar(0x2026) + u'\'';
    const QString tagsKept = QStringLiteral("translate(%1, '<>', '") + QChar(kLessThan)
        + QChar(kGreaterThan) + QStringLiteral("')");
    const QString filesQuery = QStringLiteral(
        "plainto_tsquery('outpost_search', regexp_replace(%1, '[[:punct:]]', ' ', 'g'))");
    return {
        QStringLiteral(" FROM posts p WHERE p.search_vector @@ plainto_tsquery('outpost_search', "
                       ":q)"),
        QStringLiteral("SELECT p.id, p.title, ts_headline('outpost_search', ")
            + tagsKept.arg(u"p.title")
            + QStringLiteral(", plainto_tsquery('outpost_search', :q2), ")
            + highlightAll
            // A short text is its own snippet (as snippet()'s 12 tokens would show it whole);
            // fragments start at a word and would cut the characters before it.
            + QStringLiteral("), CASE WHEN length(p.content) <= 80 THEN ")
            + QStringLiteral("ts_headline('outpost_search', ") + tagsKept.arg(u"p.content")
            + QStringLiteral(", plainto_tsquery('outpost_search', :q3), ") + highlightAll
            + QStringLiteral(") ELSE ts_headline('outpost_search', ") + tagsKept.arg(u"p.content")
            + QStringLiteral(", plainto_tsquery('outpost_search', :q5), ") + options
            + QStringLiteral(") END, -ts_rank(p.search_vector, plainto_tsquery('outpost_search', "
                             ":q4)) AS score"),
        QStringLiteral(" FROM files f WHERE f.search_vector @@ ") + filesQuery.arg(u":q"),
        QStringLiteral("SELECT f.path, ts_headline('outpost_search', ") + tagsKept.arg(u"f.path")
            + QStringLiteral(", ") + filesQuery.arg(u":q2") + QStringLiteral(", ") + highlightAll
            + QStringLiteral("), -ts_rank(f.search_vector, ") + filesQuery.arg(u":q3")
            + QStringLiteral(") AS score"),
    };
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    return a > std::numeric_limits<qint64>::max() - b ? std::numeric_limits<qint64>::max() : a + b;
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
        conditions.append(kVisible);
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
            page.items.append(readPost(*rows));
        if (rows->error())
            return fail(*rows->error());
        return page;
    }

    Result<QVariant> total = scalarCached(m_database, totalSql, totalBindings, "count posts");
    if (!total)
        return fail(total.error());
    page.total = total->toLongLong();
    Result<CachedQuery> rows = execCached(m_database, rowsSql, bindings, "list posts");
    if (!rows)
        return fail(rows.error());
    while ((*rows)->next())
        page.items.append(readPost(QtRow {**rows}));
    if ((*rows)->lastError().isValid())
        return fail(failure((*rows)->lastError(), m_database.connection(), "list posts", {}));
    return page;
}

Result<std::optional<Post>> PostRepository::find(qint64 id, const Viewer &viewer) const
{
    const QString sql = QStringLiteral("SELECT ") + postColumns(m_database) + kPostsJoinUsers
        + QStringLiteral(" WHERE p.id = :id");
    std::optional<Post> post;
    if (SqliteReader *reader = SqliteReader::forThread(m_database)) {
        Result<SqliteReader::Rows> rows = reader->exec(sql, {{":id", id}}, "find post");
        if (!rows)
            return fail(rows.error());
        if (rows->next()) {
            post = readPost(*rows);
        } else if (rows->error()) {
            return fail(*rows->error());
        }
    } else {
        Result<CachedQuery> query = execCached(m_database, sql, {{":id", id}}, "find post");
        if (!query)
            return fail(query.error());
        if ((*query)->next()) {
            post = readPost(QtRow {**query});
        } else if ((*query)->lastError().isValid()) {
            return fail(failure((*query)->lastError(), m_database.connection(), "find post", {}));
        }
    }
    if (post && !isVisible(*post, viewer))
        post.reset();
    return post;
}

Result<qint64> PostRepository::insert(qint64 ownerId, const PostWrite &post)
{
    const QString now = seconds(QDateTime::currentDateTimeUtc());
    Result<QVariant> id = scalarCached(m_database,
        QStringLiteral("INSERT INTO posts (title, content, published, owner_id, created_at, "
                       "updated_at) VALUES (:title, :content, :published, :owner, :created, "
                       ":updated) RETURNING id"),
        {{":title", notNullText(post.title)}, {":content", notNullText(post.content)},
            {":published", boolean(post.published)}, {":owner", ownerId}, {":created", now},
            {":updated", now}},
        "insert post");
    if (!id)
        return fail(id.error());
    return id->toLongLong();
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
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("SELECT owner_id, published FROM posts WHERE id = :id"), {{":id", id}},
        "find post access");
    if (!query)
        return fail(query.error());
    if (!(*query)->next()) {
        if ((*query)->lastError().isValid()) {
            return fail(
                failure((*query)->lastError(), m_database.connection(), "find post access", {}));
        }
        return std::optional<Access>();
    }
    Access access;
    access.ownerId = (*query)->value(0).toLongLong();
    access.published = (*query)->value(1).toInt() != 0;
    return std::optional<Access>(access);
}

VoteRepository::VoteRepository(const Database &database)
    : m_database(database)
{ }

Result<bool> VoteRepository::insert(qint64 userId, qint64 postId)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("INSERT INTO votes (user_id, post_id, created_at) "
                       "VALUES (:user, :post, :now) ON CONFLICT (user_id, post_id) DO NOTHING"),
        {{":user", userId}, {":post", postId}, {":now", seconds(QDateTime::currentDateTimeUtc())}},
        "insert vote");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

Result<bool> VoteRepository::remove(qint64 userId, qint64 postId)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("DELETE FROM votes WHERE user_id = :user AND post_id = :post"),
        {{":user", userId}, {":post", postId}}, "delete vote");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

SearchRepository::SearchRepository(const Database &database)
    : m_database(database)
{ }

Result<Page<SearchHit>> SearchRepository::search(
    const QString &text, const PageRequest &page, const Viewer &viewer) const
{
    const bool postgres = m_database.url().driver == DatabaseUrl::Driver::Postgres;
    // PostgreSQL: plainto_tsquery() reads the text as plain words (no operators at all) and
    // ANDs them; its parser splits at punctuation as unicode61 does.
    const QString match = postgres ? searchText(text) : ftsQuery(text);
    if (match.isEmpty())
        return fail(Error::validation(QStringLiteral("q"), QStringLiteral("is required")));
    const SearchSql sql = postgres ? postgresSearchSql() : sqliteSearchSql();

    // Both kinds are ranked separately and merged here, so each needs at most skip + limit.
    const qint64 cap = saturatingAdd(page.skip, page.limit);
    const QString postsFrom =
        sql.postsFrom + (viewer.isAdmin ? QString() : QStringLiteral(" AND ") + kVisible);
    BindingList postBindings {{QStringLiteral(":q"), match}};
    if (!viewer.isAdmin)
        postBindings.append({QStringLiteral(":viewer"), viewer.userId});

    Result<QVariant> postTotal = scalarCached(
        m_database, QStringLiteral("SELECT COUNT(*)") + postsFrom, postBindings, "count posts");
    if (!postTotal)
        return fail(postTotal.error());
    Result<QVariant> fileTotal = scalarCached(m_database,
        QStringLiteral("SELECT COUNT(*)") + sql.filesFrom, {{":q", match}}, "count files");
    if (!fileTotal)
        return fail(fileTotal.error());

    QList<SearchHit> hits;
    if (postTotal->toLongLong() > 0) {
        BindingList bindings = postBindings;
        bindings.append({QStringLiteral(":cap"), cap});
        if (postgres) {
            bindings.append({QStringLiteral(":q2"), match});
            bindings.append({QStringLiteral(":q3"), match});
            bindings.append({QStringLiteral(":q4"), match});
            bindings.append({QStringLiteral(":q5"), match});
        }
        Result<CachedQuery> posts = execCached(m_database,
            sql.postsSelect + postsFrom + QStringLiteral(" ORDER BY score, p.id LIMIT :cap"),
            bindings, "search posts");
        if (!posts)
            return fail(posts.error());
        while ((*posts)->next()) {
            SearchHit hit;
            hit.kind = QStringLiteral("post");
            hit.id = (*posts)->value(0).toLongLong();
            hit.title = (*posts)->value(1).toString();
            hit.snippet = snippetHtml(
                pickSnippet((*posts)->value(2).toString(), (*posts)->value(3).toString()));
            hit.score = -(*posts)->value(4).toDouble();
            hits.append(hit);
        }
        if ((*posts)->lastError().isValid()) {
            return fail(
                failure((*posts)->lastError(), m_database.connection(), "search posts", {}));
        }
    }

    if (fileTotal->toLongLong() > 0) {
        // A path is short: highlight() shows all of it rather than a fragment.
        BindingList bindings {{QStringLiteral(":q"), match}, {QStringLiteral(":cap"), cap}};
        if (postgres) {
            bindings.append({QStringLiteral(":q2"), match});
            bindings.append({QStringLiteral(":q3"), match});
        }
        Result<CachedQuery> files = execCached(m_database,
            sql.filesSelect + sql.filesFrom + QStringLiteral(" ORDER BY score, f.path LIMIT :cap"),
            bindings, "search files");
        if (!files)
            return fail(files.error());
        while ((*files)->next()) {
            SearchHit hit;
            hit.kind = QStringLiteral("file");
            hit.filePath = (*files)->value(0).toString();
            hit.title = hit.filePath;
            hit.snippet = snippetHtml((*files)->value(1).toString());
            hit.score = -(*files)->value(2).toDouble();
            hits.append(hit);
        }
        if ((*files)->lastError().isValid()) {
            return fail(
                failure((*files)->lastError(), m_database.connection(), "search files", {}));
        }
    }

    // Higher score first; posts before files on a tie, then by id or path, so pages are stable.
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit &a, const SearchHit &b) {
        if (a.score != b.score)
            return a.score > b.score;
        if (a.kind != b.kind)
            return a.kind == u"post";
        return a.kind == u"post" ? a.id < b.id : a.filePath < b.filePath;
    });

    Page<SearchHit> result;
    result.total = postTotal->toLongLong() + fileTotal->toLongLong();
    result.limit = page.limit;
    result.skip = page.skip;
    if (page.skip < hits.size())
        result.items = hits.mid(page.skip, page.limit);
    return result;
}

} // namespace Outpost::Server
