-- Outgoing events (issue 19): subscriptions, the outbox events are enqueued into on publish,
-- and the persistent delivery queue the senders work. Times the queue compares are integer
-- milliseconds since the epoch (cheap comparisons, the same on both dialects).
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('webhook', 'email')),
    target TEXT NOT NULL, -- the URL of a webhook, the address of an e-mail subscription
    events TEXT NOT NULL, -- space-separated patterns: "post.created file.* *"
    description TEXT NOT NULL DEFAULT '',
    secret TEXT,          -- whsec_...: webhooks sign with it, so it is kept as is
    previous_secret TEXT, -- after a rotation, also signed with until previous_secret_until
    previous_secret_until INTEGER,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    disabled_reason TEXT,
    failing_since INTEGER, -- the first failed attempt since the last success
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX subscriptions_owner_idx ON subscriptions (owner_id, id);

-- Events published and not yet fanned out to subscriptions: one insert per event on publish.
CREATE TABLE subscription_outbox (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    audience INTEGER NOT NULL DEFAULT 0, -- 0: every signed-in user, else this user (and admins)
    at_ms INTEGER NOT NULL
);

CREATE TABLE subscription_deliveries (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL UNIQUE, -- webhook-id: the same on every attempt
    type TEXT NOT NULL,
    payload TEXT NOT NULL,           -- the exact body sent
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,         -- pending: due then
    lease_until INTEGER,             -- claimed by a sender until then
    response_code INTEGER,
    response_body TEXT,
    latency_ms INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX subscription_deliveries_due_idx
    ON subscription_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX subscription_deliveries_subscription_idx
    ON subscription_deliveries (subscription_id, id);
