-- Which version of each read model its tables were built for (CoachingProjection.Version): a start that finds
-- another version replaces and refills them from Marten's log (CoachingRebuild.EnsureCurrentAsync).
create table if not exists read_models (
    name        text primary key,
    version     int not null,
    rebuilt_at  timestamptz not null
);
