-- Wrong passwords per account, in the current window: after too many, sign-in waits (429 with Retry-After),
-- whichever node or address the attempts come from. A success clears the count.
create table if not exists sign_in_failures (
    account       text primary key,
    failures      int not null,
    window_start  timestamptz not null
);
