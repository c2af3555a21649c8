using System.Text.Json;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using Npgsql;

namespace CoachHub.Server.ReadModels;

public sealed record SquadSummary(Guid SquadId, string Name, int Athletes, SquadSettings Settings);
public sealed record AthleteProfile(Guid AthleteId, string Name, string TimeZone, Units Units, Guid? SquadId, string? SquadName = null);

/// <param name="WeekStart">The athlete's current week, on their own clock.</param>
public sealed record BoardRow(Guid AthleteId, string Name, string Status, string? WorstRule, Severity? WorstSeverity, string? WorstFinding,
    DateTimeOffset? LastReportAt, int? LastPain, DateTimeOffset? LastRunAt, int PlannedMeters, int DoneMeters, ComplianceStatus? Compliance,
    bool AdjustmentWaiting, DateOnly WeekStart, int UnreadComments = 0, int DueMeters = 0);
public sealed record SquadBoard(Guid SquadId, string Name, DateOnly WeekStart, IReadOnlyList<BoardRow> Athletes);

/// <param name="LastNote">The latest of the coaches' notes on it, with who wrote it.</param>
public sealed record Alert(Guid AthleteId, string AthleteName, string FindingId, string RuleId, Severity Severity, string Message,
    string RecommendedAction, DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, FindingNote? LastNote = null);

/// <param name="RunningMeters">The running distance the template plans, for the coach choosing one.</param>
public sealed record WeekTemplateView(Guid TemplateId, string Name, IReadOnlyList<TemplateSession> Sessions, int RunningMeters, string SavedBy, DateTimeOffset SavedAt);

public sealed record FindingNote(Guid CoachId, string CoachName, string Note, DateTimeOffset NotedAt);

/// <summary>One finding's story for the athlete's coaches: raised, acknowledged, noted, closed.</summary>
public sealed record FindingHistory(Guid AthleteId, string FindingId, string RuleId, Severity Severity, string CoachMessage, string RecommendedAction,
    DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, Guid? AcknowledgedBy, DateTimeOffset? ResolvedAt, string? Resolution,
    IReadOnlyList<FindingNote> Notes);

public sealed record SquadCoach(Guid CoachId, string Name, bool Head);

/// <param name="Usable">Not expired, and not a single-use code used already.</param>
public sealed record SquadInviteRow(string Code, string? Email, bool SingleUse, int Uses, DateTimeOffset InvitedAt, DateTimeOffset ExpiresAt, bool Usable);

/// <param name="LastWeek">Running done last week against running planned (suspended sessions left out); null when none was planned.</param>
/// <param name="NextWeekOutcome">How the weekly adjustment decided the new week ("progress", "deload", ...), null when it did not.</param>
/// <param name="NextWeekWaiting">The adjustment of the new week waits for the coach's approval.</param>
public sealed record DigestAthlete(Guid AthleteId, string Name, Compliance? LastWeek, bool RunningPaused, string? NextWeekOutcome, bool NextWeekWaiting);
public sealed record SquadDigest(Guid SquadId, string Name, IReadOnlyList<DigestAthlete> Athletes);

/// <summary>A coach's week at a glance, for the weekly digest: each squad's last week and new week, what waits for them.</summary>
public sealed record CoachDigest(Guid CoachId, string Name, string Email, DateOnly WeekStart, IReadOnlyList<SquadDigest> Squads,
    IReadOnlyList<ChangeToApprove> Waiting, IReadOnlyList<Alert> OpenAlerts);

/// <summary>An automated change to an athlete's week that waits for a coach's approval.</summary>
public sealed record ChangeToApprove(Guid AthleteId, string AthleteName, DateOnly WeekStart, string Outcome, IReadOnlyList<string> RuleIds,
    IReadOnlyList<string> Reasons, DateTimeOffset ProposedAt);

/// <param name="Message">Worded for the athlete ("Your back..."); <paramref name="CoachMessage"/> the same finding for the coach.</param>
public sealed record FindingOnDashboard(string FindingId, string RuleId, Severity Severity, string Message, string RecommendedAction,
    DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, string CoachMessage);
public sealed record WeekDistance(DateOnly WeekStart, int PlannedMeters, int DoneMeters);
public sealed record PainPoint(Guid ReportId, DateTimeOffset ReportedAt, int PainNow, int? WorstDuringRun, int? NextMorningPain, bool RedFlag, Guid? RunId = null);
public sealed record ShoeMileage(Guid ShoeId, string Name, int Meters, bool Retired);
/// <param name="Suspended">Running sessions a red flag holds back (kept, not to be run); planned metres and compliance leave them out.</param>
public sealed record ThisWeek(DateOnly WeekStart, IReadOnlyList<PlannedSession> Sessions, IReadOnlyList<SuspendedSession> Suspended, int PlannedMeters,
    int DoneMeters, Compliance? Compliance);
public sealed record AthleteDashboard(AthleteProfile Athlete, ThisWeek ThisWeek, IReadOnlyList<WeekDistance> Weeks, AcuteChronicLoad AcuteChronic,
    IReadOnlyList<PainPoint> Pain, IReadOnlyList<FindingOnDashboard> OpenFindings, IReadOnlyList<ShoeMileage> Shoes, string Disclaimer);

public sealed record HistoryItem(string Kind, Guid Id, DateTimeOffset At, JsonElement Details);
public sealed record HistoryPage(int Page, int PageSize, long Total, IReadOnlyList<HistoryItem> Items);

