-- Reverts 0001_initial: drops every table, dependants first.
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
