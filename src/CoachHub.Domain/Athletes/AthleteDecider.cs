using System.Collections.Immutable;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Athletes;

public sealed record OpenFinding(Finding Finding, DateTimeOffset RaisedAt, bool Acknowledged);

public sealed record AthleteState(
    bool Registered,
    Guid AthleteId,
    string Name,
    string TimeZoneId,
    Units Units,
    ImmutableList<Shoe> Shoes,
    RunLog Runs,
    PainReportLog PainReports,
    ImmutableList<ClearedToRun> Clearances,
    ImmutableList<OpenFinding> OpenFindings,
    ImmutableHashSet<string> RaisedFindingIds,
    ImmutableList<RunningPause> ClearedPauses,
    Guid? CalendarFeed = null,
    ImmutableHashSet<Guid>? CommentIds = null,
    WeeklyAvailability? Availability = null)
{
    /// <summary>The history the rules and the weekly adjustment read, as of the athlete's local date.</summary>
    public AthleteHistory HistoryAsOf(DateOnly today) => new(today, Runs, PainReports, Shoes, Clearances, Units, Availability);

    public IReadOnlyList<Finding> OpenFindingList() => OpenFindings.Select(f => f.Finding).ToList();

    /// <summary>Every pause this athlete has had: the cleared ones and any open now. The plan derives suspension from them.</summary>
    public IReadOnlyList<RunningPause> Pauses => RunningPauses.Of(OpenFindings, ClearedPauses);
}

/// <summary>
/// One athlete's stream: profile, shoes, runs, pain reports and findings. New evidence is triaged in the same
/// decision that records it, so a red flag and its alert are one atomic append.
/// </summary>
public static class AthleteDecider
{
    public static AthleteState Initial { get; } = new(
        false,
        Guid.Empty,
        string.Empty,
        string.Empty,
        Units.Kilometres,
        [],
        RunLog.Empty,
        PainReportLog.Empty,
        [],
        [],
        ImmutableHashSet.Create<string>(StringComparer.Ordinal),
        []);

    public static AthleteState Evolve(AthleteState state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        return @event switch
        {
            AthleteRegistered e => state with { Registered = true, AthleteId = e.AthleteId, Name = e.Name, TimeZoneId = e.TimeZoneId, Units = e.Units },
            ShoeAdded e => state with { Shoes = state.Shoes.Add(new Shoe(e.ShoeId, e.Name, e.StartingDistanceMeters, false)) },
            ShoeRetired e => state with { Shoes = state.Shoes.Select(s => s.ShoeId == e.ShoeId ? s with { Retired = true } : s).ToImmutableList() },
            RunLogged e => state with { Runs = state.Runs.Add(e) },
            PainReportSubmitted e => state with { PainReports = state.PainReports.Add(e) },
            FindingRaised e => state with
            {
                OpenFindings = state.OpenFindings.Add(new OpenFinding(e.Finding, e.RaisedAt, false)),
                RaisedFindingIds = state.RaisedFindingIds.Add(e.Finding.FindingId),
            },
            FindingUpdated e => state with
            {
                OpenFindings = state.OpenFindings.Select(f => f.Finding.FindingId == e.Finding.FindingId ? f with { Finding = e.Finding } : f).ToImmutableList(),
            },
            FindingResolved e => state with
            {
                OpenFindings = state.OpenFindings.RemoveAll(f => f.Finding.FindingId == e.FindingId),
                ClearedPauses = state.OpenFindings.FirstOrDefault(f => f.Finding.FindingId == e.FindingId) is { } closed && RunningPauses.Pauses(closed.Finding.Severity)
                    ? state.ClearedPauses.Add(new RunningPause(closed.Finding.FindingId, closed.Finding.RuleId, closed.RaisedAt, e.ResolvedAt))
                    : state.ClearedPauses,
            },
            AlertAcknowledged e => state with
            {
                OpenFindings = state.OpenFindings.Select(f => f.Finding.FindingId == e.FindingId ? f with { Acknowledged = true } : f).ToImmutableList(),
            },
            ClearedToRun e => state with { Clearances = state.Clearances.Add(e) },
            RunCorrected e => state with { Runs = state.Runs.Replace(e.Run) },
            RunDeleted e => state with { Runs = state.Runs.Remove(e.RunId) },
            RunMatched e when state.Runs.Find(e.RunId) is { } matched => state with { Runs = state.Runs.Replace(matched with { PlannedSessionId = e.PlannedSessionId }) },
            PainReportCorrected e => state with { PainReports = state.PainReports.Replace(e.Report) },
            PainReportDeleted e => state with { PainReports = state.PainReports.Remove(e.ReportId) },
            CalendarFeedStarted e => state with { CalendarFeed = e.FeedId },
            AvailabilityChanged e => state with { Availability = e.Availability.IsAny ? null : e.Availability },
            CommentPosted e => state with { CommentIds = (state.CommentIds ?? []).Add(e.CommentId) },
            CalendarFeedStopped e => state with { CalendarFeed = state.CalendarFeed == e.FeedId ? null : state.CalendarFeed },
            _ => state,
        };
    }

