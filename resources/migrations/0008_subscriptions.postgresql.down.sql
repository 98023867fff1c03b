DROP TABLE subscription_deliveries;
DROP TABLE subscription_outbox;
DROP TABLE subscriptions;
