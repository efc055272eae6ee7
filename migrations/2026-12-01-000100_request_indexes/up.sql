-- The équipe animation's list reads a session's applications in registration order, a page at a
-- time (keyset on created_at, id): without this index each page sorted the whole session.
CREATE INDEX applications_session_created_idx ON applications (session_id, created_at, id);
