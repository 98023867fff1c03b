-- 0002_posts_search for PostgreSQL: the same search, post count and indexes as
-- 0002_posts_search.sqlite.up.sql, with tsvector columns and GIN indexes instead of FTS5.
--
-- Text search configuration outpost_search: the simple configuration (no stemming, no stop
-- words: every word typed is searched for as typed) with accents removed first (unaccent, a
-- trusted extension shipped with PostgreSQL), like SQLite's unicode61 remove_diacritics.
-- Lower-casing follows the database's LC_CTYPE: create the database with a UTF-8 locale
-- (C.UTF-8 is enough) so that non-ASCII letters fold.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION outpost_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION outpost_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, simple;

-- Posts: a column kept by a trigger that fires only when the title or content changes, so a
-- vote (which updates votes_count) does not recompute it. Title words weigh more than
-- content words in ts_rank. '<' and '>' become spaces first: the parser would otherwise drop
-- whatever looks like an HTML tag, while SQLite indexes those words.
ALTER TABLE posts ADD COLUMN search_vector tsvector;

CREATE FUNCTION posts_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('outpost_search', translate(NEW.title, '<>', '  ')), 'A')
        || setweight(to_tsvector('outpost_search', translate(NEW.content, '<>', '  ')), 'B');
    RETURN NEW;
END;
$$;

CREATE TRIGGER posts_search_vector BEFORE INSERT OR UPDATE OF title, content ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_search_vector();

UPDATE posts SET search_vector =
    setweight(to_tsvector('outpost_search', translate(title, '<>', '  ')), 'A')
    || setweight(to_tsvector('outpost_search', translate(content, '<>', '  ')), 'B');
CREATE INDEX posts_search_idx ON posts USING GIN (search_vector);

-- File paths: punctuation ('/', '.', '-', '_') separates words, as unicode61 does, so every
-- directory and name part is a term.
ALTER TABLE files ADD COLUMN search_vector tsvector;

CREATE FUNCTION files_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        to_tsvector('outpost_search', regexp_replace(NEW.path, '[[:punct:]]', ' ', 'g'));
    RETURN NEW;
END;
$$;

CREATE TRIGGER files_search_vector BEFORE INSERT OR UPDATE OF path ON files
    FOR EACH ROW EXECUTE FUNCTION files_search_vector();

UPDATE files SET search_vector =
    to_tsvector('outpost_search', regexp_replace(path, '[[:punct:]]', ' ', 'g'));
CREATE INDEX files_search_idx ON files USING GIN (search_vector);

-- One row: how many posts are published and unpublished (see the SQLite file). The
-- triggers' UPDATE serialises concurrent post inserts on this row until commit, which keeps
-- the counts exact across replicas.
CREATE TABLE post_stats (
    published BIGINT NOT NULL,
    unpublished BIGINT NOT NULL
);

INSERT INTO post_stats (published, unpublished)
    SELECT COALESCE(SUM(published), 0), COUNT(*) - COALESCE(SUM(published), 0) FROM posts;

CREATE FUNCTION post_stats_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE post_stats SET published = published + NEW.published,
            unpublished = unpublished + 1 - NEW.published;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE post_stats SET published = published - OLD.published,
            unpublished = unpublished - 1 + OLD.published;
    ELSIF OLD.published <> NEW.published THEN
        UPDATE post_stats SET published = published + NEW.published - OLD.published,
            unpublished = unpublished + OLD.published - NEW.published;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER post_stats_insert AFTER INSERT ON posts
    FOR EACH ROW EXECUTE FUNCTION post_stats_change();
CREATE TRIGGER post_stats_delete AFTER DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION post_stats_change();
CREATE TRIGGER post_stats_update AFTER UPDATE OF published ON posts
    FOR EACH ROW EXECUTE FUNCTION post_stats_change();

-- The post list's indexes, as on SQLite. On PostgreSQL an index does not end with the row id,
-- so (votes_count, id) is spelled out; it supersedes posts_votes_idx either way.
CREATE INDEX posts_owner_published_idx ON posts (owner_id, published);
CREATE INDEX posts_votes_id_idx ON posts (votes_count, id);
DROP INDEX posts_owner_idx;
DROP INDEX posts_votes_idx;
