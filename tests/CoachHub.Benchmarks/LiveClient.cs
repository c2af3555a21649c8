using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace CoachHub.Benchmarks;

/// <summary>
/// One hub connection for the realtime benchmark: the JSON hub protocol over a ClientWebSocket, as
/// CoachHub.Testing's HubClient speaks it, with two differences a latency run needs. Each message is stamped
/// (Stopwatch ticks) when its frame arrives, before any dispatch to other threads; and the client pings, since
/// SignalR closes a connection that has sent nothing for 30 s (ClientTimeoutInterval) and HubClient never pings.
/// </summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private const byte Separator = 0x1e;
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Target, first argument (valid only during the call) and arrival timestamp of each invocation.</summary>
    private readonly Action<string, JsonElement, long> _onInvocation;
    private Task? _receiving, _pinging;

    private LiveClient(Action<string, JsonElement, long> onInvocation) => _onInvocation = onInvocation;

    /// <summary>Why the connection ended early (server close or socket error); null while it is open.</summary>
    public string? Closed { get; private set; }

    public static async Task<LiveClient> ConnectAsync(Uri server, string token, Action<string, JsonElement, long> onInvocation)
    {
        var client = new LiveClient(onInvocation);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(new Uri($"ws://{server.Authority}/hubs/coach?access_token={Uri.EscapeDataString(token)}"), timeout.Token);
        await client._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, timeout.Token);
        client._receiving = client.ReceiveLoopAsync();
        await client._handshake.Task.WaitAsync(timeout.Token);
        client._pinging = client.PingLoopAsync();
        return client;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[4_096];
        var used = 0;
        try
        {
            while (true)
            {
                if (used == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var result = await _socket.ReceiveAsync(buffer.AsMemory(used), _stop.Token);
                var arrived = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Closed ??= $"closed by the server ({_socket.CloseStatus} {_socket.CloseStatusDescription})";
                    break;
                }
                used += result.Count;
                var start = 0;
                for (int end; (end = Array.IndexOf(buffer, Separator, start, used - start)) >= 0; start = end + 1)
                    Handle(buffer.AsMemory(start, end - start), arrived);
                Buffer.BlockCopy(buffer, start, buffer, 0, used - start);
                used -= start;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            Closed ??= ex.Message;
        }
        _handshake.TrySetException(new InvalidOperationException($"The hub connection ended before its handshake: {Closed}"));
    }

    private void Handle(ReadOnlyMemory<byte> record, long arrived)
    {
        using var document = JsonDocument.Parse(record);
        var root = document.RootElement;
        if (!_handshake.Task.IsCompleted)
        {
            // The handshake answer is {} or {"error": "..."}.
            if (root.TryGetProperty("error", out var error)) _handshake.TrySetException(new InvalidOperationException($"Handshake refused: {error}"));
            else _handshake.TrySetResult();
            return;
        }
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                _onInvocation(root.GetProperty("target").GetString()!, root.GetProperty("arguments")[0], arrived);
                break;
            case 7:
                Closed ??= $"close message: {(root.TryGetProperty("error", out var error) ? error.GetString() : "no error")}";
                break;
        }
    }

    private async Task PingLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            // The receive loop never sends, so this is the socket's only sender after the handshake.
            while (await timer.WaitForNextTickAsync(_stop.Token))
                await _socket.SendAsync(Ping, WebSocketMessageType.Text, true, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            Closed ??= ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        if (_receiving is not null) await _receiving;
        if (_pinging is not null) await _pinging;
        _socket.Dispose();
        _stop.Dispose();
    }
}
