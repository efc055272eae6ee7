UPDATE outbox_messages SET state = 'dead' WHERE state = 'cancelled';
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_state_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_state_check
    CHECK (state IN ('pending', 'sending', 'sent', 'dead'));