    public static IReadOnlyList<object> Decide(AthleteCommand command, AthleteState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        FieldErrors.ThrowIfAny(command.Errors(now));

        if (command is RegisterAthlete register)
        {
            if (state.Registered)
            {
                return state.AthleteId == register.AthleteId
                    ? []
                    : throw new CoachingRuleViolation("athlete.already-registered", "This athlete is already registered.");
            }

            return [new AthleteRegistered(register.AthleteId, register.Name.Trim(), register.TimeZoneId.Trim(), register.Units, now)];
        }

        if (!state.Registered)
        {
            throw new CoachingRuleViolation("athlete.not-registered", "This athlete is not registered.");
        }

        var today = TrainingCalendar.LocalDate(now);
        return command switch
        {
            AddShoe c => AddShoe(c, state, now),
            RetireShoe c => RetireShoe(c, state, now),
            LogRun c => LogRun(c, state, now, today),
            SubmitPainReport c => SubmitPainReport(c, state, now, today),
            AcknowledgeAlert c => Acknowledge(c, state, now),
            ClearToRun c => Clear(c, state, now),
            SweepTimeBasedFindings c => Retriage(state, c.Today, now),
            StartCalendarFeed c => StartFeed(c, state, now),
            SetAvailability c => (state.Availability ?? WeeklyAvailability.Any).SameAs(c.Availability) ? [] : [new AvailabilityChanged(c.Availability.Normalized(), c.SetBy, now)],
            PostComment c => Comment(c, state, now),
            CorrectRun c => Correct(c, state, now, today),
            MatchRun c => state.Runs.Find(c.RunId) is { } toMatch
                ? toMatch.PlannedSessionId == c.PlannedSessionId ? [] : [new RunMatched(c.RunId, c.PlannedSessionId, c.CoachId, now)]
                : throw new CoachingRuleViolation("run.not-found", "The athlete has no such run."),
            DeleteRun c => DeleteRun(c, state, now, today),
            CorrectPainReport c => Correct(c, state, now, today),
            DeletePainReport c => DeleteReport(c, state, now, today),
            NoteOnFinding c => state.RaisedFindingIds.Contains(c.FindingId)
                ? [new FindingNoted(c.FindingId, c.CoachId, c.CoachName.Trim(), c.Note.Trim(), now)]
                : throw new CoachingRuleViolation("finding.not-found", "The athlete has had no finding with this id."),
            StopCalendarFeed => state.CalendarFeed is { } feed ? [new CalendarFeedStopped(feed, now)] : [],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown athlete command."),
        };
    }

    private static List<object> AddShoe(AddShoe command, AthleteState state, DateTimeOffset now)
    {
        if (state.Shoes.Any(s => s.ShoeId == command.ShoeId))
        {
            throw new CoachingRuleViolation("shoe.already-added", "This shoe has already been added.", "shoeId");
        }

        return Then(state, new ShoeAdded(command.ShoeId, command.Name.Trim(), command.StartingDistanceMeters, now), now, TrainingCalendar.LocalDate(now));
    }

    private static List<object> RetireShoe(RetireShoe command, AthleteState state, DateTimeOffset now)
    {
        var shoe = state.Shoes.FirstOrDefault(s => s.ShoeId == command.ShoeId)
            ?? throw new CoachingRuleViolation("shoe.unknown", "This shoe is not known.", "shoeId");
        return shoe.Retired ? [] : Then(state, new ShoeRetired(command.ShoeId, now), now, TrainingCalendar.LocalDate(now));
    }

