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
            b.UseSetting("CoachHub:NodeName", name);
            b.UseSetting("CoachHub:SignInAttemptsPerMinute", "100000");
            b.UseSetting("CoachHub:RunJobs", "false");
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
