using Npgsql;

namespace CoachHub.Server.ReadModels;

/// <summary>
/// Which squads an athlete trains in now, for the live fan-out: one indexed query for each piece of news, read when it
/// is sent, so that news handled in any order on any node reaches the squads the athlete is in at that moment.
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