    private static List<object> LogRun(LogRun c, AthleteState state, DateTimeOffset now, DateOnly today)
    {
        if (state.Runs.Contains(c.RunId))
        {
            // Same id again is a retry of a run already recorded.
            return [];
        }

        if (c.ShoeId is { } shoeId)
        {
            var shoe = state.Shoes.FirstOrDefault(s => s.ShoeId == shoeId)
                ?? throw new CoachingRuleViolation("shoe.unknown", "This shoe is not known.", "shoeId");
            if (shoe.Retired)
            {
                throw new CoachingRuleViolation("shoe.retired", "This shoe has been retired.", "shoeId");
            }
        }

        if (c.Source is { } source && state.Runs.Any(r => r.Source is { } earlier
                && (earlier.FileSha256 == source.FileSha256 || (r.StartedAt - c.StartedAt).Duration() <= Athletes.LogRun.SameActivityWithin)))
        {
            // The same file again, or the same activity from another export: it is already logged.
            return [];
        }

        var logged = new RunLogged(
            c.RunId,
            c.StartedAt,
            c.DistanceMeters,
            c.DurationSeconds,
            c.Workout,
            c.Surface,
            c.SessionRpe,
            c.ElevationGainMeters,
            c.TreadmillInclinePercent,
            c.ShoeId,
            string.IsNullOrWhiteSpace(c.Notes) ? null : c.Notes.Trim(),
            string.IsNullOrWhiteSpace(c.PlannedSessionId) ? null : c.PlannedSessionId.Trim(),
            c.Prescribed,
            c.AverageHeartRate,
            c.Source);
        var events = Then(state, logged, now, today);
        if (c.Track is { Count: > 0 } track) events.Insert(1, new RunTrackRecorded(c.RunId, track));
        return events;
    }

    private static List<object> SubmitPainReport(SubmitPainReport c, AthleteState state, DateTimeOffset now, DateOnly today)
    {
        if (state.PainReports.Contains(c.ReportId))
        {
            return [];
        }

        if (c.RunId is { } runId && !state.Runs.Contains(runId))
        {
            throw new CoachingRuleViolation("run.unknown", "The run this report refers to is not known.", "runId");
        }

        return Then(state, new PainReportSubmitted(c.ReportId, c.RunId, now, c.Pain, c.Description, c.RedFlags, c.Context), now, today);
    }

    private static IReadOnlyList<object> Acknowledge(AcknowledgeAlert c, AthleteState state, DateTimeOffset now)
    {
        var open = state.OpenFindings.FirstOrDefault(f => f.Finding.FindingId == c.FindingId)
            ?? throw new CoachingRuleViolation("finding.not-open", "There is no open finding with this id.", "findingId");
        if (open.Acknowledged)
        {
            return [];
        }

        var acknowledged = new AlertAcknowledged(c.FindingId, c.CoachId, string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim(), now);
        return open.Finding.Severity <= Severity.Watch
            ? [acknowledged, new FindingResolved(c.FindingId, open.Finding.RuleId, FindingResolution.Acknowledged, now)]
            : [acknowledged];
    }

    private static List<object> Clear(ClearToRun c, AthleteState state, DateTimeOffset now)
    {
        var pausing = state.OpenFindings.Where(f => RunningPauses.Pauses(f.Finding.Severity)).ToList();
        if (pausing.Count == 0)
        {
            throw new CoachingRuleViolation("athlete.nothing-to-clear", "There is no open urgent or emergency finding to clear.");
        }

        // The assessment must have seen the latest red flag: one dated before it cannot clear it.
        var latest = pausing.Max(f => f.RaisedAt);
        if (c.AssessedOn < TrainingCalendar.LocalDate(latest))
        {
            throw new CoachingRuleViolation(
                "athlete.clearance-before-finding",
                $"must be on or after {TrainingCalendar.LocalDate(latest):yyyy-MM-dd}, the day the latest red flag was raised: an earlier assessment cannot clear it",
                "assessedOn");
        }

        var events = new List<object> { new ClearedToRun(c.CoachId, c.AssessedBy.Trim(), c.AssessedOn, string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim(), now) };
        events.AddRange(pausing.Select(f => new FindingResolved(f.Finding.FindingId, f.Finding.RuleId, FindingResolution.Cleared, now)));
        return events;
    }

    private static List<object> Correct(CorrectRun c, AthleteState state, DateTimeOffset now, DateOnly today)
    {
        var run = state.Runs.Find(c.RunId) ?? throw new CoachingRuleViolation("run.not-found", "The athlete has no such run.");
        if (c.ShoeId is { } shoeId && shoeId != run.ShoeId)
        {
            var shoe = state.Shoes.FirstOrDefault(s => s.ShoeId == shoeId) ?? throw new CoachingRuleViolation("shoe.unknown", "This shoe is not known.", "shoeId");
            if (shoe.Retired) throw new CoachingRuleViolation("shoe.retired", "This shoe has been retired.", "shoeId");
        }

        var corrected = run with
        {
            StartedAt = c.StartedAt, DistanceMeters = c.DistanceMeters, DurationSeconds = c.DurationSeconds, Workout = c.Workout, Surface = c.Surface,
            SessionRpe = c.SessionRpe, ElevationGainMeters = c.ElevationGainMeters, TreadmillInclinePercent = c.TreadmillInclinePercent, ShoeId = c.ShoeId,
            Notes = string.IsNullOrWhiteSpace(c.Notes) ? null : c.Notes.Trim(),
        };
        // The same again is a retry, or nothing to correct.
        return corrected == run ? [] : Then(state, new RunCorrected(corrected, now), now, today);
    }

