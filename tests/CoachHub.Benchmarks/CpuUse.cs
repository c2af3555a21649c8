using System.Diagnostics;
using System.Globalization;

using CoachHub.Testing;

namespace CoachHub.Benchmarks;

/// <summary>Where the CPU went during a window: the server process, this client, PostgreSQL, and anything else on the machine.</summary>
internal sealed class CpuUse
{
    private readonly ServerProcess _server;
    private readonly TimeSpan _server0, _client0;
    private readonly (double Busy, double Total) _machine0;
    private readonly double _postgres0;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private CpuUse(ServerProcess server)
    {
        _server = server;
        _server0 = server.CpuTime();
        _client0 = Process.GetCurrentProcess().TotalProcessorTime;
        _machine0 = Machine();
        _postgres0 = Postgres();
    }

    public static CpuUse Start(ServerProcess server) => new(server);

    public string Describe(long operations, string what)
    {
        var server = (_server.CpuTime() - _server0).TotalMilliseconds;
        var client = (Process.GetCurrentProcess().TotalProcessorTime - _client0).TotalMilliseconds;
        var machine = Machine();
        var busy = (machine.Busy - _machine0.Busy) * 1000;
        var total = (machine.Total - _machine0.Total) * 1000;
        var postgres = (Postgres() - _postgres0) * 1000;
        var other = busy - server - client - postgres;
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU per {what}: server {server / operations:0.00} ms, client {client / operations:0.00} ms, PostgreSQL {postgres / operations:0.00} ms, other processes {other / operations:0.00} ms; machine {100 * busy / total:0}% busy over {_clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// CPU seconds of the processes named postgres now alive (/proc/PID/stat), so that other load on a shared
    /// machine is not counted as the database's. A backend that exits within the window loses its share to "other".
    /// </summary>
    private static double Postgres()
    {
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!char.IsAsciiDigit(Path.GetFileName(dir)[0])) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] != "postgres") continue;
                // After the name: state, ppid, ... utime is the 12th field and stime the 13th.
                var fields = stat[(close + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
        }
        return ticks / 100; // USER_HZ on Linux
    }

    /// <summary>Busy and total CPU seconds of all cores, from /proc/stat.</summary>
    private static (double Busy, double Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        const double hz = 100; // USER_HZ on Linux
        return ((total - idle) / hz, total / hz);
    }
}
