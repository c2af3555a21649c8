using System.Text.Json;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using Npgsql;
using NpgsqlTypes;

namespace CoachHub.Server.ReadModels;

/// <summary>
/// The tables behind every coach and athlete view: squads and members, athletes with their worst open finding,
/// runs, reports, shoes, findings, plan weeks. Inline (<see cref="CoachingMartenProjection"/>), so a GET right after
/// a POST sees it. Query them as proj_coaching.table.
/// </summary>
public static class CoachingProjection
{
    public const string SchemaName = "proj_coaching";

    public static IReadOnlyList<string> Tables { get; } =
        ["squads", "coaches", "squad_coaches", "squad_members", "invites", "athletes", "runs", "run_tracks", "reports", "shoes", "findings", "comments", "finding_notes", "plans", "plan_weeks", "week_templates"];
    /// <summary>
    /// 2: runs indexed by day (the board's week sums) and by shoe (the dashboard's shoe mileage). 3: a report's
    /// red flag is the triage's definition (pain shooting down the leg included). 4: a squad's coaches (the head
    /// coach and those added). 5: of two open findings equally severe and raised at the same moment, the worst is
    /// the one whose id sorts first, not whichever row PostgreSQL reads first (a rebuild gave another answer). 6: a
    /// rejection with nothing to restore leaves no week, as the plan's decider folds it (an empty or adjusted week stayed).
    /// 7: a coach's email, where the weekly digest goes. 8: an athlete's calendar feed, which its address must name. 9: an imported run's track. 10: comments on runs and reports, coaches' notes on findings. 11: a comment's key is the athlete's and its id (a client-chosen id is unique per athlete only). 12: an athlete's availability. 13: a squad's week templates.
    /// Bump it when <see cref="Schema"/> or what the events write changes: the next start rebuilds the tables
    /// (<see cref="CoachingRebuild.EnsureCurrentAsync"/>).
    /// </summary>
    public const int Version = 13;

    /// <summary>The tables' DDL, unqualified: run with search_path on <see cref="SchemaName"/>.</summary>
    public const string Schema = """
        create table squads (squad_id uuid primary key, coach_id uuid not null, name text not null, settings jsonb not null,
            created_at timestamptz not null);
        create index squads_by_coach on squads (coach_id);
        create table coaches (coach_id uuid primary key, name text not null, email text not null);
        create table week_templates (squad_id uuid not null, template_id uuid not null, name text not null, sessions jsonb not null,
            saved_by uuid not null, saved_at timestamptz not null, primary key (squad_id, template_id));
        create table squad_coaches (squad_id uuid not null, coach_id uuid not null, head boolean not null, added_at timestamptz not null,
            primary key (squad_id, coach_id));
        create index squad_coaches_by_coach on squad_coaches (coach_id);
        create table squad_members (squad_id uuid not null, athlete_id uuid not null, joined_at timestamptz not null,
            left_at timestamptz, primary key (squad_id, athlete_id));
        create index members_by_athlete on squad_members (athlete_id) where left_at is null;
        create table invites (code text primary key, squad_id uuid not null, email text, single_use boolean not null,
            expires_at timestamptz not null, uses int not null default 0, invited_at timestamptz not null);
        create index invites_by_squad on invites (squad_id);
        create table athletes (athlete_id uuid primary key, name text not null, time_zone text not null, units text not null,
            registered_at timestamptz not null, last_run_at timestamptz, last_report_at timestamptz, last_pain int,
            cleared_at timestamptz, worst_severity int, worst_rule text, worst_finding_id text, worst_coach_message text,
            calendar_feed uuid, calendar_feed_started_at timestamptz, availability jsonb);
        create table runs (run_id uuid primary key, athlete_id uuid not null, started_at timestamptz not null, local_date date not null,
            distance_m int not null, duration_s int not null, workout text not null, surface text not null, rpe int not null,
            elevation_m int not null, shoe_id uuid, notes text, run jsonb not null);
        create index runs_by_athlete on runs (athlete_id, started_at desc);
        create index runs_by_day on runs (athlete_id, local_date) include (distance_m);
        create index runs_by_shoe on runs (shoe_id) include (distance_m) where shoe_id is not null;
        create table run_tracks (run_id uuid primary key, athlete_id uuid not null, points jsonb not null);
        create table reports (report_id uuid primary key, athlete_id uuid not null, run_id uuid, reported_at timestamptz not null,
            pain_now int not null, worst_during int, next_morning int, red_flag boolean not null, report jsonb not null);
        create index reports_by_athlete on reports (athlete_id, reported_at desc);
        create table shoes (shoe_id uuid primary key, athlete_id uuid not null, name text not null, starting_m int not null,
            added_at timestamptz not null, retired_at timestamptz);
        create index shoes_by_athlete on shoes (athlete_id);
        create table findings (athlete_id uuid not null, finding_id text not null, rule_id text not null, severity int not null,
            athlete_message text not null, coach_message text not null, action text not null, evidence jsonb not null,
            raised_at timestamptz not null, acknowledged_at timestamptz, acknowledged_by uuid, resolved_at timestamptz,
            resolution text, primary key (athlete_id, finding_id));
        create index open_findings on findings (athlete_id) where resolved_at is null;
        create table comments (comment_id uuid not null, athlete_id uuid not null, thread text not null, thread_id uuid not null,
            author_id uuid not null, author_name text not null, by_coach boolean not null, text text not null, posted_at timestamptz not null,
            primary key (athlete_id, comment_id));
        create index comments_by_thread on comments (athlete_id, thread_id, posted_at);
        create table finding_notes (athlete_id uuid not null, finding_id text not null, coach_id uuid not null, coach_name text not null,
            note text not null, noted_at timestamptz not null, primary key (athlete_id, finding_id, noted_at, coach_id));
        create table plans (athlete_id uuid primary key, goal text not null, start_date date not null, weekly_m int not null);
        create table plan_weeks (athlete_id uuid not null, week_start date not null, sessions jsonb not null, status text not null,
            outcome text, rule_ids text[], proposal jsonb, primary key (athlete_id, week_start));
        """;

