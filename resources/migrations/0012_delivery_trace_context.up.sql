-- 0012_delivery_trace_context: outgoing webhooks carry the trace of the request that caused
-- them (issue 17). An event keeps the W3C trace context current when it was published (the
-- request's server span: traceparent, and tracestate when the caller sent one) from the outbox
-- to each of its deliveries; a sender's client span for an attempt is a child of it. NULL: the
-- event had no trace (no traceparent came and spans are not exported, or no request caused it).
-- The same SQL on SQLite (3.35+ for DROP COLUMN) and PostgreSQL.
ALTER TABLE subscription_outbox ADD COLUMN traceparent TEXT;
ALTER TABLE subscription_outbox ADD COLUMN tracestate TEXT;
ALTER TABLE subscription_deliveries ADD COLUMN traceparent TEXT;
ALTER TABLE subscription_deliveries ADD COLUMN tracestate TEXT;