/// <param name="Suspended">Running sessions a red flag holds back, with the finding behind each.</param>
/// <param name="ProposalVoidedBy">The red flag that voids the waiting proposal: it can be rejected, never approved.</param>
public sealed record CalendarWeek(DateOnly WeekStart, IReadOnlyList<PlannedSession> Sessions, IReadOnlyList<string> EditedSessionIds,
    WeekAdjustment? Adjustment, WeekAdjustment? Proposal, IReadOnlyList<SuspendedSession> Suspended, VoidedBy? ProposalVoidedBy);
public sealed record VoidedBy(string FindingId, string RuleId);
public sealed record PlanCalendar(Guid AthleteId, bool Started, string? Goal, int WeeklyDistanceMeters, long Version, IReadOnlyList<CalendarWeek> Weeks);

/// <summary>Reads of the coaching read model, and the ownership questions every endpoint asks.</summary>
public sealed class CoachingQueries(NpgsqlDataSource db, StreamStates streams, AthleteClock clock)
{
    private const string S = CoachingProjection.SchemaName;

    public async Task<Guid?> SquadForInviteAsync(string code, CancellationToken ct)
    {
        await using var cmd = Command($"select squad_id from {S}.invites where code = $1", SquadDecider.NormalizeCode(code));
        return await cmd.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }

    /// <summary>The squad's coaches, the head coach first.</summary>
    public async Task<IReadOnlyList<SquadCoach>> CoachesOfSquadAsync(Guid squadId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select c.coach_id, coalesce(k.name, ''), c.head from {S}.squad_coaches c left join {S}.coaches k using (coach_id)
             where c.squad_id = $1 order by c.head desc, c.added_at
            """, squadId);
        var list = new List<SquadCoach>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new SquadCoach(r.GetGuid(0), r.GetString(1), r.GetBoolean(2)));
        return list;
    }

    /// <summary>Whether the coach coaches the squad: its head coach or one added to it.</summary>
    public async Task<bool> CoachOwnsSquadAsync(Guid coachId, Guid squadId, CancellationToken ct)
    {
        await using var cmd = Command($"select exists (select 1 from {S}.squad_coaches where squad_id = $1 and coach_id = $2)", squadId, coachId);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<bool> CoachSeesAthleteAsync(Guid coachId, Guid athleteId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select exists (select 1 from {S}.squad_members m join {S}.squad_coaches c using (squad_id)
                            where m.athlete_id = $1 and m.left_at is null and c.coach_id = $2)
            """, athleteId, coachId);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The athlete themselves, or a coach of one of their squads; anyone else gets a 404.</summary>
    public async Task EnsureCanSeeAthleteAsync(Caller caller, Guid athleteId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var allowed = caller.IsAthlete ? caller.UserId == athleteId : caller.IsCoach && await CoachSeesAthleteAsync(caller.UserId, athleteId, ct);
        if (!allowed) throw new NotFoundException("That athlete");
    }

