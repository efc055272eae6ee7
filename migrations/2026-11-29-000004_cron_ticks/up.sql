-- One row per (job, scheduled time) claimed by a scheduler instance. tokio-cron-scheduler fires
-- every job on every instance; the primary key lets exactly one instance do each tick's work.
CREATE TABLE cron_ticks (
    job text NOT NULL CHECK (job ~ '^[a-z_]+$'),
    scheduled_for timestamptz NOT NULL,
    claimed_by text NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (job, scheduled_for)
);
