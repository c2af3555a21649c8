using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Accounts;
using CoachHub.Server.Platform;
using CoachHub.Testing;
using JasperFx;
using Marten;
using Marten.Exceptions;
using ConcurrencyException = JasperFx.ConcurrencyException;

namespace CoachHub.Server.Tests;

/// <summary>
/// What the command path will rely on in Marten (issue 27), on real PostgreSQL with the server's own Marten
/// configuration. The database is a copy of ./coachhub test's template: Marten's schema is already there and
/// the store creates none (AutoCreate.None).
/// </summary>
public sealed class MartenGuaranteeTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 6, 3, 7, 30, 0, TimeSpan.FromHours(2));

    private readonly DocumentStore _store = DocumentStore.For(o =>
    {
        o.Connection(db.ConnectionString);
        MartenStore.Configure(o, Composition.StoredEvents);
    });

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Stream_ids_event_type_names_and_the_stored_JSON_are_ours()
    {
        var athlete = Streams.Athlete(Guid.NewGuid());
        var run = new RunLogged(Guid.NewGuid(), At, 8000, 2700, WorkoutType.LongRun, Surface.Trail, 6, ElevationGainMeters: 120);
        var shoe = new ShoeAdded(Guid.NewGuid(), "Trail shoes", 150_000, At);
        var account = Streams.Account($"{Guid.NewGuid():N}@example.com");
        var registered = new AccountRegistered(Guid.NewGuid(), "ana@example.com", "Ana", "coach", "hash", At);

        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(athlete, run, shoe);
            session.Events.StartStream(account, registered);
            await session.SaveChangesAsync();
        }

        var rows = await db.QueryAsync(
            $"select stream_id, version, type, data::text from {MartenStore.Schema}.mt_events where stream_id in ('{athlete}', '{account}') order by stream_id, version");
        Assert.Equal(
            [(account, 1L, AccountRegistered.TypeName), (athlete, 1L, "run.logged.v1"), (athlete, 2L, "shoe.added.v1")],
            rows.Select(r => ((string)r[0], (long)r[1], (string)r[2])));
        // Byte for byte what our source-generated contexts write: camelCase, enums by name, no nulls.
        AssertSameJson(JsonSerializer.Serialize(registered, AccountJson.Default.AccountRegistered), (string)rows[0][3]);
        AssertSameJson(JsonSerializer.Serialize(run, CoachingJson.Default.RunLogged), (string)rows[1][3]);
        AssertSameJson(JsonSerializer.Serialize(shoe, CoachingJson.Default.ShoeAdded), (string)rows[2][3]);
        Assert.Contains("\"workout\":\"LongRun\"", ((string)rows[1][3]).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("notes", (string)rows[1][3], StringComparison.Ordinal);

        // And they read back as our events.
        await using var query = _store.QuerySession();
        var read = await query.Events.FetchStreamAsync(athlete);
        Assert.Equal(run, Assert.IsType<RunLogged>(read[0].Data));
        Assert.Equal(shoe, Assert.IsType<ShoeAdded>(read[1].Data));
    }

    [Fact]
    public async Task Thirty_two_writers_on_one_stream_lose_and_overwrite_nothing()
    {
        const int writers = 32, each = 5;
        var athlete = Streams.Athlete(Guid.NewGuid());
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(athlete, new ShoeAdded(Guid.NewGuid(), "first", 0, At));
            await session.SaveChangesAsync();
        }

        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                var shoe = new ShoeAdded(Guid.NewGuid(), $"writer {w} shoe {i}", 0, At);
                while (true)
                {
                    // As the command path will: read the version, append after it, and decide again on a lost race.
                    await using var session = _store.LightweightSession();
                    var state = await session.Events.FetchStreamStateAsync(athlete);
                    session.Events.Append(athlete, state!.Version + 1, shoe);
                    try
                    {
                        await session.SaveChangesAsync();
                        break;
                    }
                    catch (ConcurrencyException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })));

        await using var query = _store.QuerySession();
        var events = await query.Events.FetchStreamAsync(athlete);
        Assert.Equal(Enumerable.Range(1, 1 + writers * each).Select(v => (long)v), events.Select(e => e.Version));
        var names = events.Skip(1).Select(e => ((ShoeAdded)e.Data).Name).Order().ToList();
        Assert.Equal(Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, each).Select(i => $"writer {w} shoe {i}")).Order(), names);
        Assert.Equal(1 + writers * each, (await query.Events.FetchStreamStateAsync(athlete))!.Version);
        Assert.True(conflicts > 0, "the writers never raced: the test proved nothing");
    }

    [Fact]
    public async Task A_stale_expected_version_is_refused_and_appends_nothing()
    {
        var athlete = Streams.Athlete(Guid.NewGuid());
        var first = new ShoeAdded(Guid.NewGuid(), "first", 0, At);
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(athlete, first, new ShoeAdded(Guid.NewGuid(), "second", 0, At));
            await session.SaveChangesAsync();
        }

        // Two requests read version 2; the first appends as version 3, the second is refused.
        var winner = new ShoeAdded(Guid.NewGuid(), "winner", 0, At);
        await using (var session = _store.LightweightSession())
        {
            session.Events.Append(athlete, 3, winner);
            await session.SaveChangesAsync();
        }
        await using (var session = _store.LightweightSession())
        {
            session.Events.Append(athlete, 3, new ShoeAdded(Guid.NewGuid(), "loser", 0, At));
            await Assert.ThrowsAnyAsync<ConcurrencyException>(() => session.SaveChangesAsync());
        }

        await using var query = _store.QuerySession();
        var events = await query.Events.FetchStreamAsync(athlete);
        Assert.Equal(["first", "second", "winner"], events.Select(e => ((ShoeAdded)e.Data).Name));
        // The refusal's 412 carries the current version in its ETag: it is read apart from the failed append.
        Assert.Equal(3, (await query.Events.FetchStreamStateAsync(athlete))!.Version);
    }

    [Fact]
    public async Task An_idempotency_key_stored_in_the_appends_session_appends_once_however_often_it_is_retried()
    {
        var athlete = Streams.Athlete(Guid.NewGuid());
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(athlete, new ShoeAdded(Guid.NewGuid(), "first", 0, At));
            await session.SaveChangesAsync();
        }
        var key = $"{Guid.NewGuid():N}:POST:/athletes/{athlete}/shoes:retry-me";
        async Task<string> AppendAsync()
        {
            await using var session = _store.LightweightSession();
            session.Insert(new CommandKey(key, athlete, At));
            session.Events.Append(athlete, new ShoeAdded(Guid.NewGuid(), "retried", 0, At));
            try
            {
                await session.SaveChangesAsync();
                return "appended";
            }
            catch (DocumentAlreadyExistsException)
            {
                return "already done";
            }
        }

        Assert.Equal("appended", await AppendAsync());
        Assert.Equal("already done", await AppendAsync());
        // Retries that race each other: still one append between them.
        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(AppendAsync)));
        Assert.All(racing, r => Assert.Equal("already done", r));

        await using var query = _store.QuerySession();
        var events = await query.Events.FetchStreamAsync(athlete);
        Assert.Equal(["first", "retried"], events.Select(e => ((ShoeAdded)e.Data).Name));
        Assert.Equal(athlete, (await query.LoadAsync<CommandKey>(key))!.StreamId);
    }

    [Fact]
    public async Task Retries_racing_with_a_new_key_append_exactly_once()
    {
        var athlete = Streams.Athlete(Guid.NewGuid());
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(athlete, new ShoeAdded(Guid.NewGuid(), "first", 0, At));
            await session.SaveChangesAsync();
        }
        var key = $"{Guid.NewGuid():N}:POST:/athletes/{athlete}/shoes:first-try-races";
        var outcomes = new ConcurrentBag<string>();
        var lostRaces = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            // As the command path will: a lost race on the stream's version is tried again; the key then decides.
            while (true)
            {
                await using var session = _store.LightweightSession();
                session.Insert(new CommandKey(key, athlete, At));
                session.Events.Append(athlete, new ShoeAdded(Guid.NewGuid(), "raced", 0, At));
                try
                {
                    await session.SaveChangesAsync();
                    outcomes.Add("appended");
                    return;
                }
                catch (DocumentAlreadyExistsException)
                {
                    outcomes.Add("already done");
                    return;
                }
                catch (ConcurrencyException)
                {
                    // Two first tries took the same next version: whichever unique index fails first names the loss.
                    Interlocked.Increment(ref lostRaces);
                }
            }
        })));

        Assert.Single(outcomes, o => o == "appended");
        Assert.Equal(7, outcomes.Count(o => o == "already done"));
        await using var query = _store.QuerySession();
        Assert.Equal(["first", "raced"], (await query.Events.FetchStreamAsync(athlete)).Select(e => ((ShoeAdded)e.Data).Name));
    }

    [Fact]
    public async Task A_second_start_of_the_same_stream_is_refused_so_an_email_registers_once()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        var account = Streams.Account(email);
        var outcomes = new ConcurrentBag<(string Name, bool Started)>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await using var session = _store.LightweightSession();
            session.Events.StartStream(account, new AccountRegistered(Guid.NewGuid(), email, $"sign-up {i}", "athlete", "hash", At));
            try
            {
                await session.SaveChangesAsync();
                outcomes.Add(($"sign-up {i}", true));
            }
            catch (ExistingStreamIdCollisionException)
            {
                outcomes.Add(($"sign-up {i}", false));
            }
        })));

        var winner = Assert.Single(outcomes, o => o.Started).Name;
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(account, new AccountRegistered(Guid.NewGuid(), email, "later", "coach", "hash", At));
            await Assert.ThrowsAsync<ExistingStreamIdCollisionException>(() => session.SaveChangesAsync());
        }

        await using var query = _store.QuerySession();
        var events = await query.Events.FetchStreamAsync(account);
        Assert.Equal(winner, Assert.IsType<AccountRegistered>(Assert.Single(events).Data).Name);
    }

    [Fact]
    public async Task Marten_lives_in_its_own_schema_and_the_template_already_holds_it()
    {
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from pg_tables where schemaname = 'public' and tablename like 'mt\\_%'"));
        Assert.True(await db.ScalarAsync<long>($"select count(*) from pg_tables where schemaname = '{MartenStore.Schema}' and tablename like 'mt\\_%'") >= 3);
        // The server's configuration finds nothing to create in a copy of the template.
        var changes = await _store.Storage.Database.CreateMigrationAsync();
        Assert.Equal(Weasel.Core.SchemaPatchDifference.None, changes.Difference);
    }

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\n  stored {actual}");
}