    private static readonly HashSet<Type> ClrTypes = [.. Domain.CoachingEvents.All];

    /// <summary>Whether events of this type change the tables (accounts and Marten's tombstones do not).</summary>
    public static bool Projects(Type eventType) => ClrTypes.Contains(eventType);

    /// <summary>
    /// The statements that bring the tables up to date with one event, inline or in a rebuild: unqualified
    /// table names (the caller points search_path at the live or a rebuild's schema), $n parameters.
    /// </summary>
    /// <param name="json">The event as stored, for the columns that keep it whole.</param>
    public static void Add(List<ProjectionSql> sql, string streamId, object data, Func<string> json)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(json);
        var id = Streams.IdOf(streamId);
        switch (data)
        {
            case CoachRegistered c:
                Sql(sql, "insert into coaches values ($1, $2, $3) on conflict do nothing", c.CoachId, c.Name, c.Email);
                break;
            case SquadCreated c:
                Sql(sql, "insert into squads values ($1, $2, $3, $4, $5) on conflict do nothing", c.SquadId, c.CoachId, c.Name, Json(SettingsJson(c.Settings)), c.CreatedAt);
                Sql(sql, "insert into squad_coaches values ($1, $2, true, $3) on conflict do nothing", c.SquadId, c.CoachId, c.CreatedAt);
                break;
            case CoachAdded a:
                Sql(sql, "insert into squad_coaches values ($1, $2, false, $3) on conflict do nothing", id, a.CoachId, a.AddedAt);
                break;
            case SquadClosed:
                // Its athletes left and its codes were withdrawn in the same append: the squad goes from every list.
                Sql(sql, "delete from invites where squad_id = $1", id);
                Sql(sql, "delete from week_templates where squad_id = $1", id);
                Sql(sql, "delete from squad_coaches where squad_id = $1", id);
                Sql(sql, "delete from squads where squad_id = $1", id);
                break;
            case CoachRemoved r:
                Sql(sql, "delete from squad_coaches where squad_id = $1 and coach_id = $2", id, r.CoachId);
                break;
            case SquadHandedOver h:
                Sql(sql, "update squads set coach_id = $2 where squad_id = $1", id, h.ToCoachId);
                Sql(sql, "update squad_coaches set head = (coach_id = $2) where squad_id = $1", id, h.ToCoachId);
                break;
            case WeekTemplateSaved t:
                Sql(sql, "insert into week_templates values ($1, $2, $3, $4, $5, $6) on conflict do nothing", id, t.TemplateId, t.Name,
                    Json(JsonSerializer.Serialize(t.Sessions.ToArray(), CoachingJson.Default.TemplateSessionArray)), t.CoachId, t.SavedAt);
                break;
            case WeekTemplateDeleted t:
                Sql(sql, "delete from week_templates where squad_id = $1 and template_id = $2", id, t.TemplateId);
                break;
            case SquadRenamed r:
                Sql(sql, "update squads set name = $2 where squad_id = $1", id, r.Name);
                break;
            case SquadSettingsChanged s:
                Sql(sql, "update squads set settings = $2 where squad_id = $1", id,
                    Json(SettingsJson(new SquadSettings(s.DeloadEveryBuildWeeks, s.AdjustmentsNeedApproval, s.Units, s.WeeklyAdjustmentDay, s.WeeklyAdjustmentHour, s.TimeZone))));
                break;
            case AthleteInvited i:
                Sql(sql, "insert into invites (code, squad_id, email, single_use, expires_at, invited_at) values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
                    i.InviteCode, id, (object?)i.Email ?? DBNull.Value, i.SingleUse, i.ExpiresAt, i.InvitedAt);
                break;
            case InviteRevoked r:
                // A withdrawn code is nobody's way in: joining looks codes up here first.
                Sql(sql, "delete from invites where code = $1", r.InviteCode);
                break;
            case AthleteJoined j:
                Sql(sql, """
                    insert into squad_members (squad_id, athlete_id, joined_at) values ($1, $2, $3)
                    on conflict (squad_id, athlete_id) do update set joined_at = excluded.joined_at, left_at = null
                    """, id, j.AthleteId, j.JoinedAt);
                Sql(sql, "update invites set uses = uses + 1 where code = $1", j.InviteCode);
                break;
            case AthleteLeft l:
                Sql(sql, "update squad_members set left_at = $3 where squad_id = $1 and athlete_id = $2", id, l.AthleteId, l.LeftAt);
                break;
            case AthleteRegistered a:
                Sql(sql, "insert into athletes (athlete_id, name, time_zone, units, registered_at) values ($1, $2, $3, $4, $5) on conflict do nothing",
                    a.AthleteId, a.Name, a.TimeZoneId, a.Units.ToString(), a.RegisteredAt);
                break;
            case ShoeAdded s:
                Sql(sql, "insert into shoes (shoe_id, athlete_id, name, starting_m, added_at) values ($1, $2, $3, $4, $5) on conflict do nothing",
                    s.ShoeId, id, s.Name, s.StartingDistanceMeters, s.AddedAt);
                break;
            case ShoeRetired s:
                Sql(sql, "update shoes set retired_at = $2 where shoe_id = $1", s.ShoeId, s.RetiredAt);
                break;
            case RunLogged r:
                Sql(sql, "insert into runs values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict do nothing",
                    r.RunId, id, r.StartedAt, TrainingCalendarLocalDate(r), r.DistanceMeters, r.DurationSeconds, r.Workout.ToString(), r.Surface.ToString(),
                    r.SessionRpe, r.ElevationGainMeters, (object?)r.ShoeId ?? DBNull.Value, (object?)r.Notes ?? DBNull.Value, Json(json()));
                Latest(sql, "update athletes set last_run_at = greatest(last_run_at, $2) where athlete_id = $1", id, r.StartedAt);
                break;
            case RunCorrected c:
                var run = c.Run;
                Sql(sql, """
                    update runs set started_at = $3, local_date = $4, distance_m = $5, duration_s = $6, workout = $7, surface = $8, rpe = $9,
                        elevation_m = $10, shoe_id = $11, notes = $12, run = $13 where run_id = $1 and athlete_id = $2
                    """, run.RunId, id, run.StartedAt, TrainingCalendarLocalDate(run), run.DistanceMeters, run.DurationSeconds, run.Workout.ToString(),
                    run.Surface.ToString(), run.SessionRpe, run.ElevationGainMeters, (object?)run.ShoeId ?? DBNull.Value, (object?)run.Notes ?? DBNull.Value,
                    Json(JsonSerializer.Serialize(run, CoachingJson.Default.RunLogged)));
                LastRun(sql, id);
                break;
            case RunMatched m:
                Sql(sql, "update runs set run = jsonb_set(run, '{plannedSessionId}', to_jsonb($3::text)) where run_id = $1 and athlete_id = $2", m.RunId, id, m.PlannedSessionId);
                break;
            case RunDeleted d:
                Sql(sql, "delete from runs where run_id = $1 and athlete_id = $2", d.RunId, id);
                Sql(sql, "delete from run_tracks where run_id = $1 and athlete_id = $2", d.RunId, id);
                Sql(sql, "delete from comments where thread_id = $1 and athlete_id = $2", d.RunId, id);
                LastRun(sql, id);
                break;
            case PainReportCorrected c:
                var report = c.Report;
                Sql(sql, "update reports set pain_now = $3, worst_during = $4, next_morning = $5, red_flag = $6, report = $7 where report_id = $1 and athlete_id = $2",
                    report.ReportId, id, report.Pain.PainNow, (object?)report.Pain.WorstDuringRun ?? DBNull.Value, (object?)report.Pain.NextMorningPain ?? DBNull.Value,
                    Domain.Triage.RedFlagRules.IsRedFlag(report), Json(JsonSerializer.Serialize(report, CoachingJson.Default.PainReportSubmitted)));
                LastReport(sql, id);
                break;
            case PainReportDeleted d:
                Sql(sql, "delete from reports where report_id = $1 and athlete_id = $2", d.ReportId, id);
                Sql(sql, "delete from comments where thread_id = $1 and athlete_id = $2", d.ReportId, id);
                LastReport(sql, id);
                break;
            case RunTrackRecorded t:
                Sql(sql, "insert into run_tracks values ($1, $2, $3) on conflict do nothing", t.RunId, id,
                    Json(JsonSerializer.Serialize(t.Points.ToArray(), CoachingJson.Default.TrackPointArray)));
                break;
            case PainReportSubmitted p:
                var redFlag = Domain.Triage.RedFlagRules.IsRedFlag(p);
                Sql(sql, "insert into reports values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing",
                    p.ReportId, id, (object?)p.RunId ?? DBNull.Value, p.ReportedAt, p.Pain.PainNow, (object?)p.Pain.WorstDuringRun ?? DBNull.Value,
                    (object?)p.Pain.NextMorningPain ?? DBNull.Value, redFlag, Json(json()));
                Latest(sql, "update athletes set last_report_at = $2, last_pain = $3 where athlete_id = $1 and (last_report_at is null or last_report_at <= $2)",
                    id, p.ReportedAt, p.Pain.PeakAfterRun());
                break;
            case FindingRaised f:
                Sql(sql, """
                    insert into findings (athlete_id, finding_id, rule_id, severity, athlete_message, coach_message, action, evidence, raised_at)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    on conflict (athlete_id, finding_id) do update set resolved_at = null, resolution = null, raised_at = excluded.raised_at
                    """, id, f.Finding.FindingId, f.Finding.RuleId, (int)f.Finding.Severity, f.Finding.AthleteMessage, f.Finding.CoachMessage,
                    f.Finding.RecommendedAction, Json(JsonSerializer.Serialize(f.Finding.Evidence, CoachingJson.Default.FindingEvidence)), f.RaisedAt);
                Worst(sql, id);
                break;
            case FindingUpdated u:
                // The finding as it stands now; when it was raised, and any acknowledgement, stay as they were.
                Sql(sql, """
                    update findings set severity = $3, athlete_message = $4, coach_message = $5, action = $6, evidence = $7
                     where athlete_id = $1 and finding_id = $2
                    """, id, u.Finding.FindingId, (int)u.Finding.Severity, u.Finding.AthleteMessage, u.Finding.CoachMessage, u.Finding.RecommendedAction,
                    Json(JsonSerializer.Serialize(u.Finding.Evidence, CoachingJson.Default.FindingEvidence)));
                Worst(sql, id);
                break;
            case FindingResolved r:
                Sql(sql, "update findings set resolved_at = $3, resolution = $4 where athlete_id = $1 and finding_id = $2",
                    id, r.FindingId, r.ResolvedAt, r.Resolution.ToString());
                Worst(sql, id);
                break;
            case AlertAcknowledged a:
                Sql(sql, "update findings set acknowledged_at = $3, acknowledged_by = $4 where athlete_id = $1 and finding_id = $2",
                    id, a.FindingId, a.AcknowledgedAt, a.CoachId);
                // The note given with the acknowledgement is the first of the alert's history.
                if (a.Note is { } note)
                    Sql(sql, """
                        insert into finding_notes values ($1, $2, $3, coalesce((select name from coaches where coach_id = $3), 'Coach'), $4, $5)
                        on conflict do nothing
                        """, id, a.FindingId, a.CoachId, note, a.AcknowledgedAt);
                break;
            case ClearedToRun c:
                Sql(sql, "update athletes set cleared_at = $2 where athlete_id = $1", id, c.ClearedAt);
                break;
            case CommentPosted c:
                Sql(sql, "insert into comments values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing",
                    c.CommentId, id, c.Thread.ToString().ToLowerInvariant(), c.ThreadId, c.AuthorId, c.AuthorName, c.ByCoach, c.Text, c.PostedAt);
                break;
            case FindingNoted n:
                Sql(sql, "insert into finding_notes values ($1, $2, $3, $4, $5, $6) on conflict do nothing", id, n.FindingId, n.CoachId, n.CoachName, n.Note, n.NotedAt);
                break;
            case CalendarFeedStarted f:
                Sql(sql, "update athletes set calendar_feed = $2, calendar_feed_started_at = $3 where athlete_id = $1", id, f.FeedId, f.StartedAt);
                break;
            case AvailabilityChanged a:
                Sql(sql, "update athletes set availability = $2 where athlete_id = $1", id,
                    a.Availability.IsAny ? DBNull.Value : Json(JsonSerializer.Serialize(a.Availability, CoachingJson.Default.WeeklyAvailability)));
                break;
            case CalendarFeedStopped f:
                Sql(sql, "update athletes set calendar_feed = null, calendar_feed_started_at = null where athlete_id = $1 and calendar_feed = $2", id, f.FeedId);
                break;
            case PlanStarted p:
                Sql(sql, "insert into plans values ($1, $2, $3, $4) on conflict (athlete_id) do nothing", p.AthleteId, p.Goal, p.StartDate, p.WeeklyDistanceMeters);
                break;
            case WeekPlanned w:
                Week(sql, id, w.WeekStart, w.Sessions, "planned", null, null);
                break;
            case SessionEdited s:
                // PlanDecider.Evolve's edit in SQL (replace the session with its id, or add it; a week from nothing):
                // statements are batched unread, so the stored week cannot be folded here. CoachingRebuildTests pins
                // this table to the decider's fold.
                Sql(sql, """
                    insert into plan_weeks (athlete_id, week_start, sessions, status) values ($1, $2, jsonb_build_array($4::jsonb), 'planned')
                    on conflict (athlete_id, week_start) do update set sessions =
                        case when exists (select 1 from jsonb_array_elements(plan_weeks.sessions) s where s->>'sessionId' = $3)
                             then (select jsonb_agg(case when s->>'sessionId' = $3 then $4::jsonb else s end order by n)
                                     from jsonb_array_elements(plan_weeks.sessions) with ordinality as t(s, n))
                             else plan_weeks.sessions || jsonb_build_array($4::jsonb) end
                    """, id, s.WeekStart, s.Session.SessionId, Json(JsonSerializer.Serialize(s.Session, CoachingJson.Default.PlannedSession)));
                break;
            case SessionRemoved r:
                Sql(sql, """
                    update plan_weeks set sessions = coalesce((select jsonb_agg(s order by n) from jsonb_array_elements(plan_weeks.sessions) with ordinality x(s, n)
                                                               where s->>'sessionId' <> $3), '[]'::jsonb)
                     where athlete_id = $1 and week_start = $2
                    """, id, r.WeekStart, r.SessionId);
                break;
            case WeekAdjusted a:
                Week(sql, id, a.WeekStart, a.To.Sessions, "adjusted", a.Outcome.ToString(), a.RuleIds);
                break;
            case AdjustmentProposed p:
                Sql(sql, """
                    insert into plan_weeks (athlete_id, week_start, sessions, status, proposal) values ($1, $2, '[]', 'planned', $3)
                    on conflict (athlete_id, week_start) do update set proposal = excluded.proposal
                    """, id, p.WeekStart, Json(json()));
                break;
            case AdjustmentApproved a:
                Week(sql, id, a.WeekStart, a.Applied.Sessions, "adjusted", null, null, keepOutcome: true);
                break;
            case AdjustmentRejected r:
                // As PlanDecider.Evolve folds it: the week restored, or, with nothing to restore, no week at all.
                if (r.Restored is { } restored) Week(sql, id, r.WeekStart, restored.Sessions, "planned", null, null);
                else Sql(sql, "delete from plan_weeks where athlete_id = $1 and week_start = $2", id, r.WeekStart);
                break;
        }
    }

    private static void Week(List<ProjectionSql> sql, Guid athleteId, DateOnly weekStart, IReadOnlyList<PlannedSession> sessions, string status,
        string? outcome, IReadOnlyList<string>? ruleIds, bool keepOutcome = false)
    {
        // When an approval applies a proposal, the proposal names the outcome and its rules.
        var outcomeSql = keepOutcome ? "coalesce(plan_weeks.proposal->>'outcome', plan_weeks.outcome)" : "excluded.outcome";
        var rulesSql = keepOutcome
            ? "coalesce(array(select jsonb_array_elements_text(plan_weeks.proposal->'ruleIds')), plan_weeks.rule_ids)" : "excluded.rule_ids";
        Sql(sql, $"""
            insert into plan_weeks (athlete_id, week_start, sessions, status, outcome, rule_ids) values ($1, $2, $3, $4, $5, $6)
            on conflict (athlete_id, week_start) do update set sessions = excluded.sessions, status = excluded.status,
                outcome = {outcomeSql}, rule_ids = {rulesSql}, proposal = null
            """, athleteId, weekStart, Json(JsonSerializer.Serialize(sessions.ToArray(), CoachingJson.Default.PlannedSessionArray)), status,
            (object?)outcome ?? DBNull.Value, ruleIds is null ? DBNull.Value : ruleIds.ToArray());
    }

    /// <summary>After a correction: the athlete's last run and last report as the corrected rows say.</summary>
    private static void LastRun(List<ProjectionSql> sql, Guid athleteId) =>
        Sql(sql, "update athletes set last_run_at = (select max(started_at) from runs where athlete_id = $1) where athlete_id = $1", athleteId);

    private static void LastReport(List<ProjectionSql> sql, Guid athleteId) =>
        Sql(sql, """
            update athletes set (last_report_at, last_pain) = (select reported_at, greatest(pain_now, coalesce(worst_during, 0)) from reports
                                                                 where athlete_id = $1 order by reported_at desc limit 1)
             where athlete_id = $1
            """, athleteId);

    private static void Worst(List<ProjectionSql> sql, Guid athleteId) =>
        Sql(sql, """
            update athletes set (worst_severity, worst_rule, worst_finding_id, worst_coach_message) =
                (select severity, rule_id, finding_id, coach_message from findings
                  where athlete_id = $1 and resolved_at is null order by severity desc, raised_at desc, finding_id limit 1)
             where athlete_id = $1
            """, athleteId);

    private static DateOnly TrainingCalendarLocalDate(RunLogged run) => Domain.TrainingCalendar.LocalDate(run.StartedAt);

    private static string SettingsJson(SquadSettings settings) => JsonSerializer.Serialize(settings, CoachingJson.Default.SquadSettings);

    private static JsonText Json(string json) => new(json);

    private static void Sql(List<ProjectionSql> sql, string text, params object[] values) => sql.Add(new ProjectionSql(text, values));

    /// <summary>A statement that only the latest of its kind per key matters for: see <see cref="ProjectionSql.LatestWins"/>.</summary>
    private static void Latest(List<ProjectionSql> sql, string text, Guid key, DateTimeOffset at, params object[] more) =>
        sql.Add(new ProjectionSql(text, [key, at, .. more]) { LatestWins = true });
}

