// @generated from the migrations by `UPDATE_SCHEMA_RS=1 cargo nextest run -p certif-schema schema_rs`.
// Do not edit by hand: the test `schema_rs_matches_the_migrations` fails when this file drifts.

diesel::table! {
    audit_log (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_user_id -> Nullable<Uuid>,
        action -> Text,
        subject_type -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        client_addr -> Nullable<Text>,
        details -> Jsonb,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> Uuid,
        token_sha256 -> Bytea,
        user_id -> Nullable<Uuid>,
        candidate_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        client_addr -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    candidates (id) {
        id -> Uuid,
        email -> Text,
        display_name -> Text,
        email_verified_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    certification_sessions (id) {
        id -> Uuid,
        year -> Int4,
        month -> Int4,
        registration_opens_at -> Timestamptz,
        registration_closes_at -> Timestamptz,
        dossier_deadline_at -> Timestamptz,
        orals_start_at -> Timestamptz,
        orals_end_at -> Timestamptz,
        results_at -> Timestamptz,
        letters_at -> Timestamptz,
        cancelled_at -> Nullable<Timestamptz>,
        cancel_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    cron_ticks (job, scheduled_for) {
        job -> Text,
        scheduled_for -> Timestamptz,
        claimed_by -> Text,
        claimed_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    outbox_messages (id) {
        id -> Uuid,
        kind -> Text,
        recipient -> Text,
        data -> Jsonb,
        state -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        dedupe_key -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        claimed_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamptz>,
        last_attempt_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    throttle_buckets (key, window_start) {
        key -> Text,
        window_start -> Timestamptz,
        hits -> Int4,
    }
}

diesel::table! {
    tokens (id) {
        id -> Uuid,
        token_sha256 -> Bytea,
        purpose -> Text,
        user_id -> Nullable<Uuid>,
        candidate_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        display_name -> Text,
        roles -> Array<Text>,
        active -> Bool,
        password_hash -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(auth_sessions -> candidates (candidate_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::joinable!(tokens -> candidates (candidate_id));
diesel::joinable!(tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    auth_sessions,
    candidates,
    certification_sessions,
    cron_ticks,
    outbox_messages,
    throttle_buckets,
    tokens,
    users,
);
