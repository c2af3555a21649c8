using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoachHub.EventStore;

/// <summary>One append as it waits for a commit: serialized events, expectation and key.</summary>
internal sealed record PendingAppend(string StreamId, ExpectedVersion Expected, Guid[] Ids, string[] Types, string[] Data,
    string Metadata, string? IdempotencyKey, IReadOnlyList<object> Events);

/// <summary>
/// What a shared commit did for one append: its result; or that its stream was not at the expected version;
/// or nothing, and whether it may have landed (the commit's fate is unknown): the caller appends on its own.
/// </summary>
internal readonly record struct BatchOutcome(AppendResult? Result, bool MayHaveLanded, bool Behind = false)
{
    public static BatchOutcome StreamBehind { get; } = new(null, false, true);
}

/// <summary>
/// Group commit: appends that arrive while earlier ones are being written share the next transaction, so
/// under load a commit, its round trips and the inline projection's statements are paid once per group
/// rather than once per append. Nothing waits on a timer: an append alone is written at once, and a group
/// is whatever queued up while the writers were busy. A failure of the group never decides for an append
/// that was not at fault: every append of a failed group is tried again on its own.
/// </summary>
internal sealed class AppendBatcher(PostgresEventStore store, int writers, int maxAppends, ILogger logger) : IAsyncDisposable
{
    /// <summary>Bounds a group's transaction by events as well as by appends (<see cref="EventStoreOptions.GroupCommitMaxAppends"/>).</summary>
    public const int MaxEvents = 1_000;

    /// <summary>One submission of an append: a retried append queues again with a fresh one.</summary>
    private sealed record Queued(PendingAppend Append, CancellationToken Cancellation)
    {
        public TaskCompletionSource<BatchOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Lock _startLock = new();
    private Task[]? _writers;

    public Task<BatchOutcome> AppendAsync(PendingAppend append, CancellationToken ct)
    {
        if (_writers is null)
            lock (_startLock) _writers ??= [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync))];
        var queued = new Queued(append, ct);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(queued), store);
        return queued.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Queued>(maxAppends);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var events = 0;
            while (group.Count < maxAppends && events < MaxEvents && _queue.Reader.TryRead(out var queued))
            {
                if (queued.Cancellation.IsCancellationRequested)
                {
                    queued.Done.TrySetCanceled(queued.Cancellation);
                    continue;
                }
                group.Add(queued);
                events += queued.Append.Ids.Length;
            }
            if (group.Count > 0) await WriteGroupAsync(group).ConfigureAwait(false);
        }
    }

    private async Task WriteGroupAsync(List<Queued> group)
    {
        if (group.Count == 1)
        {
            // Alone: the caller's own path answers duplicates and conflicts exactly, with its own retries.
            group[0].Done.TrySetResult(new BatchOutcome(null, false));
            return;
        }
        // Streams in one order in every group: two groups touching the same streams cannot deadlock.
        var ordered = group.OrderBy(q => q.Append.StreamId, StringComparer.Ordinal).ToList();
        AppendResult?[] results;
        try
        {
            results = await store.WriteAsync([.. ordered.Select(q => q.Append)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A unique violation rolled the group back for sure; any other failure may have come while committing,
            // so whether the group landed is unknown and each append looks for its events before trying again.
            var unknown = ex is not PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
            logger.LogDebug(ex, "A group of {Count} appends failed; each is tried again on its own", ordered.Count);
            foreach (var queued in ordered) queued.Done.TrySetResult(new BatchOutcome(null, unknown));
            return;
        }
        for (var i = 0; i < ordered.Count; i++)
            ordered[i].Done.TrySetResult(results[i] is { } result ? new BatchOutcome(result, false) : BatchOutcome.StreamBehind);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writers is not null) await Task.WhenAll(_writers).ConfigureAwait(false);
    }
}
