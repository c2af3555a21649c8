using CoachHub.Testing;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

/// <summary>One CoachHub node on a test's own database, for test classes that run several nodes or change settings.</summary>
internal static class TestNode
{
    /// <param name="kestrel">A real socket on loopback (WebSockets, the client's address), started at once.</param>
    /// <param name="settings">Added to, and taking precedence over, the defaults below.</param>
    public static WebApplicationFactory<Program> Start(string connectionString, string name, bool kestrel = false,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:CoachHub", connectionString);
            // The template ./coachhub test migrated holds every schema: this host creates none.
            b.UseSetting("CoachHub:CreateSchemaOnStart", "false");
            b.UseSetting("CoachHub:NodeName", name);
            b.UseSetting("CoachHub:SignInAttemptsPerMinute", "100000");
            b.UseSetting("CoachHub:RunJobs", "false");
            foreach (var (key, value) in TestMailbox.Settings()) b.UseSetting(key, value);
            b.UseSetting("CoachHub:PublicUrl", "https://coachhub.test");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) b.UseSetting(key, value);
        });
        if (kestrel)
        {
            factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
        }
        return factory;
    }
}

/// <summary>Two nodes on one throwaway database, both ready before a test starts: for what one node does and the other must see.</summary>
internal sealed class TwoNodes(bool kestrel = false) : IAsyncLifetime
{
    private readonly CoachHub.Testing.PostgresDatabase _db = new();

    public CoachHub.Testing.PostgresDatabase Db => _db;

    public WebApplicationFactory<Program> A { get; private set; } = null!;
    public WebApplicationFactory<Program> B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        // One node runs the live fan-out; Redis carries its messages to the other node's clients.
        var backplane = CoachHub.Testing.TestRedis.Settings(_db.Name);
        A = TestNode.Start(_db.ConnectionString, "node-a", kestrel, backplane);
        B = TestNode.Start(_db.ConnectionString, "node-b", kestrel, backplane);
        foreach (var node in new[] { A, B })
        {
            using var client = node.CreateClient();
            (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await _db.DisposeAsync();
    }
}
