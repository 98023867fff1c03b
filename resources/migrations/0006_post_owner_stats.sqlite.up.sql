-- Per-owner post counts, kept by triggers like post_stats: the posts list's total for an
-- ordinary viewer (every published post plus their own unpublished ones) and for an
-- owner_id filter become one row read instead of a count over the owner's index range.
CREATE TABLE post_owner_stats (
    owner_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    published INTEGER NOT NULL DEFAULT 0,
    unpublished INTEGER NOT NULL DEFAULT 0
);

INSERT INTO post_owner_stats (owner_id, published, unpublished)
    SELECT owner_id, SUM(published), COUNT(*) - SUM(published) FROM posts GROUP BY owner_id;

CREATE TRIGGER post_owner_stats_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO post_owner_stats (owner_id, published, unpublished)
        VALUES (NEW.owner_id, NEW.published, 1 - NEW.published)
        ON CONFLICT (owner_id) DO UPDATE SET published = published + NEW.published,
            unpublished = unpublished + 1 - NEW.published;
END;

CREATE TRIGGER post_owner_stats_delete AFTER DELETE ON posts
BEGIN
    UPDATE post_owner_stats SET published = published - OLD.published,
        unpublished = unpublished - 1 + OLD.published
        WHERE owner_id = OLD.owner_id;
END;

CREATE TRIGGER post_owner_stats_update AFTER UPDATE OF published, owner_id ON posts
    WHEN OLD.published <> NEW.published OR OLD.owner_id <> NEW.owner_id
BEGIN
    UPDATE post_owner_stats SET published = published - OLD.published,
        unpublished = unpublished - 1 + OLD.published
        WHERE owner_id = OLD.owner_id;
    INSERT INTO post_owner_stats (owner_id, published, unpublished)
        VALUES (NEW.owner_id, NEW.published, 1 - NEW.published)
        ON CONFLICT (owner_id) DO UPDATE SET published = published + NEW.published,
            unpublished = unpublished + 1 - NEW.published;
END;
