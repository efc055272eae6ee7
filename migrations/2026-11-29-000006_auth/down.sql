DROP TABLE throttle_buckets;
DROP TABLE outbox_messages;
DROP TABLE tokens;
DROP TABLE auth_sessions;
