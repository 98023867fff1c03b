-- 0002_posts_search: full-text search over posts and file paths, a kept post count, and the
-- indexes the post list needs.
--
-- SQLite dialect (FTS5); 0002_posts_search.postgresql.up.sql does the same with tsvector
-- columns and GIN indexes.

-- Posts: an external-content FTS5 table, so the text is stored once (in posts) and snippet()
-- reads it from there. The triggers keep the index in step with posts, including deletes that
-- come through ON DELETE CASCADE; an external-content index must be told the old text to
-- remove it ('delete' command). Only title and content changes touch the index, so a vote
-- (which updates votes_count) does not rewrite the post's index entry.
CREATE VIRTUAL TABLE posts_fts USING fts5(
    title,
    content,
    content = 'posts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO posts_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;

CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts
BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, content)
        VALUES ('delete', OLD.id, OLD.title, OLD.content);
END;

CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, content ON posts
BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, content)
        VALUES ('delete', OLD.id, OLD.title, OLD.content);
    INSERT INTO posts_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;

INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');

-- File paths, the same way. unicode61 splits paths at '/', '.', '-' and '_', so every
-- directory and name part is a term.
CREATE VIRTUAL TABLE files_fts USING fts5(
    path,
    content = 'files',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER files_fts_insert AFTER INSERT ON files
BEGIN
    INSERT INTO files_fts (rowid, path) VALUES (NEW.id, NEW.path);
END;

CREATE TRIGGER files_fts_delete AFTER DELETE ON files
BEGIN
    INSERT INTO files_fts (files_fts, rowid, path) VALUES ('delete', OLD.id, OLD.path);
END;

CREATE TRIGGER files_fts_update AFTER UPDATE OF path ON files
BEGIN
    INSERT INTO files_fts (files_fts, rowid, path) VALUES ('delete', OLD.id, OLD.path);
    INSERT INTO files_fts (rowid, path) VALUES (NEW.id, NEW.path);
END;

INSERT INTO files_fts (files_fts) VALUES ('rebuild');

-- One row: how many posts are published and unpublished, so the total of the unfiltered post
-- list is read here instead of counted (COUNT(*) scans the table). Kept by triggers, which
-- also fire for posts deleted through a user's ON DELETE CASCADE. posts.published is 0 or 1
-- (CHECK in 0001), which the arithmetic below relies on.
CREATE TABLE post_stats (
    published INTEGER NOT NULL,
    unpublished INTEGER NOT NULL
);

INSERT INTO post_stats (published, unpublished)
    SELECT COALESCE(SUM(published), 0), COUNT(*) - COALESCE(SUM(published), 0) FROM posts;

CREATE TRIGGER post_stats_insert AFTER INSERT ON posts
BEGIN
    UPDATE post_stats SET published = published + NEW.published,
        unpublished = unpublished + 1 - NEW.published;
END;

CREATE TRIGGER post_stats_delete AFTER DELETE ON posts
BEGIN
    UPDATE post_stats SET published = published - OLD.published,
        unpublished = unpublished - 1 + OLD.published;
END;

CREATE TRIGGER post_stats_update AFTER UPDATE OF published ON posts
    WHEN OLD.published <> NEW.published
BEGIN
    UPDATE post_stats SET published = published + NEW.published - OLD.published,
        unpublished = unpublished + OLD.published - NEW.published;
END;

-- A viewer's own unpublished posts (list totals, visibility) and "owner_id = ?" lists; it
-- supersedes 0001's posts_owner_idx (its prefix). (votes_count, id) serves ORDER BY
-- votes_count DESC, id DESC; on SQLite it is what 0001's posts_votes_idx already was (an index
-- ends with the rowid), so that one goes rather than being kept up twice on every vote.
CREATE INDEX posts_owner_published_idx ON posts (owner_id, published);
CREATE INDEX posts_votes_id_idx ON posts (votes_count, id);
DROP INDEX posts_owner_idx;
DROP INDEX posts_votes_idx;
