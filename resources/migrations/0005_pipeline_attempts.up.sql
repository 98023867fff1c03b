-- 0005_pipeline_steps: the steps of a GitHub Actions job, kept with its stage as the JSON
-- array GitHub sends ([{"name", "status", "conclusion", "number", "started_at",
-- "completed_at"}]). Portable SQL: the same statement works on PostgreSQL.
ALTER TABLE stages ADD COLUMN steps TEXT;
