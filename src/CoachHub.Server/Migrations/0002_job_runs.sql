-- What the scheduled jobs have done, per athlete and period: a finished athlete-week is skipped cheaply.
-- (The events are the truth; the commands themselves are idempotent per athlete-week.)
create table if not exists job_runs (
    job        text not null,
    athlete_id uuid not null,
    period     date not null,
    outcome    text not null,
    ran_at     timestamptz not null default now(),
    primary key (job, athlete_id, period)
);
