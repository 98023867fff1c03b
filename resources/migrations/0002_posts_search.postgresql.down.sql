-- Reverts 0002_posts_search on PostgreSQL. The unaccent extension stays: other schemas may
-- use it, and it holds no data.
CREATE INDEX posts_owner_idx ON posts (owner_id);
CREATE INDEX posts_votes_idx ON posts (votes_count);
DROP INDEX posts_owner_published_idx;
DROP INDEX posts_votes_id_idx;

DROP TRIGGER post_stats_insert ON posts;
DROP TRIGGER post_stats_delete ON posts;
DROP TRIGGER post_stats_update ON posts;
DROP FUNCTION post_stats_change();
DROP TABLE post_stats;

DROP TRIGGER files_search_vector ON files;
DROP FUNCTION files_search_vector();
ALTER TABLE files DROP COLUMN search_vector;

DROP TRIGGER posts_search_vector ON posts;
DROP FUNCTION posts_search_vector();
ALTER TABLE posts DROP COLUMN search_vector;

DROP TEXT SEARCH CONFIGURATION outpost_search;
