using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CoachHub.Testing;

/// <summary>
/// A test-only SignalR client speaking the JSON hub protocol over a real ClientWebSocket (the .NET SignalR
/// client package cannot be restored here): handshake, then record-separated JSON messages.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly List<(string Target, JsonElement Argument)> _received = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;
    private Task? _pinging;

    public static async Task<HubClient> ConnectAsync(Uri server, string? token, string path = "/hubs/coach")
    {
        var client = new HubClient();
        var query = token is null ? "" : $"?access_token={Uri.EscapeDataString(token)}";
        // A server that accepts but never answers must fail the test, not hang it.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(new Uri($"ws://{server.Authority}{path}{query}"), limit.Token);
        await client.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await client.ReceiveFrameAsync(limit.Token);
        if (handshake.Trim(Separator) != "{}") throw new InvalidOperationException($"Handshake refused: {handshake}");
        client._receiving = client.ReceiveLoopAsync();
        client._pinging = client.PingLoopAsync();
        return client;
    }

    /// <summary>The first message to <paramref name="target"/> that matches, received before or after the call, or a TimeoutException.</summary>
    public async Task<JsonElement> WaitForAsync(string target, Func<JsonElement, bool> match, TimeSpan timeout)
    {
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

    public IReadOnlyList<string> Targets()
    {
        lock (_received) return [.. _received.Select(m => m.Target)];
    }

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + Separator), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<string> ReceiveFrameAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return "";
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        } while (!result.EndOfMessage);
        return text.ToString();
    }

    /// <summary>The server drops a client that says nothing for 30 s; a ping every 10 s keeps long runs connected.</summary>
    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendAsync("""{"type":6}""");
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException) { }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var frame = await ReceiveFrameAsync(_stop.Token);
                foreach (var record in frame.Split(Separator, StringSplitOptions.RemoveEmptyEntries))
                {
                    using var doc = JsonDocument.Parse(record);
                    var root = doc.RootElement;
                    if (root.GetProperty("type").GetInt32() != 1) continue;
                    lock (_received)
                    {
                        _received.Add((root.GetProperty("target").GetString()!, root.GetProperty("arguments")[0].Clone()));
                        _arrived.TrySetResult();
                        _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        if (_receiving is not null) await _receiving;
        if (_pinging is not null) await _pinging;
        _socket.Dispose();
        _stop.Dispose();
    }
}
