using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CoachHub.Benchmarks;

/// <summary>
/// One hub connection for the realtime benchmark, through the official .NET SignalR client (WebSockets, no
/// negotiate). Each message is stamped (Stopwatch ticks) as the client hands it to its handler, which is
/// after the client's own parsing: the figure includes the client's cost, as a real subscriber's would.
/// </summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private LiveClient(HubConnection connection) => _connection = connection;

    /// <summary>Why the connection ended early (server close or transport error); null while it is open.</summary>
    public string? Closed { get; private set; }

    public static async Task<LiveClient> ConnectAsync(Uri server, string token, Action<string, JsonElement, long> onInvocation)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/coach"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var client = new LiveClient(connection);
        connection.On<JsonElement>("painReportSubmitted", argument => onInvocation("painReportSubmitted", argument, Stopwatch.GetTimestamp()));
        connection.Closed += error =>
        {
            client.Closed ??= error?.Message ?? "closed by the server";
            return Task.CompletedTask;
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await connection.StartAsync(timeout.Token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Closed ??= "disposed";
        await _connection.DisposeAsync();
    }
}
