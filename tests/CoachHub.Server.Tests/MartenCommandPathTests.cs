using CoachHub.Domain.Squads;
using CoachHub.Server.Accounts;
using CoachHub.Server.Features.Squads;
using CoachHub.Server.Platform;
using CoachHub.Testing;
using Marten;

namespace CoachHub.Server.Tests;

/// <summary>
/// The command path (CommandPipeline with its per-node cache) on Marten, as two nodes would run it: each pipeline
/// has its own cache, both append to the same database with the server's Marten configuration and read model.
/// </summary>
public sealed class MartenCommandPathTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly DocumentStore _store = DocumentStore.For(o =>
    {
        o.Connection(db.ConnectionString);
        Composition.ConfigureMarten(o);
    });

    public void Dispose() => _store.Dispose();

    private CommandPipeline Node() => new(new MartenEventStreams(_store, TimeProvider.System), TimeProvider.System);

    private static Task<CommandResult<SquadState>> RunAsync(CommandPipeline node, Guid squadId, SquadCommand command, CommandOptions? options = null) =>
        node.RunAsync(Streams.Squad(squadId), Deciders.Squad, _ => command, options ?? new CommandOptions());

    private static InviteAthlete Invite() => new(InviteCodes.New(), DateTimeOffset.UtcNow.AddDays(14));

    private static async Task<Guid> SquadAsync(CommandPipeline node, string name = "Harbour Harriers")
    {
        var squadId = Guid.NewGuid();
        await RunAsync(node, squadId, new CreateSquad(squadId, Guid.NewGuid(), name));
        return squadId;
    }

    [Fact]
    public async Task A_command_appends_through_Marten_and_the_read_model_is_written_in_the_same_transaction()
    {
        var node = Node();
        var squadId = Guid.NewGuid();
        var created = await RunAsync(node, squadId, new CreateSquad(squadId, Guid.NewGuid(), "Harbour Harriers"));
        Assert.Equal(1, created.Version);
        Assert.Equal("Harbour Harriers", await db.ScalarAsync<string>($"select name from proj_coaching.squads where squad_id = '{squadId}'"));

        var renamed = await RunAsync(node, squadId, new RenameSquad("Quay Runners"));
        Assert.Equal(2, renamed.Version);
        Assert.Equal("Quay Runners", await db.ScalarAsync<string>($"select name from proj_coaching.squads where squad_id = '{squadId}'"));
        await using var query = _store.QuerySession();
        Assert.Equal(2, (await query.Events.FetchStreamStateAsync(Streams.Squad(squadId)))!.Version);
        // A node that never saw the stream folds it from Marten.
        Assert.Equal("Quay Runners", (await Node().LoadAsync(Streams.Squad(squadId), Deciders.Squad)).State.Name);
    }

    [Fact]
    public async Task Two_nodes_racing_on_one_stream_lose_nothing()
    {
        var (a, b) = (Node(), Node());
        var squadId = await SquadAsync(a);
        await RunAsync(b, squadId, Invite()); // both caches hold the stream now
        await RunAsync(a, squadId, Invite());

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => RunAsync(i % 2 == 0 ? a : b, squadId, Invite()))));

        await using var query = _store.QuerySession();
        var events = await query.Events.FetchStreamAsync(Streams.Squad(squadId));
        Assert.Equal(Enumerable.Range(1, 35).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(34, events.Count(e => e.Data is AthleteInvited));
        Assert.Equal(34L, await db.ScalarAsync<long>($"select count(*) from proj_coaching.invites where squad_id = '{squadId}'"));
    }

    [Fact]
    public async Task A_stale_If_Match_is_refused_with_the_current_version_even_when_the_node_decided_on_its_cache()
    {
        var (a, b) = (Node(), Node());
        var squadId = await SquadAsync(a);
        await RunAsync(b, squadId, new RenameSquad("Renamed on node B")); // version 2; node A's cache still says 1

        var refused = await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            RunAsync(a, squadId, new RenameSquad("Renamed on node A"), new CommandOptions { IfMatch = 1 }));

        Assert.Equal(2, refused.CurrentVersion);
        await using var query = _store.QuerySession();
        Assert.Equal(["Renamed on node B"], (await query.Events.FetchStreamAsync(Streams.Squad(squadId))).Select(e => e.Data).OfType<SquadRenamed>().Select(r => r.Name));
    }

    [Fact]
    public async Task A_command_retried_with_its_Idempotency_Key_on_a_node_that_decided_on_an_old_state_appends_once()
    {
        var (a, b) = (Node(), Node());
        var squadId = await SquadAsync(a);
        await RunAsync(b, squadId, new RenameSquad("Seen by node B")); // node B's cache: version 2
        var options = new CommandOptions { IdempotencyKey = $"{Guid.NewGuid():N}:POST:/api/squads/{squadId}/invites:k1", UserId = "coach" };
        var invite = Invite();

        var first = await RunAsync(a, squadId, invite, options);
        // The retry reaches node B, which decides on version 2 and appends there: the stream moved on, and the key says why.
        var retry = await RunAsync(b, squadId, invite, options);

        Assert.False(first.WasDuplicate);
        Assert.True(retry.WasDuplicate);
        Assert.Empty(retry.Events);
        Assert.Equal(first.Version, retry.Version);
        await using var query = _store.QuerySession();
        Assert.Single(await query.Events.FetchStreamAsync(Streams.Squad(squadId)), e => e.Data is AthleteInvited);
    }

    [Fact]
    public async Task An_account_stream_starts_once()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        var registered = new AccountRegistered(Guid.NewGuid(), email, "Ana", "coach", "hash", DateTimeOffset.UtcNow);

        Assert.True(await Node().StartStreamAsync(Streams.Account(email), [registered], "sign-up"));
        Assert.False(await Node().StartStreamAsync(Streams.Account(email), [registered with { Name = "Someone else" }], "sign-up"));

        var account = await Node().ReadAsync(Streams.Account(email), AccountState.Decider);
        Assert.Equal("Ana", account.Registration!.Name);
    }
}
