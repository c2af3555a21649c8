namespace CoachHub.EventStore;

/// <summary>
/// Wakes readers when events may have been committed: by a local append at once, by NOTIFY from other nodes.
/// Take <see cref="Current"/> before reading, wait on it after an empty read: a pulse in between is not lost.
/// </summary>
public sealed class NewEventsSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for <paramref name="wake"/> or the poll interval, whichever comes first.</summary>
    public static async Task WaitAsync(Task wake, TimeSpan poll, CancellationToken ct)
    {
        try { await wake.WaitAsync(poll, ct).ConfigureAwait(false); }
        catch (TimeoutException) { }
    }
}
