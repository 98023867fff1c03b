ALTER TABLE subscription_deliveries DROP COLUMN tracestate;
ALTER TABLE subscription_deliveries DROP COLUMN traceparent;
ALTER TABLE subscription_outbox DROP COLUMN tracestate;
ALTER TABLE subscription_outbox DROP COLUMN traceparent;
