using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CoachHub.Server.Realtime;

/// <summary>
/// /hubs/coach: live updates for a signed-in coach (their squads) or athlete (their own plan and findings).
/// The server decides the groups when the connection opens; there is no method to join any other group.
/// </summary>
[Authorize]
public sealed class LiveHub(CoachingQueries queries) : Hub
{
    public const string Path = "/hubs/coach";

    public static string SquadGroup(Guid squadId) => $"squad:{squadId:N}";
    public static string AthleteGroup(Guid athleteId) => $"athlete:{athleteId:N}";

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!);
        List<string> groups = caller.IsCoach
            ? [.. (await queries.SquadsOfCoachAsync(caller.UserId, Context.ConnectionAborted)).Select(s => SquadGroup(s.SquadId))]
            : caller.IsAthlete ? [AthleteGroup(caller.UserId)] : [];
        foreach (var group in groups)
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        // The handshake completes before this method does: until the groups are joined (on the backplane, subscribed
        // in Redis), a message to them would miss this client. Saying so lets a client show "Live" truthfully.
        await Clients.Caller.SendAsync(LiveMessages.Listening, new ListeningMessage(groups.Count), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }
}