    private static List<object> DeleteRun(DeleteRun c, AthleteState state, DateTimeOffset now, DateOnly today)
    {
        if (!state.Runs.Contains(c.RunId)) return []; // never logged, or deleted already
        if (state.PainReports.Any(r => r.RunId == c.RunId))
        {
            throw new CoachingRuleViolation("run.has-reports", "A report was answered after this run: correct the run instead, or delete the report first.");
        }

        return Then(state, new RunDeleted(c.RunId, now), now, today);
    }

    private static List<object> Correct(CorrectPainReport c, AthleteState state, DateTimeOffset now, DateOnly today)
    {
        var report = state.PainReports.Find(c.ReportId) ?? throw new CoachingRuleViolation("report.not-found", "The athlete has no such report.");
        // Red flags are the report's as first answered: a correction never takes one back (a professional's clearance does).
        var corrected = report with
        {
            Pain = c.Pain with { PainBeforeRun = c.Pain.PainBeforeRun ?? report.Pain.PainBeforeRun },
            Description = c.Description ?? report.Description,
            Context = c.Context ?? report.Context,
        };
        // Some red flags are read from the description (pain down the leg, below the knee): a correction keeps them too.
        if (Triage.RedFlagRules.IsRedFlag(report) && !Triage.RedFlagRules.IsRedFlag(corrected))
        {
            throw new CoachingRuleViolation("report.red-flag-stays",
                "A report with a red flag keeps it: only a professional's clearance ends what it started.", "description");
        }

        return corrected == report ? [] : Then(state, new PainReportCorrected(corrected, now), now, today);
    }

    private static List<object> DeleteReport(DeletePainReport c, AthleteState state, DateTimeOffset now, DateOnly today)
    {
        var report = state.PainReports.Find(c.ReportId);
        if (report is null) return []; // never submitted, or deleted already
        if (Triage.RedFlagRules.IsRedFlag(report))
        {
            throw new CoachingRuleViolation("report.red-flag-stays",
                "A report with a red flag stays on record: it is what keeps running paused until a professional has seen you.");
        }

        return Then(state, new PainReportDeleted(c.ReportId, now), now, today);
    }

    private static List<object> Comment(PostComment c, AthleteState state, DateTimeOffset now)
    {
        if (state.CommentIds?.Contains(c.CommentId) == true) return []; // a retry
        var exists = c.Thread == ThreadKind.Run ? state.Runs.Contains(c.ThreadId) : state.PainReports.Contains(c.ThreadId);
        if (!exists) throw new CoachingRuleViolation("comment.thread-unknown", "The athlete has no such run or report to comment on.", "threadId");
        return [new CommentPosted(c.CommentId, c.Thread, c.ThreadId, c.AuthorId, c.AuthorName.Trim(), c.ByCoach, c.Text.Trim(), now)];
    }

    private static List<object> StartFeed(StartCalendarFeed c, AthleteState state, DateTimeOffset now)
    {
        if (state.CalendarFeed == c.FeedId) return []; // a retry
        var events = new List<object>();
        if (state.CalendarFeed is { } old) events.Add(new CalendarFeedStopped(old, now));
        events.Add(new CalendarFeedStarted(c.FeedId, now));
        return events;
    }

    /// <summary>Records the fact, then triages the history it produces.</summary>
    private static List<object> Then(AthleteState state, object fact, DateTimeOffset now, DateOnly today)
    {
        var events = new List<object> { fact };
        events.AddRange(Retriage(Evolve(state, fact), today, now));
        return events;
    }

    private static List<object> Retriage(AthleteState state, DateOnly today, DateTimeOffset now)
    {
        var open = state.OpenFindings.Select(f => f.Finding).ToList();
        var result = TriageEngine.Evaluate(state.HistoryAsOf(today), open, state.RaisedFindingIds);
        var events = new List<object>();
        events.AddRange(result.Raise.Select(f => new FindingRaised(f, now)));
        events.AddRange(result.Update.Select(f => new FindingUpdated(f, now)));
        events.AddRange(result.ResolveFindingIds.Select(id => new FindingResolved(id, open.First(f => f.FindingId == id).RuleId, FindingResolution.NoLongerTrue, now)));
        return events;
    }
}
