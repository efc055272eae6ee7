// @generated from the migrations by `UPDATE_SCHEMA_RS=1 cargo nextest run -p certif-schema schema_rs`.
// Do not edit by hand: the test `schema_rs_matches_the_migrations` fails when this file drifts.

diesel::table! {
    administration_letters (id) {
        id -> Uuid,
        certificate_id -> Uuid,
        recipient_role -> Text,
        recipient_name -> Nullable<Text>,
        recipient_email -> Text,
        outbox_message_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    application_events (id) {
        id -> Int8,
        application_id -> Uuid,
        from_state -> Nullable<Text>,
        to_state -> Text,
        actor_user_id -> Nullable<Uuid>,
        actor_candidate_id -> Nullable<Uuid>,
        reason -> Nullable<Text>,
        occurred_at -> Timestamptz,
    }
}

diesel::table! {
    applications (id) {
        id -> Uuid,
        candidate_id -> Uuid,
        session_id -> Uuid,
        state -> Text,
        employer_type -> Text,
        employer_name -> Text,
        agent_status -> Text,
        joined_programme -> Bool,
        startup_name -> Text,
        incubator -> Text,
        product_sheet_url -> Text,
        intrapreneur_start -> Date,
        intrapreneur_end -> Nullable<Date>,
        full_time -> Bool,
        acceleration_reached -> Bool,
        prior_certification -> Text,
        hr_contact_name -> Nullable<Text>,
        hr_contact_email -> Nullable<Text>,
        manager_contact_name -> Nullable<Text>,
        manager_contact_email -> Nullable<Text>,
        letter_consent -> Bool,
        eligible -> Bool,
        eligibility_reasons -> Jsonb,
        eligibility_override_reason -> Nullable<Text>,
        dossier_deadline_at -> Nullable<Timestamptz>,
        review_message -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        carried_from -> Nullable<Uuid>,
        dossier_items_provided -> Int2,
        dossier_file_count -> Int4,
    }
}

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
    availability_slots (id) {
        id -> Uuid,
        coach_id -> Uuid,
        session_id -> Uuid,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        modes -> Array<Text>,
        state -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    bookings (id) {
        id -> Uuid,
        application_id -> Uuid,
        slot_id -> Uuid,
        ical_uid -> Text,
        sequence -> Int4,
        state -> Text,
        mode -> Text,
        second_juror_user_id -> Nullable<Uuid>,
        second_juror_email -> Nullable<Text>,
        cancel_reason -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    calendar_all_version (singleton) {
        singleton -> Bool,
        version -> Int8,
    }
}

diesel::table! {
    calendar_feeds (user_id) {
        user_id -> Uuid,
        token_sha256 -> Bytea,
        created_at -> Timestamptz,
        version -> Int8,
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
    certificates (id) {
        id -> Uuid,
        number -> Text,
        application_id -> Uuid,
        evaluation_id -> Uuid,
        holder_name -> Text,
        title -> Text,
        session_label -> Text,
        competences -> Jsonb,
        issued_on -> Date,
        revoked_at -> Nullable<Timestamptz>,
        revoked_by -> Nullable<Uuid>,
        revoke_reason -> Nullable<Text>,
        created_at -> Timestamptz,
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
        grid_id -> Uuid,
    }
}

diesel::table! {
    coach_profiles (user_id) {
        user_id -> Uuid,
        time_zone -> Text,
        video_link -> Nullable<Text>,
        phone -> Nullable<Text>,
        incubator -> Nullable<Text>,
        max_orals_per_day -> Int4,
        buffer_minutes -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    competence_grids (id) {
        id -> Uuid,
        version -> Int4,
        label -> Text,
        certification_title -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    competences (id) {
        id -> Uuid,
        grid_id -> Uuid,
        position -> Int4,
        name -> Text,
        description -> Text,
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
    dossier_files (id) {
        id -> Uuid,
        application_id -> Uuid,
        kind -> Text,
        sha256 -> Text,
        file_name -> Text,
        uploaded_at -> Timestamptz,
    }
}

diesel::table! {
    dossier_links (application_id, kind) {
        application_id -> Uuid,
        kind -> Text,
        url -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    evaluation_marks (evaluation_id, competence_id) {
        evaluation_id -> Uuid,
        competence_id -> Uuid,
        acquired -> Nullable<Bool>,
        comment -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    evaluation_signatures (evaluation_id, user_id) {
        evaluation_id -> Uuid,
        user_id -> Uuid,
        signed_at -> Timestamptz,
    }
}

diesel::table! {
    evaluations (id) {
        id -> Uuid,
        booking_id -> Uuid,
        application_id -> Uuid,
        grid_id -> Uuid,
        state -> Text,
        decision -> Nullable<Text>,
        overall_comment -> Text,
        decision_reason -> Nullable<Text>,
        submitted_at -> Nullable<Timestamptz>,
        submitted_by -> Nullable<Uuid>,
        publish_due_at -> Nullable<Timestamptz>,
        published_at -> Nullable<Timestamptz>,
        published_by -> Nullable<Uuid>,
        reopen_count -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
    stored_files (sha256) {
        sha256 -> Text,
        size_bytes -> Int8,
        media_type -> Text,
        created_at -> Timestamptz,
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
        application_id -> Nullable<Uuid>,
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

diesel::table! {
    waiting_list (id) {
        id -> Uuid,
        email -> Text,
        unsubscribe_token_sha256 -> Bytea,
        created_at -> Timestamptz,
        announced_session_id -> Nullable<Uuid>,
    }
}

diesel::joinable!(administration_letters -> certificates (certificate_id));
diesel::joinable!(administration_letters -> outbox_messages (outbox_message_id));
diesel::joinable!(application_events -> applications (application_id));
diesel::joinable!(application_events -> candidates (actor_candidate_id));
diesel::joinable!(application_events -> users (actor_user_id));
diesel::joinable!(applications -> candidates (candidate_id));
diesel::joinable!(applications -> certification_sessions (session_id));
diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(auth_sessions -> candidates (candidate_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::joinable!(availability_slots -> certification_sessions (session_id));
diesel::joinable!(availability_slots -> users (coach_id));
diesel::joinable!(bookings -> applications (application_id));
diesel::joinable!(bookings -> availability_slots (slot_id));
diesel::joinable!(bookings -> users (second_juror_user_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(certificates -> applications (application_id));
diesel::joinable!(certificates -> evaluations (evaluation_id));
diesel::joinable!(certificates -> users (revoked_by));
diesel::joinable!(certification_sessions -> competence_grids (grid_id));
diesel::joinable!(coach_profiles -> users (user_id));
diesel::joinable!(competences -> competence_grids (grid_id));
diesel::joinable!(dossier_files -> applications (application_id));
diesel::joinable!(dossier_files -> stored_files (sha256));
diesel::joinable!(dossier_links -> applications (application_id));
diesel::joinable!(evaluation_marks -> competences (competence_id));
diesel::joinable!(evaluation_marks -> evaluations (evaluation_id));
diesel::joinable!(evaluation_signatures -> evaluations (evaluation_id));
diesel::joinable!(evaluation_signatures -> users (user_id));
diesel::joinable!(evaluations -> applications (application_id));
diesel::joinable!(evaluations -> bookings (booking_id));
diesel::joinable!(evaluations -> competence_grids (grid_id));
diesel::joinable!(tokens -> applications (application_id));
diesel::joinable!(tokens -> candidates (candidate_id));
diesel::joinable!(tokens -> users (user_id));
diesel::joinable!(waiting_list -> certification_sessions (announced_session_id));

diesel::allow_tables_to_appear_in_same_query!(
    administration_letters,
    application_events,
    applications,
    audit_log,
    auth_sessions,
    availability_slots,
    bookings,
    calendar_all_version,
    calendar_feeds,
    candidates,
    certificates,
    certification_sessions,
    coach_profiles,
    competence_grids,
    competences,
    cron_ticks,
    dossier_files,
    dossier_links,
    evaluation_marks,
    evaluation_signatures,
    evaluations,
    outbox_messages,
    stored_files,
    throttle_buckets,
    tokens,
    users,
    waiting_list,
);
