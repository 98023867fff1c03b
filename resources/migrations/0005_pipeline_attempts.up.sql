-- 0005_pipeline_attempts: what GitHub Actions reports beyond 0001's columns. Portable SQL:
-- the same statements work on PostgreSQL.
--   * runs.attempt: GitHub's run_attempt. Re-running a workflow keeps the run's id and number
--     and starts attempt 2, whose events must not be mistaken for late ones of attempt 1.
--   * stages.steps: the steps of a job, the JSON array GitHub sends ([{"name", "status",
--     "conclusion", "number", "started_at", "completed_at"}]).
ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stages ADD COLUMN steps TEXT;
