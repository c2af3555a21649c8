using System.Diagnostics;

namespace CoachHub.Testing;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return;
            if (clock.Elapsed > timeout) throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#} s: {what}");
            await Task.Delay(25);
        }
    }
}
