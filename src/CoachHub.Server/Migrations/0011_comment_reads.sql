-- How far each reader has read each comment thread (a run's or a report's): what is newer, by someone else, is unread.
-- A reader's own view, not a fact of the athlete's story, so not an event.
create table if not exists comment_reads (
    user_id   uuid not null,
    thread_id uuid not null,
    read_at   timestamptz not null,
    primary key (user_id, thread_id)
);
