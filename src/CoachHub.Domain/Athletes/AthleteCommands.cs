using CoachHub.Domain.Plans;

namespace CoachHub.Domain.Athletes;

/// <summary>Commands on one athlete's stream. Each has a static Validate the API can call before deciding.</summary>
public abstract record AthleteCommand
{
    internal abstract IReadOnlyList<FieldError> Errors(DateTimeOffset now);
}

public sealed record RegisterAthlete(Guid AthleteId, string Name, string TimeZoneId, Units Units = Units.Kilometres) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(RegisterAthlete command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("athleteId", command.AthleteId)
            .Text("name", command.Name, 80)
            .Text("timeZoneId", command.TimeZoneId, 64)
            .Require(command.TimeZoneId is null || LooksLikeTimeZoneId(command.TimeZoneId), "timeZoneId", "must be an IANA time-zone id such as Europe/Dublin")
            .Defined("units", command.Units)
            .ToList();
    }

    /// <summary>Shape only; whether the zone exists is the server's question (the domain never looks zones up).</summary>
    public static bool LooksLikeTimeZoneId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length is > 0 and <= 64
            && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '/' or '_' or '-' or '+')
            && !id.StartsWith('/')
            && !id.EndsWith('/');
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

public sealed record AddShoe(Guid ShoeId, string Name, int StartingDistanceMeters = 0) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(AddShoe command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("shoeId", command.ShoeId)
            .Text("name", command.Name, 80)
            .Range("startingDistanceMeters", command.StartingDistanceMeters, 0, 5_000_000)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

public sealed record RetireShoe(Guid ShoeId) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(RetireShoe command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors().NotEmpty("shoeId", command.ShoeId).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>
/// Distances in whole metres (the API converts from the athlete's units), durations in seconds. The server gives
/// <see cref="StartedAt"/> on the athlete's clock and what the plan prescribed (<see cref="PrescribedSession.For"/>).
/// </summary>
public sealed record LogRun(
    Guid RunId,
    DateTimeOffset StartedAt,
    int DistanceMeters,
    int DurationSeconds,
    WorkoutType Workout,
    Surface Surface,
    int SessionRpe,
    int ElevationGainMeters = 0,
    double? TreadmillInclinePercent = null,
    Guid? ShoeId = null,
    string? Notes = null,
    string? PlannedSessionId = null,
    PrescribedSession? Prescribed = null,
    int? AverageHeartRate = null,
    RunSource? Source = null,
    IReadOnlyList<TrackPoint>? Track = null) : AthleteCommand
{
    public const int MaxDistanceMeters = 400_000;
    public const int MaxDurationSeconds = 48 * 3600;
    public const int MinHeartRate = 25, MaxHeartRate = 250;

    /// <summary>An imported run starting this close to another imported one is the same activity again (another format, another export).</summary>
    public static readonly TimeSpan SameActivityWithin = TimeSpan.FromSeconds(60);

    /// <summary>Faster than the men's 1,500 m world record (about 7.3 m/s) held over a longer run: implausible.</summary>
    public const double MaxAverageSpeedMetersPerSecond = 6.5;

    /// <summary>Below a kilometre a sprint may be fast; from here on, the speed limit applies.</summary>
    public const int MinPlausibleCheckMeters = 1000;

    public static bool IsPlausiblePace(int distanceMeters, int durationSeconds) =>
        distanceMeters < MinPlausibleCheckMeters || durationSeconds <= 0 || distanceMeters <= MaxAverageSpeedMetersPerSecond * durationSeconds;

    public static IReadOnlyList<FieldError> Validate(LogRun command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("runId", command.RunId)
            .NotInFuture("startedAt", command.StartedAt, now)
            .Require(command.DistanceMeters > 0 && command.DistanceMeters <= MaxDistanceMeters, "distanceMeters", "must be more than 0 and at most 400 km")
            .Require(command.DurationSeconds > 0 && command.DurationSeconds <= MaxDurationSeconds, "durationSeconds", "must be more than 0 and at most 48 hours")
            .Defined("workout", command.Workout)
            .Defined("surface", command.Surface)
            .Require(IsPlausiblePace(command.DistanceMeters, command.DurationSeconds), "durationSeconds",
                $"is too short for the distance: over {MinPlausibleCheckMeters / 1000} km no one averages more than {MaxAverageSpeedMetersPerSecond} m/s")
            .Range("sessionRpe", command.SessionRpe, 1, 10)
            .Range("elevationGainMeters", command.ElevationGainMeters, 0, 20_000)
            .Range("treadmillInclinePercent", command.TreadmillInclinePercent, -5, 40)
            .Require(command.TreadmillInclinePercent is null || command.Surface == Surface.Treadmill, "treadmillInclinePercent", "only applies to treadmill runs")
            .Text("notes", command.Notes, 2000, required: false)
            .Text("plannedSessionId", command.PlannedSessionId, 64, required: false)
            .Range("averageHeartRate", command.AverageHeartRate, MinHeartRate, MaxHeartRate)
            .Require(command.Track is null || command.Source is not null, "track", "comes with the file it was read from (source)")
            .Merge("source", command.Source is null ? [] : RunSource.Validate(command.Source))
            .Also(command.Track is null ? [] : TrackPoint.Validate(command.Track))
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>
/// A pain report, for a run or standalone. It is stamped with the decision's "now" (reports cannot be back-dated),
/// and every red-flag question must be answered.
/// </summary>
public sealed record SubmitPainReport(
    Guid ReportId,
    Guid? RunId,
    PainScores Pain,
    PainDescription Description,
    RedFlagAnswers RedFlags,
    RecoveryContext Context) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(SubmitPainReport command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors()
            .NotEmpty("reportId", command.ReportId)
            .Require(command.RunId is null || command.RunId != Guid.Empty, "runId", "must be a run id or left out")
            .Require(command.Pain is not null, "pain", "is required")
            .Require(command.Description is not null, "description", "is required")
            .Require(command.RedFlags is not null, "redFlags", "every red-flag question must be answered")
            .Require(command.Context is not null, "context", "is required");
        if (command.Pain is not null)
        {
            errors.Merge("pain", PainScores.Validate(command.Pain));
        }

        if (command.Description is not null)
        {
            errors.Merge("description", PainDescription.Validate(command.Description));
        }

        if (command.Context is not null)
        {
            errors.Merge("context", RecoveryContext.Validate(command.Context));
        }

        return errors.ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The coach has seen an alert. Info and watch findings resolve; warning and above stay open.</summary>
public sealed record AcknowledgeAlert(string FindingId, Guid CoachId, string? Note = null) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(AcknowledgeAlert command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .Text("findingId", command.FindingId, 200)
            .NotEmpty("coachId", command.CoachId)
            .Text("note", command.Note, 2000, required: false)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The coach records that a healthcare professional assessed the athlete and cleared them to run.</summary>
public sealed record ClearToRun(Guid CoachId, string AssessedBy, DateOnly AssessedOn, string? Note = null) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(ClearToRun command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("coachId", command.CoachId)
            .Text("assessedBy", command.AssessedBy, 120)
            .NotInFuture("assessedOn", command.AssessedOn, now)
            .Text("note", command.Note, 2000, required: false)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>A logged run as it should have been: every field the athlete typed, under the run's id.</summary>
public sealed record CorrectRun(
    Guid RunId,
    DateTimeOffset StartedAt,
    int DistanceMeters,
    int DurationSeconds,
    WorkoutType Workout,
    Surface Surface,
    int SessionRpe,
    int ElevationGainMeters = 0,
    double? TreadmillInclinePercent = null,
    Guid? ShoeId = null,
    string? Notes = null) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(CorrectRun command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return LogRun.Validate(new LogRun(command.RunId, command.StartedAt, command.DistanceMeters, command.DurationSeconds, command.Workout, command.Surface,
            command.SessionRpe, command.ElevationGainMeters, command.TreadmillInclinePercent, command.ShoeId, command.Notes), now);
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

public sealed record DeleteRun(Guid RunId) : AthleteCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => new FieldErrors().NotEmpty("runId", RunId).ToList();
}

/// <summary>
/// A report's pain, description and context as they should have been; a description or context left out stays as it
/// was, and so does a pain-before-run score left out. Its red-flag answers are not for correcting.
/// </summary>
public sealed record CorrectPainReport(Guid ReportId, PainScores Pain, PainDescription? Description = null, RecoveryContext? Context = null) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(CorrectPainReport command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return SubmitPainReport.Validate(new SubmitPainReport(command.ReportId, null, command.Pain, command.Description ?? new PainDescription(),
                RedFlagAnswers.None, command.Context ?? new RecoveryContext()), now)
            .Where(e => e.Field != "redFlags").ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

public sealed record DeletePainReport(Guid ReportId) : AthleteCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => new FieldErrors().NotEmpty("reportId", ReportId).ToList();
}

/// <summary>A coach matches a run to a planned session (the server checks it is in the plan), or to none.</summary>
public sealed record MatchRun(Guid RunId, string PlannedSessionId, Guid CoachId) : AthleteCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) =>
        new FieldErrors().NotEmpty("runId", RunId).Text("sessionId", PlannedSessionId, 64).NotEmpty("coachId", CoachId).ToList();
}

/// <summary>A comment in a run's or a report's thread; the same id again is a retry.</summary>
public sealed record PostComment(Guid CommentId, ThreadKind Thread, Guid ThreadId, Guid AuthorId, string AuthorName, bool ByCoach, string Text) : AthleteCommand
{
    public const int MaxLength = 2000;

    public static IReadOnlyList<FieldError> Validate(PostComment command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("commentId", command.CommentId)
            .Defined("thread", command.Thread)
            .NotEmpty("threadId", command.ThreadId)
            .NotEmpty("authorId", command.AuthorId)
            .Text("authorName", command.AuthorName, 80)
            .Text("text", command.Text, MaxLength)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>A coach's note on a finding the athlete has had, open or closed.</summary>
public sealed record NoteOnFinding(string FindingId, Guid CoachId, string CoachName, string Note) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(NoteOnFinding command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .Text("findingId", command.FindingId, 200)
            .NotEmpty("coachId", command.CoachId)
            .Text("coachName", command.CoachName, 80)
            .Text("note", command.Note, 2000)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>A new address for the athlete's calendar feed: the one before it stops answering.</summary>
public sealed record StartCalendarFeed(Guid FeedId) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(StartCalendarFeed command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors().NotEmpty("feedId", command.FeedId).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The athlete (or their coach) says which days and how long the athlete can train.</summary>
public sealed record SetAvailability(WeeklyAvailability Availability, Guid SetBy) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(SetAvailability command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors().NotEmpty("setBy", command.SetBy).Require(command.Availability is not null, "days", "is required");
        return command.Availability is null ? errors.ToList() : errors.Also(WeeklyAvailability.Validate(command.Availability)).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The calendar feed's address stops answering; nothing to stop is no change.</summary>
public sealed record StopCalendarFeed : AthleteCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => [];
}

/// <summary>Daily re-evaluation of rules whose truth changes with time (windows, streaks, recency).</summary>
public sealed record SweepTimeBasedFindings(DateOnly Today) : AthleteCommand
{
    public static IReadOnlyList<FieldError> Validate(SweepTimeBasedFindings command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var nowDate = TrainingCalendar.LocalDate(now);
        return new FieldErrors()
            .Require(Math.Abs(TrainingCalendar.DaysBetween(nowDate, command.Today)) <= 1, "today", "must be within a day of the current date")
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}
