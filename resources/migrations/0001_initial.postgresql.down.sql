-- Reverts 0001_initial on PostgreSQL: every table, dependants first, then the trigger
-- functions.
DROP TABLE audit;
DROP TABLE webhook_deliveries;
DROP TABLE stages;
DROP TABLE runs;
DROP TABLE pipelines;
DROP TABLE upload_parts;
DROP TABLE uploads;
DROP TABLE files;
DROP TABLE votes; -- also drops its votes_count triggers
DROP TABLE posts;
DROP TABLE login_attempts;
DROP TABLE api_keys;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP FUNCTION votes_count_insert();
DROP FUNCTION votes_count_delete();
