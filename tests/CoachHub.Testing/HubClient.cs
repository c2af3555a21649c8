using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CoachHub.Testing;

/// <summary>
/// A test's hub connection through the official .NET SignalR client: WebSockets with the bearer token, as a
/// node behind a load balancer without sticky sessions needs it (no negotiate round trip). Every message the
/// hub can send is recorded, so a test can wait for one that arrived before it started waiting.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    /// <summary>Every method the server's hub calls on clients (CoachHub.Server.Realtime.LiveMessages).</summary>
    public static readonly IReadOnlyList<string> Messages =
        ["findingRaised", "alertAcknowledged", "runLogged", "painReportSubmitted", "planAdjusted", "adjustmentProposed", "athleteLeft", "squadClosed", "weekAdjustmentsCompleted", "commentPosted", "historyCorrected", "listening"];

    private readonly HubConnection _connection;
    private readonly List<(string Target, JsonElement Argument)> _received = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var target in Messages)
            connection.On<JsonElement>(target, argument =>
            {
                lock (_received)
                {
                    _received.Add((target, argument.Clone()));
                    _arrived.TrySetResult();
                    _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            });
    }

    /// <summary>Connects to <paramref name="path"/> on <paramref name="server"/>; a refused token throws (HTTP 401).</summary>
    public static async Task<HubClient> ConnectAsync(Uri server, string? token, string path = "/hubs/coach")
    {
        ArgumentNullException.ThrowIfNull(server);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var client = new HubClient(connection);
        // A server that accepts but never answers must fail the test, not hang it.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await connection.StartAsync(limit.Token);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        // Connected is not yet listening: the server says when the connection is in its groups.
        await client.WaitForAsync("listening", _ => true, TimeSpan.FromSeconds(10));
        return client;
    }

    /// <summary>The first message to <paramref name="target"/> that matches, received before or after the call, or a TimeoutException.</summary>
    public async Task<JsonElement> WaitForAsync(string target, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task arrived;
            lock (_received)
            {
                foreach (var (t, argument) in _received)
                    if (t == target && match(argument)) return argument;
                arrived = _arrived.Task;
            }
            try { await arrived.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"No '{target}' message within {timeout.TotalMilliseconds} ms."); }
        }
    }

    /// <summary>Every message to <paramref name="target"/> so far, in order of arrival.</summary>
    public IReadOnlyList<JsonElement> All(string target)
    {
        lock (_received) return [.. _received.Where(m => m.Target == target).Select(m => m.Argument)];
    }

    public IReadOnlyList<string> Targets()
    {
        lock (_received) return [.. _received.Select(m => m.Target)];
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
