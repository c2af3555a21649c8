-- The first answer to each POST sent with an Idempotency-Key (scoped to the caller and the route): a retry gets
-- it again, byte for byte, from any node. Kept for a day.
create table if not exists idempotent_replies (
    key           text primary key,
    body_sha256   bytea not null,
    status        int not null,
    content_type  text,
    etag          text,
    location      text,
    body          bytea not null,
    answered_at   timestamptz not null
);
create index if not exists idempotent_replies_by_age on idempotent_replies (answered_at);