/// <summary>A jsonb parameter: the event's or a value's JSON text.</summary>
public sealed record JsonText(string Value);

/// <summary>One statement of a read model, with $1..$n parameters, for either store to run in the append's transaction.</summary>
public sealed record ProjectionSql(string Sql, object[] Values)
{
    /// <summary>
    /// $1 is a key and $2 an instant, and the statement changes nothing that a later statement of the same text for
    /// the same key with a $2 at least as late does not set again (an athlete's last run, last report): in one batch
    /// only that later one need run (<see cref="WithoutSuperseded"/>).
    /// </summary>
    public bool LatestWins { get; init; }

    /// <summary>
    /// The statements minus those a later one makes redundant (<see cref="LatestWins"/>), in their order: a replay of
    /// an athlete's 250 runs and reports updates their row once per batch instead of 250 times in one transaction.
    /// </summary>
    public static List<ProjectionSql> WithoutSuperseded(List<ProjectionSql> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        // A single command's append has at most one of each kind: nothing to drop, nothing to allocate.
        if (statements.Count(s => s.LatestWins) < 2) return statements;
        var latest = new Dictionary<(string, object), DateTimeOffset>();
        var kept = new List<ProjectionSql>(statements.Count);
        for (var i = statements.Count - 1; i >= 0; i--)
        {
            var statement = statements[i];
            if (statement.LatestWins)
            {
                var (key, at) = ((statement.Sql, statement.Values[0]), (DateTimeOffset)statement.Values[1]);
                if (latest.TryGetValue(key, out var later) && later >= at) continue;
                latest[key] = at;
            }
            kept.Add(statement);
        }
        kept.Reverse();
        return kept;
    }

