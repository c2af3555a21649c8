using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using StackExchange.Redis;

namespace CoachHub.Server.Realtime;

public static class LiveSetup
{
    /// <summary>
    /// The hub, and the fan-out that the handler of <see cref="LiveNews{TEvent}"/> calls. With several nodes, ConnectionStrings:Redis
    /// names the Redis server whose pub/sub carries every message to every node (SignalR's backplane); the channel
    /// prefix (CoachHub:RedisChannelPrefix) keeps deployments that share one Redis apart.
    /// </summary>
    public static WebApplicationBuilder AddCoachHubLive(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var signalR = builder.Services.AddSignalR().AddJsonProtocol(o => RequestBody.ConfigureJson(o.PayloadSerializerOptions));
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            var prefix = builder.Configuration["CoachHub:RedisChannelPrefix"] ?? "coachhub";
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix));
        }
        builder.Services.AddSingleton<SquadMembership>();
        builder.Services.AddSingleton<LiveFanOut>();
        return builder;
    }
}
