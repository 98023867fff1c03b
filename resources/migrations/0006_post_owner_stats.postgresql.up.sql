-- Per-owner post counts, kept by a trigger like post_stats: the posts list's total for an
-- ordinary viewer (every published post plus their own unpublished ones) and for an
-- owner_id filter become one row read instead of a count over the owner's index range.
-- The same table as on SQLite; the upsert locks the owner's row until commit, so concurrent
-- posts by one owner on any replica keep the counts exact.
CREATE TABLE post_owner_stats (
    owner_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    published BIGINT NOT NULL DEFAULT 0,
    unpublished BIGINT NOT NULL DEFAULT 0
);

INSERT INTO post_owner_stats (owner_id, published, unpublished)
    SELECT owner_id, SUM(published), COUNT(*) - SUM(published) FROM posts GROUP BY owner_id;

CREATE FUNCTION post_owner_stats_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE post_owner_stats SET published = published - OLD.published,
            unpublished = unpublished - 1 + OLD.published
            WHERE owner_id = OLD.owner_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO post_owner_stats AS s (owner_id, published, unpublished)
            VALUES (NEW.owner_id, NEW.published, 1 - NEW.published)
            ON CONFLICT (owner_id) DO UPDATE SET published = s.published + NEW.published,
                unpublished = s.unpublished + 1 - NEW.published;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER post_owner_stats_insert AFTER INSERT ON posts
    FOR EACH ROW EXECUTE FUNCTION post_owner_stats_change();
CREATE TRIGGER post_owner_stats_delete AFTER DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION post_owner_stats_change();
CREATE TRIGGER post_owner_stats_update AFTER UPDATE OF published, owner_id ON posts
    FOR EACH ROW WHEN (OLD.published <> NEW.published OR OLD.owner_id <> NEW.owner_id)
    EXECUTE FUNCTION post_owner_stats_change();
