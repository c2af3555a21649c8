using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests;

/// <summary>The rules every view asks instead of deriving them again: red flag, status colour, the closed week.</summary>
public sealed class ViewRulesTests
{
    private static PainReportSubmitted Report(RedFlagAnswers flags, PainDescription? description = null, int pain = 3) =>
        new(Guid.NewGuid(), null, Clock.Now, new PainScores(pain), description ?? new PainDescription(), flags, new RecoveryContext());

    [Fact]
    public void ARedFlagIsAYesToAnyQuestionOrPainShootingDownTheLeg()
    {
        Assert.False(RedFlagRules.IsRedFlag(Report(RedFlagAnswers.None)));
        Assert.True(RedFlagRules.IsRedFlag(Report(new RedFlagAnswers(FeverOrUnwell: true))));
        // No yes at all, but sharp pain travelling below the knee: RF-ZINGY (or RF-RADIATING at 7/10 and above).
        var shooting = Report(RedFlagAnswers.None, new PainDescription(SpreadsTo: PainSpread.BelowKnee, Character: PainCharacter.ShootingOrZingy));
        Assert.True(RedFlagRules.IsRedFlag(shooting));
        var history = new AthleteHistory(Clock.Today, [], [shooting], [], []);
        Assert.Contains(ClinicalRules.EvaluateAll(history), f => f.RuleId == RuleIds.Zingy);
        // Pain that stays in the back is not.
        Assert.False(RedFlagRules.IsRedFlag(Report(RedFlagAnswers.None, new PainDescription(SpreadsTo: PainSpread.Buttock, Character: PainCharacter.Sharp))));
    }

    [Theory]
    [InlineData(null, StatusLight.Green)]
    [InlineData(Severity.Info, StatusLight.Green)]
    [InlineData(Severity.Watch, StatusLight.Amber)]
    [InlineData(Severity.Warning, StatusLight.Amber)]
    [InlineData(Severity.Urgent, StatusLight.Red)]
    [InlineData(Severity.Emergency, StatusLight.Red)]
    public void TheBoardIsRedExactlyWhileRunningIsPaused(Severity? worst, StatusLight expected) =>
        Assert.Equal(expected, SquadBoardStatus.Of(worst));

    [Theory]
    // Sunday 18:00 is the default closing moment: just before it, the latest closed week (9 November) would adjust
    // a week already in its last day, so nothing is due.
    [InlineData("2026-11-22T17:59:00+00:00", null)]
    [InlineData("2026-11-18T12:00:00+00:00", "2026-11-09")]
    [InlineData("2026-11-22T18:00:00+00:00", "2026-11-16")]
    // Caught up during the first three days of the adjusted week, not later.
    [InlineData("2026-11-25T23:59:00+00:00", "2026-11-16")]
    [InlineData("2026-11-26T00:00:00+00:00", null)]
    public void TheClosedWeekIsReadOnTheAthletesClock(string localNow, string? closed)
    {
        var week = WeeklyAdjustment.ClosedWeek(DateTimeOffset.Parse(localNow, System.Globalization.CultureInfo.InvariantCulture), SquadSettings.Default);
        Assert.Equal(closed is null ? null : DateOnly.Parse(closed, System.Globalization.CultureInfo.InvariantCulture), week);
    }

    [Fact]
    public void TheSameInstantClosesTheWeekInOneZoneAndNotInAnother()
    {
        // Sunday 22:00 in Dublin is 17:00 in New York: the week has closed in one and not yet in the other.
        var instant = new DateTimeOffset(2026, 11, 22, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 16), WeeklyAdjustment.ClosedWeek(instant, SquadSettings.Default));
        Assert.Null(WeeklyAdjustment.ClosedWeek(instant.ToOffset(TimeSpan.FromHours(-5)), SquadSettings.Default));
    }
}
