using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CoachHub.Server.Realtime;

/// <summary>
/// /hubs/coach: live updates for a signed-in coach (about the athletes of their squads) or athlete (their own plan,
/// findings and conversation). Messages go to users, never to groups a client could ask to join: the fan-out decides
/// who hears each one when it is sent (<see cref="LiveFanOut"/>), so a coach taken off a squad hears nothing more.
/// </summary>
[Authorize]
public sealed class LiveHub : Hub
{
    public const string Path = "/hubs/coach";

    public override async Task OnConnectedAsync()
    {
        // SignalR subscribes the connection to its user (in Redis, on the backplane) before this method runs: from here
        // on, every message for the user reaches it. Saying so lets a client show "Live" truthfully.
        await Clients.Caller.SendAsync(LiveMessages.Listening, new ListeningMessage(), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }
}
