-- Hangfire owns the clock (ADR 0009): Quartz's clustered store, which Quartz provisioned itself, goes.
do $$
declare t text;
begin
  for t in select tablename from pg_tables where schemaname = 'public' and tablename like 'qrtz\_%' loop
    execute format('drop table if exists public.%I cascade', t);
  end loop;
end $$;
