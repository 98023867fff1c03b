-- Reverts 0005_pipeline_attempts (SQLite 3.35+ and PostgreSQL both drop columns).
ALTER TABLE stages DROP COLUMN steps;
ALTER TABLE runs DROP COLUMN attempt;
