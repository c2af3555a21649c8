using CoachHub.Benchmarks;

var name = args.FirstOrDefault();
if (name == "triage")
{
    return TriageBenchmark.Run(); // pure CPU over the domain: no database
}

var admin = Environment.GetEnvironmentVariable("COACHHUB_TEST_DB");
if (string.IsNullOrEmpty(admin))
{
    Console.Error.WriteLine("COACHHUB_TEST_DB is not set: run benchmarks with ./coachhub bench NAME.");
    return 2;
}
switch (name)
{
    case "eventstore":
        await EventStoreBenchmark.RunAsync(admin, args.ElementAtOrDefault(1) ?? "");
        return 0;
    case "api":
        return await ApiBenchmark.RunAsync(admin);
    case "realtime":
        return await RealtimeBenchmark.RunAsync(admin, args.ElementAtOrDefault(1) ?? "");
    case "fuzz":
        return await FuzzBenchmark.RunAsync(admin, args.ElementAtOrDefault(1), args.ElementAtOrDefault(2));
    default:
        Console.Error.WriteLine("usage: ./coachhub bench eventstore [append|batch|rebuild|lag]\n       ./coachhub bench api\n       ./coachhub bench realtime [hub|weekly]\n       ./coachhub bench triage\n       ./coachhub bench fuzz [REQUESTS] [SEED]");
        return 2;
}
