-- 0001_initial: every table of the first release.
--
-- SQLite dialect; 0001_initial.postgresql.up.sql is the same schema for PostgreSQL.
--
-- Conventions:
--   * ids are INTEGER PRIMARY KEY (SQLite rowid aliases);
--   * timestamps are TEXT in RFC 3339 UTC without fractions, '2026-11-22T10:00:00Z', so they
--     sort as text; code must write them in exactly that form (Qt::ISODate of a UTC time);
--   * booleans are INTEGER 0/1 with a CHECK;
--   * enumerations are TEXT with a CHECK listing the values the API allows.

-- Accounts. Email is unique regardless of case through the index on lower(email): look
-- users up with "WHERE lower(email) = lower(:email)" so the index is used (same SQL on both
-- dialects). Bumping token_version ends every access token issued before (tokens carry it),
-- which is how disabling a user or changing a password takes effect at once.
CREATE TABLE users (
    -- AUTOINCREMENT: a deleted user's id is never given to a new user, so an access
    -- token (sub = id) can never pass to someone else.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    username TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    token_version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX users_email_lower_idx ON users (lower(email));

-- Refresh tokens, stored as SHA-256 hex of the token. Rotation links a token to the one it
-- replaced (parent_id) and the one that replaced it (replaced_by); all tokens descended from
-- one login share family_id, so reuse of a rotated token can revoke the whole family.
-- parent_id and replaced_by are lineage only, without foreign keys, so pruning expired tokens
-- neither cascades nor scans the table for references.
CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    family_id TEXT NOT NULL,
    parent_id INTEGER,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    replaced_by INTEGER
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- API keys for machine clients ("opk_..."), stored as SHA-256 hex; prefix is the first
-- characters shown in listings. scopes is space-separated ("pipelines:write files:read").
-- A key outlives the admin who created it (created_by becomes NULL).
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    scopes TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    last_used_at TEXT,
    revoked_at TEXT
);

-- Failed logins, shared by all replicas, for throttling per account and per client address.
-- key is e.g. 'account:alice@example.com' or 'address:203.0.113.7'; old rows are pruned.
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    failed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX login_attempts_key_idx ON login_attempts (key, failed_at);
CREATE INDEX login_attempts_failed_idx ON login_attempts (failed_at);

-- Posts. votes_count mirrors COUNT(*) of votes (kept by the triggers below, also when votes
-- disappear through a cascade), so sorting by votes reads an index instead of counting.
CREATE TABLE posts (
    -- AUTOINCREMENT: URLs and ETags of deleted posts never come back for new ones.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
    owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    votes_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX posts_owner_idx ON posts (owner_id);
CREATE INDEX posts_created_idx ON posts (created_at);
CREATE INDEX posts_votes_idx ON posts (votes_count);

CREATE TABLE votes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX votes_post_idx ON votes (post_id);

-- Repositories insert and delete votes only; these keep posts.votes_count right.
CREATE TRIGGER votes_count_insert AFTER INSERT ON votes
BEGIN
    UPDATE posts SET votes_count = votes_count + 1 WHERE id = NEW.post_id;
END;

CREATE TRIGGER votes_count_delete AFTER DELETE ON votes
BEGIN
    UPDATE posts SET votes_count = votes_count - 1 WHERE id = OLD.post_id;
END;

-- File metadata; the bytes live in the file store under storage_key. path is the API's
-- relative path (byte-wise unique, so prefix listings are index range scans). A file outlives
-- its owner's account (owner_id becomes NULL; admins may still manage it), so deleting a user
-- never orphans bytes in the store.
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    content_type TEXT NOT NULL,
    etag TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX files_owner_idx ON files (owner_id);

-- Multipart uploads in progress; id is random (not guessable). s3_upload_id is the S3
-- multipart upload id when the store is S3.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    file_path TEXT NOT NULL,
    owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    size INTEGER NOT NULL CHECK (size >= 0),
    content_type TEXT NOT NULL,
    part_size INTEGER NOT NULL CHECK (part_size > 0),
    s3_upload_id TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expires_at TEXT NOT NULL
);
CREATE INDEX uploads_owner_idx ON uploads (owner_id);
CREATE INDEX uploads_expires_idx ON uploads (expires_at);

CREATE TABLE upload_parts (
    upload_id TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL CHECK (part_number >= 1),
    size INTEGER NOT NULL CHECK (size >= 0),
    etag TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (upload_id, part_number)
);

-- CI/CD pipelines. external_id is the provider's id (GitHub workflow id, CodeBuild project
-- ARN); NULL for pipelines reported through the API without one.
CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('github', 'codebuild', 'api', 'local')),
    repository TEXT,
    external_id TEXT,
    definition TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (source, external_id)
);

-- conclusion is NULL until the run is completed; provider_status keeps the provider's own word.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    run_number INTEGER NOT NULL,
    external_id TEXT,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'in_progress', 'completed')),
    conclusion TEXT CHECK (conclusion IN ('success', 'failure', 'cancelled', 'skipped',
                                          'timed_out', 'neutral', 'action_required')),
    provider_status TEXT,
    head_sha TEXT,
    head_branch TEXT,
    event TEXT,
    actor TEXT,
    html_url TEXT,
    queued_at TEXT,
    started_at TEXT,
    finished_at TEXT,
    note TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (pipeline_id, run_number)
);
CREATE INDEX runs_pipeline_idx ON runs (pipeline_id, id DESC);
CREATE INDEX runs_external_idx ON runs (pipeline_id, external_id);

CREATE TABLE stages (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    external_id TEXT,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'in_progress', 'completed')),
    conclusion TEXT CHECK (conclusion IN ('success', 'failure', 'cancelled', 'skipped',
                                          'timed_out', 'neutral', 'action_required')),
    provider_status TEXT,
    started_at TEXT,
    finished_at TEXT,
    log TEXT,
    UNIQUE (run_id, name)
);

-- Webhook deliveries already handled (GitHub's X-GitHub-Delivery), so redeliveries are no-ops.
CREATE TABLE webhook_deliveries (
    delivery_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);

-- Who did what to which object. Entries outlive the actor's account: actor_id becomes NULL
-- and actor_label (their email, or "api key <name>") remains. detail is a JSON object.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_label TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    client_address TEXT,
    detail TEXT
);
CREATE INDEX audit_at_idx ON audit (at);
CREATE INDEX audit_actor_idx ON audit (actor_id);
