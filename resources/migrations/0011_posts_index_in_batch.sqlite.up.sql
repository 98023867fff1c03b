-- 0011_posts_index_in_batch: the batched writer indexes the posts it creates once, at the end
-- of its batch, instead of each insert's trigger doing it.
--
-- An insert into posts fires triggers (post_stats, post_owner_stats), so SQLite runs it inside
-- a statement savepoint, and the FTS5 of SQLite 3.40 writes its pending index data out as a
-- new segment at every savepoint of a table it has written to in the transaction. With the
-- index row added by the trigger, each post of a group-commit batch wrote a segment of its
-- own (and paid the merges that follow): a quarter of a create. The writer thread
-- (WriteBatcher) now puts a row into posts_fts_deferred before the first post of a batch, and
-- while that row exists the trigger leaves the post out of the index; at the end of the batch
-- the writer adds the index rows of all its posts, deletes the row again and commits. So the
-- row is never committed, no other connection ever sees it, and every other insert (another
-- connection, an import, a tool) is indexed by the trigger as before.
CREATE TABLE posts_fts_deferred (
    batch INTEGER PRIMARY KEY CHECK (batch = 1)
);

DROP TRIGGER posts_fts_insert;

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts
    WHEN NOT EXISTS (SELECT 1 FROM posts_fts_deferred)
BEGIN
    INSERT INTO posts_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;
