-- Reverts 0006_post_owner_stats on PostgreSQL: the list counts go back to the owner index.
DROP TRIGGER post_owner_stats_update ON posts;
DROP TRIGGER post_owner_stats_delete ON posts;
DROP TRIGGER post_owner_stats_insert ON posts;
DROP FUNCTION post_owner_stats_change();
DROP TABLE post_owner_stats;
