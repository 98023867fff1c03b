-- Reverts 0011_posts_index_in_batch: the trigger indexes every post again. The index itself
-- needs nothing: posts_fts_deferred is empty outside the writer's transactions, so every
-- committed post is in it.
DROP TRIGGER posts_fts_insert;

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO posts_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;

DROP TABLE posts_fts_deferred;
