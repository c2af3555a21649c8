-- Keys that protect cookies and bearer tokens, shared by every node so any node accepts any node's token.
create table if not exists dataprotection_keys (
    id            bigint generated always as identity primary key,
    friendly_name text not null,
    xml           text not null,
    created_at    timestamptz not null default now()
);
