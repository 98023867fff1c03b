-- Reverts 0002_posts_search: the search tables and their triggers, post_stats and its
-- triggers, and 0001's post indexes as they were.
CREATE INDEX posts_owner_idx ON posts (owner_id);
CREATE INDEX posts_votes_idx ON posts (votes_count);
DROP INDEX posts_owner_published_idx;
DROP INDEX posts_votes_id_idx;

DROP TRIGGER post_stats_insert;
DROP TRIGGER post_stats_delete;
DROP TRIGGER post_stats_update;
DROP TABLE post_stats;

DROP TRIGGER files_fts_insert;
DROP TRIGGER files_fts_delete;
DROP TRIGGER files_fts_update;
DROP TABLE files_fts;

DROP TRIGGER posts_fts_insert;
DROP TRIGGER posts_fts_delete;
DROP TRIGGER posts_fts_update;
DROP TABLE posts_fts;
