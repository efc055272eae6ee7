DROP INDEX outbox_messages_dead_idx;
DROP INDEX outbox_messages_lease_idx;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_lease;
-- A row caught mid-send goes back to the queue: the earlier schema has no lease to express it.
UPDATE outbox_messages SET state = 'pending' WHERE state = 'sending';
ALTER TABLE outbox_messages
    DROP COLUMN last_attempt_at,
    DROP COLUMN locked_until,
    DROP COLUMN claimed_by;
