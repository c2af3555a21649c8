using CoachHub.Domain.Squads;
using CoachHub.Server.Accounts;
using CoachHub.Server.Features.Squads;
using CoachHub.Server.Platform;
using CoachHub.Testing;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace CoachHub.Server.Tests;

/// <summary>
/// The command path (ADR 0007) as two nodes run it: each node's Wolverine carries the commands, each has its own
/// cache of folded streams (StreamStates), and both append to one database through Marten with the read model in the
/// same transaction.
/// </summary>
public sealed class WolverineCommandPathTests : IAsyncLifetime
{
    private readonly TwoNodes _nodes = new();

    public Task InitializeAsync() => _nodes.InitializeAsync();

    public Task DisposeAsync() => _nodes.DisposeAsync();

    private static Task<Decided<SquadState>> RunAsync(WebApplicationFactory<Program> node, ISquadCommand command)
    {
        // A bus of the test's own: IMessageBus is scoped.
        var bus = new Wolverine.Runtime.MessageBus(node.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>());
        return bus.DecideAsync(command, node.Services.GetRequiredService<StreamStates>(), CancellationToken.None);
    }

    private static CommandOptions Options(long? ifMatch = null, string? key = null) => new() { IfMatch = ifMatch, IdempotencyKey = key, UserId = "coach" };

    private static InviteAthleteCommand Invite(Guid squadId, CommandOptions? options = null) =>
        new(squadId, InviteCodes.New(), 14, false, null, options ?? Options());

    private static async Task<Guid> SquadAsync(WebApplicationFactory<Program> node, string name = "Harbour Harriers")
    {
        var squadId = Guid.NewGuid();
        await RunAsync(node, new CreateSquadCommand(squadId, Guid.NewGuid(), name, Options()));
        return squadId;
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> EventsAsync(Guid squadId)
    {
        await using var query = _nodes.A.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await query.Events.FetchStreamAsync(Streams.Squad(squadId));
    }

    [Fact]
    public async Task A_command_appends_through_Marten_and_the_read_model_is_written_in_the_same_transaction()
    {
        var squadId = Guid.NewGuid();
        var created = await RunAsync(_nodes.A, new CreateSquadCommand(squadId, Guid.NewGuid(), "Harbour Harriers", Options()));
        Assert.Equal(1, created.Version);
        Assert.Equal("Harbour Harriers", await _nodes.Db.ScalarAsync<string>($"select name from proj_coaching.squads where squad_id = '{squadId}'"));

        var renamed = await RunAsync(_nodes.A, new RenameSquadCommand(squadId, "Quay Runners", Options()));
        Assert.Equal(2, renamed.Version);
        Assert.Equal("Quay Runners", await _nodes.Db.ScalarAsync<string>($"select name from proj_coaching.squads where squad_id = '{squadId}'"));
        Assert.Equal(2, (await EventsAsync(squadId)).Count);
        // A node that never saw the stream folds it from Marten.
        var seenByB = await _nodes.B.Services.GetRequiredService<StreamStates>().LoadAsync(Streams.Squad(squadId), Deciders.Squad, CancellationToken.None);
        Assert.Equal(("Quay Runners", 2L), (seenByB.State.Name, seenByB.Version));
    }

    [Fact]
    public async Task Two_nodes_racing_on_one_stream_lose_nothing()
    {
        var squadId = await SquadAsync(_nodes.A);
        await RunAsync(_nodes.B, Invite(squadId)); // both caches hold the stream now
        await RunAsync(_nodes.A, Invite(squadId));

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => RunAsync(i % 2 == 0 ? _nodes.A : _nodes.B, Invite(squadId)))));

        var events = await EventsAsync(squadId);
        Assert.Equal(Enumerable.Range(1, 35).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(34, events.Count(e => e.Data is AthleteInvited));
        Assert.Equal(34L, await _nodes.Db.ScalarAsync<long>($"select count(*) from proj_coaching.invites where squad_id = '{squadId}'"));
    }

    [Fact]
    public async Task A_stale_If_Match_is_refused_with_the_current_version_even_when_the_nodes_cache_was_behind()
    {
        var squadId = await SquadAsync(_nodes.A);
        await RunAsync(_nodes.B, new RenameSquadCommand(squadId, "Renamed on node B", Options())); // version 2; node A's cache still says 1

        var refused = await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            RunAsync(_nodes.A, new RenameSquadCommand(squadId, "Renamed on node A", Options(ifMatch: 1))));

        Assert.Equal(2, refused.CurrentVersion);
        Assert.Equal(["Renamed on node B"], (await EventsAsync(squadId)).Select(e => e.Data).OfType<SquadRenamed>().Select(r => r.Name));
    }

    [Fact]
    public async Task A_command_retried_with_its_Idempotency_Key_on_another_node_appends_once_and_answers_as_the_first_did()
    {
        var squadId = await SquadAsync(_nodes.A);
        await RunAsync(_nodes.B, new RenameSquadCommand(squadId, "Seen by node B", Options())); // node B's cache: version 2
        var invite = Invite(squadId, Options(key: $"{Guid.NewGuid():N}:POST:/api/squads/{squadId}/invites:k1"));

        var first = await RunAsync(_nodes.A, invite);
        // The retry reaches node B; its key is there, so it appends nothing and answers with the stream as it is.
        var retry = await RunAsync(_nodes.B, invite);

        Assert.NotEmpty(first.Events);
        Assert.Empty(retry.Events);
        Assert.Equal(first.Version, retry.Version);
        Assert.Single(await EventsAsync(squadId), e => e.Data is AthleteInvited);
    }

    [Fact]
    public async Task An_account_stream_starts_once()
    {
        var streams = _nodes.A.Services.GetRequiredService<StreamStates>();
        var email = $"{Guid.NewGuid():N}@example.com";
        var registered = new AccountRegistered(Guid.NewGuid(), email, "Ana", "coach", "hash", DateTimeOffset.UtcNow);

        Assert.True(await streams.StartAsync(Streams.Account(email), [registered], "sign-up", CancellationToken.None));
        Assert.False(await _nodes.B.Services.GetRequiredService<StreamStates>()
            .StartAsync(Streams.Account(email), [registered with { Name = "Someone else" }], "sign-up", CancellationToken.None));

        var account = await streams.ReadAsync(Streams.Account(email), AccountState.Decider, CancellationToken.None);
        Assert.Equal("Ana", account.Registration!.Name);
    }
}
