using Npgsql;

namespace CoachHub.Server.ReadModels;

/// <summary>
/// Who hears about an athlete or a squad now, for the live fan-out: one indexed query for each piece of news, read
/// when it is sent, so that news handled in any order on any node reaches the coaches of that moment: a coach just
/// added hears the next alert, one taken off (or whose athlete moved away) hears nothing more.
/// </summary>
public sealed class SquadMembership(NpgsqlDataSource db)
{
    /// <summary>Every coach of every squad the athlete trains in now.</summary>
    public async Task<IReadOnlyList<Guid>> CoachesOfAthleteAsync(Guid athleteId, CancellationToken ct) =>
        await ListAsync($"""
            select distinct c.coach_id from {CoachingProjection.SchemaName}.squad_members m
              join {CoachingProjection.SchemaName}.squad_coaches c using (squad_id)
             where m.athlete_id = $1 and m.left_at is null
            """, athleteId, ct);

    /// <summary>The squad's coaches now.</summary>
    public async Task<IReadOnlyList<Guid>> CoachesOfSquadAsync(Guid squadId, CancellationToken ct) =>
        await ListAsync($"select coach_id from {CoachingProjection.SchemaName}.squad_coaches where squad_id = $1", squadId, ct);

    private async Task<IReadOnlyList<Guid>> ListAsync(string sql, Guid key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = key });
        var list = new List<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetGuid(0));
        return list;
    }
}
