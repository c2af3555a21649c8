-- What a job's firing published and is not done yet (ADR 0009): a later firing does not publish it again while it
-- waits in Wolverine's queue, unless it has waited so long that it was given up (its handler discards a message
-- that keeps failing; the next firings publish it again).
create table if not exists job_queue (
    job        text not null,
    athlete_id uuid not null,
    period     date not null,
    queued_at  timestamptz not null,
    squad_id   uuid,
    primary key (job, athlete_id, period)
);
-- "Is anyone of this squad still waiting?", asked after each athlete: the last one closes the squad's week.
create index if not exists job_queue_squad on job_queue (job, period, squad_id);
-- Which node did it: for operators reading a run, and for the test that kills the node doing the work.
alter table job_runs add column if not exists node text;
