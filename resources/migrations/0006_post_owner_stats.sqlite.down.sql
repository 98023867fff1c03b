-- Reverts 0006_post_owner_stats: the list counts go back to the owner index.
DROP TRIGGER post_owner_stats_update;
DROP TRIGGER post_owner_stats_delete;
DROP TRIGGER post_owner_stats_insert;
DROP TABLE post_owner_stats;
