-- A message stopped before it left (a letter re-addressed, a certificate revoked) is
-- `cancelled`: unlike a dead letter, nobody can send it again.
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_state_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_state_check
    CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'cancelled'));
