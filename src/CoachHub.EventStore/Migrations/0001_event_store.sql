-- The event log, its streams, idempotency keys, checkpoints and dead letters.
create schema if not exists es;

create table es.streams (
    stream_id   text primary key,
    version     bigint not null check (version >= 0),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

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

-- Appends events to a stream in one statement: one round trip, one transaction, all or nothing.
-- p_expected: -1 any, -2 no stream yet, N >= 0 exactly N events so far.
-- Raises SQLSTATE ES409 with the actual version in HINT (clients redact DETAIL by default) when the expected version does not match.
create function es.append(
    p_stream   text,
    p_expected bigint,
    p_ids      uuid[],
    p_types    text[],
    p_data     jsonb[],
    p_metadata jsonb,
    p_key      text)
returns table (new_version bigint, positions bigint[], txid xid8, was_duplicate boolean)
language plpgsql as $$
declare
    v_count   int := cardinality(p_types);
    v_current bigint;
    v_positions bigint[];
    v_key_stream text;
begin
    -- Locking the stream row is this transaction's first write, so transaction ids follow the stream's
    -- append order and readers ordering by (transaction_id, position) see each stream in order.
    select s.version into v_current from es.streams s where s.stream_id = p_stream for update;
    if not found then
        insert into es.streams as s (stream_id, version) values (p_stream, 0) on conflict do nothing;
        if found then
            v_current := 0;
        else
            select s.version into v_current from es.streams s where s.stream_id = p_stream for update;
        end if;
    end if;

    -- Checked under the stream lock, so two retries with one key cannot both append.
    if p_key is not null then
        select k.stream_id into v_key_stream from es.idempotency_keys k where k.key = p_key;
        if found then
            if v_key_stream <> p_stream then
                raise exception using errcode = 'ES422',
                    message = format('idempotency key %s was first used for stream %s', p_key, v_key_stream),
                    hint = v_key_stream;
            end if;
            return query select k.stream_version, array[k.first_position, k.last_position], null::xid8, true
                from es.idempotency_keys k where k.key = p_key;
            return;
        end if;
    end if;

    if (p_expected = -2 and v_current <> 0) or (p_expected >= 0 and v_current <> p_expected) then
        raise exception using
            errcode = 'ES409',
            message = format('stream %s is at version %s, expected %s', p_stream, v_current, p_expected),
            hint = v_current::text;
    end if;

    update es.streams s set version = v_current + v_count, updated_at = now() where s.stream_id = p_stream;

    with inserted as (
        insert into es.events (stream_id, stream_version, event_id, type, data, metadata)
        select p_stream, v_current + t.ord, t.id, t.type, t.data, p_metadata
          from unnest(p_ids, p_types, p_data) with ordinality as t(id, type, data, ord)
         order by t.ord
        returning position)
    select array_agg(position order by position) into v_positions from inserted;

    if p_key is not null then
        insert into es.idempotency_keys (key, stream_id, stream_version, first_position, last_position)
        values (p_key, p_stream, v_current + v_count, v_positions[1], v_positions[v_count]);
    end if;

    return query select v_current + v_count, v_positions, pg_current_xact_id(), false;
end;
$$;