    public NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(Sql);
        foreach (var value in Values) command.Parameters.Add(Parameter(value));
        return command;
    }

    private static NpgsqlParameter Parameter(object value) => value switch
    {
        JsonText j => new NpgsqlParameter { Value = j.Value, NpgsqlDbType = NpgsqlDbType.Jsonb },
        DateOnly d => new NpgsqlParameter { Value = d, NpgsqlDbType = NpgsqlDbType.Date },
        // Events keep the athlete's local offset; timestamptz takes the instant, which Npgsql wants in UTC.
        DateTimeOffset t => new NpgsqlParameter { Value = t.ToUniversalTime() },
        string[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        _ => new NpgsqlParameter { Value = value },
    };

    /// <summary>
    /// The same statement for Marten's QueueSqlCommand, whose placeholders are positional, one value each:
    /// every $n becomes '?' with its value, and the types Marten cannot infer are cast in the SQL.
    /// </summary>
    public (string Sql, object[] Values) ForMarten()
    {
        if (Sql.Contains('?', StringComparison.Ordinal)) throw new InvalidOperationException($"'?' in a projection statement: {Sql}");
        var values = new List<object>();
        var text = System.Text.RegularExpressions.Regex.Replace(Sql, @"\$(\d+)", m =>
        {
            var value = Values[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1];
            (object converted, string cast) = value switch
            {
                JsonText j => ((object)j.Value, "::jsonb"),
                DateOnly d => (d, "::date"),
                DateTimeOffset t => (t.ToUniversalTime(), "::timestamptz"),
                string[] a => (a, "::text[]"),
                _ => (value, ""),
            };
            values.Add(converted);
            return "?" + cast;
        });
        return (text, [.. values]);
    }
}

