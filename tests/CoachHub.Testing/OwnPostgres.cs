using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CoachHub.Testing;

/// <summary>
/// A PostgreSQL cluster of a test's own (initdb in /var/tmp, its own port), for a test that restarts or kills the
/// database: the suite's shared cluster stays up for every other test. The binaries and the OS user come from
/// ./coachhub test (COACHHUB_PG_BIN, COACHHUB_PG_RUNAS: initdb refuses root).
/// </summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _base;

    private OwnPostgres(string bin, string? runAs, string @base, int port)
    {
        _bin = bin;
        _runAs = runAs;
        _base = @base;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "coachhub", Database = database, Timeout = 5 }.ConnectionString;

    public static async Task<OwnPostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("COACHHUB_PG_BIN") is { Length: > 0 } b ? b
            : throw new InvalidOperationException("COACHHUB_PG_BIN is not set: run the tests with ./coachhub test.");
        var runAs = Environment.GetEnvironmentVariable("COACHHUB_PG_RUNAS") is { Length: > 0 } u ? u : null;
        var @base = Path.Combine("/var/tmp", $"coachhub-own-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(@base, "sock"));
        if (runAs is not null) await RunAsync("chown", "-R", runAs, @base);
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var cluster = new OwnPostgres(bin, runAs, @base, port);
        await cluster.AsOwnerAsync(Path.Combine(bin, "initdb"), "-D", cluster.Data, "-U", "coachhub", "--auth=trust", "--encoding=UTF8", "--locale=C");
        await File.AppendAllTextAsync(Path.Combine(cluster.Data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = '{Path.Combine(@base, "sock")}'
            max_connections = 300
            shared_buffers = 64MB
            """);
        await cluster.StartServerAsync();
        return cluster;
    }

    private string Data => Path.Combine(_base, "data");

    private Task StartServerAsync() => AsOwnerAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_base, "log"), "-w", "-t", "60", "start");

    /// <summary>Stops it as a crash would (no checkpoint: recovery replays the WAL) and starts it again.</summary>
    public Task RestartAsync() => AsOwnerAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_base, "log"), "-w", "-t", "60", "-m", "immediate", "restart");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsOwnerAsync(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Not running.
        }
        Directory.Delete(_base, recursive: true);
    }

    private Task AsOwnerAsync(string program, params string[] args) =>
        _runAs is null ? RunAsync(program, args) : RunAsync("runuser", ["-u", _runAs, "--", program, .. args]);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        // PostgreSQL keeps the machine's clock even when the tests run under faketime.
        start.Environment.Remove("LD_PRELOAD");
        start.Environment.Remove("FAKETIME");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
    }
}