    public async Task EnsureCoachOfAthleteAsync(Caller caller, Guid athleteId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsCoach || !await CoachSeesAthleteAsync(caller.UserId, athleteId, ct)) throw new NotFoundException("That athlete");
    }

    public async Task EnsureOwnSquadAsync(Caller caller, Guid squadId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsCoach || !await CoachOwnsSquadAsync(caller.UserId, squadId, ct)) throw new NotFoundException("That squad");
    }

    public async Task<IReadOnlyList<SquadSummary>> SquadsOfCoachAsync(Guid coachId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select s.squad_id, s.name, s.settings::text,
                   (select count(*) from {S}.squad_members m where m.squad_id = s.squad_id and m.left_at is null)
              from {S}.squads s join {S}.squad_coaches c using (squad_id) where c.coach_id = $1 order by s.created_at
            """, coachId);
        var list = new List<SquadSummary>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new SquadSummary(r.GetGuid(0), r.GetString(1), (int)r.GetInt64(3), Settings(r.GetString(2))));
        return list;
    }

    /// <summary>The squad an athlete trains in now and its settings (the default when in none).</summary>
    public async Task<(Guid? SquadId, SquadSettings Settings)> SquadOfAthleteAsync(Guid athleteId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select s.squad_id, s.settings::text from {S}.squad_members m join {S}.squads s using (squad_id)
             where m.athlete_id = $1 and m.left_at is null order by m.joined_at desc limit 1
            """, athleteId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetGuid(0), Settings(r.GetString(1))) : (null, SquadSettings.Default);
    }

    public async Task<AthleteProfile?> ProfileAsync(Guid athleteId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select a.name, a.time_zone, a.units, m.squad_id, s.name
              from {S}.athletes a
              left join lateral (select m.squad_id from {S}.squad_members m where m.athlete_id = a.athlete_id and m.left_at is null
                                  order by m.joined_at desc limit 1) m on true
              left join {S}.squads s on s.squad_id = m.squad_id
             where a.athlete_id = $1
            """, athleteId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new AthleteProfile(athleteId, r.GetString(0), r.GetString(1), Enum.Parse<Units>(r.GetString(2)), r.IsDBNull(3) ? null : r.GetGuid(3),
                r.IsDBNull(4) ? null : r.GetString(4))
            : null;
    }

    /// <summary>
    /// Every athlete of the squad, most urgent first: worst open finding, then the latest report. Each row's week
    /// is the athlete's own (their clock), its planned distance leaves out what a red flag holds back, and the
    /// colour, the pauses and voided proposals are the domain's answers.
    /// </summary>
    public async Task<SquadBoard> BoardAsync(Guid squadId, CancellationToken ct)
    {
        string name;
        await using (var nameCmd = Command($"select name from {S}.squads where squad_id = $1", squadId))
            name = (string?)await nameCmd.ExecuteScalarAsync(ct) ?? throw new NotFoundException("That squad");
        var members = new List<(Guid Id, string Name, string TimeZone, Severity? Worst, string? Rule, string? Message, DateTimeOffset? LastReport, int? LastPain, DateTimeOffset? LastRun)>();
        await using (var cmd = Command($"""
            select a.athlete_id, a.name, a.time_zone, a.worst_severity, a.worst_rule, a.worst_coach_message, a.last_report_at, a.last_pain, a.last_run_at
              from {S}.squad_members m join {S}.athletes a using (athlete_id)
             where m.squad_id = $1 and m.left_at is null
             order by coalesce(a.worst_severity, -1) desc, a.last_report_at desc nulls last, a.name
            """, squadId))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                members.Add((r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : (Severity)r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4),
                    r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetInt32(7),
                    r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8)));

        var todays = members.Select(m => clock.Today(m.TimeZone)).ToArray();
        var weeks = todays.Select(TrainingCalendar.WeekStartOf).ToArray();
        var weekOf = new Dictionary<Guid, (int Done, PlannedWeek? Plan, DateTimeOffset[] Proposed, List<RunningPause> Pauses, bool RanToday)>();
        var zones = members.ToDictionary(m => m.Id, m => m.TimeZone);
        await using (var cmd = db.CreateCommand($"""
            select x.athlete_id,
                   (select coalesce(sum(r.distance_m), 0) from {S}.runs r
                     where r.athlete_id = x.athlete_id and r.local_date >= x.week and r.local_date < x.week + 7)::int,
                   (select w.sessions::text from {S}.plan_weeks w where w.athlete_id = x.athlete_id and w.week_start = x.week),
                   array(select (w.proposal->>'proposedAt')::timestamptz from {S}.plan_weeks w where w.athlete_id = x.athlete_id and w.proposal is not null),
                   array(select jsonb_build_array(f.finding_id, f.rule_id, f.raised_at, f.resolved_at)::text from {S}.findings f
                          where f.athlete_id = x.athlete_id and f.severity = any($3)),
                   x.week,
                   exists (select 1 from {S}.runs r where r.athlete_id = x.athlete_id and r.local_date = x.today)
              from unnest($1::uuid[], $2::date[], $4::date[]) as x(athlete_id, week, today)
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. members.Select(m => m.Id)] });
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = weeks });
            cmd.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = PausingSeverities });
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = todays });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var week = r.GetFieldValue<DateOnly>(5);
                var sessions = r.IsDBNull(2) ? null : JsonSerializer.Deserialize(r.GetString(2), CoachingJson.Default.PlannedSessionArray);
                var athleteId = r.GetGuid(0);
                var pauses = r.GetFieldValue<string[]>(4).Select(json => PauseOf(json, zones[athleteId])).ToList();
                weekOf[athleteId] = (r.GetInt32(1), sessions is null ? null : new PlannedWeek(week, sessions), r.GetFieldValue<DateTimeOffset[]>(3), pauses,
                    r.GetBoolean(6));
            }
        }

        var rows = new List<BoardRow>();
        foreach (var (m, today) in members.Zip(todays))
        {
            var week = TrainingCalendar.WeekStartOf(today);
            var (done, plan, proposed, pauses, ranToday) = weekOf[m.Id];
            var active = RunningPauses.Active(plan, pauses);
            rows.Add(new BoardRow(m.Id, m.Name, SquadBoardStatus.Of(m.Worst).ToString().ToLowerInvariant(), m.Rule, m.Worst, m.Message, m.LastReport, m.LastPain,
                m.LastRun, WeekVolume.DistanceMeters(active), done, LoadMetrics.DistanceSoFar(active, done, today, ranToday),
                proposed.Any(at => RunningPauses.Voiding(at, pauses) is null), week, DueMeters: LoadMetrics.DueMeters(active, today, ranToday)));
        }
        // The squad's week is the one most of its athletes are in (they differ only around midnight on Sundays).
        var squadWeek = weeks.Length == 0 ? TrainingCalendar.WeekStartOf(clock.Today(TimeZoneInfo.Utc.Id))
            : weeks.GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return new SquadBoard(squadId, name, squadWeek, rows);
    }

    /// <summary>One pausing finding as the board's query returns it, on the athlete's clock.</summary>
    private static RunningPause PauseOf(string json, string timeZone)
    {
        using var doc = JsonDocument.Parse(json);
        var a = doc.RootElement;
        return new RunningPause(a[0].GetString()!, a[1].GetString()!, AthleteClock.OnClockOf(timeZone, a[2].GetDateTimeOffset()),
            a[3].ValueKind == JsonValueKind.Null ? null : AthleteClock.OnClockOf(timeZone, a[3].GetDateTimeOffset()));
    }

    /// <summary>Open findings at warning or above across the coach's squads: unacknowledged first, then most serious, newest.</summary>
    public async Task<IReadOnlyList<Alert>> InboxAsync(Guid coachId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select f.athlete_id, a.name, f.finding_id, f.rule_id, f.severity, f.coach_message, f.action, f.raised_at, f.acknowledged_at,
                   n.coach_id, n.coach_name, n.note, n.noted_at
              from {S}.findings f join {S}.athletes a using (athlete_id)
              left join lateral (select coach_id, coach_name, note, noted_at from {S}.finding_notes n
                                  where n.athlete_id = f.athlete_id and n.finding_id = f.finding_id order by noted_at desc limit 1) n on true
             where f.resolved_at is null and f.severity >= $2
               and f.athlete_id in (select m.athlete_id from {S}.squad_members m join {S}.squad_coaches c using (squad_id)
                                     where c.coach_id = $1 and m.left_at is null)
             order by f.acknowledged_at is not null, f.severity desc, f.raised_at desc
             limit 500
            """, coachId, (int)Severity.Warning);
        var list = new List<Alert>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new Alert(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), (Severity)r.GetInt32(4), r.GetString(5), r.GetString(6),
                r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
                r.IsDBNull(9) ? null : new FindingNote(r.GetGuid(9), r.GetString(10), r.GetString(11), r.GetFieldValue<DateTimeOffset>(12))));
        return list;
    }

    /// <summary>One finding with every coach's note on it, oldest first; null when the athlete has had no such finding.</summary>
    public async Task<FindingHistory?> FindingHistoryAsync(Guid athleteId, string findingId, CancellationToken ct)
    {
        var notes = new List<FindingNote>();
        await using (var cmd = Command($"select coach_id, coach_name, note, noted_at from {S}.finding_notes where athlete_id = $1 and finding_id = $2 order by noted_at",
            athleteId, findingId))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) notes.Add(new FindingNote(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));
        await using var f = Command($"""
            select rule_id, severity, coach_message, action, raised_at, acknowledged_at, acknowledged_by, resolved_at, resolution
              from {S}.findings where athlete_id = $1 and finding_id = $2
            """, athleteId, findingId);
        await using var row = await f.ExecuteReaderAsync(ct);
        return await row.ReadAsync(ct)
            ? new FindingHistory(athleteId, findingId, row.GetString(0), (Severity)row.GetInt32(1), row.GetString(2), row.GetString(3),
                row.GetFieldValue<DateTimeOffset>(4), row.IsDBNull(5) ? null : row.GetFieldValue<DateTimeOffset>(5), row.IsDBNull(6) ? null : row.GetGuid(6),
                row.IsDBNull(7) ? null : row.GetFieldValue<DateTimeOffset>(7), row.IsDBNull(8) ? null : row.GetString(8), notes)
            : null;
    }

    /// <summary>
    /// The weekly adjustment's changes waiting for approval across the coach's squads, soonest week first; one that a
    /// red flag raised after it voids (it can only be rejected now) is left out, as on the board.
    /// </summary>
    public async Task<IReadOnlyList<ChangeToApprove>> ChangesToApproveAsync(Guid coachId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select w.athlete_id, a.name, a.time_zone, w.week_start, w.proposal->>'outcome',
                   array(select jsonb_array_elements_text(w.proposal->'ruleIds')), array(select jsonb_array_elements_text(w.proposal->'reasons')),
                   (w.proposal->>'proposedAt')::timestamptz,
                   array(select jsonb_build_array(f.finding_id, f.rule_id, f.raised_at, f.resolved_at)::text from {S}.findings f
                          where f.athlete_id = w.athlete_id and f.severity = any($2))
              from {S}.plan_weeks w join {S}.athletes a using (athlete_id)
             where w.proposal is not null
               and w.athlete_id in (select m.athlete_id from {S}.squad_members m join {S}.squad_coaches c using (squad_id)
                                     where c.coach_id = $1 and m.left_at is null)
             order by w.week_start, a.name
             limit 500
            """, coachId, PausingSeverities);
        var waiting = new List<ChangeToApprove>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var change = new ChangeToApprove(r.GetGuid(0), r.GetString(1), r.GetFieldValue<DateOnly>(3), r.GetString(4),
                r.GetFieldValue<string[]>(5), r.GetFieldValue<string[]>(6), r.GetFieldValue<DateTimeOffset>(7));
            var pauses = r.GetFieldValue<string[]>(8).Select(json => PauseOf(json, r.GetString(2))).ToList();
            if (RunningPauses.Voiding(change.ProposedAt, pauses) is null) waiting.Add(change);
        }
        return waiting;
    }

    public async Task<AthleteDashboard> DashboardAsync(Guid athleteId, CancellationToken ct)
    {
        var profile = await ProfileAsync(athleteId, ct) ?? throw new NotFoundException("That athlete");
        var today = clock.Today(profile.TimeZone);
        var week = TrainingCalendar.WeekStartOf(today);
        var (firstWeek, runsFrom) = DashboardWindow(today);

        var runs = await RunsSinceAsync(athleteId, runsFrom, ct);
        var plan = (await streams.LoadAsync(Streams.Plan(athleteId), Deciders.Plan, ct)).State;
        var pauses = await PausesAsync(athleteId, profile.TimeZone, ct);
        var weeks = new List<WeekDistance>();
        for (var w = firstWeek; w <= week; w = w.AddDays(7))
            weeks.Add(new WeekDistance(w, PlannedMeters(RunningPauses.Active(plan.WeekOf(w), pauses)), LoadMetrics.DistanceMeters(runs, w, w.AddDays(6))));
        var thisWeek = plan.WeekOf(week);
        var active = RunningPauses.Active(thisWeek, pauses);
        var current = new ThisWeek(week, thisWeek?.Sessions ?? [], RunningPauses.Suspended(thisWeek, pauses), PlannedMeters(active), weeks[^1].DoneMeters,
            active is null ? null : LoadMetrics.WeekCompliance(active, runs));

        var pain = await PainPointsAsync("athlete_id = $1 order by reported_at desc limit 60", ct, athleteId);
        pain.Reverse();

        var findings = new List<FindingOnDashboard>();
        await using (var cmd = Command($"""
            select finding_id, rule_id, severity, athlete_message, action, raised_at, acknowledged_at, coach_message from {S}.findings
             where athlete_id = $1 and resolved_at is null order by severity desc, raised_at desc, finding_id
            """, athleteId))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                findings.Add(new FindingOnDashboard(r.GetString(0), r.GetString(1), (Severity)r.GetInt32(2), r.GetString(3), r.GetString(4),
                    r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetString(7)));

        var shoes = new List<ShoeMileage>();
        await using (var cmd = Command($"""
            select s.shoe_id, s.name, s.starting_m + coalesce((select sum(r.distance_m) from {S}.runs r where r.shoe_id = s.shoe_id), 0)::int,
                   s.retired_at is not null
              from {S}.shoes s where s.athlete_id = $1 order by s.retired_at is not null, s.added_at
            """, athleteId))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                shoes.Add(new ShoeMileage(r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.GetBoolean(3)));

        return new AthleteDashboard(profile, current, weeks, LoadMetrics.AcuteChronicRatio(runs, today), pain, findings, shoes, Disclaimer.Text);
    }

    public async Task<HistoryPage> HistoryAsync(Guid athleteId, int page, int pageSize, CancellationToken ct)
    {
        await using var cmd = Command($"""
            with items as (
                select 'run' as kind, run_id as id, started_at as at, run as details from {S}.runs where athlete_id = $1
                union all
                select 'report', report_id, reported_at, report from {S}.reports where athlete_id = $1)
            select kind, id, at, details::text, count(*) over () from items order by at desc, id limit $2 offset $3
            """, athleteId, pageSize, (page - 1) * pageSize);
        var items = new List<HistoryItem>();
        long total = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            using var details = JsonDocument.Parse(r.GetString(3));
            items.Add(new HistoryItem(r.GetString(0), r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2), details.RootElement.Clone()));
            total = r.GetInt64(4);
        }
        if (items.Count == 0 && page > 1)
        {
            await using var count = Command($"select (select count(*) from {S}.runs where athlete_id = $1) + (select count(*) from {S}.reports where athlete_id = $1)", athleteId);
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        return new HistoryPage(page, pageSize, total, items);
    }

    /// <summary>The plan, folded live from its stream (a few events a week), for the weeks asked.</summary>
    public async Task<PlanCalendar> CalendarAsync(Guid athleteId, string timeZone, DateOnly from, int weeks, CancellationToken ct)
    {
        var (_, plan, version) = await streams.LoadAsync(Streams.Plan(athleteId), Deciders.Plan, ct);
        var pauses = await PausesAsync(athleteId, timeZone, ct);
        var start = TrainingCalendar.WeekStartOf(from);
        var list = new List<CalendarWeek>();
        for (var i = 0; i < weeks; i++)
        {
            var w = start.AddDays(7 * i);
            var proposal = plan.Pending.GetValueOrDefault(w);
            var voided = proposal is null ? null : RunningPauses.Voiding(proposal.DecidedAt, pauses);
            list.Add(new CalendarWeek(w, plan.WeekOf(w)?.Sessions ?? [], [.. plan.EditedIn(w)],
                plan.Adjustments.GetValueOrDefault(w), proposal, RunningPauses.Suspended(plan.WeekOf(w), pauses),
                voided is null ? null : new VoidedBy(voided.FindingId, voided.RuleId)));
        }
        return new PlanCalendar(athleteId, plan.Started, plan.Started ? plan.Goal : null, plan.WeeklyDistanceMeters, version, list);
    }

    /// <summary>
    /// The athlete's pauses, from the findings that pause running (their raising and clearance), on the athlete's
    /// clock: the domain decides from them which sessions are suspended and which proposals are void.
    /// </summary>
    public async Task<IReadOnlyList<RunningPause>> PausesAsync(Guid athleteId, string timeZone, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select finding_id, rule_id, raised_at, resolved_at from {S}.findings
             where athlete_id = $1 and severity = any($2) order by raised_at
            """, athleteId, PausingSeverities);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var pauses = new List<RunningPause>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            pauses.Add(new RunningPause(r.GetString(0), r.GetString(1), TimeZoneInfo.ConvertTime(r.GetFieldValue<DateTimeOffset>(2), zone),
                r.IsDBNull(3) ? null : TimeZoneInfo.ConvertTime(r.GetFieldValue<DateTimeOffset>(3), zone)));
        return pauses;
    }

    private static readonly int[] PausingSeverities = [.. Enum.GetValues<Severity>().Where(RunningPauses.Pauses).Select(s => (int)s)];

    /// <summary>Runs as the domain's RunLogged facts, for the load metrics and the weekly adjustment.</summary>
    /// <summary>
    /// The dashboard's 12 weeks (this one the last) and the day its runs are read from: the chronic load's 28 days
    /// before the first week, so that week's load figures are as triage computes them. The load chart shares it.
    /// </summary>
    public static (DateOnly FirstWeek, DateOnly RunsFrom) DashboardWindow(DateOnly today)
    {
        var firstWeek = TrainingCalendar.WeekStartOf(today).AddDays(-7 * (DashboardWeeks - 1));
        return (firstWeek, firstWeek.AddDays(-LoadMetrics.ChronicDays));
    }

    public const int DashboardWeeks = 12;

    public Task<List<RunLogged>> RunsSinceAsync(Guid athleteId, DateOnly from, CancellationToken ct) => RunsBetweenAsync(athleteId, from, DateOnly.MaxValue, ct);

    /// <summary>The runs of the athlete's local days from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public async Task<List<RunLogged>> RunsBetweenAsync(Guid athleteId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = Command($"select run::text from {S}.runs where athlete_id = $1 and local_date between $2 and $3 order by started_at", athleteId, from, to);
        var runs = new List<RunLogged>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) runs.Add(JsonSerializer.Deserialize(r.GetString(0), CoachingJson.Default.RunLogged)!);
        return runs;
    }

    /// <summary>The reports from <paramref name="since"/> on, oldest first.</summary>
    public async Task<IReadOnlyList<PainPoint>> PainSinceAsync(Guid athleteId, DateTimeOffset since, CancellationToken ct) =>
        await PainPointsAsync("athlete_id = $1 and reported_at >= $2 order by reported_at", ct, athleteId, since);

    /// <summary>Reports as pain points: the dashboard's, one run's, a period's (<paramref name="whereAndOrder"/>).</summary>
    private async Task<List<PainPoint>> PainPointsAsync(string whereAndOrder, CancellationToken ct, params object[] values)
    {
        await using var cmd = Command($"select report_id, reported_at, pain_now, worst_during, next_morning, red_flag, run_id from {S}.reports where {whereAndOrder}", values);
        var list = new List<PainPoint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new PainPoint(r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetInt32(4), r.GetBoolean(5), r.IsDBNull(6) ? null : r.GetGuid(6)));
        return list;
    }

    /// <summary>The weeks the weekly adjustment decided from <paramref name="from"/> on, with their outcome.</summary>
    public async Task<IReadOnlyList<(DateOnly WeekStart, string Outcome)>> AdjustedWeeksAsync(Guid athleteId, DateOnly from, CancellationToken ct)
    {
        await using var cmd = Command($"select week_start, outcome from {S}.plan_weeks where athlete_id = $1 and week_start >= $2 and outcome is not null order by week_start",
            athleteId, from);
        var list = new List<(DateOnly, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add((r.GetFieldValue<DateOnly>(0), r.GetString(1)));
        return list;
    }

    /// <summary>Every shoe the athlete has had, by id.</summary>
    public async Task<Dictionary<Guid, string>> ShoeNamesAsync(Guid athleteId, CancellationToken ct)
    {
        await using var cmd = Command($"select shoe_id, name from {S}.shoes where athlete_id = $1", athleteId);
        var names = new Dictionary<Guid, string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) names[r.GetGuid(0)] = r.GetString(1);
        return names;
    }

    /// <summary>
    /// The run already logged that an import or a retry was refused for: the same id, the same file, or an imported
    /// run starting within <see cref="LogRun.SameActivityWithin"/> (as the athlete's decider judges it).
    /// </summary>
    public async Task<Guid?> AlreadyLoggedAsync(Guid athleteId, Guid runId, RunSource? source, DateTimeOffset startedAt, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select run_id from {S}.runs where athlete_id = $1 and (run_id = $2 or (run ? 'source' and jsonb_typeof(run->'source') = 'object'
               and (run->'source'->>'fileSha256' = $3 or abs(extract(epoch from started_at - $4)) <= $5)))
             order by run_id = $2 desc, run->'source'->>'fileSha256' = $3 desc limit 1
            """, athleteId, runId, source?.FileSha256 ?? "", startedAt, LogRun.SameActivityWithin.TotalSeconds);
        return await cmd.ExecuteScalarAsync(ct) as Guid?;
    }

    /// <summary>An imported run's samples, or an empty list for a run typed in.</summary>
    public async Task<IReadOnlyList<TrackPoint>> TrackAsync(Guid athleteId, Guid runId, CancellationToken ct)
    {
        await using var cmd = Command($"select points::text from {S}.run_tracks where athlete_id = $1 and run_id = $2", athleteId, runId);
        return await cmd.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize(json, CoachingJson.Default.TrackPointArray) ?? [] : [];
    }

    /// <summary>The athlete's calendar feed, or null when none is running.</summary>
    public async Task<(Guid FeedId, DateTimeOffset StartedAt)?> CalendarFeedAsync(Guid athleteId, CancellationToken ct)
    {
        await using var cmd = Command($"select calendar_feed, calendar_feed_started_at from {S}.athletes where athlete_id = $1 and calendar_feed is not null", athleteId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>The days and time the athlete can train; <see cref="WeeklyAvailability.Any"/> when never limited.</summary>
    public async Task<WeeklyAvailability> AvailabilityAsync(Guid athleteId, CancellationToken ct)
    {
        await using var cmd = Command($"select availability::text from {S}.athletes where athlete_id = $1", athleteId);
        return await cmd.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize(json, CoachingJson.Default.WeeklyAvailability)! : WeeklyAvailability.Any;
    }

    /// <summary>A squad's week templates, by name.</summary>
    public Task<IReadOnlyList<WeekTemplateView>> WeekTemplatesAsync(Guid squadId, CancellationToken ct) =>
        ReadTemplatesAsync(Command($"{TemplateSelect} where t.squad_id = $1 order by lower(t.name), t.template_id", squadId), ct);

    /// <summary>One of the squad's templates, or null when the squad has no such template.</summary>
    public async Task<WeekTemplateView?> WeekTemplateAsync(Guid squadId, Guid templateId, CancellationToken ct) =>
        (await ReadTemplatesAsync(Command($"{TemplateSelect} where t.squad_id = $1 and t.template_id = $2", squadId, templateId), ct)).SingleOrDefault();

    private const string TemplateSelect = $"""
        select t.template_id, t.name, t.sessions::text, coalesce(c.name, 'A coach'), t.saved_at
          from {S}.week_templates t left join {S}.coaches c on c.coach_id = t.saved_by
        """;

    private static async Task<IReadOnlyList<WeekTemplateView>> ReadTemplatesAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var cmd = command;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var templates = new List<WeekTemplateView>();
        while (await r.ReadAsync(ct))
        {
            var sessions = JsonSerializer.Deserialize(r.GetString(2), CoachingJson.Default.TemplateSessionArray) ?? [];
            var running = sessions.Where(x => SessionTypes.IsRun(x.Type)).Sum(x => x.DistanceMeters ?? 0);
            templates.Add(new WeekTemplateView(r.GetGuid(0), r.GetString(1), sessions, running, r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        }

        return templates;
    }

    /// <summary>One run as stored, or null when the athlete has no such run.</summary>
    public async Task<RunLogged?> RunAsync(Guid athleteId, Guid runId, CancellationToken ct)
    {
        await using var cmd = Command($"select run::text from {S}.runs where athlete_id = $1 and run_id = $2", athleteId, runId);
        return await cmd.ExecuteScalarAsync(ct) is string json ? JsonSerializer.Deserialize(json, CoachingJson.Default.RunLogged) : null;
    }

    /// <summary>What happened to a run after it was logged, from the athlete's log: its corrections and a coach's matches, oldest first.</summary>
    public async Task<IReadOnlyList<object>> RunEventsAsync(Guid athleteId, Guid runId, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select type, data::text from {MartenStore.Schema}.mt_events
             where stream_id = $1 and type = any($2) and (data->>'runId' = $3 or data->'run'->>'runId' = $3)
             order by version
            """, Streams.Athlete(athleteId), new[] { CoachingEvents.TypeNameOf(typeof(RunCorrected)), CoachingEvents.TypeNameOf(typeof(RunMatched)) }, runId.ToString());
        var events = new List<object>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            object? e = r.GetString(0) == CoachingEvents.TypeNameOf(typeof(RunMatched))
                ? JsonSerializer.Deserialize(r.GetString(1), CoachingJson.Default.RunMatched)
                : JsonSerializer.Deserialize(r.GetString(1), CoachingJson.Default.RunCorrected);
            if (e is not null) events.Add(e);
        }

        return events;
    }

    /// <summary>
    /// The athlete's weeks from <paramref name="after"/> (exclusive) for four weeks whose adjustment, in force or
    /// waiting, cites one of <paramref name="ruleIds"/>.
    /// </summary>
    public async Task<IReadOnlyList<(DateOnly WeekStart, string Outcome, IReadOnlyList<string> RuleIds, bool Waiting)>> AdjustmentsCitingAsync(Guid athleteId,
        DateOnly after, IReadOnlyList<string> ruleIds, CancellationToken ct)
    {
        if (ruleIds.Count == 0) return [];
        await using var cmd = Command($"""
            select week_start, coalesce(proposal->>'outcome', outcome),
                   case when proposal is not null then array(select jsonb_array_elements_text(proposal->'ruleIds')) else rule_ids end, proposal is not null
              from {S}.plan_weeks
             where athlete_id = $1 and week_start > $2 and week_start <= $3
               and (rule_ids && $4 or array(select jsonb_array_elements_text(proposal->'ruleIds')) && $4)
             order by week_start
            """, athleteId, after, after.AddDays(28), ruleIds.ToArray());
        var weeks = new List<(DateOnly, string, IReadOnlyList<string>, bool)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            weeks.Add((r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? "" : r.GetString(1), r.IsDBNull(2) ? [] : r.GetFieldValue<string[]>(2), r.GetBoolean(3)));
        return weeks;
    }

    /// <summary>The reports answered after the run (linked to it), oldest first.</summary>
    public async Task<IReadOnlyList<PainPoint>> ReportsOfRunAsync(Guid athleteId, Guid runId, CancellationToken ct) =>
        await PainPointsAsync("athlete_id = $1 and run_id = $2 order by reported_at", ct, athleteId, runId);

    /// <summary>The findings whose evidence names the run or one of its reports, in the order they were raised.</summary>
    public async Task<IReadOnlyList<(FindingOnDashboard Finding, DateTimeOffset? ResolvedAt)>> FindingsOfRunAsync(Guid athleteId, Guid runId,
        IReadOnlyList<Guid> reportIds, CancellationToken ct)
    {
        await using var cmd = Command($"""
            select finding_id, rule_id, severity, athlete_message, action, raised_at, acknowledged_at, coach_message, resolved_at from {S}.findings
             where athlete_id = $1 and (evidence->'runIds' ? $2 or evidence->'painReportIds' ?| $3)
             order by raised_at, finding_id
            """, athleteId, runId.ToString(), reportIds.Select(id => id.ToString()).ToArray());
        var list = new List<(FindingOnDashboard, DateTimeOffset?)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add((new FindingOnDashboard(r.GetString(0), r.GetString(1), (Severity)r.GetInt32(2), r.GetString(3), r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetString(7)),
                r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8)));
        return list;
    }

    /// <summary>The squad's invite codes not withdrawn, newest first.</summary>
    public async Task<IReadOnlyList<SquadInviteRow>> InvitesAsync(Guid squadId, CancellationToken ct)
    {
        await using var cmd = Command($"select code, email, single_use, uses, invited_at, expires_at from {S}.invites where squad_id = $1 order by invited_at desc limit 500", squadId);
        var now = clock.Now(TimeZoneInfo.Utc.Id);
        var list = new List<SquadInviteRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var (singleUse, uses, expires) = (r.GetBoolean(2), r.GetInt32(3), r.GetFieldValue<DateTimeOffset>(5));
            list.Add(new SquadInviteRow(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), singleUse, uses, r.GetFieldValue<DateTimeOffset>(4), expires,
                expires > now && !(singleUse && uses > 0)));
        }
        return list;
    }

    private static int PlannedMeters(PlannedWeek? week) => WeekVolume.DistanceMeters(week);

    private static SquadSettings Settings(string json) => JsonSerializer.Deserialize(json, CoachingJson.Default.SquadSettings) ?? SquadSettings.Default;

    /// <summary>The digest of the week starting <paramref name="weekStart"/> for a coach; null for a coach unknown here.</summary>
    public async Task<CoachDigest?> DigestAsync(Guid coachId, DateOnly weekStart, CancellationToken ct)
    {
        string name, email;
        await using (var cmd = Command($"select name, email from {S}.coaches where coach_id = $1", coachId))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return null;
            (name, email) = (r.GetString(0), r.GetString(1));
        }
        var lastWeek = weekStart.AddDays(-7);
        var bySquad = new Dictionary<Guid, List<DigestAthlete>>();
        await using (var cmd = Command($"""
            select m.squad_id, a.athlete_id, a.name, a.time_zone,
                   (select w.sessions::text from {S}.plan_weeks w where w.athlete_id = a.athlete_id and w.week_start = $2),
                   (select coalesce(sum(r.distance_m), 0) from {S}.runs r
                     where r.athlete_id = a.athlete_id and r.local_date >= $2 and r.local_date < $3)::int,
                   (select w.outcome from {S}.plan_weeks w where w.athlete_id = a.athlete_id and w.week_start = $3),
                   array(select jsonb_build_array(f.finding_id, f.rule_id, f.raised_at, f.resolved_at)::text from {S}.findings f
                          where f.athlete_id = a.athlete_id and f.severity = any($4)),
                   exists (select 1 from {S}.plan_weeks w where w.athlete_id = a.athlete_id and w.week_start = $3 and w.proposal is not null)
              from {S}.squad_coaches c join {S}.squad_members m using (squad_id) join {S}.athletes a using (athlete_id)
             where c.coach_id = $1 and m.left_at is null
             order by a.name
            """, coachId, lastWeek, weekStart, PausingSeverities))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var pauses = r.GetFieldValue<string[]>(7).Select(json => PauseOf(json, r.GetString(3))).ToList();
                var sessions = r.IsDBNull(4) ? null : JsonSerializer.Deserialize(r.GetString(4), CoachingJson.Default.PlannedSessionArray);
                var planned = WeekVolume.DistanceMeters(RunningPauses.Active(sessions is null ? null : new PlannedWeek(lastWeek, sessions), pauses));
                var compliance = planned > 0 ? LoadMetrics.ComplianceOf(planned, r.GetInt32(5), ComplianceMeasure.DistanceMeters) : null;
                var athlete = new DigestAthlete(r.GetGuid(1), r.GetString(2), compliance, pauses.Any(p => p.ClearedAt is null),
                    r.IsDBNull(6) ? null : r.GetString(6), r.GetBoolean(8));
                if (!bySquad.TryGetValue(r.GetGuid(0), out var list)) bySquad[r.GetGuid(0)] = list = [];
                list.Add(athlete);
            }
        var squads = (await SquadsOfCoachAsync(coachId, ct)).Select(q => new SquadDigest(q.SquadId, q.Name, bySquad.GetValueOrDefault(q.SquadId) ?? [])).ToList();
        return new CoachDigest(coachId, name, email, weekStart, squads, await ChangesToApproveAsync(coachId, ct), await InboxAsync(coachId, ct));
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var cmd = db.CreateCommand(sql);
        foreach (var v in values) cmd.Parameters.Add(v is DateOnly d ? new NpgsqlParameter { Value = d, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date } : new NpgsqlParameter { Value = v });
        return cmd;
    }
}