/// <summary>
/// The same read model on Marten (issue 27): an inline projection that queues <see cref="CoachingProjection"/>'s
/// statements into the append's own transaction, with search_path on proj_coaching for their duration.
/// </summary>
public sealed class CoachingMartenProjection : Marten.Events.Projections.IProjection
{
    public const string ProjectionName = "coaching";

    public Task ApplyAsync(Marten.IDocumentOperations operations, IReadOnlyList<JasperFx.Events.IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        var statements = new List<ProjectionSql>();
        foreach (var e in events)
        {
            // Marten's own events (a tombstone closing a failed append's gap) and anything not ours are not news here.
            if (e.Data is null || !CoachingProjection.Projects(e.EventType)) continue;
            CoachingProjection.Add(statements, e.StreamKey!, e.Data,
                () => JsonSerializer.Serialize(e.Data, e.EventType, CoachingJson.Default));
        }
        if (statements.Count == 0) return Task.CompletedTask;
        statements = ProjectionSql.WithoutSuperseded(statements);
        operations.QueueSqlCommand($"set local search_path to {CoachingProjection.SchemaName}, public");
        foreach (var statement in statements)
        {
            var (sql, values) = statement.ForMarten();
            operations.QueueSqlCommand(sql, values);
        }
        operations.QueueSqlCommand("set local search_path to default");
        return Task.CompletedTask;
    }
}

