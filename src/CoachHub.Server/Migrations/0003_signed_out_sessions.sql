-- Sessions their user signed out of: a cookie or token (and its refresh token) naming one is refused on every node.
-- Kept until the longest a session could have lived anyway, then deleted.
create table if not exists signed_out_sessions (
    session_id     uuid primary key,
    user_id        uuid not null,
    signed_out_at  timestamptz not null,
    expires_at     timestamptz not null
);
create index if not exists signed_out_sessions_by_expiry on signed_out_sessions (expires_at);
