-- What the scheduler's outbox dispatcher needs to deliver messages: a lease on the rows it is
-- sending (so a dispatcher that dies mid-send leaves them to be retried, not lost) and the time
-- of the last attempt (shown with the error of a dead message). The Message-ID is derived from
-- the row id (`<id@domain of MAIL_FROM>`), so it needs no column.

ALTER TABLE outbox_messages
    -- The dispatcher that claimed the row (instance name and a per-start suffix); kept after
    -- the outcome, to tell who sent or gave up on a message.
    ADD COLUMN claimed_by text,
    -- While `sending`: the instant after which another dispatcher may take the row back.
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN last_attempt_at timestamptz,
    ADD CONSTRAINT outbox_messages_lease
        CHECK ((state = 'sending') = (locked_until IS NOT NULL)
               AND (state <> 'sending' OR claimed_by IS NOT NULL));

-- Leases to take back after a dispatcher died.
CREATE INDEX outbox_messages_lease_idx ON outbox_messages (locked_until) WHERE state = 'sending';
-- The dead letters admins look at, most recent first.
CREATE INDEX outbox_messages_dead_idx ON outbox_messages (last_attempt_at DESC) WHERE state = 'dead';
