using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Operations;

public sealed record RebuildRequest(string? ReadModel);

/// <summary>
/// Admins rebuild the read model from the event log and follow its progress, as `./coachhub rebuild coaching`
/// does: POST starts it on this node (202, Location of its status), GET reads how far it got, from any node.
/// </summary>
public static class RebuildReadModelEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var rebuilds = app.MapGroup("/api/admin/rebuilds").WithTags("Operations").RequireAuthorization(Roles.Admin);
        rebuilds.MapPost("", StartAsync).Accepts<RebuildRequest>("application/json").Produces<RebuildStatus>(202)
            .WithDescription("Replays every event into the coaching read model in one transaction: views keep the old rows until it commits; new writes wait for it.");
        rebuilds.MapGet("", async (ReadModelRebuilds runs, HttpContext http) => Results.Ok(await runs.RecentAsync(20, http.RequestAborted)))
            .WithDescription("The 20 most recent rebuilds, newest first.");
        rebuilds.MapGet("/{rebuildId:guid}", async (Guid rebuildId, ReadModelRebuilds runs, HttpContext http) =>
            await runs.GetAsync(rebuildId, http.RequestAborted) is { } status ? Results.Ok(status) : throw new NotFoundException("That rebuild"));
    }

    private static async Task<IResult> StartAsync(HttpContext http, ReadModelRebuilds runs)
    {
        // The body is optional: the coaching read model is the only one.
        var body = http.Request.ContentLength is 0 || (http.Request.ContentLength is null && !http.Request.Headers.ContainsKey("Transfer-Encoding"))
            ? new RebuildRequest(null) : await RequestBody.ReadAsync<RebuildRequest>(http);
        if (body.ReadModel is not (null or ReadModelRebuilds.Coaching))
            throw new BadFieldException("readModel", $"must be '{ReadModelRebuilds.Coaching}', the only read model.");
        var caller = Caller.From(http.User);
        if (await runs.StartAsync($"{caller.Name} ({caller.UserId})", http.RequestAborted) is not { } started)
        {
            var running = (await runs.RecentAsync(5, http.RequestAborted)).FirstOrDefault(r => r.State == "running");
            return Results.Problem(statusCode: 409, title: "A rebuild is running",
                detail: running is null ? "Another rebuild is running; try again when it is done."
                    : $"Rebuild {running.RebuildId} is running ({running.Events:N0} events so far); follow it at /api/admin/rebuilds/{running.RebuildId}.");
        }
        return Results.Accepted($"/api/admin/rebuilds/{started.RebuildId}", started);
    }
}
