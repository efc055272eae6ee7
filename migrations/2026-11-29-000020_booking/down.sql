DELETE FROM tokens WHERE purpose = 'booking';
ALTER TABLE tokens DROP CONSTRAINT tokens_owner;
ALTER TABLE tokens ADD CONSTRAINT tokens_owner CHECK (
    CASE purpose
        WHEN 'sign_in' THEN candidate_id IS NOT NULL AND user_id IS NULL
        ELSE user_id IS NOT NULL AND candidate_id IS NULL
    END
);
ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check
    CHECK (purpose IN ('invitation', 'password_reset', 'sign_in'));
ALTER TABLE tokens DROP COLUMN application_id;
DROP TABLE bookings;
DROP TABLE availability_slots;
DROP TABLE calendar_feeds;
DROP TABLE coach_profiles;
DROP EXTENSION IF EXISTS btree_gist;
