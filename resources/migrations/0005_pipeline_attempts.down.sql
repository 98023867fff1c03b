-- Reverts 0005_pipeline_steps (SQLite 3.35+ and PostgreSQL both drop columns).
ALTER TABLE stages DROP COLUMN steps;
