-- The event log, idempotency keys, checkpoints and dead letters. A stream is its events: its version is
-- its highest stream_version, and the unique (stream_id, stream_version) index decides every race.
create schema if not exists es;

create table es.events (
    position        bigint generated always as identity primary key,
    stream_id       text not null,
    stream_version  bigint not null check (stream_version >= 1),
    event_id        uuid not null,
    type            text not null,
    data            jsonb not null,
    metadata        jsonb not null,
    -- The writer's transaction: readers order by (transaction_id, position) and never pass an open one.
    transaction_id  xid8 not null default pg_current_xact_id(),
    recorded_at     timestamptz not null default now(),
    constraint events_stream_version_unique unique (stream_id, stream_version)
);
create index events_transaction_order on es.events (transaction_id, position);

create table es.idempotency_keys (
    key             text primary key,
    stream_id       text not null,
    stream_version  bigint not null,
    first_position  bigint not null,
    last_position   bigint not null,
    recorded_at     timestamptz not null default now()
);

create table es.checkpoints (
    name            text primary key,
    transaction_id  xid8 not null default '0',
    position        bigint not null default 0,
    updated_at      timestamptz not null default now()
);

create table es.projections (
    name        text primary key,
    version     int not null,
    lifecycle   text not null,
    rebuilt_at  timestamptz
);

create table es.dead_letters (
    id              bigint generated always as identity primary key,
    subscription    text not null,
    position        bigint not null,
    transaction_id  xid8 not null,
    stream_id       text not null,
    type            text not null,
    error           text not null,
    attempts        int not null,
    failed_at       timestamptz not null default now(),
    replayed_at     timestamptz,
    constraint dead_letters_once unique (subscription, position)
);
