using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CoachHub.Testing;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package), one per test process, that keeps every message the
/// servers under test send: a test reads the mail a person would get, links included.
/// </summary>
public static class TestMailbox
{
    private static readonly ConcurrentQueue<MimeMessage> Received = new();
    private static readonly Lazy<int> Started = new(Start);

    /// <summary>The port it listens on; the first use starts it.</summary>
    public static int Port => Started.Value;

    /// <summary>Host settings (configuration keys) that send a server's mail here.</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["CoachHub:Mail:Host"] = "127.0.0.1",
        ["CoachHub:Mail:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CoachHub:Mail:From"] = "CoachHub <no-reply@coachhub.test>",
        // A mailbox on loopback, as ./coachhub run's: no TLS.
        ["CoachHub:Mail:Security"] = "None",
    };

    /// <summary>Every message received so far for <paramref name="to"/>.</summary>
    public static IReadOnlyList<MimeMessage> For(string to) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits for a message to <paramref name="to"/> that <paramref name="match"/> accepts.</summary>
    public static async Task<MimeMessage> WaitForAsync(string to, Func<MimeMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        MimeMessage? found = null;
        await Eventually.TrueAsync(() =>
        {
            found = For(to).FirstOrDefault(m => match?.Invoke(m) ?? true);
            return Task.FromResult(found is not null);
        }, timeout ?? TimeSpan.FromSeconds(15), $"a mail to {to}");
        return found!;
    }

    private static int Start()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store());
        var server = new SmtpServer.SmtpServer(options, services);
        _ = server.StartAsync(CancellationToken.None);
        // Listening once a client can connect.
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return port;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }
        throw new InvalidOperationException($"The test mailbox did not start on port {port}");
    }

    private sealed class Store : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
