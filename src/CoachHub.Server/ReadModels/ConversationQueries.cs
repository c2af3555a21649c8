using CoachHub.Domain.Athletes;
using Npgsql;

namespace CoachHub.Server.ReadModels;

/// <param name="Mine">Written by whoever asks.</param>
public sealed record CommentView(Guid CommentId, Guid AuthorId, string AuthorName, bool ByCoach, string Text, DateTimeOffset PostedAt, bool Mine);

/// <param name="Unread">Comments by others newer than the reader's last read of this thread.</param>
public sealed record CommentThread(Guid AthleteId, ThreadKind Thread, Guid ThreadId, IReadOnlyList<CommentView> Comments, int Unread);

/// <param name="LocalDate">The day of the run, or of the report, on the athlete's clock.</param>
/// <param name="RunId">The run the thread is on, or the run a report followed (where its page is).</param>
public sealed record ThreadSummary(ThreadKind Thread, Guid ThreadId, Guid? RunId, DateOnly LocalDate, int Comments, int Unread, string LastAuthor,
    string LastText, DateTimeOffset LastPostedAt);

/// <summary>
/// Comment threads on an athlete's runs and reports (the coaching read model's comments) and how far each reader has
/// read them (comment_reads, a reader's own state).
/// </summary>
public sealed class ConversationQueries(NpgsqlDataSource db)
{
    private const string S = CoachingProjection.SchemaName;
    public const int MostThreads = 50;

    /// <summary>Whether the athlete has that run or report.</summary>
    public async Task<bool> ExistsAsync(Guid athleteId, ThreadKind thread, Guid threadId, CancellationToken ct)
    {
        var table = thread == ThreadKind.Run ? "runs" : "reports";
        var key = thread == ThreadKind.Run ? "run_id" : "report_id";
        await using var cmd = Command($"select exists (select 1 from {S}.{table} where athlete_id = $1 and {key} = $2)", athleteId, threadId);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<CommentThread> ThreadAsync(Guid athleteId, ThreadKind thread, Guid threadId, Guid readerId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select c.comment_id, c.author_id, c.author_name, c.by_coach, c.text, c.posted_at,
                   c.author_id <> $3 and c.posted_at > coalesce((select read_at from comment_reads where user_id = $3 and thread_id = $2), '-infinity')
              from {S}.comments c where c.athlete_id = $1 and c.thread_id = $2 order by c.posted_at, c.comment_id
            """, athleteId, threadId, readerId);
        var comments = new List<CommentView>();
        var unread = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            comments.Add(new CommentView(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetBoolean(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5),
                r.GetGuid(1) == readerId));
            if (r.GetBoolean(6)) unread++;
        }
        return new CommentThread(athleteId, thread, threadId, comments, unread);
    }

    /// <summary>The reader has seen the thread up to <paramref name="at"/>; never moves back.</summary>
    public async Task MarkReadAsync(Guid readerId, Guid threadId, DateTimeOffset at, CancellationToken ct)
    {
        await using var cmd = Command("""
            insert into comment_reads (user_id, thread_id, read_at) values ($1, $2, $3)
            on conflict (user_id, thread_id) do update set read_at = greatest(comment_reads.read_at, excluded.read_at)
            """, readerId, threadId, at.ToUniversalTime());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The athlete's threads with comments, the latest first, with what the reader has not read.</summary>
    public async Task<IReadOnlyList<ThreadSummary>> ThreadsAsync(Guid athleteId, Guid readerId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select t.thread, t.thread_id, coalesce(run.run_id, rep.run_id), coalesce(run.local_date, (rep.reported_at at time zone a.time_zone)::date),
                   t.count, t.unread, last.author_name, last.text, last.posted_at
              from (select c.thread, c.thread_id, count(*)::int as count,
                           (count(*) filter (where c.author_id <> $2 and c.posted_at > coalesce(cr.read_at, '-infinity')))::int as unread,
                           max(c.posted_at) as latest
                      from {S}.comments c left join comment_reads cr on cr.user_id = $2 and cr.thread_id = c.thread_id
                     where c.athlete_id = $1 group by c.thread, c.thread_id) t
              join {S}.athletes a on a.athlete_id = $1
              left join {S}.runs run on t.thread = 'run' and run.run_id = t.thread_id
              left join {S}.reports rep on t.thread = 'report' and rep.report_id = t.thread_id
              cross join lateral (select author_name, text, posted_at from {S}.comments l where l.athlete_id = $1 and l.thread_id = t.thread_id
                                  order by posted_at desc, comment_id desc limit 1) last
             order by t.latest desc limit {MostThreads}
            """, athleteId, readerId);
        var list = new List<ThreadSummary>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new ThreadSummary(r.GetString(0) == "run" ? ThreadKind.Run : ThreadKind.Report, r.GetGuid(1), r.IsDBNull(2) ? null : r.GetGuid(2),
                r.GetFieldValue<DateOnly>(3), r.GetInt32(4), r.GetInt32(5), r.GetString(6), r.GetString(7), r.GetFieldValue<DateTimeOffset>(8)));
        return list;
    }

    /// <summary>For each athlete, how many comments by others the reader has not read: the board's count.</summary>
    public async Task<Dictionary<Guid, int>> UnreadByAthleteAsync(Guid readerId, IReadOnlyList<Guid> athleteIds, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select c.athlete_id, count(*)::int from {S}.comments c
              left join comment_reads cr on cr.user_id = $1 and cr.thread_id = c.thread_id
             where c.athlete_id = any($2) and c.author_id <> $1 and c.posted_at > coalesce(cr.read_at, '-infinity')
             group by c.athlete_id
            """, readerId, athleteIds.ToArray());
        var unread = new Dictionary<Guid, int>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) unread[r.GetGuid(0)] = r.GetInt32(1);
        return unread;
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var cmd = db.CreateCommand(sql);
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        return cmd;
    }
}
