using Npgsql;

namespace CoachHub.Server.ReadModels;

/// <summary>
/// Which squads an athlete trains in now, for the live fan-out. Apart from <see cref="CoachingQueries"/> because
/// it needs the database only: the fan-out runs inside the event store's daemon, which must not depend on the
/// command path that appends to that store.
/// </summary>
public sealed class SquadMembership(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<Guid>> SquadsOfAthleteAsync(Guid athleteId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"select squad_id from {CoachingProjection.SchemaName}.squad_members where athlete_id = $1 and left_at is null");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = athleteId });
        var list = new List<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetGuid(0));
        return list;
    }
}
