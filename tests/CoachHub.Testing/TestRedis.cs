namespace CoachHub.Testing;

/// <summary>
/// The Redis that ./coachhub test starts on loopback, for SignalR's backplane wherever a test runs several nodes.
/// Each test's nodes share a channel prefix of their own (their database's name), so tests never hear each other.
/// </summary>
public static class TestRedis
{
    public static string ConnectionString =>
        System.Environment.GetEnvironmentVariable("COACHHUB_TEST_REDIS") is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException("COACHHUB_TEST_REDIS is not set: run the tests with ./coachhub test, which starts Redis and sets it.");

    /// <summary>Host settings (configuration keys) that put a node on the backplane.</summary>
    public static Dictionary<string, string> Settings(string channelPrefix) => new()
    {
        ["ConnectionStrings:Redis"] = ConnectionString,
        ["CoachHub:RedisChannelPrefix"] = channelPrefix,
    };

    /// <summary>The same as environment variables, for server processes.</summary>
    public static Dictionary<string, string> Environment(string channelPrefix) =>
        Settings(channelPrefix).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
}
