-- 0009_password_resets: password recovery by e-mail (issue 19). A token is stored only as the
-- SHA-256 hex of what the mail carries; it works once (used_at) and until expires_at.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
