#include "searchrepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <algorithm>
#include <limits>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

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

// The dialect's search SQL, in pieces. Both rank so that a lower score is better (bm25() is
// negative, ts_rank() is negated), and the caller negates it back.
struct SearchSql
{
    QString postsFrom;      // binds :q
    QString titleSnippet;   // PostgreSQL binds :q2
    QString contentSnippet; // PostgreSQL binds :q3 and :q5
    QString postScore;      // "... AS score"; PostgreSQL binds :q4
    QString filesFrom;      // binds :q
    QString pathHighlight;  // PostgreSQL binds :q2
    QString fileScore;      // "... AS score"; PostgreSQL binds :q3
};

SearchSql sqliteSearchSql()
{
    return {
        QStringLiteral(" FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid"
                       " WHERE posts_fts MATCH :q"),
        QStringLiteral("snippet(posts_fts, 0, ") + kSnippetArguments,
        QStringLiteral("snippet(posts_fts, 1, ") + kSnippetArguments,
        QStringLiteral("bm25(posts_fts) AS score"),
        QStringLiteral(" FROM files_fts JOIN files f ON f.id = files_fts.rowid"
                       " WHERE files_fts MATCH :q"),
        QStringLiteral("highlight(files_fts, 0, ") + kMarkArguments + u')',
        QStringLiteral("bm25(files_fts) AS score"),
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
        QStringLiteral("ts_headline('outpost_search', ") + tagsKept.arg(u"p.title")
            + QStringLiteral(", plainto_tsquery('outpost_search', :q2), ") + highlightAll + u')',
        // A short text is its own snippet (as snippet()'s 12 tokens would show it whole);
        // fragments start at a word and would cut the characters before it.
        QStringLiteral("CASE WHEN length(p.content) <= 80 THEN ")
            + QStringLiteral("ts_headline('outpost_search', ") + tagsKept.arg(u"p.content")
            + QStringLiteral(", plainto_tsquery('outpost_search', :q3), ") + highlightAll
            + QStringLiteral(") ELSE ts_headline('outpost_search', ") + tagsKept.arg(u"p.content")
            + QStringLiteral(", plainto_tsquery('outpost_search', :q5), ") + options
            + QStringLiteral(") END"),
        QStringLiteral(
            "-ts_rank(p.search_vector, plainto_tsquery('outpost_search', :q4)) AS score"),
        QStringLiteral(" FROM files f WHERE f.search_vector @@ ") + filesQuery.arg(u":q"),
        QStringLiteral("ts_headline('outpost_search', ") + tagsKept.arg(u"f.path")
            + QStringLiteral(", ") + filesQuery.arg(u":q2") + QStringLiteral(", ") + highlightAll
            + u')',
        QStringLiteral("-ts_rank(f.search_vector, ") + filesQuery.arg(u":q3")
            + QStringLiteral(") AS score"),
    };
}

// A matching post as read, before its snippet is chosen.
struct PostMatch
{
    qint64 id = 0;
    QString title;
    QString titleSnippet;
    QString contentSnippet;
    double score = 0;
};

// A matching file as read.
struct FileMatch
{
    QString path;
    QString highlightedPath;
    double score = 0;
};

auto postMatchRow(const SearchSql &sql)
{
    return rowFormat<PostMatch>([&sql](auto &c, PostMatch &match) {
        c.column("p.id", match.id);
        c.column("p.title", match.title);
        c.column(sql.titleSnippet, match.titleSnippet);
        c.column(sql.contentSnippet, match.contentSnippet);
        c.column(sql.postScore, match.score);
    });
}

auto fileMatchRow(const SearchSql &sql)
{
    return rowFormat<FileMatch>([&sql](auto &c, FileMatch &match) {
        c.column("f.path", match.path);
        c.column(sql.pathHighlight, match.highlightedPath);
        c.column(sql.fileScore, match.score);
    });
}

// A dialect's SQL with the SELECT lists of its rows, made once.
struct SearchStatements
{
    explicit SearchStatements(SearchSql dialect)
        : sql(std::move(dialect))
        , postsSelect(QStringLiteral("SELECT ") + postMatchRow(sql).columns())
        , filesSelect(QStringLiteral("SELECT ") + fileMatchRow(sql).columns())
    { }

    SearchSql sql;
    QString postsSelect;
    QString filesSelect;
};

const SearchStatements &searchStatements(bool postgres)
{
    static const SearchStatements sqlite(sqliteSearchSql());
    static const SearchStatements postgresql(postgresSearchSql());
    return postgres ? postgresql : sqlite;
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    return a > std::numeric_limits<qint64>::max() - b ? std::numeric_limits<qint64>::max() : a + b;
}

} // namespace

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
    const SearchStatements &statements = searchStatements(postgres);
    const SearchSql &sql = statements.sql;

    // Both kinds are ranked separately and merged here, so each needs at most skip + limit.
    const qint64 cap = saturatingAdd(page.skip, page.limit);
    const QString postsFrom =
        sql.postsFrom + (viewer.isAdmin ? QString() : QStringLiteral(" AND ") + kVisibleToViewer);
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
            statements.postsSelect + postsFrom + QStringLiteral(" ORDER BY score, p.id LIMIT :cap"),
            bindings, "search posts");
        if (!posts)
            return fail(posts.error());
        const auto row = postMatchRow(sql);
        while ((*posts)->next()) {
            const PostMatch found = row.read(QtRow {**posts});
            SearchHit hit;
            hit.kind = QStringLiteral("post");
            hit.id = found.id;
            hit.title = found.title;
            hit.snippet = snippetHtml(pickSnippet(found.titleSnippet, found.contentSnippet));
            hit.score = -found.score;
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
            statements.filesSelect + sql.filesFrom
                + QStringLiteral(" ORDER BY score, f.path LIMIT :cap"),
            bindings, "search files");
        if (!files)
            return fail(files.error());
        const auto row = fileMatchRow(sql);
        while ((*files)->next()) {
            const FileMatch found = row.read(QtRow {**files});
            SearchHit hit;
            hit.kind = QStringLiteral("file");
            hit.filePath = found.path;
            hit.title = hit.filePath;
            hit.snippet = snippetHtml(found.highlightedPath);
            hit.score = -found.score;
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
