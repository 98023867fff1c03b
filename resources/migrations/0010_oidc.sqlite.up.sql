-- Single sign-on with OpenID Connect (issue 20).

-- Which provider account signs in as which user. A provider's `sub` is stable and never given
-- to someone else; an e-mail address is neither, so users are found by (provider, subject) only.
CREATE TABLE oidc_identities (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_login_at TEXT,
    UNIQUE (provider, subject)
);
CREATE INDEX oidc_identities_user_idx ON oidc_identities (user_id);

-- Sign-ins under way: written by /login, taken once by /callback, on whichever replica the
-- browser comes back to. The state is stored hashed; rows live a few minutes.
CREATE TABLE oidc_flows (
    id INTEGER PRIMARY KEY, -- for batched deletes (housekeeping)
    state_hash TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX oidc_flows_expires_idx ON oidc_flows (expires_at);