/// <summary>
/// Rebuilds the coaching tables from Marten's log in one transaction: readers see the old tables until it commits,
/// and appends wait for it (the log is locked against inserts), so no event lands between the replay and the
/// commit. Marten's own rebuild knows nothing of these tables (ADR 0005: an operator's step, or a new version).
/// </summary>
public static class CoachingRebuild
{
    private const int PageSize = 5_000;
    private const string ReadModelName = "coaching";

    /// <summary>Replays the whole log into the tables, in place; <paramref name="progress"/> hears (events so far, events in all).</summary>
    public static async Task<long> RunAsync(NpgsqlDataSource db, IReadOnlyDictionary<string, Type> eventTypes, Action<long, long>? progress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockLogAsync(conn, tx, ct);
        await Execute(conn, tx, $"set local search_path to {CoachingProjection.SchemaName}, public", ct);
        foreach (var table in CoachingProjection.Tables) await Execute(conn, tx, $"delete from {table}", ct);
        var events = await ReplayAsync(conn, tx, eventTypes, progress, ct);
        await RecordVersionAsync(conn, tx, ct);
        await tx.CommitAsync(ct);
        return events;
    }

    /// <summary>
    /// Creates the tables on a new database, and replaces and refills them when <see cref="CoachingProjection.Version"/>
    /// changed since they were built; a no-op when they are current. Several nodes starting at once build them once.
    /// </summary>
    /// <returns>The events replayed, or null when the tables were current.</returns>
    public static async Task<long?> EnsureCurrentAsync(NpgsqlDataSource db, IReadOnlyDictionary<string, Type> eventTypes, ILogger logger,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(logger);
        await using var conn = await db.OpenConnectionAsync(ct);
        // Most starts find the tables current: that costs one read and takes no lock.
        if (await BuiltVersionAsync(conn, null, ct) == CoachingProjection.Version) return null;
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockLogAsync(conn, tx, ct);
        // Another node may have built them while this one waited for the lock.
        if (await BuiltVersionAsync(conn, tx, ct) == CoachingProjection.Version) return null;
        await Execute(conn, tx, $"drop schema if exists {CoachingProjection.SchemaName} cascade; create schema {CoachingProjection.SchemaName}", ct);
        await Execute(conn, tx, $"set local search_path to {CoachingProjection.SchemaName}, public", ct);
        await Execute(conn, tx, CoachingProjection.Schema, ct);
        var events = await ReplayAsync(conn, tx, eventTypes, null, ct);
        await RecordVersionAsync(conn, tx, ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Built the coaching read model (version {Version}) from {Events} events", CoachingProjection.Version, events);
        return events;
    }

    private static Task LockLogAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        Execute(conn, tx, $"lock table {MartenStore.Schema}.mt_events in exclusive mode", ct);

    private static async Task<int?> BuiltVersionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select version from public.read_models where name = $1", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReadModelName });
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    private static async Task RecordVersionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into public.read_models (name, version, rebuilt_at) values ($1, $2, now())
            on conflict (name) do update set version = excluded.version, rebuilt_at = excluded.rebuilt_at
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReadModelName });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CoachingProjection.Version });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ReplayAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyDictionary<string, Type> eventTypes,
        Action<long, long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        long total;
        await using (var count = new NpgsqlCommand($"select count(*) from {MartenStore.Schema}.mt_events", conn, tx))
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        progress?.Invoke(0, total);
        long after = 0, events = 0;
        while (true)
        {
            var page = new List<(long Seq, string Stream, string Type, string Json)>(PageSize);
            await using (var read = new NpgsqlCommand(
                $"select seq_id, stream_id, type, data::text from {MartenStore.Schema}.mt_events where seq_id > $1 order by seq_id limit {PageSize}", conn, tx))
            {
                read.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
                await using var r = await read.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) page.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)));
            }
            if (page.Count == 0) break;
            var statements = new List<ProjectionSql>();
            foreach (var (_, stream, type, json) in page)
                // Tombstones (a failed append's gap) and accounts are not the read model's.
                if (eventTypes.TryGetValue(type, out var clr) && CoachingProjection.Projects(clr))
                    CoachingProjection.Add(statements, stream, JsonSerializer.Deserialize(json, clr, CoachingJson.Default)!, () => json);
            statements = ProjectionSql.WithoutSuperseded(statements);
            if (statements.Count > 0)
            {
                await using var batch = new NpgsqlBatch(conn, tx);
                foreach (var statement in statements) batch.BatchCommands.Add(statement.ToBatchCommand());
                await batch.ExecuteNonQueryAsync(ct);
            }
            after = page[^1].Seq;
            events += page.Count;
            progress?.Invoke(events, total);
        }
        return events;
    }

    private static async Task Execute(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
