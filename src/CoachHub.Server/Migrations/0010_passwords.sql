-- A password change or reset ends the account's other sessions: those that signed in before the account's event
-- stream reached before_version, except the one that made the change. Kept as long as a session can live.
create table if not exists signed_out_users (
    user_id        uuid primary key,
    before_version bigint not null,
    except_session uuid,
    expires_at     timestamptz not null
);

-- Password-reset links sent by mail: only the token's SHA-256 is kept; single use, short-lived.
create table if not exists password_resets (
    token_hash     bytea primary key,
    account_stream text not null,
    requested_at   timestamptz not null,
    expires_at     timestamptz not null,
    used_at        timestamptz
);
create index if not exists password_resets_by_account on password_resets (account_stream, requested_at);
