-- Every rebuild of a read model, started by an admin (POST /api/admin/rebuilds) or from the command line
-- (./coachhub rebuild coaching): who started it, on which node, how far it got. At most one runs per read model.
-- A running row whose node stopped refreshing it (updated_at) for 30 s is reported as interrupted.
create table if not exists rebuilds (
    id           uuid primary key,
    read_model   text not null,
    state        text not null check (state in ('running', 'done', 'failed', 'interrupted')),
    events       bigint not null default 0,
    total        bigint,
    started_at   timestamptz not null,
    updated_at   timestamptz not null,
    finished_at  timestamptz,
    started_by   text not null,
    node         text not null,
    error        text
);
create unique index if not exists rebuilds_one_running on rebuilds (read_model) where state = 'running';
create index if not exists rebuilds_recent on rebuilds (started_at desc);
