using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Features.Squads;

/// <summary>A command on a squad's stream, carried by Wolverine (ADR 0007).</summary>
public interface ISquadCommand : IStreamCommand<SquadState>
{
    Guid SquadId { get; }

    Task<Loaded<SquadState>> IStreamCommand<SquadState>.LoadAsync(StreamStates streams, CancellationToken ct) =>
        streams.LoadAsync(Streams.Squad(SquadId), Deciders.Squad, ct);
}
